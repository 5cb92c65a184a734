#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots one named scenario and judges it.
#
# usage: scenario.sh NAME KERNEL(patched|base) GUEST-SCENARIO [options]
#   --modes LETTERS (default hh): a letter per CPU, so also how many CPUs
#   QEMU has: the mode that CPU enters the kernel in. h: HYP; s: SVC; and,
#   --via fw only, o: SVC at its first entry, HYP at every later one; l: HYP
#   at its first entry, SVC at every later one (a resume from an idle
#   power-down, a CPU_ON after hotplug). Every other --via enters all CPUs
#   alike. From it come QEMU's entry mode (qemu.sh --entry), the firmware's
#   masks, and what the guest is told to expect (harness.expect: hyp, svc
#   or mixed; harness.svc_cpus; harness.cpus).
#   --via kernel|uboot|uefi|fw, --config NAME (build/NAME),
#   --cpu cortex-a15|cortex-a7, --mem SIZE, --timeout S (qemu.sh's),
#   --cmdline WORD (added to the kernel command line; may repeat),
#   --image zImage|Image (Image: the uncompressed kernel, straight into
#   head.S, wrapped as a uImage that QEMU loads at RAM + 0x8000),
#   --hibernate 1 (two runs on one swap disk: the second resumes the image),
#   --idle 1 (--via fw: the device tree gives every CPU a PSCI power-down
#   idle state, which cpuidle enters through our firmware's CPU_SUSPEND),
#   --dt-cpus LIST (--via fw: the device tree lists only these CPUs, say
#   0,2,3; QEMU gets one per letter of --modes, the guest expects as many
#   as listed),
#   --wrong-mpidr MASK (--via fw: the device tree gives these CPUs an
#   MPIDR with Aff1 = 1, which they lack: they enter unrecorded),
#   --layer 1|2|3|4|5 (--via fw: scenario 2, the firmware keeps a resident
#   HYP layer for every CPU it enters in SVC and the device tree says so; 2:
#   the device tree says so, but there is no layer and HVC is undefined; 3:
#   the layer's memory is reserved without no-map; 4: the node names
#   another no-map region than the layer's; 5: the layer at each CPU's
#   first entry only, HVC undefined when it comes back; the guest is told
#   as harness.layer),
#   --dump 1 (a big-endian kernel: the guest only dumps what the boot checks
#   read, the host runs them, see dumped.sh; GUEST-SCENARIO must be boot),
#   --interactive 1 (qemu.sh's: the console on this terminal)
# The rows of tools/harness/catalogue are these arguments.
# Writes build/logs/boot/[base-]NAME.log and build/results/[base-]NAME.ktap:
# the judge's tree of the boot as a KTAP subtest (judge.py --ktap), then
# "RESULT passed failed skipped verdict" and "TIME seconds". What the host
# found goes in LOG.host beside the log, never into it.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

name=$1 kernel=$2 guest=$3
shift 3
prefix=
[ "$kernel" = base ] && prefix=base-
log=$BUILD/logs/boot/$prefix$name.log
res=$BUILD/results/$prefix$name.ktap
mkdir -p "$(dirname "$res")"

modes=hh via=kernel config=test image=zImage extra='' hibernate=0 dump=0
dt_cpus='' idle=0 layer=0 mem=256
opts=()
while [ $# -gt 1 ]; do
	case $1 in
	--modes) modes=$2; shift 2; continue ;;
	--via) via=$2; shift 2; continue ;;
	--config) config=$2; shift 2; continue ;;
	--cmdline) extra+=" $2"; shift 2; continue ;;
	--image) image=$2; shift 2; continue ;;
	--hibernate) hibernate=$2; shift 2; continue ;;
	--dump) dump=$2; shift 2; continue ;;
	--dt-cpus) dt_cpus=$2; shift 2; continue ;;
	--idle) idle=$2; shift 2; continue ;;
	--layer) layer=$2; shift 2; continue ;;
	--wrong-mpidr) export FW_AFF1_CPUS=$2; shift 2; continue ;;
	--cpu) model=$2 ;;
	--mem) mem=$2 ;;
	--timeout | --interactive) ;;
	*) die "scenario.sh: unknown option $1" ;;
	esac
	opts+=("$1" "$2")
	shift 2
done
[ $# = 0 ] || die "scenario.sh: option $1 has no value"
# modes_mask LETTER: the CPUs --modes gives that letter, as a mask.
modes_mask() {
	local i mask=0
	for ((i = 0; i < ${#modes}; i++)); do
		[ "${modes:i:1}" != "$1" ] || mask=$((mask | 1 << i))
	done
	printf '0x%x' "$mask"
}
[[ $modes =~ ^[hslo]{1,8}$ ]] || die "scenario.sh: --modes '$modes': a letter per CPU, each h, s, o or l"
cpus=${#modes}
svc_cpus=$(modes_mask s) svc_once=$(modes_mask o) svc_later=$(modes_mask l)
# QEMU's entry mode; through our firmware, the firmware picks each CPU's.
case $via:$modes in
fw:*) qmode=hyp ;;
*:*[ol]*) die "scenario.sh: --modes '$modes': o and l are for --via fw" ;;
*:*h*s* | *:*s*h*) die "scenario.sh: --modes '$modes': only our firmware (--via fw) enters CPUs in different modes" ;;
*:h*) qmode=hyp ;;
*) qmode=svc ;;
esac
# What the guest expects: the mode at each CPU's first entry.
guest_cpus=$cpus guest_svc=$svc_cpus
if [ "$svc_once" != 0x0 ]; then
	[ "$svc_cpus" = 0x0 ] || die "scenario.sh: --modes '$modes': o is not for a boot with s"
	guest_expect=mixed guest_svc=$svc_once
elif [[ $modes =~ ^[hl]+$ ]]; then
	guest_expect=hyp
elif [[ $modes =~ ^s+$ ]]; then
	guest_expect=svc
else
	guest_expect=mixed
fi
if [ "$svc_later" != 0x0 ] && [ "$svc_cpus" != 0x0 ]; then
	die "scenario.sh: --modes '$modes': l is not for a boot with s"
fi
if [ "$kernel" = base ]; then
	img=$BUILD/base/$config/arch/arm/boot/zImage
else
	img=$BUILD/$config/arch/arm/boot/zImage
fi

# check.sh packs the initramfs once for all its boots (INITRAMFS_READY=1).
[ "${INITRAMFS_READY:-0}" = 1 ] || "$HARNESS/initramfs.sh" >/dev/null
if [ "$image" = Image ]; then
	raw=${img%/zImage}/Image
	img=$raw.uimg
	if [ ! -f "$img" ] || [ "$raw" -nt "$img" ]; then
		# Boots run two at a time: the file appears whole or not at all.
		mkimage -A arm -O linux -T kernel -C none -a 0x40008000 -e 0x40008000 \
			-n "Linux Image" -d "$raw" "$img.$$" >/dev/null
		mv -f "$img.$$" "$img"
	fi
fi
if [ "$layer" != 0 ] && [ "$via" != fw ]; then
	die "scenario.sh: --layer is for --via fw"
fi
if [ -n "$dt_cpus" ]; then
	[ "$via" = fw ] || die "scenario.sh: --dt-cpus is for --via fw"
	guest_cpus=$(tr ',' '\n' <<<"$dt_cpus" | grep -c .)
fi
cmdline="harness.scenario=$guest harness.expect=$guest_expect harness.cpus=$guest_cpus"
cmdline+=" harness.kernel=$kernel harness.config=$config harness.svc_cpus=$guest_svc"
cmdline+=" harness.layer=$layer$extra"
initrd=$BUILD/initramfs.cpio
if [ "$dump" = 1 ]; then
	if [ "$guest" != boot ] || [ "$via" != kernel ]; then
		die "scenario.sh: --dump is for plain boots"
	fi
	initrd=$BUILD/initramfs-dump.cpio
fi
boot=(--kernel "$img" --initrd "$initrd" --append "$cmdline")
case $via in
kernel) ;;
uboot)
	# Debian's U-Boot, distro boot from extlinux.conf on a virtio disk.
	disk=$BUILD/disks/$prefix$name.img
	mkdir -p "$(dirname "$disk")"
	"$HARNESS/disk.sh" uboot "$img" "$BUILD/initramfs.cpio" "console=ttyAMA0 panic=-1 $cmdline" "$disk"
	boot=(--bios /usr/lib/u-boot/qemu_arm/u-boot.bin --disk "$disk")
	;;
uefi)
	# Debian's EDK2: the kernel's EFI stub from an EFI system partition.
	disk=$BUILD/disks/$prefix$name.img
	mkdir -p "$(dirname "$disk")"
	"$HARNESS/disk.sh" uefi "$img" "$BUILD/initramfs.cpio" "console=ttyAMA0 panic=-1 $cmdline" "$disk"
	boot=(--uefi "$BUILD/disks/$prefix$name.vars" --disk "$disk")
	;;
fw)
	# Our firmware: Secure SVC at reset, each CPU handed to the kernel in
	# HYP or in SVC as --modes says, PSCI from its Monitor mode.
	dtb=$BUILD/disks/$prefix$name.dtb
	mkdir -p "$(dirname "$dtb")"
	FW_MEM=$mem "$HARNESS/fw.sh" dtb "$cpus" "${model:-cortex-a15}" "$BUILD/initramfs.cpio" \
		"console=ttyAMA0 panic=-1 $cmdline" "$dtb" "$dt_cpus" "$idle" "$layer"
	boot=(--fw "$BUILD/fw/fw.bin")
	while read -r opt spec; do
		boot+=("$opt" "$spec")
	done < <("$HARNESS/fw.sh" loads "$img" "$BUILD/initramfs.cpio" "$dtb" "$svc_cpus" "$svc_once" "$layer" "$svc_later")
	;;
*) die "scenario.sh: --via must be kernel, uboot, uefi or fw" ;;
esac

t0=$(date +%s.%N)
# What the host finds goes beside the serial log, never into it (the judge
# reads LOG.host: "ok NAME", "not ok NAME", "# text"); qemu.sh's timeout too.
rm -f "$log.host" "$log.1" "$log.2" "$log.1.host" "$log.2.host" "$log.dumped"
rc=0
if [ "$hibernate" = 1 ]; then
	# Run 1 hibernates to the disk and powers off; run 2 restores.
	swap=$BUILD/disks/$prefix$name.swap
	mkdir -p "$(dirname "$swap")"
	rm -f "$swap"
	truncate -s 128M "$swap"
	"$HARNESS/qemu.sh" "${boot[@]}" --disk "$swap" --entry "$qmode" --cpus "$cpus" \
		"${opts[@]}" "$log.1" || rc=$?
	if [ "$rc" != 2 ]; then
		rc=0
		"$HARNESS/qemu.sh" --kernel "$img" --initrd "$BUILD/initramfs.cpio" \
			--append "$cmdline resume=/dev/vda harness.run=2" --disk "$swap" \
			--entry "$qmode" --cpus "$cpus" "${opts[@]}" "$log.2" || rc=$?
	fi
	cat "$log.1" "$log.2" >"$log" 2>/dev/null || true
	cat "$log.1.host" "$log.2.host" >"$log.host" 2>/dev/null || true
	# Run 1 wrote the image and powered off; run 2 loaded it, and only
	# then did the guest's script carry on.
	if sed -n '/^HARNESS: next/,$p' "$log.1" | grep -q 'reboot: Power down' &&
	   ! grep -q '^HARNESS: begin resumed' "$log.1" &&
	   sed -n '/PM: Image loading done/,$p' "$log.2" 2>/dev/null | grep -q '^HARNESS: begin resumed'; then
		echo "ok image_written_then_restored" >>"$log.host"
	else
		echo "not ok image_written_then_restored" >>"$log.host"
	fi
else
	"$HARNESS/qemu.sh" "${boot[@]}" --entry "$qmode" --cpus "$cpus" "${opts[@]}" "$log" || rc=$?
	if [ "$guest" = jailhouse ] && [ "$kernel" = patched ] && [ ! -f "$BUILD/jh/absent" ]; then
		# The hypervisor writes its banner to the UART itself; a boot
		# locked from the start must never reach it.
		banner=0
		grep -q '^Initializing Jailhouse hypervisor' "$log" && banner=1
		want=1
		[[ $extra == *harness.jh=locked* ]] && want=0
		if [ "$banner" = "$want" ]; then
			echo "ok jailhouse_banner_on_console_$want" >>"$log.host"
		else
			echo "not ok jailhouse_banner_on_console_$want" >>"$log.host"
		fi
	fi
	if [ "$dump" = 1 ]; then
		# dumped.sh makes the document the guest could not, from what
		# it dumped: LOG.dumped, which the judge reads after the log.
		"$HARNESS/dumped.sh" "$log" "$BUILD/dumps/$prefix$name" >"$log.dumped"
	fi
fi
t1=$(date +%s.%N)
# The judge's tree as a KTAP subtest, then "RESULT p f s verdict"; it exits
# 1 when the boot fails, 2 when it cannot judge. Without its RESULT line the
# boot fails, with the reason.
jrc=0
"$HARNESS/judge.py" --ktap "$log" >"$res.tmp" || jrc=$?
grep -q '^RESULT ' "$res.tmp" ||
	echo "RESULT 0 0 0 fail judge.py gave no verdict (exit $jrc): make judge LOG=$log" >>"$res.tmp"
printf 'TIME %.1f\n' "$(echo "$t1 - $t0" | bc)" >>"$res.tmp"
mv -f "$res.tmp" "$res"
