#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make boot: the patched kernel under QEMU virt, and a short report of what
# the series is for: the mode each CPU entered in, where its HYP comes
# from, the reference test hypervisor installed through the API on every
# CPU, running at PL2 and handing HYP back, and what the unpatched kernel
# does.
#
# Options (make variables, or the environment), each checked before
# anything is built:
#   MODE=hyp|svc        the mode QEMU (or the firmware) enters the CPUs in
#   CPUS=1..4           how many CPUs
#   CPU=cortex-a15|cortex-a7
#   VIA=kernel|uboot|uefi|fw|layer
#                       QEMU -kernel; Debian's U-Boot; Debian's EDK2 (SVC
#                       only); our test firmware; our firmware with its
#                       resident HYP layer (scenario 2: SVC only)
#   BASE=1              the unpatched kernel, for comparison
#   KBASE=6.1|6.12      the base: Debian's linux-source-6.1 (default) or
#                       linux-source-6.12
#   JAILHOUSE=1         also enable and disable Jailhouse (VIA=kernel|fw)
#   SHELL=1             end in an interactive busybox shell on the console
#                       (the report first; poweroff -f or Ctrl-A X leaves)
# (make hands SHELL= over as BOOT_SHELL: SHELL is make's own.)
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

MODE=${MODE:-hyp} CPUS=${CPUS:-2} CPU=${CPU:-cortex-a15} VIA=${VIA:-kernel}
BASE=${BASE:-0} JAILHOUSE=${JAILHOUSE:-0} BOOT_SHELL=${BOOT_SHELL:-0}

bad() { die "make boot: $*"; }
case $MODE in hyp | svc) ;; *) bad "MODE=$MODE: MODE must be hyp or svc" ;; esac
case $CPUS in [1-4]) ;; *) bad "CPUS=$CPUS: CPUS must be 1, 2, 3 or 4" ;; esac
case $CPU in cortex-a15 | cortex-a7) ;; *) bad "CPU=$CPU: CPU must be cortex-a15 or cortex-a7" ;; esac
case $VIA in kernel | uboot | uefi | fw | layer) ;;
*) bad "VIA=$VIA: VIA must be kernel, uboot, uefi, fw or layer" ;;
esac
for v in BASE JAILHOUSE BOOT_SHELL; do
	case ${!v} in 0 | 1) ;; *) bad "${v#BOOT_}=${!v}: ${v#BOOT_} must be 0 or 1" ;; esac
done
[ "$VIA" != uefi ] || [ "$MODE" = svc ] ||
	bad "VIA=uefi enters in SVC only (Debian's EDK2 hangs when QEMU starts it in HYP): add MODE=svc"
[ "$VIA" != uboot ] || [ "$MODE" = hyp ] ||
	bad "VIA=uboot boots in HYP only here: use MODE=hyp"
[ "$VIA" != layer ] || [ "$MODE" = svc ] ||
	bad "VIA=layer is scenario 2: the firmware enters every CPU in SVC; add MODE=svc"
[ "$BOOT_SHELL" = 0 ] || [ "$VIA" != uefi ] ||
	bad "SHELL=1 with VIA=uefi: the EDK2 boot needs the console for its own keys"
if [ "$JAILHOUSE" = 1 ]; then
	case $VIA in kernel | fw) ;; *) bad "JAILHOUSE=1 boots VIA=kernel or VIA=fw" ;; esac
	[ "$MODE" = hyp ] || bad "JAILHOUSE=1 needs HYP: MODE=hyp"
	[ "$CPUS" = 2 ] || [ "$CPUS" = 4 ] || bad "JAILHOUSE=1 has cells for 2 and 4 CPUs: CPUS=2 or 4"
fi

"$HARNESS/deps.sh"
"$HARNESS/kernel.sh" test
kernel=patched
if [ "$BASE" = 1 ]; then
	BASE=1 "$HARNESS/kernel.sh" test
	kernel=base
fi
[ "$JAILHOUSE" = 0 ] || "$HARNESS/jailhouse.sh"
"$HARNESS/initramfs.sh"
"$HARNESS/fw.sh" build

# A letter per CPU, each the mode MODE names (scenario.sh --modes).
modes=$(printf "%${CPUS}s" '' | tr ' ' "${MODE:0:1}")
args=(--modes "$modes" --cpu "$CPU" --cmdline "harness.shell=$BOOT_SHELL"
      --cmdline "harness.kbase=$KBASE")
case $VIA in
kernel) ;;
uboot | uefi) args+=(--via "$VIA" --timeout 90) ;;
fw) args+=(--via fw) ;;
layer) args+=(--via fw --layer 1) ;;
esac
[ "$JAILHOUSE" = 0 ] || args+=(--mem 1G --cmdline mem=768M --cmdline harness.jailhouse=1)
[ "$BOOT_SHELL" = 0 ] || args+=(--interactive 1)

name=make-boot
what="$VIA, $MODE entry, $CPUS x $CPU, the $kernel linux-source-$KBASE kernel"
if [ "$BOOT_SHELL" = 1 ]; then
	echo "== boot: $what; the report, then a shell (poweroff -f or Ctrl-A X to leave)"
	INITRAMFS_READY=1 "$HARNESS/scenario.sh" "$name" "$kernel" report "${args[@]}"
	exit 0
fi
stage_begin "boot: $what"
rc=0
INITRAMFS_READY=1 "$HARNESS/scenario.sh" "$name" "$kernel" report "${args[@]}" >/dev/null || rc=$?
prefix=
[ "$kernel" = base ] && prefix=base-
log=$BUILD/logs/boot/$prefix$name.log
stage_end "serial log: $log"
echo
echo "Boot-mode report:"
sed -n '/^HARNESS: begin/,/^HARNESS: end/p' "$log" | grep -v '^HARNESS:' | sed 's/^/  /'
if [ "$rc" != 0 ] || ! grep -q '^HARNESS: end' "$log"; then
	tail -n 30 "$log" >&2
	die "the boot did not complete (log: $log)"
fi
