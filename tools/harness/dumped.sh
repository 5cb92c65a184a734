#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Judges a boot whose guest could only dump its files (guest/dump.c, the
# init of kernels that cannot run our busybox): rebuilds the files under DIR,
# runs the guest's boot checks and the KUnit suite's results (built in, run
# at boot) on them, and prints what the guest's own scenario would have:
# "HARNESS: begin", one KTAP document (the KUnit suites nested in it, as
# the guest nests them), "HARNESS: end". Prints nothing when the dump is
# not complete, which the judge (judge.py: no "HARNESS: begin") reports.
#
# usage: dumped.sh LOG DIR
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

log=${1:?usage: dumped.sh LOG DIR}
dir=${2:?usage: dumped.sh LOG DIR}
grep -aq '^HARNESS: dump end' "$log" || exit 0
rm -rf "$dir"
mkdir -p "$dir/root" "$dir/tmp"
tr -d '\r' <"$log" | awk -v root="$dir/root" '
	/^HARNESS-FILE / {
		file = root "/" $2
		dir = file
		sub(/\/[^\/]*$/, "", dir)
		system("mkdir -p \"" dir "\"")
		printf "" >file
		next
	}
	/^HARNESS-LINE / && file != "" { print substr($0, 14) >>file }
'

# harness.KEY=VALUE on the guest's command line become H_KEY, as in the
# guest's init.
read -ra words <"$dir/root/proc/cmdline"
for word in "${words[@]}"; do
	case $word in
	harness.*=*)
		key=${word%%=*}
		declare "H_${key#harness.}=${word#*=}"
		;;
	esac
done
export H_expect H_cpus H_kernel H_svc_cpus

echo "HARNESS: begin boot (judged on the host from the dump)"
rc=0
ROOT=$dir/root HTMP=$dir/tmp bash -c '
	guest=$1
	. "$guest/ktap.sh"
	. "$guest/suites.sh"
	. "$guest/checks.sh"
	boot_checks
	kunit_suites "$HYP_STUB_SUITES" "$HTMP/dmesg.msg" "at boot"
	ktap_done' - "$HARNESS/guest" || rc=$?
echo "HARNESS: exit $rc"
echo "HARNESS: end"
