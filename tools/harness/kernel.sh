#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds one config of the patched tree (or, with BASE=1, of the pristine
# tree) with ccache: build/<config>/ or build/base/<config>/.
#
# usage: kernel.sh CONFIG [make targets...]
#   CONFIG names tools/harness/configs/CONFIG.config, merged onto allnoconfig.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: kernel.sh CONFIG [targets]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
frag=$HARNESS/configs/$cfg.config
[ -f "$frag" ] || die "no config fragment $frag"

if [ "${BASE:-0}" = 1 ]; then
	src=$BASESRC
	out=$BUILD/base/$cfg
	label="kernel $cfg (baseline, unpatched)"
	if [ ! -d "$src" ]; then
		"$HARNESS/tree.sh"
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$src" pristine
	fi
else
	src=$SRC
	out=$BUILD/$cfg
	label="kernel $cfg"
	"$HARNESS/tree.sh"
fi

mkdir -p "$out" "$CCACHE_DIR"
jobs=$(($(nproc) + 1))
makeargs=(-C "$src" O="$out" ARCH=arm CROSS_COMPILE="$CROSS"
	  CC="ccache ${CROSS}gcc" -j"$jobs")

stage_begin "$label"

# The config is regenerated only when its fragment (or the tree's Kconfig
# files, via olddefconfig in make) changes.
fstamp=$(sha256sum "$frag" | cut -c1-64)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.config.stamp" 2>/dev/null)" != "$fstamp" ]; then
	log=$out/merge_config.log
	(cd "$src" && run_logged "$log" scripts/kconfig/merge_config.sh -n -O "$out" "$frag")
	if grep -A2 '^Value requested for' "$log" >&2; then
		die "config $cfg: the values above did not make it into $out/.config"
	fi
	echo "$fstamp" >"$out/.config.stamp"
fi

ccache -z >/dev/null
log=$out/build.log
run_logged "$log" make "${makeargs[@]}" "${targets[@]}" &
pid=$!
heartbeat "$pid" "$label" &
hb=$!
rc=0
wait "$pid" || rc=$?
kill "$hb" 2>/dev/null || true
wait "$hb" 2>/dev/null || true
[ "$rc" = 0 ] || die "$label failed (log: $log)"
hits=$(ccache -s 2>/dev/null | awk '/Hits:/ {print $2 "/" $4; exit}')
if [ -f "$out/arch/arm/boot/zImage" ]; then
	stage_end "zImage $(stat -c %s "$out/arch/arm/boot/zImage") B, ccache hits ${hits:-?}"
else
	stage_end "ccache hits ${hits:-?}"
fi
