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

# ktap_import FILE: results someone else ran ("ok N name[ # SKIP ...]",
# already flattened), renumbered into ours.
ktap_import() {
	while IFS= read -r _l; do
		case $_l in
		"not ok "*)
			_ktap_line "not ok" "${_l#not ok [0-9]* }"
			_ktap_fail=$((_ktap_fail + 1))
			;;
		"ok "*) _ktap_line ok "${_l#ok [0-9]* }" ;;
		"#"*) echo "$_l" >>"$_ktap_body" ;;
		esac
	done <"$1"
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
