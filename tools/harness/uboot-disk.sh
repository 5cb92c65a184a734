#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes a disk image U-Boot's distro boot finds: an MBR with one bootable
# FAT partition at 1 MiB holding the kernel, the initramfs and
# extlinux/extlinux.conf. No root mounts (sfdisk + mtools).
#
# usage: uboot-disk.sh ZIMAGE INITRD CMDLINE OUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"

zimage=$1 initrd=$2 cmdline=$3 out=$4
tmp=$out.tmp
rm -f "$tmp"
truncate -s 48M "$tmp"
echo 'start=2048, type=c, bootable' | sfdisk -q "$tmp"
mformat -i "$tmp@@1M" -v HYPBOOT -N 0 ::
mmd -i "$tmp@@1M" ::/extlinux
cat >"$out.conf" <<CONF
default hyp
timeout 0
label hyp
	kernel /zImage
	initrd /initramfs.cpio
	append $cmdline
CONF
mcopy -i "$tmp@@1M" "$out.conf" ::/extlinux/extlinux.conf
mcopy -i "$tmp@@1M" "$zimage" ::/zImage
mcopy -i "$tmp@@1M" "$initrd" ::/initramfs.cpio
mv "$tmp" "$out"
