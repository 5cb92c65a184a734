#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host-side checks of the series, one per call (each is one KTAP test):
#   lint.sh checkpatch        checkpatch.pl --strict on the series' patches:
#                             silent
#   lint.sh kernel-doc        kernel-doc on our C files: no warnings
#   lint.sh objects CONFIG    config CONFIG builds arch/arm/kernel/ (our
#                             code and the files the series patches there);
#                             W=1 and sparse (C=2) on our files report nothing
#   lint.sh zimage CONFIG     config CONFIG builds a whole zImage and its
#                             modules, and the harness's own probe module
#                             (tools/harness/probe/) when it has the stub
#   lint.sh probe CONFIG      the probe module alone, for a kernel built
#   lint.sh shellcheck        the harness scripts are shellcheck clean
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

OUR_C=(arch/arm/kernel/hyp.c arch/arm/kernel/hyp-api.c arch/arm/kernel/hyp-layer.c
       arch/arm/kernel/hyp-sysfs.c arch/arm/kernel/hyp.h arch/arm/kernel/hyp-stub-test.c
       arch/arm/kernel/hyp-testvisor.c arch/arm/kernel/hyp-testvisor.h)
# The decompressor's copy of the stub is not here: built as a single target
# it would miss its directory's flags (-DZIMAGE); the zImages cover it.
OUR_OBJS=(arch/arm/kernel/hyp.o arch/arm/kernel/hyp-api.o arch/arm/kernel/hyp-layer.o
	  arch/arm/kernel/hyp-sysfs.o arch/arm/kernel/hyp-stub.o
	  arch/arm/kernel/hyp-stub-test.o arch/arm/kernel/hyp-testvisor.o
	  arch/arm/kernel/hyp-testvisor-hyp.o)

case ${1:-} in
checkpatch)
	"$HARNESS/queue.sh" tree >/dev/null
	cd "$SRC"
	# The series' patches as make series formats them (signed by the git
	# identity, or by the placeholder if there is none: either way From:
	# and Signed-off-by: agree), without the cover letter, which is no
	# patch.
	lint=$BUILD/lint/series
	rm -rf "$lint"
	git format-patch -q -o "$lint" pristine..series
	patches=("$lint"/0*.patch)
	out=$(perl scripts/checkpatch.pl --strict --no-tree --terse "${patches[@]}" 2>&1 |
		grep -v '^$' || true)
	echo "$out"
	[ -z "$out" ]
	;;
kernel-doc)
	"$HARNESS/queue.sh" tree >/dev/null
	cd "$SRC"
	out=$(perl scripts/kernel-doc -none "${OUR_C[@]}" 2>&1)
	echo "$out"
	[ -z "$out" ]
	;;
objects)
	cfg=${2:?config}
	"$HARNESS/kernel.sh" "$cfg" prepare
	"$HARNESS/kernel.sh" "$cfg" arch/arm/kernel/
	objs=()
	for o in "${OUR_OBJS[@]}"; do
		[ -f "$BUILD/$cfg/$o" ] && objs+=("$o")
	done
	if ! grep -q '^CONFIG_ARM_VIRT_EXT=y' "$BUILD/$cfg/.config"; then
		# Without the stub none of our code may be built in or as a
		# module. What counts is what this build links: the tree may
		# hold objects of an earlier build (the prefix walk builds here
		# with ARM_VIRT_EXT on, before the patch that lets it be off).
		dir=$BUILD/$cfg/arch/arm/kernel
		linked=$({ ar t "$dir/built-in.a"; cat "$dir/modules.order"; } |
			 sed 's|.*/||' | grep -xE 'hyp(-[a-z-]+)?\.o|hyp_stub_kunit\.(o|ko)' || true)
		echo "ARM_VIRT_EXT=n: built in or as modules of ours: ${linked:-nothing}" | tr "\n" " "; echo
		[ -z "$linked" ]
		exit
	fi
	if ! grep -q '^CONFIG_ARM_HYP_API=y' "$BUILD/$cfg/.config"; then
		# Without the API neither it, the layer that serves it nor the
		# suite that tests it may be linked.
		dir=$BUILD/$cfg/arch/arm/kernel
		linked=$({ ar t "$dir/built-in.a"; cat "$dir/modules.order"; } |
			 sed 's|.*/||' | grep -xE 'hyp-(api|layer)\.o|hyp_stub_kunit\.(o|ko)' || true)
		echo "ARM_HYP_API=n: the API, the layer or the suite linked: ${linked:-none}" | tr "\n" " "; echo
		[ -z "$linked" ] || exit 1
	fi
	[ ${#objs[@]} -gt 0 ] || die "config $cfg built none of our objects"
	# Rebuild our objects alone with W=1, and run sparse over them (C=2).
	rm -f "${objs[@]/#/$BUILD/$cfg/}"
	"$HARNESS/kernel.sh" "$cfg" W=1 C=2 "${objs[@]}"
	log=$BUILD/$cfg/build.log
	echo "W=1 C=2 on: ${objs[*]}"
	if grep -E 'warning:|error:' "$log"; then
		exit 1
	fi
	;;
shellcheck)
	cd "$TOP"
	shellcheck -x tools/harness/*.sh .ci/run
	;;
zimage | probe)
	cfg=${2:?config}
	[ "$1" = probe ] || "$HARNESS/kernel.sh" "$cfg" zImage modules
	grep -q '^CONFIG_ARM_VIRT_EXT=y' "$BUILD/$cfg/.config" || exit 0
	# An external module, built in the config's tree: initramfs.sh
	# packs it with that kernel's modules.
	probe=$BUILD/$cfg/harness-probe
	mkdir -p "$probe"
	# Exactly the sources there are: a stale one would be built too.
	for f in "$probe"/*.[chS]; do
		[ ! -e "$f" ] || [ -e "$HARNESS/probe/${f##*/}" ] || rm -f "$f"
	done
	cp -u "$HARNESS"/probe/* "$probe/"
	"$HARNESS/kernel.sh" "$cfg" M="$probe" modules
	;;
*)
	die "usage: lint.sh checkpatch|kernel-doc|shellcheck|objects CONFIG|zimage CONFIG|probe CONFIG"
	;;
esac
