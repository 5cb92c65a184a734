# SPDX-License-Identifier: GPL-2.0
# Suites run in the guest, folded into the scenario's KTAP.
#
# The suites of hyp_stub_kunit.ko (or built in), in the order they run.
HYP_STUB_SUITES="hyp_stub_abi hyp_stub_install hyp_stub_hotplug_lock"

# kunit_module: runs KUnit suites by loading their module, and folds their
# cases into our KTAP as SUITE.CASE (see kunit_fold).
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
	kunit_fold "$_suites" "$HTMP/kunit.log" "while loading $_mod"
	rmmod "$_mod" 2>/dev/null
}

# kunit_fold "SUITE..." LOG WHEN: folds the results each SUITE printed into
# LOG (a kernel log without timestamps) into our KTAP as SUITE.CASE, all of
# them in $HTMP/kunit.ktap too. A suite that is cut short (fewer results
# than its plan) or never reports adds a failing case that says so, and
# the log WHEN it ran.
kunit_fold() {
	: >"$HTMP/kunit.ktap"
	for _suite in $1; do
		kunit_fold_one "$_suite" "$2" "$3"
		cat "$HTMP/kunit-one.ktap" >>"$HTMP/kunit.ktap"
	done
}

# kunit_fold_one SUITE LOG WHEN: kunit_fold for one suite.
kunit_fold_one() {
	_suite=$1
	awk -v suite="$_suite" '
		$0 ~ "^ *# Subtest: " suite "$" { inside = 1; next }
		!inside { next }
		/^    1\.\.[0-9]+$/ { plan = substr($1, 4) + 0; next }
		/^    (not )?ok [0-9]+ / {
			failed = 0
			sub(/^    /, "")
			n++
			if ($1 == "ok") { sub(/^ok [0-9]+ /, ""); print "ok 0 " suite "." $0 }
			else { sub(/^not ok [0-9]+ /, ""); print "not ok 0 " suite "." $0 }
			next
		}
		# Its own result: "# SKIP" after it when every case skipped.
		$0 ~ "^(not )?ok [0-9]+ " suite "( # .*)?$" { done = 1; exit }
		/^    / {
			if ($0 ~ /(EXPECTATION|ASSERTION) FAILED/) failed = 1
			sub(/^ +/, ""); sub(/^# /, ""); print "# " $0; next
		}
		# The message of a failed expectation is a line of its own,
		# not indented: keep it with the failure.
		failed { print "# " $0; next }
		END {
			if (!plan) print "not ok 0 " suite ".reported # no KTAP plan from the suite"
			else if (n != plan) print "not ok 0 " suite ".complete # plan " plan ", results " n
			else if (!done) print "not ok 0 " suite ".complete # no suite result line"
		}' "$2" >"$HTMP/kunit-one.ktap"
	if grep -q "^not ok 0 $_suite\.\(reported\|complete\) " "$HTMP/kunit-one.ktap"; then
		diag "what the kernel logged $3:"
		sed 's/^/#   /' "$2" | tail -n 40 >>"$_ktap_body"
	fi
	ktap_import "$HTMP/kunit-one.ktap"
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

# kselftest NAME CMD...: runs a kselftest binary and folds its cases into
# our KTAP as NAME.CASE, with the same checks on its plan and count.
kselftest() {
	_name=$1
	shift
	"$@" >"$HTMP/kselftest.log" 2>&1
	_rc=$?
	awk -v name="$_name" -v rc="$_rc" '
		/^1\.\.[0-9]+$/ && !plan { plan = substr($1, 4) + 0; next }
		/^ok [0-9]+ # SKIP / {
			# kselftest puts a skipped case'"'"'s name after SKIP.
			n++
			sub(/^ok [0-9]+ # SKIP /, "")
			print "ok 0 " name "." $1 " # SKIP " $0
			next
		}
		/^(not )?ok [0-9]+ / {
			n++
			if ($1 == "ok") { sub(/^ok [0-9]+ /, ""); print "ok 0 " name "." $0 }
			else { sub(/^not ok [0-9]+ /, ""); print "not ok 0 " name "." $0 }
			next
		}
		/^# / { print }
		END {
			if (!plan) print "not ok 0 " name ".reported # no KTAP plan (exit " rc ")"
			else if (n != plan) print "not ok 0 " name ".complete # plan " plan ", results " n
		}' "$HTMP/kselftest.log" >"$HTMP/kselftest.ktap"
	ktap_import "$HTMP/kselftest.ktap"
}
