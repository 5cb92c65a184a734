#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every prefix of the series builds: each patch that changes what a kernel
# build reads (anything but Documentation/, tools/testing/ and MAINTAINERS)
# is built, with the patches before it, in the test config, Thumb-2+LPAE
# and ARM_VIRT_EXT=n, as vmlinux. The series itself is the kernel the rest
# of make check builds and boots. Each config's .config is the one its full
# build uses, brought to the prefix's Kconfig by olddefconfig: a symbol a
# later patch adds is not there yet. The prefixes are checked out one after
# the other in one worktree, so each build only redoes what the patch
# changed. The configs of one prefix build side by side (each build
# leaves cores idle while make walks the tree and while it links).
#
# usage: prefixes.sh [CONFIG...]
#   Prints one line per prefix and config, and fails at the first that
#   does not build, with its log. CONFIGs: the configs to build (default:
#   test thumb2_lpae novirt); 6.12's make check builds the test config.
#   Each config's prefix/CONFIG/sizes.tsv gets vmlinux's text + data at
#   each prefix built (patch number, bytes, subject) under a first line
#   "# series COMMIT": what each patch costs, which make bench reports for
#   the series it measures. Written only once every prefix has built.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

CONFIGS=(test thumb2_lpae novirt)
[ $# -eq 0 ] || CONFIGS=("$@")

for c in "${CONFIGS[@]}"; do
	[ -f "$BUILD/$c/.config" ] || "$HARNESS/kernel.sh" "$c" olddefconfig >/dev/null
done
"$HARNESS/queue.sh" tree >/dev/null

wt=$BUILD/prefix/src
if [ ! -d "$wt" ]; then
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" pristine
fi
# Up to three builds side by side: each with a job per core.
jobs=$(nproc)
n=0
total=$(git -C "$SRC" rev-list --count pristine..series)
stage_begin "prefixes: build every prefix of the series"
built=0
for c in "${CONFIGS[@]}"; do
	mkdir -p "$BUILD/prefix/$c"
	echo "# series $(git -C "$SRC" rev-parse series)" >"$BUILD/prefix/$c/sizes.tsv.tmp"
done
for commit in $(git -C "$SRC" rev-list --reverse pristine..series); do
	n=$((n + 1))
	subject=$(git -C "$SRC" log -1 --format=%s "$commit")
	[ "$commit" != "$(git -C "$SRC" rev-parse series)" ] || break
	if [ -z "$(git -C "$SRC" diff --name-only "$commit^" "$commit" -- . \
			':!Documentation' ':!tools/testing' ':!MAINTAINERS')" ]; then
		echo "   $n/$total $subject: nothing a kernel build reads"
		continue
	fi
	git -C "$wt" checkout -q -f --detach "$commit"
	pids=()
	for c in "${CONFIGS[@]}"; do
		out=$BUILD/prefix/$c
		mkdir -p "$out"
		# The full config each time: the last prefix's olddefconfig
		# dropped what did not exist yet.
		cmp -s "$BUILD/$c/.config" "$out/.config" || cp "$BUILD/$c/.config" "$out/.config"
		rm -f "$out/built"
		(
			t0=$(date +%s)
			make -C "$wt" O="$out" ARCH=arm CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" \
				HOSTCC="ccache gcc" -j"$jobs" olddefconfig vmlinux >"$out/build-$n.log" 2>&1
			echo "$(($(date +%s) - t0))" >"$out/built"
		) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || true
	done
	for c in "${CONFIGS[@]}"; do
		out=$BUILD/prefix/$c
		log=$out/build-$n.log
		if [ ! -f "$out/built" ]; then
			tail -n 30 "$log" >&2
			die "patch $n/$total ($subject) and those before it do not build in config $c (log: $log)"
		fi
		bytes=$(textdata "$out/vmlinux")
		printf '%s\t%s\t%s\n' "$n" "$bytes" "$subject" >>"$out/sizes.tsv.tmp"
		echo "   $n/$total $subject: $c built in $(cat "$out/built") s, text + data $bytes B"
		built=$((built + 1))
	done
done
for c in "${CONFIGS[@]}"; do
	mv "$BUILD/prefix/$c/sizes.tsv.tmp" "$BUILD/prefix/$c/sizes.tsv"
done
stage_end "$built builds"
