# SPDX-License-Identifier: GPL-2.0
# The boot checks every boot scenario makes (sourced after ktap.sh): the
# kernel reports the mode the harness entered it in (harness.expect, see
# expected_mode) on every CPU it was given (harness.cpus); on the patched
# kernel the sysfs record agrees. The unpatched baseline is judged by its
# log alone.
#
# ROOT is empty in the guest. A guest that cannot run this (a big-endian
# kernel cannot run our little-endian busybox) dumps its /proc, /sys files
# and kernel log instead, and the host runs these checks on the dump under
# ROOT (see dump.c and scenario.sh --dump).
ROOT=${ROOT:-}

# kernel_log: the kernel log, as dmesg prints it.
kernel_log() {
	if [ -n "$ROOT" ]; then
		cat "$ROOT/dmesg"
	else
		dmesg
	fi
}

kernel_log | sed 's/^\[[ 0-9.]*\] //' >"$HTMP/dmesg.msg"

# expected_mode N: the mode the harness entered CPU N in. harness.expect is
# hyp, svc, or mixed: then harness.svc_cpus is the mask of the CPUs that
# our firmware entered in SVC, the others in HYP.
expected_mode() {
	if [ "$H_expect" != mixed ]; then
		echo "$H_expect"
	elif [ $(((H_svc_cpus >> $1) & 1)) = 1 ]; then
		echo svc
	else
		echo hyp
	fi
}

# What upstream prints, verbatim.
upstream_lines() {
	case $H_expect in
	mixed)
		code=0x1a
		[ "$(expected_mode 0)" = svc ] && code=0x13
		grep -qxF "CPU: WARNING: CPU(s) started in wrong/inconsistent modes (primary CPU mode $code)" \
			"$HTMP/dmesg.msg" &&
		grep -qxF 'CPU: This may indicate a broken bootloader or firmware.' "$HTMP/dmesg.msg" &&
		! grep -q 'All CPU(s) started in' "$HTMP/dmesg.msg"
		;;
	hyp)
		grep -qxF 'CPU: All CPU(s) started in HYP mode.' "$HTMP/dmesg.msg" &&
		grep -qxF 'CPU: Virtualization extensions available.' "$HTMP/dmesg.msg"
		;;
	svc)
		grep -qxF 'CPU: All CPU(s) started in SVC mode.' "$HTMP/dmesg.msg" &&
		! grep -q 'started in HYP mode' "$HTMP/dmesg.msg"
		;;
	*)
		diag "harness.expect='$H_expect' is not hyp or svc"
		return 1
		;;
	esac
}

all_cpus_online() {
	online=$(grep -c '^processor' "$ROOT/proc/cpuinfo")
	diag "cpus online: $online, expected: $H_cpus"
	[ "$online" = "$H_cpus" ]
}

# hyp_drivers_as_upstream: the drivers that ask at boot whether HYP is
# available (the GIC's split EOI/deactivate mode, the 32-bit timer's choice
# of the physical one) decide as upstream does in a HYP boot when the boot
# CPU has HYP: they ask before any secondary enters. That is the stub (the
# boot CPU entered in HYP) or, patched, the firmware's layer (entered in SVC
# over it, which the kernel checks before they ask). The lock changes
# nothing here: a locked boot is set up as an unlocked one (hyp-abi.rst).
hyp_drivers_as_upstream() {
	want=virt split=0
	if [ "$(expected_mode 0)" = hyp ]; then
		want=phys split=1
	elif [ "$H_kernel" != base ] && [ "${H_layer:-0}" = 1 ]; then
		want=phys split=1
	fi
	timer=$(sed -n 's/^arch_timer: cp15 timer(s) running at .* (\([a-z]*\))\.$/\1/p' "$HTMP/dmesg.msg")
	got_split=$(grep -c '^GIC: Using split EOI/Deactivate mode$' "$HTMP/dmesg.msg")
	diag "timer: ${timer:-none} (want $want), split EOI: $got_split (want $split)"
	[ "$timer" = "$want" ] && [ "$got_split" = "$split" ]
}

no_mismatch_warning() {
	! grep -q 'wrong/inconsistent modes' "$HTMP/dmesg.msg"
}

# mismatched_cpus_named: one line for each CPU that disagrees with the boot
# CPU (CPU0 here), none for the others.
mismatched_cpus_named() {
	rc=0
	primary=$(expected_mode 0)
	for n in $(seq 1 $((H_cpus - 1))); do
		m=$(expected_mode "$n")
		line="CPU: CPU$n started in $m mode, the boot CPU in $primary mode"
		if [ "$m" != "$primary" ]; then
			grep -qxF "$line" "$HTMP/dmesg.msg" || { diag "missing: $line"; rc=1; }
		elif grep -q "^CPU: CPU$n started in" "$HTMP/dmesg.msg"; then
			diag "CPU$n agrees with the boot CPU but is reported"
			rc=1
		fi
	done
	return $rc
}

cpus_sysfs() {
	rc=0
	for d in "$ROOT/sys/devices/system/cpu/cpu"[0-9]*; do
		[ "$(cat "$d/online" 2>/dev/null || echo 1)" = 1 ] || continue
		v=$(cat "$d/hyp/last_entry_mode") || return 1
		diag "${d##*/}/hyp/last_entry_mode: $v"
		[ "$v" = "$(expected_mode "${d##*/cpu}")" ] || rc=1
	done
	return $rc
}

# providers_sysfs: each online CPU's HYP comes from where this boot puts
# it (provider_for, in suites.sh).
providers_sysfs() {
	rc=0
	for d in "$ROOT/sys/devices/system/cpu/cpu"[0-9]*; do
		[ "$(cat "$d/online" 2>/dev/null || echo 1)" = 1 ] || continue
		v=$(cat "$d/hyp/provider") || return 1
		want=$(provider_for "$(expected_mode "${d##*/cpu}")")
		diag "${d##*/}/hyp/provider: $v"
		[ "$v" = "$want" ] || { diag "want $want"; rc=1; }
	done
	return $rc
}

summary_sysfs() {
	v=$(cat "$ROOT/sys/devices/system/cpu/hyp/last_entry_mode") || return 1
	diag "last_entry_mode: $v"
	[ "$v" = "$H_expect" ]
}

# hyp_layer_reported: what the kernel says about the firmware's HYP layer
# (harness.layer): found, found to be missing (a device tree that lies,
# with HVC undefined: one warning, no oops), refused for its memory (not
# no-map, or not where its vectors are: one warning each), or not a word
# without one.
hyp_layer_reported() {
	_n=$(grep -c '^CPU: HYP layer: ' "$HTMP/dmesg.msg")
	case ${H_layer:-0} in
	1)
		grep -qx 'CPU: HYP layer: ABI 2\.0, vectors at 0x[0-9a-f]*\(, locked\)\?' \
			"$HTMP/dmesg.msg" ||
			{ diag "no line saying the layer was found"; return 1; }
		;;
	2)
		grep -qxF 'CPU: HYP layer: in the device tree, but HVC is undefined: booting without it' \
			"$HTMP/dmesg.msg" || { diag "no warning about the missing layer"; return 1; }
		! grep -q 'Internal error\|Oops\|undefined instruction' "$HTMP/dmesg.msg" ||
			{ diag "an oops"; return 1; }
		;;
	3)
		grep -qxF 'CPU: HYP layer: no memory-region reserved no-map for it: booting without it' \
			"$HTMP/dmesg.msg" || { diag "no warning about the layer's memory"; return 1; }
		;;
	4)
		grep -qx 'CPU: HYP layer: its vectors at 0x[0-9a-f]* lie outside its memory-region: booting without it' \
			"$HTMP/dmesg.msg" || { diag "no warning about the layer's vectors"; return 1; }
		;;
	*)
		[ "$_n" = 0 ] || { diag "a layer line without a layer"; return 1; }
		;;
	esac
	diag "HYP layer lines: $_n"
	[ "$_n" -le 1 ]
}

boot_checks() {
	ktap_result upstream_mode_lines upstream_lines
	ktap_result all_cpus_online all_cpus_online
	ktap_result hyp_drivers_as_upstream hyp_drivers_as_upstream
	if [ "$H_expect" != mixed ]; then
		ktap_result no_mismatch_warning no_mismatch_warning
	elif [ "$H_kernel" != base ]; then
		ktap_result mismatched_cpus_named mismatched_cpus_named
	fi
	if [ "$H_kernel" != base ]; then
		ktap_result cpu_last_entry_mode_sysfs cpus_sysfs
		ktap_result summary_last_entry_mode_sysfs summary_sysfs
		ktap_result cpu_hyp_provider_sysfs providers_sysfs
		ktap_result hyp_layer_reported hyp_layer_reported
	else
		# The baseline really is upstream (also after a kexec).
		ktap_result unpatched_kernel test ! -e "$ROOT/sys/devices/system/cpu/hyp/last_entry_mode"
	fi
}

# raw_set_vectors_answers WANT: the harness's probe module issues one raw
# HVC_SET_VECTORS with vectors of its own on this CPU, past the C API (and
# if that is accepted, they hand HYP straight back); r0 must be WANT (0:
# accepted; 0xbadca11: refused). Only where HYP is known to hold our stub,
# whatever the records say.
raw_set_vectors_answers() {
	_va=$(awk '$3 == "__hyp_stub_vectors" { print $1; exit }' /proc/kallsyms)
	[ -n "$_va" ] || { diag "__hyp_stub_vectors not in /proc/kallsyms"; return 1; }
	insmod "/harness/modules/$H_config/hyp_raw_probe.ko" "vectors=0x$_va" ||
		return 1
	_r=$(printf '%#x' "$(cat /sys/module/hyp_raw_probe/parameters/result)")
	rmmod hyp_raw_probe
	diag "raw HVC_SET_VECTORS: r0 = $_r (want $1)"
	[ "$_r" = "$1" ]
}

# Idle: how often each CPU entered its idle states (fw.sh --idle: state 1
# powers the CPU down through our firmware's PSCI CPU_SUSPEND).
IDLE_SECONDS=3

# counts_state N FILE: "cpuN=V" for every online CPU's idle state N FILE.
counts_state() {
	for d in /sys/devices/system/cpu/cpu[0-9]*; do
		f=$d/cpuidle/state$1/$2
		[ -r "$f" ] && echo "${d##*/}=$(cat "$f")"
	done
}

# counts FILE: the same for the power-down state (state 1).
counts() {
	counts_state 1 "$1"
}

# grew FILE MIN BEFORE AFTER: every CPU's count grew by at least MIN.
grew() {
	rc=0
	for b in $3; do
		cpu=${b%%=*}
		a=$(echo "$4" | tr ' ' '\n' | sed -n "s/^$cpu=//p")
		diag "$cpu: $1 ${b#*=} -> $a"
		[ $((a - ${b#*=})) -ge "$2" ] || rc=1
	done
	[ -n "$3" ] || { diag "no CPU has a power-down idle state"; rc=1; }
	return $rc
}

# powered_down_while_idle: over IDLE_SECONDS idle, every CPU powered down
# at least 100 times.
powered_down_while_idle() {
	before=$(counts usage)
	wait_seconds $IDLE_SECONDS
	grew usage 100 "$before" "$(counts usage)"
}

# no_oops: the kernel log has no oops and no undefined instruction; it is
# kept in $HTMP/dmesg.after.
no_oops() {
	dmesg >"$HTMP/dmesg.after"
	! grep -q 'Internal error\|Oops\|undefined instruction' "$HTMP/dmesg.after" ||
		{ grep 'Internal error\|Oops\|undefined instruction' "$HTMP/dmesg.after" |
			while IFS= read -r l; do diag "$l"; done; return 1; }
}

# provider_is CPU WANT: cpuCPU/hyp/provider reads WANT.
provider_is() {
	_p=$(cat "/sys/devices/system/cpu/cpu$1/hyp/provider")
	diag "cpu$1/hyp/provider: $_p (want $2)"
	[ "$_p" = "$2" ]
}
