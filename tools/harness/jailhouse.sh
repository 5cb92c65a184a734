#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Jailhouse, the real hypervisor the Jailhouse boots run: built from its
# source (never part of the project) with our port applied
# (jailhouse/0001-port-to-the-arm-hyp-stub-api.patch), against the patched
# test kernel: the driver, the hypervisor (jailhouse.bin), root-cell configs
# for 2 and 4 CPUs (jailhouse/derive-configs.sh) and a static armhf
# `jailhouse` tool, into build/jh/guest/patched/ for the initramfs. For the
# baseline column the unmodified driver is built against the unpatched
# kernel too; it does not link, and what modpost said goes to
# build/jh/guest/base-build.txt for the baseline boots to report.
#
# The source: JAILHOUSE_SRC (a tarball or an unpacked tree), by default
# ../shared/third_party/jailhouse-v0.12-324-ge57d1eff.tar.gz beside the
# clone. Without it nothing is built and build/jh/absent says why: the
# Jailhouse boots then report SKIP with that reason.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

src=${JAILHOUSE_SRC:-$TOP/../shared/third_party/jailhouse-v0.12-324-ge57d1eff.tar.gz}
out=$BUILD/jh
here=$HARNESS/jailhouse
mkdir -p "$out"

if [ ! -e "$src" ]; then
	rm -rf "$out/guest"
	echo "no Jailhouse source at $src (set JAILHOUSE_SRC=)" >"$out/absent"
	echo "== jailhouse: $(cat "$out/absent"): its boots will SKIP"
	exit 0
fi
rm -f "$out/absent"

# unpack TREE: a fresh copy of the source in TREE (no .git: the build then
# takes its version from the VERSION file).
unpack() {
	rm -rf "$1"
	mkdir -p "$1"
	if [ -d "$src" ]; then
		cp -a "$src/." "$1/"
		rm -rf "$1/.git"
	else
		tar -C "$1" --strip-components=1 -xzf "$src"
	fi
}

# build TREE KDIR LOG: Jailhouse's own make, the tool linked statically.
# Its version script asks git: the ceiling keeps it from finding our
# repository around build/, so it reads the tree's VERSION instead.
build() {
	GIT_CEILING_DIRECTORIES=$out make -C "$1" KDIR="$2" ARCH=arm CROSS_COMPILE="$CROSS" \
		EXTRA_CFLAGS=-static >"$3" 2>&1
}

base_kdir=$BUILD/base/test
stamp=$( {
	if [ -d "$src" ]; then find "$src" -type f ! -path '*/.git/*' | sort | xargs sha256sum
	else sha256sum "$src"; fi
	sha256sum "$here"/* "$0" "$BUILD/test/Module.symvers"
	[ ! -f "$base_kdir/Module.symvers" ] || sha256sum "$base_kdir/Module.symvers"
} | sha256sum | cut -c1-64)
if [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ] && [ -d "$out/guest/patched" ]; then
	echo "== jailhouse: up to date"
	exit 0
fi

stage_begin "jailhouse: port, driver, hypervisor, cells, tool"
rm -rf "$out/guest" "$out/stamp"
tree=$out/patched
unpack "$tree"
patch -d "$tree" -p1 --no-backup-if-mismatch -s <"$here/0001-port-to-the-arm-hyp-stub-api.patch"
"$here/derive-configs.sh" "$tree" >/dev/null
build "$tree" "$BUILD/test" "$out/patched.log" ||
	die "Jailhouse did not build against the patched kernel (log: $out/patched.log)"
mkdir -p "$out/guest/patched"
for f in driver/jailhouse.ko hypervisor/jailhouse.bin tools/jailhouse \
	 configs/arm/qemu-arm-2cpu.cell configs/arm/qemu-arm-4cpu.cell; do
	[ -f "$tree/$f" ] || die "Jailhouse built no $f (log: $out/patched.log)"
	cp "$tree/$f" "$out/guest/patched/"
done
lines=$(grep -c '^[-+][^-+]' "$here/0001-port-to-the-arm-hyp-stub-api.patch")

# The baseline: the driver as Jailhouse ships it, on unpatched 6.1.
if [ -f "$base_kdir/Module.symvers" ]; then
	tree=$out/base
	unpack "$tree"
	"$here/derive-configs.sh" "$tree" >/dev/null
	if build "$tree" "$base_kdir" "$out/base.log"; then
		mkdir -p "$out/guest/base"
		cp "$tree/driver/jailhouse.ko" "$out/guest/base/"
		echo "the unmodified driver built on unpatched 6.1" >"$out/guest/base-build.txt"
	else
		grep -E 'undefined!|error:' "$out/base.log" | sed 's|.*ERROR: ||' |
			head -n 8 >"$out/guest/base-build.txt" || true
	fi
fi
echo "$stamp" >"$out/stamp"
stage_end "port: $lines lines changed; $(stat -c %s "$out/guest/patched/jailhouse.bin") B hypervisor"
