# SPDX-License-Identifier: GPL-2.0
# Suites run in the guest, nested in the scenario's KTAP as subtests.
#
# The suites of hyp_stub_kunit.ko (or built in), in the order they run.
HYP_STUB_SUITES="hyp_stub_abi hyp_stub_install hyp_stub_hotplug_lock"

# kunit_module: runs KUnit suites by loading their module, and nests what
# each printed in our KTAP (see kunit_suites).
#
# kunit_module "SUITE..." MODULE [PARAMS...]
kunit_module() {
	_suites=$1
	_mod=$2
	shift 2
	dmesg -c >/dev/null
	[ $# = 0 ] || diag "insmod $_mod $*"
	if ! insmod "$_mod" "$@" 2>"$HTMP/insmod.err"; then
		diag "insmod $_mod: $(cat "$HTMP/insmod.err")"
		_m=${_mod##*/}
		ktap_result "${_m%.ko}.module_loads" false
		return
	fi
	dmesg | sed 's/^\[[ 0-9.]*\] //' >"$HTMP/kunit.log"
	kunit_suites "$_suites" "$HTMP/kunit.log" "while loading $_mod"
	rmmod "$_mod" 2>/dev/null
}

# kunit_suites "SUITE..." LOG WHEN: each SUITE's own KTAP in LOG (a kernel
# log without timestamps), as KUnit printed it, becomes our subtest: its
# "    KTAP version 1", "    # Subtest: SUITE", plan, cases, diagnostics
# and any deeper nesting, then its own result line renumbered as our next
# result. What the suites printed is in $HTMP/kunit.ktap too. A suite that
# never reported, or stopped before its result line, gets a "not ok" result
# line after what it printed, and the kernel's log WHEN it ran.
kunit_suites() {
	: >"$HTMP/kunit.ktap"
	for _suite in $1; do
		kunit_suite "$_suite" "$2" "$3"
		cat "$HTMP/kunit-one.ktap" >>"$HTMP/kunit.ktap"
	done
}

# kunit_suite SUITE LOG WHEN: kunit_suites for one suite. The awk copies
# the suite's block to $HTMP/kunit-one.ktap (unindented kernel lines inside
# it, such as a failed expectation's message, as diagnostics) and says how
# it ended: its result line's status and directive, "cut" (no result line),
# "noblock" (a result line with no "# Subtest:" block before it) or "none"
# (nothing from it).
kunit_suite() {
	_suite=$1
	_end=$(awk -v suite="$_suite" -v prefix="${KTAP_PREFIX:-}" -v out="$HTMP/kunit-one.ktap" '
		BEGIN { printf "" >out; end = "none" }
		# Its own result line ("# SKIP" after it when every case skipped).
		$0 ~ "^(not )?ok [0-9]+ " suite "( # .*)?$" {
			# Without its block: its cases are lost, not passed.
			if (!inside) { end = "noblock"; exit }
			sub(/ +$/, "")
			end = ($1 == "ok") ? "ok" : "not ok"
			if (match($0, / # .*/)) end = end substr($0, RSTART)
			exit
		}
		!inside && $0 == "    # Subtest: " suite {
			inside = 1
			end = "cut"
			print "    KTAP version 1" >out
			print "    # Subtest: " prefix suite >out
			next
		}
		!inside { next }
		# The next suite begins: this one never finished.
		/^    (KTAP version |# Subtest: )/ { exit }
		/^ / { print >out; next }
		/^#/ { print "    " $0 >out; next }
		/^$/ { next }
		{ print "    # " $0 >out }
		END { print end }' "$2")
	cat "$HTMP/kunit-one.ktap" >>"$_ktap_body"
	case $_end in
	ok*) _ktap_line ok "$_suite${_end#ok}" ;;
	"not ok"*)
		_ktap_line "not ok" "$_suite${_end#not ok}"
		_ktap_fail=$((_ktap_fail + 1))
		;;
	*)
		diag "what the kernel logged $3:"
		sed 's/^/#   /' "$2" | tail -n 40 >>"$_ktap_body"
		if [ "$_end" = cut ]; then
			_ktap_line "not ok" "$_suite # no result line from the suite"
		elif [ "$_end" = noblock ]; then
			_ktap_line "not ok" "$_suite # a result line, but no cases before it"
		else
			_ktap_line "not ok" "$_suite # the suite never reported"
		fi
		_ktap_fail=$((_ktap_fail + 1))
		;;
	esac
}

# hyp_stub_suite [PARAMS...]: the hyp_stub suites of this boot's kernel,
# always with their long parts (stress=1), plus harness.kunit= and PARAMS,
# and a case that checks the suites ran with the parameters they were given.
hyp_stub_suite() {
	_params="stress=1 $(echo "${H_kunit:-}" | tr ',' ' ') $*"
	# shellcheck disable=SC2086 # one word per parameter
	kunit_module "$HYP_STUB_SUITES" "/harness/modules/$H_config/hyp_stub_kunit.ko" $_params
	ktap_result hyp_stub_params_honoured kunit_params_honoured $_params
}

# probe_hold: the harness's probe module (tools/harness/probe/) installs
# its vectors on every CPU with HYP to call, through the C API, and keeps
# them there (hold=1), as a hypervisor module that is running would. What
# it logged is in $HTMP/hold.log.
probe_hold() {
	dmesg -c >/dev/null
	insmod "/harness/modules/$H_config/hyp_raw_probe.ko" hold=1 2>"$HTMP/insmod.err" ||
		diag "insmod hyp_raw_probe.ko hold=1: $(cat "$HTMP/insmod.err")"
	dmesg | sed 's/^\[[ 0-9.]*\] //' >"$HTMP/hold.log"
	grep '^hyp_raw_probe: ' "$HTMP/hold.log" | sed 's/^/# /' >>"$_ktap_body"
}

# held_cpus N: the probe's line says it holds HYP on N CPUs.
held_cpus() {
	_n=$(sed -n 's/^hyp_raw_probe: holding HYP on \([0-9]*\) CPU(s)$/\1/p' "$HTMP/hold.log")
	diag "the probe holds HYP on ${_n:-no} CPU(s) of $H_cpus"
	[ "$_n" = "$1" ]
}

# kunit_params_honoured P=V...: the suite's own line says it ran with each.
kunit_params_honoured() {
	_line=$(grep '^hyp_stub_kunit: fuzz_seed=' "$HTMP/kunit.log")
	diag "${_line:-the suite printed no parameters}"
	for _p in "$@"; do
		case " ${_line#hyp_stub_kunit: } " in
		*" $_p "*) ;;
		*) diag "asked for $_p"; return 1 ;;
		esac
	done
}

# hyp_stub_selftest MODE: the arm/hyp kselftest, with its case that locks
# the stub until reboot: run it last. It is told where HYP comes from.
hyp_stub_selftest() {
	# shellcheck disable=SC2046 # one word per option
	kselftest selftest /harness/bin/hyp_stub --expect "$1" $(expected_provider "$1") \
		--destructive
}

# provider_for MODE: where a CPU entered in MODE gets HYP from in this boot
# (harness.layer=1: our firmware's layer under every CPU it enters in SVC).
provider_for() {
	case "$1:${H_layer:-0}" in
	hyp:*) echo stub ;;
	svc:1) echo firmware ;;
	*) echo none ;;
	esac
}

# expected_provider MODE: the kselftest's --provider option for this boot
# (none when CPUs were entered in different modes).
expected_provider() {
	[ "$1" = mixed ] || echo "--provider $(provider_for "$1")"
}

# kselftest NAME CMD...: runs a kselftest binary and nests its TAP output
# in our KTAP as subtest NAME (ktap_nest); the raw output stays in
# $HTMP/kselftest.log.
kselftest() {
	_name=$1
	shift
	"$@" >"$HTMP/kselftest.log" 2>&1
	ktap_nest "$_name" "$HTMP/kselftest.log" $?
}
