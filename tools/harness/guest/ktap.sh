# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for guest scenarios (sourced by busybox sh, or by bash on
# the host, see checks.sh). Results are buffered so that ktap_done can print
# the version and plan line first. HTMP: where the helpers keep their files.
HTMP=${HTMP:-/tmp}
_ktap_body=$HTMP/ktap.body
_ktap_n=0
_ktap_fail=0
: >"$_ktap_body"

# KTAP_PREFIX, if set, goes in front of every case name.
_ktap_line() {
	_ktap_n=$((_ktap_n + 1))
	echo "$1 $_ktap_n ${KTAP_PREFIX:-}$2" >>"$_ktap_body"
}

# ktap_result NAME CMD...: runs CMD; "ok" if it succeeds.
ktap_result() {
	_name=$1
	shift
	if "$@"; then
		_ktap_line ok "$_name"
	else
		_ktap_line "not ok" "$_name"
		_ktap_fail=$((_ktap_fail + 1))
	fi
}

# ktap_skip NAME REASON
ktap_skip() {
	_ktap_line ok "$1 # SKIP $2"
}

# diag MSG: a KTAP diagnostic line.
diag() {
	echo "# $*" >>"$_ktap_body"
}

# ktap_nest NAME FILE RC: FILE, a KTAP or TAP document another program
# printed (a plan, results, diagnostics), as our subtest NAME: indented 4
# spaces under its own "# Subtest:" line (its version line replaced by
# ours, its plan first), then its result line as our next result. It is
# "ok" when the program exited RC 0 and no case failed, "not ok"
# otherwise, and when the document has no plan. Lines that are not KTAP
# become diagnostics.
ktap_nest() {
	{
		echo "    KTAP version 1"
		echo "    # Subtest: ${KTAP_PREFIX:-}$1"
		# Its plan first: lines before it wait (a KTAP parser looks for
		# the plan right after the "# Subtest:" line).
		awk '/^(K?TAP version |$)/ { next }
		     /^1\.\.[0-9]/ && !plan { plan = 1; print "    " $0; printf "%s", held; next }
		     /^((not )?ok [0-9]|#| )/ { line = "    " $0 }
		     !/^((not )?ok [0-9]|#| )/ { line = "    # " $0 }
		     plan { print line; next }
		     { held = held line "\n" }
		     END { if (!plan) printf "%s", held }' "$2"
	} >>"$_ktap_body"
	_why=
	grep -q '^1\.\.[0-9]' "$2" || _why=" # no plan (exit $3)"
	if [ -z "$_why" ] && [ "$3" = 0 ] && ! grep -q '^not ok ' "$2"; then
		_ktap_line ok "$1"
		return
	fi
	[ -n "$_why" ] || [ "$3" = 0 ] || _why=" # exit $3"
	_ktap_line "not ok" "$1$_why"
	_ktap_fail=$((_ktap_fail + 1))
}

# ktap_print: the document so far, version and plan first.
ktap_print() {
	echo "KTAP version 1"
	echo "1..$_ktap_n"
	cat "$_ktap_body"
}

ktap_done() {
	ktap_print
	[ "$_ktap_fail" = 0 ]
	exit $?
}

# wait_seconds N: the guest waits N seconds, its CPUs idle. busybox sleep
# returns at once under our kernels (seen on upstream 6.1 too, measured
# with /proc/uptime), while a read with a timeout on an empty FIFO waits.
wait_seconds() {
	[ -p "$HTMP/wait.fifo" ] || mkfifo "$HTMP/wait.fifo"
	exec 9<>"$HTMP/wait.fifo"
	read -r -t "$1" _ <&9
	exec 9<&-
	return 0
}
