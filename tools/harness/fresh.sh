#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check-fresh: proves that deps.sh names every package that make boot
# and make check need, on a machine that has nothing else.
#
# A minimal Debian 12 root (debootstrap --variant=minbase, made once and kept
# as build/fresh/minbase.tar; every run starts from a new copy of it) gets
# this machine's apt sources, git and make (what a user needs to clone and
# start) and a clone of the committed HEAD (FRESH_REV=REV for another
# revision). In it, under chroot, run:
#   make boot                                 deps, tree, test kernel, the
#                                             kselftest, initramfs, one boot
#   make check CHECK_ONLY=... BASELINE=0      one test of each kind: the
#                                             series, checkpatch, kernel-doc,
#                                             the harness lint, W=1/sparse,
#                                             an Image boot, U-Boot, EDK2, our
#                                             firmware, kexec, hibernation,
#                                             the DT binding, the HYP layer
# The root shares this tree's ccache and this machine's apt archive, which
# only saves time: what is installed is decided by deps.sh alone.
#
# On failure it prints the first errors of the inner log and, for each file
# or command that was not found, the packages of this machine that have it
# and that the fresh root lacks: the name to add to deps.sh (or, when the
# disk filled up, says so: that is no missing package). A failed run keeps
# the root to look into; a passed one removes it (only minbase.tar stays).
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

FRESH_ONLY='^(series_applies_on_pristine|queue_round_trips|series_checkpatch_strict|kernel_doc_clean|'
FRESH_ONLY+='harness_shellcheck_clean|w1_sparse_clean_test|a15_hyp_2cpu_image|uboot_hyp_1cpu|'
FRESH_ONLY+='uefi_svc_2cpu|fw_mixed_cpu1_svc_4cpu|kexec_chain_5_hyp|hibernate_resume_hyp_2cpu|'
FRESH_ONLY+='dt_binding_check_clean|layer_a15_2cpu|bench_budgets|judge_recorded_logs|k612_a15_hyp_2cpu_zimage)$'
# Where the clone lives inside the root, and the shared ccache.
INNER=/work/hyp
INNER_CCACHE=/ccache

dir=$BUILD/fresh
root=$dir/root
log=$BUILD/logs/fresh.log
rev=${FRESH_REV:-HEAD}

[ "$(id -u)" = 0 ] || die "check-fresh needs root (debootstrap, chroot, mounts)"
"$HARNESS/deps.sh" --fresh

# umount_all: nothing of ours stays mounted under the root.
umount_all() {
	local m
	for m in $(findmnt -rn -o TARGET | grep -F "$root" | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

# wipe_root: the old root, gone; refuses while anything is mounted in it.
wipe_root() {
	umount_all
	if findmnt -rn -o TARGET | grep -qF "$root"; then
		die "still mounted under $root: not removing it"
	fi
	rm -rf --one-file-system "$root"
}

# mirror: the Debian mirror this machine's apt uses for bookworm.
mirror() {
	# shellcheck disable=SC2016 # apt's format fields, not shell
	apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2>/dev/null |
		awk '$1 == "bookworm" { print $2; exit }'
}

# The root with what make boot and the fresh rows build in it came to 11 GiB
# (README); an old root is wiped first, so it counts as free.
need_disk 12 "check-fresh" "$root"

stage_begin "check-fresh: minimal Debian 12 root"
mkdir -p "$dir" "$(dirname "$log")" "$CCACHE_DIR"
if [ ! -f "$dir/minbase.tar" ]; then
	m=$(mirror)
	[ -n "$m" ] || die "no bookworm mirror in this machine's apt sources"
	wipe_root
	run_logged "$BUILD/logs/debootstrap.log" debootstrap --variant=minbase bookworm "$root" "$m"
	tar -C "$root" -cf "$dir/minbase.tar.new" .
	mv "$dir/minbase.tar.new" "$dir/minbase.tar"
fi
wipe_root
mkdir -p "$root"
tar -C "$root" -xf "$dir/minbase.tar"
# This machine's apt set-up (sources, options), as a user's machine has its own.
rm -rf "$root/etc/apt/sources.list.d" "$root/etc/apt/apt.conf.d"
cp -a /etc/apt/sources.list.d /etc/apt/apt.conf.d "$root/etc/apt/"
[ ! -f /etc/apt/sources.list ] || cp /etc/apt/sources.list "$root/etc/apt/"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
git clone -q --no-hardlinks "$TOP" "$root$INNER"
git -C "$root$INNER" checkout -q --detach "$(git -C "$TOP" rev-parse "$rev")"
stage_end "$(git -C "$root$INNER" log -1 --format='%h %s')"

# The inner script: what a user types, after installing git and make.
cat >"$root/fresh-run" <<EOF
#!/bin/bash
set -eu
apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends git make >/dev/null
cd $INNER
echo "== fresh root: make boot"
make boot
echo "== fresh root: make check (one test of each kind, no baseline)"
make check CHECK_ONLY='$FRESH_ONLY' BASELINE=0
EOF
chmod 755 "$root/fresh-run"

# inside: the run, in a mount namespace of its own (its mounts end with it).
inside() {
	mount --make-rprivate /
	mount -t proc proc "$root/proc"
	mount -t sysfs sys "$root/sys"
	mount --rbind /dev "$root/dev"
	mkdir -p "$root$INNER_CCACHE"
	mount --bind "$CCACHE_DIR" "$root$INNER_CCACHE"
	mount --bind /var/cache/apt/archives "$root/var/cache/apt/archives"
	exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb V="$V" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		CCACHE_DIR=$INNER_CCACHE /fresh-run
}

stage_begin "check-fresh: make boot and make check in the fresh root"
rc=0
export -f inside
export root INNER INNER_CCACHE CCACHE_DIR V
timeout --kill-after=10 "${FRESH_TIMEOUT:-5400}" unshare --mount bash -c inside >"$log" 2>&1 &
pid=$!
heartbeat "$pid" check-fresh &
hb=$!
wait "$pid" || rc=$?
kill "$hb" 2>/dev/null || true
wait "$hb" 2>/dev/null || true
umount_all
stage_end "log: $log"

# missing_hints: for each file or command the log says was not found, the
# packages of this machine that have it and the fresh root has not.
missing_hints() {
	local what pat pkg
	{
		sed -n 's/.*fatal error: \([^:]*\): No such file or directory.*/\1/p' "$log"
		sed -n 's/.*failed to find romfile "\([^"]*\)".*/\1/p' "$log"
		sed -n 's/.*: \([^ :]*\): \(command \)\{0,1\}not found$/bin\/\1/p' "$log"
		sed -n "s/.*: \\([^ :']*\\): No such file or directory\$/\\1/p" "$log"
	} | awk '!seen[$0]++' | head -n 5 | while read -r what; do
		pat="*/${what#/}"
		for pkg in $(dpkg -S "$pat" 2>/dev/null | grep -v '^diversion' | cut -d: -f1 |
			     tr ',' '\n' | sort -u); do
			# shellcheck disable=SC2016 # a dpkg-query field
			if ! chroot "$root" dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null |
			     grep -q 'ok installed'; then
				echo "  '$what' not found in the fresh root: package $pkg has it here"
			fi
		done
	done
}

if [ "$rc" != 0 ] && grep -q 'No space left on device' "$log"; then
	echo "check-fresh: FAILED (exit $rc): the disk filled up, which says nothing of deps.sh" >&2
	grep -m 3 'No space left on device' "$log" | sed 's/^/  | /' >&2
	df -h "$BUILD" >&2
	echo "full log: $log; the root is kept at $root until the next check-fresh wipes it" >&2
	exit 1
fi
if [ "$rc" != 0 ]; then
	echo "check-fresh: FAILED (exit $rc): the fresh root lacks something deps.sh should install" >&2
	# The cases that failed, each with the diagnostics printed before it
	# (KTAP puts a case's "# ..." lines ahead of its result).
	if grep -qE '^ *not ok ' "$log"; then
		echo "  cases that failed in the fresh root:" >&2
		grep -B 6 -E '^ *not ok ' "$log" | sed 's/^/  | /' | head -n 80 >&2
	fi
	grep -m 8 -E '[Ee]rror [^:]|not found|No such file|failed' "$log" | grep -v '# Totals' |
		sed 's/^/  | /' >&2 || true
	hints=$(missing_hints)
	if [ -n "$hints" ]; then
		echo "Missing from deps.sh (name it in HOST_PKGS):" >&2
		echo "$hints" >&2
	fi
	echo "full log: $log; the root is kept at $root until the next check-fresh wipes it" >&2
	exit 1
fi
grep -q '^Boot-mode report:' "$log" || die "make boot in the fresh root printed no report (log: $log)"
tail -n 1 "$log"
# Passed: the root has nothing more to show, and holds 11 GiB.
wipe_root
echo "check-fresh: passed (make boot and make check in a minimal Debian 12 root)"
