#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Packs build/initramfs.cpio: busybox-static (armhf), the guest init, KTAP
# helpers and scenarios, and any test binaries under build/guest-bin/.
# And build/initramfs-dump.cpio for big-endian kernels: guest/dump.c as
# /init, built big-endian with the kernel's nolibc (see dumped.sh).
# Same inputs, same bytes: fixed owners, modes, timestamps and order.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

out=$BUILD/initramfs.cpio
list=$BUILD/initramfs.list
gen=$BUILD/tools/gen_init_cpio
guest=$HARNESS/guest
busybox=$SHARED/armhf/root/bin/busybox

[ -x "$busybox" ] || "$HARNESS/deps.sh"
[ -d "$SRC" ] || "$HARNESS/queue.sh" tree
stage_begin initramfs

# The kselftest, cross-built statically the kselftest way.
kst=$BUILD/kselftest
mkdir -p "$kst" "$BUILD/guest-bin"
run_logged "$kst/build.log" make -C "$SRC/tools/testing/selftests/arm/hyp" \
	ARCH=arm CROSS_COMPILE="$CROSS" LDFLAGS=-static OUTPUT="$kst"
if grep -E 'warning:|error:' "$kst/build.log"; then
	die "the kselftest does not build cleanly (log: $kst/build.log)"
fi
cp -p "$kst/hyp_stub" "$BUILD/guest-bin/hyp_stub"

# The dump init: no libc, so it has the kernel's byte order (BE8).
dump=$BUILD/guest-dump/init
mkdir -p "$(dirname "$dump")"
"${CROSS}gcc" -mbig-endian -march=armv7ve+fp -marm -Os -Wall -Werror -static -nostdlib \
	-ffreestanding -fno-stack-protector -include "$SRC/tools/include/nolibc/nolibc.h" \
	-Wl,--be8 -s -o "$dump" "$guest/dump.c"

if [ ! -x "$gen" ] || [ "$SRC/usr/gen_init_cpio.c" -nt "$gen" ]; then
	mkdir -p "$(dirname "$gen")"
	cc -O2 -o "$gen" "$SRC/usr/gen_init_cpio.c"
fi

{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	for d in /proc /sys /tmp /bin /sbin /usr /usr/bin /usr/sbin /harness /harness/scenarios \
		 /harness/bin /harness/modules; do
		echo "dir $d 0755 0 0"
	done
	echo "file /bin/busybox $busybox 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	echo "file /init $guest/init 0755 0 0"
	echo "file /harness/ktap.sh $guest/ktap.sh 0644 0 0"
	echo "file /harness/suites.sh $guest/suites.sh 0644 0 0"
	echo "file /harness/checks.sh $guest/checks.sh 0644 0 0"
	echo "file /harness/kexec.sh $guest/kexec.sh 0644 0 0"
	# Each patched kernel's modules, under its config's name: a module
	# only loads into the kernel it was built with.
	for d in "$BUILD"/*/; do
		cfg=$(basename "$d")
		if [ ! -f "$d/.config" ] || [ ! -f "$d/Module.symvers" ]; then
			continue
		fi
		mods=$(find "$d" -name '*.ko' | sort)
		[ -n "$mods" ] || continue
		echo "dir /harness/modules/$cfg 0755 0 0"
		for f in $mods; do
			echo "file /harness/modules/$cfg/$(basename "$f") $f 0644 0 0"
		done
	done
	for f in "$guest"/scenarios/*; do
		echo "file /harness/scenarios/$(basename "$f") $f 0755 0 0"
	done
	# kexec and the shared libraries it needs, found through NEEDED.
	kexec_cpio_lines
	# The test kernels, patched and baseline, for the kexec chain to start
	# again in the kernel it runs: /harness/kernels/KERNEL/CONFIG.zImage.
	echo "dir /harness/kernels 0755 0 0"
	for k in patched base; do
		d=$BUILD/test
		[ $k = patched ] || d=$BUILD/base/test
		[ -f "$d/arch/arm/boot/zImage" ] || continue
		echo "dir /harness/kernels/$k 0755 0 0"
		echo "file /harness/kernels/$k/test.zImage $d/arch/arm/boot/zImage 0644 0 0"
	done
	# Jailhouse (jailhouse.sh), when its source was found: the patched
	# driver, tool and cells, the hypervisor as firmware, and what the
	# unmodified driver's build said on unpatched 6.1; else why not.
	jh=$BUILD/jh
	echo "dir /harness/jailhouse 0755 0 0"
	if [ -d "$jh/guest/patched" ]; then
		echo "dir /harness/jailhouse/patched 0755 0 0"
		for f in "$jh"/guest/patched/*; do
			echo "file /harness/jailhouse/patched/$(basename "$f") $f 0755 0 0"
		done
		echo "dir /lib/firmware 0755 0 0"
		echo "file /lib/firmware/jailhouse.bin $jh/guest/patched/jailhouse.bin 0644 0 0"
		[ ! -f "$jh/guest/base-build.txt" ] ||
			echo "file /harness/jailhouse/base-build.txt $jh/guest/base-build.txt 0644 0 0"
	elif [ -f "$jh/absent" ]; then
		echo "file /harness/jailhouse/absent $jh/absent 0644 0 0"
	fi
	if [ -d "$BUILD/guest-bin" ]; then
		find "$BUILD/guest-bin" -type f | sort | while read -r f; do
			echo "file /harness/bin/$(basename "$f") $f 0755 0 0"
		done
	fi
} >"$list.new"

# pack LIST CPIO: the archive, rewritten only when its bytes change.
pack() {
	"$gen" -t "$SOURCE_DATE_EPOCH" "$1" >"$2.new"
	if cmp -s "$2.new" "$2"; then
		rm "$2.new"
	else
		mv "$2.new" "$2"
	fi
}
mv "$list.new" "$list"
pack "$list" "$out"
printf '%s\n' "dir /dev 0755 0 0" "nod /dev/console 0600 0 0 c 5 1" "dir /proc 0755 0 0" \
	"dir /sys 0755 0 0" "file /init $dump 0755 0 0" >"$BUILD/initramfs-dump.list"
pack "$BUILD/initramfs-dump.list" "$BUILD/initramfs-dump.cpio"
stage_end "$(stat -c %s "$out") B, sha256 $(sha256sum "$out" | cut -c1-12); dump: $(stat -c %s \
	"$BUILD/initramfs-dump.cpio") B"
