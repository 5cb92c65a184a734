#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots one scenario under QEMU virt and saves its serial log.
#
# usage: qemu.sh [options] LOG
#   --entry hyp|svc    the mode QEMU enters every CPU in: virtualization=on
#                      (HYP) or plain (SVC)
#   --cpus N           -smp N (default 2)
#   --cpu MODEL        cortex-a15 (default) or cortex-a7
#   --mem SIZE         -m SIZE (default 256; Jailhouse's QEMU config wants 1G)
#   --kernel FILE      kernel image for -kernel
#   --initrd FILE      initramfs for -initrd
#   --append STR       kernel command line (console= is added)
#   --bios FILE        firmware for -bios instead of -kernel
#   --uefi VARS        Debian's EDK2 (AAVMF32) in pflash, its variable store
#                      a fresh copy at VARS
#   --disk FILE        a raw virtio disk
#   --fw FILE          our test firmware (tools/harness/fw) for -bios, on a
#                      secure=on machine with semihosting for its power-off
#   --load SPEC        a QEMU generic loader (-device loader,SPEC); may repeat
#   --timeout S        hard limit in seconds (default 60)
#   --interactive 1    the console on this terminal (-serial mon:stdio, no
#                      time limit), copied to LOG: make boot SHELL=1
# Exit: 0 when the guest reached "HARNESS: end", 2 on timeout, 1 otherwise.
# A timeout is noted in LOG.host ("# timeout after S s"), beside the serial
# log and never in it: QEMU may have stopped mid-line.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

entry=hyp cpus=2 cpu=cortex-a15 kernel='' initrd='' append='' bios='' uefi='' disk='' timeout=60
fw='' loads=() mem=256 interactive=0
while [ $# -gt 1 ]; do
	case $1 in
	--fw) fw=$2 ;;
	--load) loads+=(-device "loader,$2") ;;
	--entry) entry=$2 ;;
	--cpus) cpus=$2 ;;
	--cpu) cpu=$2 ;;
	--mem) mem=$2 ;;
	--interactive) interactive=$2 ;;
	--kernel) kernel=$2 ;;
	--initrd) initrd=$2 ;;
	--append) append=$2 ;;
	--bios) bios=$2 ;;
	--uefi) uefi=$2 ;;
	--disk) disk=$2 ;;
	--timeout) timeout=$2 ;;
	*) die "qemu.sh: unknown option $1" ;;
	esac
	shift 2
done
log=${1:?usage: qemu.sh [options] LOG}

machine=virt
case $entry in
hyp) machine=virt,virtualization=on ;;
svc) ;;
*) die "qemu.sh: --entry must be hyp or svc" ;;
esac
# Our firmware starts in Secure SVC and decides each CPU's mode itself.
[ -z "$fw" ] || machine=virt,secure=on,virtualization=on

# -nic none: no test uses a network, and virt's default NIC would need
# an option ROM from ipxe-qemu (and make EDK2 wait for PXE).
args=(-M "$machine" -cpu "$cpu" -smp "$cpus" -m "$mem" -nic none -display none -monitor none
      -no-reboot)
if [ -n "$uefi" ]; then
	cp /usr/share/AAVMF/AAVMF32_VARS.fd "$uefi"
	args+=(-drive "if=pflash,format=raw,file=/usr/share/AAVMF/AAVMF32_CODE.fd,readonly=on"
	       -drive "if=pflash,format=raw,file=$uefi")
elif [ -n "$fw" ]; then
	args+=(-bios "$fw" -semihosting-config "enable=on,target=native" "${loads[@]}")
elif [ -n "$bios" ]; then
	args+=(-bios "$bios")
else
	# panic=-1 with -no-reboot: a guest that panics ends QEMU at once.
	args+=(-kernel "$kernel" -append "console=ttyAMA0 panic=-1 $append")
	[ -n "$initrd" ] && args+=(-initrd "$initrd")
fi
if [ -n "$disk" ]; then
	args+=(-drive "if=none,file=$disk,format=raw,id=hd0" -device "virtio-blk-device,drive=hd0")
fi

# keys_for_uefi: the serial input of a UEFI boot. EDK2's shell counts 5 s
# down before it runs startup.nsh; any key but ESC starts it at once.
keys_for_uefi() {
	local i
	for i in $(seq 1 $((timeout * 10))); do
		if grep -aq 'startup\.nsh.*any other key' "$log"; then
			printf '\r'
			break
		fi
		sleep 0.1
	done
	# Hold the line open until QEMU is done (the caller ends us then).
	sleep "$timeout"
}

mkdir -p "$(dirname "$log")"
: >"$log"
[ "$V" = 1 ] && echo "   qemu-system-arm ${args[*]}"
rc=0
if [ "$interactive" = 1 ]; then
	# Ctrl-A X leaves QEMU; the guest's poweroff -f ends it too.
	qemu-system-arm "${args[@]}" -serial mon:stdio | tee "$log" || rc=$?
elif [ -n "$uefi" ]; then
	exec {keys}< <(keys_for_uefi)
	feeder=$!
	timeout --kill-after=5 "$timeout" qemu-system-arm "${args[@]}" -serial stdio \
		<&"$keys" >"$log" 2>"$log.qemu" || rc=$?
	kill "$feeder" 2>/dev/null || true
	exec {keys}<&-
else
	timeout --kill-after=5 "$timeout" qemu-system-arm "${args[@]}" -serial "file:$log" \
		</dev/null >"$log.qemu" 2>&1 || rc=$?
fi
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "# timeout after $timeout s" >>"$log.host"
	exit 2
fi
grep -q '^HARNESS: end' "$log" || exit 1
exit 0
