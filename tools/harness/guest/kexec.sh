# SPDX-License-Identifier: GPL-2.0
# Helpers for guest scenarios that kexec (sourced by busybox sh).

# The running root file system as a new initramfs. The mount points and
# /dev/console come in a second archive: the first skips what is mounted
# there, and devtmpfs hides the node the first initramfs had.
pack_rootfs() {
	mkdir -p /tmp/devroot/dev /tmp/devroot/proc /tmp/devroot/sys /tmp/devroot/tmp &&
	mknod /tmp/devroot/dev/console c 5 1 &&
	(cd / && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp \) \
		-prune -o -print | cpio -o -H newc 2>/dev/null) >/tmp/next.cpio &&
	(cd /tmp/devroot && find . | cpio -o -H newc 2>/dev/null) >>/tmp/next.cpio
}
