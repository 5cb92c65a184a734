#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds one config of the patched tree (or, with BASE=1, of the pristine
# tree) with ccache: build/<config>/ or build/base/<config>/.
#
# usage: kernel.sh CONFIG [make targets...]
#   CONFIG names tools/harness/configs/CONFIG.config, merged onto allnoconfig.
#   Any CONFIG but "test" is a variant of test: its lines replace test's
#   lines for the same symbols, and a line "-CONFIG_X" drops test's line.
#   A line "@NAME" in a variant stands for the lines of configs/NAME.config.
#   series.config (symbols the series adds) is merged unless BASE=1, and
#   kbase-$KBASE.config (symbols only that base has) when there is one.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: kernel.sh CONFIG [targets]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
[ -f "$HARNESS/configs/$cfg.config" ] || die "no config fragment configs/$cfg.config"

if [ "${BASE:-0}" = 1 ]; then
	src=$BASESRC
	out=$BUILD/base/$cfg
	label="kernel $cfg (baseline, unpatched)"
	if [ ! -d "$src" ]; then
		"$HARNESS/queue.sh" tree
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$src" pristine
	fi
else
	src=$SRC
	out=$BUILD/$cfg
	label="kernel $cfg"
	"$HARNESS/queue.sh" tree
	if walked_config "$cfg"; then
		src=$PREFIXSRC
		walked_tree "$cfg"
	fi
fi

mkdir -p "$out" "$CCACHE_DIR"
# One build of a tree at a time: two callers may ask for the same kernel
# at once (make check's two bench rows, both for upstream's); the second
# waits, then finds it built.
exec {tree_lock}>"$out/.kernel.lock"
flock "$tree_lock"

# The fragment merge_config.sh gets: test.config (+ series.config unless
# this is the baseline), with a variant's lines replacing or dropping lines.
frag=$out/fragment.config
base_frag() {
	cat "$HARNESS/configs/test.config"
	[ ! -f "$HARNESS/configs/kbase-$KBASE.config" ] ||
		cat "$HARNESS/configs/kbase-$KBASE.config"
	[ "${BASE:-0}" = 1 ] || cat "$HARNESS/configs/series.config"
}
# expand FRAGMENT: its lines, each "@NAME" replaced by configs/NAME.config.
expand() {
	local line
	while IFS= read -r line; do
		if [[ $line == @* ]]; then
			expand "$HARNESS/configs/${line#@}.config"
		else
			printf '%s\n' "$line"
		fi
	done <"$1"
}
{
	if [ "$cfg" = test ]; then
		base_frag
	else
		vf=$out/variant.config
		expand "$HARNESS/configs/$cfg.config" >"$vf"
		syms=$(grep -E '^(-?CONFIG_|# CONFIG_)' "$vf" | grep -oE 'CONFIG_[A-Za-z0-9_]+' | sort -u || true)
		if [ -n "$syms" ]; then
			base_frag | grep -vwF -f <(echo "$syms") || true
		else
			base_frag
		fi
		grep -v '^-' "$vf" || true
	fi
} >"$frag.new"
if cmp -s "$frag.new" "$frag"; then rm "$frag.new"; else mv "$frag.new" "$frag"; fi
jobs=$(($(nproc) + 1))
makeargs=(-C "$src" O="$out" ARCH=arm CROSS_COMPILE="$CROSS"
	  CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" -j"$jobs")

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
