#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes a disk image for Debian's EDK2 (AAVMF32): an EFI system partition
# with the zImage (an EFI application through the kernel's EFI stub), the
# initramfs, and a startup.nsh that the UEFI shell runs to start it with
# our command line (the EFI stub loads initrd= itself). No root mounts.
#
# usage: uefi-disk.sh ZIMAGE INITRD CMDLINE OUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"

zimage=$1 initrd=$2 cmdline=$3 out=$4
tmp=$out.tmp
rm -f "$tmp"
truncate -s 48M "$tmp"
echo 'start=2048, type=ef' | sfdisk -q "$tmp"
mformat -i "$tmp@@1M" -v ESP -N 0 ::
printf 'fs0:\r\nzImage.efi %s initrd=\\initramfs.cpio\r\n' "$cmdline" >"$out.nsh"
mcopy -i "$tmp@@1M" "$out.nsh" ::/startup.nsh
mcopy -i "$tmp@@1M" "$zimage" ::/zImage.efi
mcopy -i "$tmp@@1M" "$initrd" ::/initramfs.cpio
mv "$tmp" "$out"
