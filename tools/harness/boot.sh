#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make boot: the patched kernel, entered in HYP on 2 CPUs under QEMU virt,
# and a short report of what it says about the mode each CPU started in.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

"$HARNESS/deps.sh"
"$HARNESS/kernel.sh" test
"$HARNESS/initramfs.sh"

log=$BUILD/logs/boot/make-boot.log
stage_begin "boot: QEMU virt, virtualization=on (HYP entry), 2 x cortex-a15"
rc=0
"$HARNESS/qemu.sh" --mode hyp --cpus 2 --kernel "$BUILD/test/arch/arm/boot/zImage" \
	--initrd "$BUILD/initramfs.cpio" --append "harness.scenario=report" "$log" || rc=$?
stage_end "serial log: $log"
echo
echo "Boot-mode report:"
sed -n '/^HARNESS: begin/,/^HARNESS: end/p' "$log" | grep -v '^HARNESS:' | sed 's/^/  /'
if [ "$rc" != 0 ]; then
	tail -n 30 "$log" >&2
	die "the boot did not complete (log: $log)"
fi
