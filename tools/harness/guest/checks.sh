# SPDX-License-Identifier: GPL-2.0
# The boot checks every boot scenario makes (sourced after ktap.sh): the
# kernel reports the mode the harness entered it in (harness.expect) on
# every CPU it was given (harness.cpus); on the patched kernel the sysfs
# record agrees. The unpatched baseline is judged by its log alone.

dmesg | sed 's/^\[[ 0-9.]*\] //' >/tmp/dmesg.msg

# What upstream prints, verbatim.
upstream_lines() {
	case $H_expect in
	hyp)
		grep -qxF 'CPU: All CPU(s) started in HYP mode.' /tmp/dmesg.msg &&
		grep -qxF 'CPU: Virtualization extensions available.' /tmp/dmesg.msg
		;;
	svc)
		grep -qxF 'CPU: All CPU(s) started in SVC mode.' /tmp/dmesg.msg &&
		! grep -q 'started in HYP mode' /tmp/dmesg.msg
		;;
	*)
		diag "harness.expect='$H_expect' is not hyp or svc"
		return 1
		;;
	esac
}

all_cpus_online() {
	online=$(grep -c '^processor' /proc/cpuinfo)
	diag "cpus online: $online, expected: $H_cpus"
	[ "$online" = "$H_cpus" ]
}

no_mismatch_warning() {
	! grep -q 'wrong/inconsistent modes' /tmp/dmesg.msg
}

cpus_sysfs() {
	rc=0
	for d in /sys/devices/system/cpu/cpu[0-9]*; do
		[ "$(cat "$d/online" 2>/dev/null || echo 1)" = 1 ] || continue
		v=$(cat "$d/boot_mode") || return 1
		diag "${d##*/}/boot_mode: $v"
		[ "$v" = "$H_expect" ] || rc=1
	done
	return $rc
}

summary_sysfs() {
	v=$(cat /sys/devices/system/cpu/boot_mode) || return 1
	diag "boot_mode: $v"
	[ "$v" = "$H_expect" ]
}

boot_checks() {
	ktap_result upstream_mode_lines upstream_lines
	ktap_result all_cpus_online all_cpus_online
	ktap_result no_mismatch_warning no_mismatch_warning
	if [ "$H_kernel" != base ]; then
		ktap_result cpu_boot_mode_sysfs cpus_sysfs
		ktap_result summary_boot_mode_sysfs summary_sysfs
	fi
}
