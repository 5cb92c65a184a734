# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for guest scenarios (sourced by busybox sh).
_ktap_n=0
_ktap_fail=0

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

# ktap_result NAME CMD...: runs CMD; "ok" if it succeeds.
ktap_result() {
	_name=$1
	shift
	_ktap_n=$((_ktap_n + 1))
	if "$@"; then
		echo "ok $_ktap_n $_name"
	else
		echo "not ok $_ktap_n $_name"
		_ktap_fail=$((_ktap_fail + 1))
	fi
}

# ktap_skip NAME REASON
ktap_skip() {
	_ktap_n=$((_ktap_n + 1))
	echo "ok $_ktap_n $1 # SKIP $2"
}

ktap_exit() {
	[ "$_ktap_fail" = 0 ]
	exit $?
}

# diag MSG: a KTAP diagnostic line.
diag() {
	echo "# $*"
}
