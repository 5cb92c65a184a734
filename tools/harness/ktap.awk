# SPDX-License-Identifier: GPL-2.0
# Judges the guest's part of one serial log (between "HARNESS: begin" and
# "HARNESS: end"): a KTAP version line, a plan, exactly that many results.
# Prints the results indented one level (a KTAP subtest) and, last, a line
#   RESULT <passed> <failed> <skipped> <verdict> <reason>
# verdict is ok or fail; a missing plan or a short count is a failure.
/^HARNESS: begin/ { inside = 1; next }
/^HARNESS: end/ { ended = 1; inside = 0; next }
!inside { next }
{ sub(/\r$/, "") }
/^KTAP version / { version = 1; print "    " $0; next }
/^1\.\.[0-9]+$/ && !plan { plan = substr($0, 4) + 0; print "    " $0; next }
/^(not )?ok [0-9]+ / {
	n++
	if ($0 ~ /# SKIP/) skipped++
	else if ($1 == "ok") passed++
	else failed++
	print "    " $0
	next
}
/^# / { print "    " $0 }
END {
	reason = ""
	if (!ended) reason = "guest did not finish"
	else if (!version) reason = "no KTAP version line"
	else if (!plan) reason = "no KTAP plan"
	else if (n != plan) reason = "plan " plan ", results " n
	verdict = (reason == "" && failed == 0) ? "ok" : "fail"
	printf "RESULT %d %d %d %s %s\n", passed, failed, skipped, verdict, reason
}
