# SPDX-License-Identifier: GPL-2.0
# Judges the guest's part of one serial log. The guest prints one KTAP
# document between "HARNESS: begin" and "HARNESS: end"; a kexec chain
# prints one per generation, each closed by "HARNESS: next". Every document
# needs a version line, a plan, and exactly that many results.
# Prints them as one KTAP subtest (indented, one plan, numbered through
# all documents) and, last, a line
#   RESULT <passed> <failed> <skipped> <verdict> <reason>
# verdict is ok or fail; a missing plan or a short count is a failure.
# "HARNESS-HOST: ok|not ok NAME" lines are cases the host added.
function close_doc() {
	if (!inside) return
	if (!version && reason == "") reason = "no KTAP version line"
	else if (!plan && reason == "") reason = "no KTAP plan"
	else if (n != plan && reason == "") reason = "plan " plan ", results " n
	inside = 0
}
/^HARNESS: begin/ { close_doc(); inside = 1; docs++; version = plan = n = 0; next }
/^HARNESS: next/ { close_doc(); next }
/^HARNESS: end/ { close_doc(); ended = 1; next }
# A case the host judged from the logs themselves.
/^HARNESS-HOST: (not )?ok / {
	all++
	if ($2 == "ok") { passed++; out[++lines] = "    ok " all " " $3 }
	else { failed++; out[++lines] = "    not ok " all " " $4 }
	next
}
!inside { next }
{ sub(/\r$/, "") }
/^KTAP version / { version = 1; next }
/^1\.\.[0-9]+$/ && !plan { plan = substr($0, 4) + 0; total += plan; next }
/^(not )?ok [0-9]+ / {
	n++
	all++
	if ($0 ~ /# SKIP/) skipped++
	else if ($1 == "ok") passed++
	else failed++
	line = $0
	sub(/^(not )?ok [0-9]+/, ($1 == "ok" ? "ok " : "not ok ") all, line)
	out[++lines] = "    " line
	next
}
/^# / { out[++lines] = "    " $0 }
END {
	close_doc()
	if (docs) {
		print "    KTAP version 1"
		print "    1.." all
		for (i = 1; i <= lines; i++)
			print out[i]
	}
	if (!ended && reason == "") reason = "guest did not finish"
	if (!docs && reason == "") reason = "no guest output"
	verdict = (reason == "" && failed == 0) ? "ok" : "fail"
	printf "RESULT %d %d %d %s %s\n", passed, failed, skipped, verdict, reason
}
