#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes a boot disk for a firmware path: an MBR with one FAT partition at
# 1 MiB holding the kernel, the initramfs and what the firmware reads to
# start them. No root mounts (sfdisk + mtools).
#   uboot: bootable FAT partition with extlinux/extlinux.conf, found by
#          Debian U-Boot's distro boot
#   uefi:  EFI system partition with the zImage as an EFI application (the
#          kernel's EFI stub) and a startup.nsh, run by EDK2's UEFI shell;
#          the EFI stub loads initrd= itself
#
# usage: disk.sh uboot|uefi ZIMAGE INITRD CMDLINE OUT
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

kind=$1 zimage=$2 initrd=$3 cmdline=$4 out=$5
case $kind in
uboot) ptype='type=c, bootable' label=HYPBOOT kname=zImage ;;
uefi) ptype='type=ef' label=ESP kname=zImage.efi ;;
*) die "disk.sh: uboot or uefi, not '$kind'" ;;
esac

tmp=$out.tmp
rm -f "$tmp"
truncate -s 48M "$tmp"
echo "start=2048, $ptype" | sfdisk -q "$tmp"
mformat -i "$tmp@@1M" -v "$label" -N 0 ::
mcopy -i "$tmp@@1M" "$zimage" "::/$kname"
mcopy -i "$tmp@@1M" "$initrd" ::/initramfs.cpio
if [ "$kind" = uboot ]; then
	mmd -i "$tmp@@1M" ::/extlinux
	printf 'default hyp\ntimeout 0\nlabel hyp\n\tkernel /zImage\n\tinitrd /initramfs.cpio\n\tappend %s\n' \
		"$cmdline" >"$out.conf"
	mcopy -i "$tmp@@1M" "$out.conf" ::/extlinux/extlinux.conf
else
	printf 'fs0:\r\nzImage.efi %s initrd=\\initramfs.cpio\r\n' "$cmdline" >"$out.conf"
	mcopy -i "$tmp@@1M" "$out.conf" ::/startup.nsh
fi
mv "$tmp" "$out"
