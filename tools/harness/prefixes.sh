#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every prefix of the series builds: each patch that changes what a kernel
# build reads (anything but Documentation/, tools/testing/ and MAINTAINERS)
# is built, with the patches before it, in the test config, Thumb-2+LPAE
# and ARM_VIRT_EXT=n, as vmlinux. Each config's .config is the one its full
# build uses, brought to the prefix's Kconfig by olddefconfig: a symbol a
# later patch adds is not there yet.
#
# The prefixes are checked out one after the other in one worktree
# ($PREFIXSRC), so each build only redoes what the patch changed, and the
# configs of one prefix build side by side (each build leaves cores idle
# while make walks the tree and while it links). Two things keep the walk
# from building what another build builds anyway:
#  - A config whose .config at a prefix is the same as an earlier config's
#    (without ARM_VIRT_EXT and the test config, until the patch that lets
#    ARM_VIRT_EXT be turned off) is the same build: it is said, not redone.
#  - Each config walks in build/prefix/<config>/. Thumb-2+LPAE and
#    ARM_VIRT_EXT=n have their whole kernels there too (walked_tree in
#    lib.sh): their walk ends with the series itself, which leaves only
#    zImage and modules to their rows. build/test, the kernel most boots
#    use, is built from build/src and stays as it is.
#
# usage: prefixes.sh [CONFIG...]
#   Prints one line per prefix and config, and fails at the first that
#   does not build, with its log. CONFIGs: the configs to build (default:
#   test thumb2_lpae novirt apioff); 6.12's make check builds the test
#   config.
#   Each config's prefix/CONFIG/sizes.tsv gets vmlinux's text + data at
#   each prefix built (patch number, bytes, subject) under a first line
#   "# series COMMIT": what each patch costs, which make bench reports for
#   the series it measures. Written only once every prefix has built.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

CONFIGS=(test thumb2_lpae novirt apioff)
[ $# -eq 0 ] || CONFIGS=("$@")

"$HARNESS/queue.sh" tree >/dev/null
# The walk owns the worktree until it ends at the series: a build of a
# walked config waits for it (walked_tree in lib.sh).
mkdir -p "$BUILD/prefix"
exec {lock}>"$BUILD/prefix.lock"
flock "$lock"
export PREFIX_WALK=1
wt=$PREFIXSRC
series=$(git -C "$SRC" rev-parse series)
prefix_src_at_series

# outdir CONFIG: where CONFIG walks.
outdir() {
	echo "$BUILD/prefix/$1"
}
# Each config's full .config, as its whole kernel has it. A walked config's
# tree holds a prefix's .config during the walk: without its stamp,
# kernel.sh makes it again if the walk stops half way.
for c in "${CONFIGS[@]}"; do
	if walked_config "$c" || [ ! -f "$BUILD/$c/.config" ]; then
		"$HARNESS/kernel.sh" "$c" olddefconfig >/dev/null
	fi
	cp "$BUILD/$c/.config" "$BUILD/prefix/$c.config"
	! walked_config "$c" || rm -f "$BUILD/$c/.config.stamp"
	mkdir -p "$(outdir "$c")"
	echo "# series $series" >"$BUILD/prefix/$c.sizes.tmp"
done

# make_in NUMBER CONFIG TARGET: make TARGET in CONFIG's tree, logged in
# TARGET-NUMBER.log; its seconds in built.
make_in() {
	local n=$1 c=$2 target=$3 out t0
	out=$(outdir "$c")
	rm -f "$out/built"
	t0=$(date +%s)
	make -C "$wt" O="$out" ARCH=arm CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" \
		HOSTCC="ccache gcc" -j"$(nproc)" "$target" >"$out/$target-$n.log" 2>&1 || return 0
	echo "$(($(date +%s) - t0))" >"$out/built"
}

n=0
total=$(git -C "$SRC" rev-list --count pristine..series)
stage_begin "prefixes: build every prefix of the series"
built=0 same=0
for commit in $(git -C "$SRC" rev-list --reverse pristine..series); do
	n=$((n + 1))
	subject=$(git -C "$SRC" log -1 --format=%s "$commit")
	last=0
	[ "$commit" != "$series" ] || last=1
	if [ $last = 0 ] && [ -z "$(git -C "$SRC" diff --name-only "$commit^" "$commit" -- . \
			':!Documentation' ':!tools/testing' ':!MAINTAINERS')" ]; then
		echo "   $n/$total $subject: nothing a kernel build reads"
		continue
	fi
	git -C "$wt" checkout -q -f --detach "$commit"
	# This prefix's .config of each config; those equal to an earlier
	# one's build once. The series itself is built only where it is a
	# whole kernel's tree (the test config's is build/test).
	todo=() twin=()
	for c in "${CONFIGS[@]}"; do
		out=$(outdir "$c")
		twin+=("")
		if [ $last = 1 ] && ! walked_config "$c"; then
			continue
		fi
		cmp -s "$BUILD/prefix/$c.config" "$out/.config" ||
			cp "$BUILD/prefix/$c.config" "$out/.config"
		make_in "$n" "$c" olddefconfig
		[ -f "$out/built" ] || die "patch $n/$total: olddefconfig fails in config $c (log: $out/olddefconfig-$n.log)"
		for t in "${todo[@]}"; do
			if cmp -s "$(outdir "$t")/.config" "$out/.config"; then
				twin[${#twin[@]} - 1]=$t
				break
			fi
		done
		[ -n "${twin[-1]}" ] || todo+=("$c")
	done
	pids=()
	for c in "${todo[@]}"; do
		make_in "$n" "$c" vmlinux &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p"
	done
	i=0
	for c in "${CONFIGS[@]}"; do
		t=${twin[$i]}
		i=$((i + 1))
		out=$(outdir "$c")
		if [ $last = 1 ] && ! walked_config "$c"; then
			continue
		fi
		if [ -n "$t" ]; then
			bytes=$(textdata "$(outdir "$t")/vmlinux")
			echo "   $n/$total $subject: $c has the same .config as $t here: built as $t"
			same=$((same + 1))
		else
			log=$out/vmlinux-$n.log
			if [ ! -f "$out/built" ]; then
				tail -n 30 "$log" >&2
				die "patch $n/$total ($subject) and those before it do not build in config $c (log: $log)"
			fi
			bytes=$(textdata "$out/vmlinux")
			echo "   $n/$total $subject: $c built in $(cat "$out/built") s, text + data $bytes B"
			built=$((built + 1))
		fi
		printf '%s\t%s\t%s\n' "$n" "$bytes" "$subject" >>"$BUILD/prefix/$c.sizes.tmp"
	done
done
# The walked configs' trees are their whole kernels' again: kernel.sh
# stamps the full .config they were just built with.
for c in "${CONFIGS[@]}"; do
	! walked_config "$c" || "$HARNESS/kernel.sh" "$c" olddefconfig >/dev/null
	mv "$BUILD/prefix/$c.sizes.tmp" "$BUILD/prefix/$c/sizes.tsv"
done
stage_end "$built builds, $same the same as another config's"
