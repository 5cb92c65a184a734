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

# kexec_load_crash: a crash kernel (kexec -p), the running root file system
# as its initramfs, into the memory crashkernel= reserved.
kexec_load_crash() {
	{ [ -f /tmp/next.cpio ] || pack_rootfs; } || return 1
	if ! kexec -p "/harness/kernels/$H_kernel/$H_config.zImage" --initrd=/tmp/next.cpio \
		--dtb=/sys/firmware/fdt --command-line="$(cat /proc/cmdline) maxcpus=1" \
		2>"$HTMP/kexec-p.err"; then
		diag "kexec -p: $(tail -n 1 "$HTMP/kexec-p.err")"
		dmesg | grep 'refused' | sed 's/^/# /' >>"$_ktap_body"
		return 1
	fi
	grep -qx 1 /sys/kernel/kexec_crash_loaded
}

# kexec_load_refused PATTERN: kexec -l of this kernel fails, and the kernel
# logged PATTERN (grep) saying why.
kexec_load_refused() {
	dmesg -c >/dev/null
	{ [ -f /tmp/next.cpio ] || pack_rootfs; } || return 1
	if kexec -l "/harness/kernels/$H_kernel/$H_config.zImage" --initrd=/tmp/next.cpio \
		--dtb=/sys/firmware/fdt --command-line="$(cat /proc/cmdline)" 2>"$HTMP/kexec.err"; then
		diag "kexec -l succeeded"
		return 1
	fi
	diag "kexec -l: $(tail -n 1 "$HTMP/kexec.err")"
	dmesg | grep 'refused' | sed 's/^/# /' >>"$_ktap_body"
	dmesg | grep -q "$1"
}
