# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the harness scripts: paths, stage lines, logging.
# Sourced, never run. Every script that sources it runs with set -euo pipefail.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HARNESS=$TOP/tools/harness
# The kernel the series is applied to: Debian's linux-source-$KBASE. 6.1
# builds in build/, any other base in build/$KBASE/; they share build/'s
# armhf user space ($SHARED). patches/$KBASE/ is that base's patch queue
# (see queue.sh).
KBASE=${KBASE:-6.1}
case $KBASE in
6.1 | 6.12) ;;
*) echo "error: KBASE must be 6.1 or 6.12, not '$KBASE'" >&2; exit 1 ;;
esac
SHARED=${SHARED:-$TOP/build}
# build_dir BASE: that base's build directory: build/ for 6.1, build/BASE/
# for any other.
build_dir() {
	if [ "$1" = 6.1 ]; then
		echo "$TOP/build"
	else
		echo "$TOP/build/$1"
	fi
}
BUILD=${BUILD:-$(build_dir "$KBASE")}
SRC=$BUILD/src			# patched tree (a git repository)
BASESRC=$BUILD/base/src		# pristine tree (a worktree of $SRC at tag pristine)
# The worktree that walks the series (prefixes.sh), and its build trees in
# build/prefix/<config>/. Thumb-2+LPAE and the kernel without ARM_VIRT_EXT
# build there (build/<config> is a link): the walk ends at the series, and
# what it built is most of their kernels. The trees sit beside the worktree
# as build/<config>/ sits beside build/src/: ccache's keys, relative to
# the tree built in, are the same for the same source (CCACHE_BASEDIR).
PREFIXSRC=$BUILD/prefix/src
TARBALL=${TARBALL:-/usr/src/linux-source-$KBASE.tar.xz}
KBASE_PATCHES=$TOP/patches/$KBASE	# this base's own hunks and path map
CROSS=arm-linux-gnueabihf-
# The queue's patches, their MAINTAINERS entry and the binding name no
# person: they carry this placeholder, which make series replaces with the
# user's git identity in the series it writes, so that it is signed by
# whoever sends it (series.sh refuses to write one without an identity).
SERIES_PLACEHOLDER='Series Author <series-author@invalid>'
V=${V:-0}

# The compiler cache is ccache's own default directory (ccache 4: the
# legacy ~/.ccache if it exists, else $XDG_CACHE_HOME/ccache, else
# ~/.cache/ccache), or the user's CCACHE_DIR: a second clone, and CI's clone
# on the same machine, reuse what the first one compiled. Its size limit is
# the user's ccache configuration (5 GiB unless set). make distclean empties
# it. CCACHE_BASEDIR makes the cache's keys relative to this base's build/,
# so two clones, or two trees laid out alike under it, share entries.
if [ -z "${CCACHE_DIR:-}" ]; then
	if [ -d "$HOME/.ccache" ]; then
		CCACHE_DIR=$HOME/.ccache
	else
		CCACHE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/ccache
	fi
fi
export CCACHE_DIR
export CCACHE_BASEDIR=$BUILD
export CCACHE_NOHASHDIR=1
export ARCH=arm CROSS_COMPILE=$CROSS
# Reproducible kernels and initramfs: fixed build identity and timestamps,
# and build number (the banner's "#N": its digits moved the bench's bytes).
export KBUILD_BUILD_USER=hyp KBUILD_BUILD_HOST=harness KBUILD_BUILD_VERSION=1
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export SOURCE_DATE_EPOCH=1767225600
# LANG too, though LC_ALL decides: ccache hashes LANG, and a build from
# another shell (a fresh root, CI) would miss the cache for nothing.
export LC_ALL=C LANG=C

_stage_name=()
_stage_t0=()

# stage_begin NAME: prints "== NAME ..." and remembers the start time.
stage_begin() {
	_stage_name+=("$1")
	_stage_t0+=("$(date +%s.%N)")
	echo "== $1 ..."
}

# stage_end [NOTE]: prints "== NAME done in S s [NOTE]" for the innermost stage.
stage_end() {
	local i=$((${#_stage_name[@]} - 1)) t1
	t1=$(date +%s.%N)
	printf '== %s done in %.1f s%s\n' "${_stage_name[$i]}" \
		"$(echo "$t1 - ${_stage_t0[$i]}" | bc)" "${1:+ ($1)}"
	unset "_stage_name[$i]" "_stage_t0[$i]"
	_stage_name=("${_stage_name[@]}")
	_stage_t0=("${_stage_t0[@]}")
}

die() {
	echo "error: $*" >&2
	exit 1
}

# run_logged LOG CMD...: runs CMD with its output in LOG (shown too with V=1).
# On failure prints the log's tail and names the log.
run_logged() {
	local log=$1
	shift
	mkdir -p "$(dirname "$log")"
	if [ "$V" = 1 ]; then
		"$@" 2>&1 | tee "$log"
		return "${PIPESTATUS[0]}"
	fi
	if ! "$@" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		echo "error: '$*' failed; full log: $log" >&2
		return 1
	fi
}

# need_disk GIB WHAT [DIR...]: dies, before any work, unless the file system
# of $BUILD has GIB GiB free, counting what the DIRs hold now as free (the
# run reuses or replaces them). The figures are measured peaks, see README.
need_disk() {
	local gib=$1 what=$2 avail held=0 k
	shift 2
	[ "${NEED_DISK:-1}" != 0 ] || return 0
	mkdir -p "$BUILD"
	avail=$(df -Pk "$BUILD" | awk 'NR == 2 { print $4 }')
	for k in "$@"; do
		[ -e "$k" ] || continue
		held=$((held + $(du -sxk "$k" | cut -f1)))
	done
	if [ $(((avail + held) / 1048576)) -lt "$gib" ]; then
		die "$what needs about $gib GiB of disk for build/; $((avail / 1048576)) GiB are free on $(df -P "$BUILD" | awk 'NR == 2 { print $6 }')$([ "$held" = 0 ] || echo " and build/ already holds $((held / 1048576)) GiB it reuses"). Free some space (make clean empties build/), or set NEED_DISK=0 to skip this check"
	fi
}

# heartbeat PID LABEL: prints a line every 30 s while PID runs.
heartbeat() {
	local pid=$1 label=$2 n=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		n=$((n + 1))
		[ $((n % 30)) -eq 0 ] && echo "   ... $label still running (${n} s)"
	done
	return 0
}

# series_identity: "Name <email>" from git config (user.name, user.email),
# or nothing if either is unset.
series_identity() {
	local name email
	name=$(git -C "$TOP" config user.name 2>/dev/null || true)
	email=$(git -C "$TOP" config user.email 2>/dev/null || true)
	if [ -n "$name" ] && [ -n "$email" ]; then
		echo "$name <$email>"
	fi
}

# textdata ELF: its text + data in bytes, as size(1) counts them: the
# figure the bench's size budget and the sizes by patch are in.
textdata() {
	"${CROSS}size" "$1" | awk 'NR == 2 { print $1 + $2 }'
}

# kexec_cpio_lines: gen_init_cpio lines for the armhf kexec and the shared
# libraries it needs (build/armhf/root), at the paths it looks for them.
# walked_config CONFIG: whether CONFIG's kernel builds in $PREFIXSRC (above).
walked_config() {
	[ "$KBASE" = 6.1 ] && { [ "$1" = thumb2_lpae ] || [ "$1" = novirt ] || [ "$1" = apioff ]; }
}

# walked_tree CONFIG: build/CONFIG a link to build/prefix/CONFIG, and
# $PREFIXSRC at the series (made if missing), for a build of a walked
# config. Takes build/prefix.lock for the caller's life, unless the caller
# is the walk itself (PREFIX_WALK=1 in its environment), which owns both.
walked_tree() {
	mkdir -p "$BUILD/prefix/$1"
	if [ ! -L "$BUILD/$1" ]; then
		rm -rf "${BUILD:?}/$1"
		ln -s "prefix/$1" "$BUILD/$1"
	fi
	[ "${PREFIX_WALK:-0}" = 1 ] && return
	exec {walk_lock}>"$BUILD/prefix.lock"
	flock "$walk_lock"
	prefix_src_at_series
}

# prefix_src_at_series: $PREFIXSRC made if missing, and at the series.
# The caller holds build/prefix.lock.
prefix_src_at_series() {
	local head
	head=$(git -C "$SRC" rev-parse series)
	if [ ! -d "$PREFIXSRC" ]; then
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$PREFIXSRC" "$head"
	fi
	[ "$(git -C "$PREFIXSRC" rev-parse HEAD)" = "$head" ] ||
		git -C "$PREFIXSRC" checkout -q -f --detach "$head"
}

kexec_cpio_lines() {
	local root=$SHARED/armhf/root lib path
	echo "dir /sbin 0755 0 0"
	echo "file /sbin/kexec $root/sbin/kexec 0755 0 0"
	echo "dir /lib 0755 0 0"
	echo "dir /lib/arm-linux-gnueabihf 0755 0 0"
	echo "file /lib/ld-linux-armhf.so.3 $root/lib/ld-linux-armhf.so.3 0755 0 0"
	needed_libs "$root/sbin/kexec" "$root" | while read -r lib path; do
		echo "file /lib/arm-linux-gnueabihf/$lib $path 0755 0 0"
	done
}

# needed_libs ELF ROOT: the armhf libraries ELF needs, recursively: "NAME
# PATH" lines, PATH under ROOT (each once; the dynamic loader excluded).
needed_libs() {
	local todo=("$1") root=$2 seen=" " f lib path
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for lib in $("${CROSS}readelf" -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[ "$lib" = ld-linux-armhf.so.3 ] && continue
			[[ $seen == *" $lib "* ]] && continue
			seen+="$lib "
			path=$(find "$root/lib/arm-linux-gnueabihf" "$root/usr/lib/arm-linux-gnueabihf" \
				-name "$lib" 2>/dev/null | head -n 1)
			[ -n "$path" ] || die "${1##*/} needs $lib, which no armhf package here has"
			path=$(readlink -f "$path")
			echo "$lib $path"
			todo+=("$path")
		done
	done | sort -u
}
