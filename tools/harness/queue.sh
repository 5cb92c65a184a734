#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series as a patch queue: patches/$KBASE/ holds a "series" file and the
# git format-patch files it names, in order; git am takes them as they are.
# build/src (build/$KBASE/src for another base) is a git repository whose tag
# "pristine" is Debian's linux-source-$KBASE and whose branch "series" is the
# queue applied to it. Edit the series there the way a patch queue is edited
# (git commit --fixup, git rebase -i --autosquash pristine), then export.
#
# usage: queue.sh import   (make pq)    apply patches/$KBASE/ on pristine as
#                                       branch series; refuses to drop
#                                       commits or edits not exported yet
#                                       (FORCE=1 drops them)
#        queue.sh tree     (every build) the same, but leaves a tree with
#                                       edits not exported yet as it is,
#                                       and says so
#        queue.sh export   (make refresh) branch series back to
#                                       patches/$KBASE/; on 6.1 also the
#                                       top-level view (below)
#        queue.sh check                 the export of branch series equals
#                                       patches/$KBASE/ and, on 6.1, the view
#        queue.sh range-diff            the 6.1 and 6.12 queues differ only
#                                       where the bases force them to
#
# The export is byte-stable: git's defaults whatever the user's git config
# (no signature, all-zero From line, no numbering, one fixed Date), so an
# unchanged queue exports to exactly the files it was imported from.
#
# The top-level view (arch/, Documentation/, tools/testing/selftests/,
# MAINTAINERS of this repository) is what the series' own files are after
# its last patch on 6.1: every file the series adds, the upstream files it
# rewrites whole (VIEW_REWRITTEN), and its MAINTAINERS entry. It is written
# by the export and checked against git am's result; it is never an input.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

QUEUE=$TOP/patches/$KBASE
VIEW_DIRS=(arch Documentation tools/testing/selftests)
VIEW_REWRITTEN=(arch/arm/include/asm/virt.h arch/arm/kernel/hyp-stub.S)
# One date for every patch: the queue says nothing of when it was edited.
QUEUE_DATE='Thu, 1 Jan 2026 00:00:00 +0000'
HEAD_FILE=$BUILD/queue.head
# What make needs to hear to act on this base.
KB=
[ "$KBASE" = 6.1 ] || KB=" KBASE=$KBASE"

git_src() { git -C "$SRC" "$@"; }
# git with none of the user's or the system's configuration.
git_plain() { GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -C "$SRC" "$@"; }

unpack_pristine() {
	stage_begin "unpack $(basename "$TARBALL")"
	local tmp=$BUILD/unpack.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	local top=$tmp/linux-source-$KBASE
	tar -C "$tmp" -xf "$TARBALL"
	[ -d "$top" ] || die "unexpected tarball layout in $TARBALL"
	git -C "$top" init -q -b upstream
	git -C "$top" config user.name "hyp harness"
	git -C "$top" config user.email "harness@localhost"
	git -C "$top" config gc.auto 0
	# -f: the tarball is the truth, even for files its .gitignore names.
	git -C "$top" add -A -f .
	GIT_AUTHOR_DATE=@$SOURCE_DATE_EPOCH GIT_COMMITTER_DATE=@$SOURCE_DATE_EPOCH \
		git -C "$top" commit -q -m "linux-source-$KBASE $(make -s -C "$top" kernelversion)"
	git -C "$top" tag pristine
	mv "$top" "$SRC"
	rmdir "$tmp"
	stage_end
}

# queue_files: the patches of the queue, in order, as paths.
queue_files() {
	[ -f "$QUEUE/series" ] || die "no patches/$KBASE/series"
	local p
	while read -r p; do
		case $p in '' | \#*) continue ;; esac
		[ -f "$QUEUE/$p" ] || die "patches/$KBASE/series names $p, which is not there"
		echo "$QUEUE/$p"
	done <"$QUEUE/series"
}

# queue_stamp: what the tree is built from: the tarball, this script, the
# series file and the patches it names (not the cover letter).
queue_stamp() {
	{
		sha256sum "$TARBALL" "$0" | cut -c1-64
		sha256sum "$QUEUE/series"
		queue_files | xargs -r sha256sum
	} | sha256sum | cut -c1-64
}

# unexported: why the tree holds something the queue does not (nothing if
# it does not): commits on series since the import, or edits not committed.
unexported() {
	local head
	head=$(sed -n 2p "$HEAD_FILE" 2>/dev/null || true)
	if [ -z "$head" ]; then
		# Never imported by this script (or the record is gone): the
		# tree is ours to replace only if it has no series branch.
		git_src rev-parse -q --verify series >/dev/null &&
			echo "branch series was not imported from patches/$KBASE (no $HEAD_FILE)"
		return 0
	fi
	[ "$(git_src rev-parse -q --verify series)" = "$head" ] ||
		echo "branch series has moved since it was imported ($(git_src rev-list --count "$head..series" 2>/dev/null || echo some) new commits)"
	[ -z "$(git_src status --porcelain --untracked-files=no)" ] ||
		echo "the work tree has edits that are not committed"
	[ "$(git_src symbolic-ref -q --short HEAD || git_src rev-parse HEAD)" = series ] ||
		[ "$(git_src rev-parse HEAD)" = "$head" ] ||
		echo "HEAD is not branch series"
	return 0
}

# am_on_pristine: git am of the queue in a worktree of its own at pristine
# (build/amtest); prints the last commit. The committer and the dates are
# fixed, so the same queue always gives the same commits.
am_on_pristine() {
	local wt=$BUILD/amtest files log=$BUILD/logs/queue-am.log
	if [ ! -d "$wt" ]; then
		git_src worktree prune
		git_src worktree add -q --detach "$wt" pristine
	fi
	git -C "$wt" am --abort >/dev/null 2>&1 || true
	git -C "$wt" checkout -q -f --detach pristine
	git -C "$wt" clean -q -fdx
	mapfile -t files < <(queue_files)
	if ! GIT_COMMITTER_NAME="hyp harness" GIT_COMMITTER_EMAIL="harness@localhost" \
		GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
		git -C "$wt" am -q --committer-date-is-author-date "${files[@]}" >"$log" 2>&1; then
		cat "$log" >&2
		git -C "$wt" am --abort >/dev/null 2>&1 || true
		die "patches/$KBASE does not apply with git am on pristine $KBASE (log: $log)"
	fi
	git -C "$wt" rev-parse HEAD
}

import() {
	local force=${FORCE:-0} mode=$1 why
	mkdir -p "$BUILD/logs"
	[ -d "$SRC/.git" ] || unpack_pristine
	local stamp
	stamp=$(queue_stamp)
	why=$(unexported)
	if [ -n "$why" ] && [ "$force" != 1 ]; then
		if [ "$mode" = tree ] && [ "$(sed -n 1p "$HEAD_FILE" 2>/dev/null)" = "$stamp" ]; then
			echo "== tree: $SRC as it is, not patches/$KBASE: $why (make refresh exports it)"
			return 0
		fi
		die "$SRC holds work that patches/$KBASE does not: $why.
Export it first (make refresh$KB), or drop it: make pq FORCE=1$KB"
	fi
	if [ -z "$why" ] && [ "$(sed -n 1p "$HEAD_FILE" 2>/dev/null)" = "$stamp" ]; then
		echo "== tree: up to date ($(git_src rev-list --count pristine..series) patches)"
		return 0
	fi
	stage_begin "tree: git am patches/$KBASE on pristine"
	rm -f "$HEAD_FILE"
	git_src am --abort >/dev/null 2>&1 || true
	git_src rebase --abort >/dev/null 2>&1 || true
	local head
	head=$(am_on_pristine)
	# Only files that differ are rewritten: kbuild rebuilds no more than
	# the queue changed.
	git_src checkout -q -f -B series "$head"
	printf '%s\n%s\n' "$stamp" "$head" >"$HEAD_FILE"
	stage_end "$(git_src rev-list --count pristine..series) patches"
}

# format OUT: branch series as the queue's files (patches and series) in OUT.
format() {
	local out=$1 f
	rm -rf "$out"
	mkdir -p "$out"
	git_plain -c core.abbrev=12 format-patch -q --no-signature --zero-commit -N \
		--no-thread --no-cover-letter --no-notes --no-to --no-cc -o "$out" pristine..series
	for f in "$out"/*.patch; do
		[ -e "$f" ] || die "branch series has no commits on pristine"
		# The Date of the header (up to the first blank line) is
		# the queue's one date.
		awk -v d="$QUEUE_DATE" 'hdr && /^Date: / { $0 = "Date: " d }
			/^$/ { hdr = 0 } NR == 1 { hdr = 1 } { print }' "$f" >"$f.new"
		mv "$f.new" "$f"
	done
	(cd "$out" && ls -- *.patch) >"$out/series"
}

# view OUT: the top-level view of branch series, under OUT.
view() {
	local out=$1 f
	rm -rf "$out"
	mkdir -p "$out"
	{
		git_src diff --name-only --diff-filter=A pristine series -- "${VIEW_DIRS[@]}"
		printf '%s\n' "${VIEW_REWRITTEN[@]}"
	} | sort -u | while read -r f; do
		mkdir -p "$out/$(dirname "$f")"
		git_src show "series:$f" >"$out/$f"
		[ "$(git_src ls-tree series -- "$f" | cut -c1-6)" != 100755 ] || chmod +x "$out/$f"
	done
	# MAINTAINERS: the entry the series adds, without the blank line
	# that separates it from the next.
	git_src diff -U0 pristine series -- MAINTAINERS | sed -n 's/^+\([^+]\|$\)/\1/p' |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$out/MAINTAINERS"
}

# view_files DIR: the files of a view rooted at DIR (its own, not others').
view_files() {
	(cd "$1" && find "${VIEW_DIRS[@]}" -type f 2>/dev/null; [ ! -f MAINTAINERS ] || echo MAINTAINERS) | sort
}

export_queue() {
	local why tmp=$BUILD/queue.export
	[ -d "$SRC/.git" ] || die "no $SRC: make pq$KB first"
	[ -z "$(git_src status --porcelain --untracked-files=no)" ] ||
		die "$SRC has edits that are not committed: commit them on branch series first"
	[ "$(git_src rev-parse HEAD)" = "$(git_src rev-parse series)" ] ||
		die "$SRC: HEAD is not branch series; check it out (git checkout series) first"
	format "$tmp"
	rm -rf "$QUEUE.old"
	[ ! -d "$QUEUE" ] || mv "$QUEUE" "$QUEUE.old"
	mv "$tmp" "$QUEUE"
	# Files of the queue that are not patches (the cover letter, the
	# allowed differences between the bases) stay.
	if [ -d "$QUEUE.old" ]; then
		find "$QUEUE.old" -maxdepth 1 -type f ! -name '*.patch' ! -name series \
			-exec mv -t "$QUEUE" {} +
		rm -rf "$QUEUE.old"
	fi
	echo "patches/$KBASE: $(grep -c . "$QUEUE/series") patches"
	if [ "$KBASE" = 6.1 ]; then
		view "$tmp"
		(cd "$TOP" && view_files . | xargs -r rm -f)
		(cd "$TOP" && find "${VIEW_DIRS[@]}" -type d -empty -delete 2>/dev/null) || true
		cp -a "$tmp"/. "$TOP/"
		rm -rf "$tmp"
		echo "view: $(view_files "$TOP" | wc -l) files (arch/, Documentation/, tools/testing/selftests/, MAINTAINERS)"
	fi
	printf '%s\n%s\n' "$(queue_stamp)" "$(git_src rev-parse series)" >"$HEAD_FILE"
}

check_queue() {
	local tmp=$BUILD/queue.check rc=0
	format "$tmp/patches"
	if ! diff -ru "$QUEUE" "$tmp/patches" -x cover-letter -x '*.expected' -x allowed-differences \
		>"$tmp/patches.diff"; then
		echo "the export of $SRC branch series differs from patches/$KBASE:"
		head -n 40 "$tmp/patches.diff"
		rc=1
	fi
	if [ "$KBASE" = 6.1 ]; then
		view "$tmp/view"
		if ! diff -u <(view_files "$TOP") <(view_files "$tmp/view") >"$tmp/view.diff" ||
		   ! (cd "$TOP" && view_files . | while read -r f; do
			diff -u "$f" "$tmp/view/$f" || exit 1; done) >>"$tmp/view.diff"; then
			echo "the top-level view differs from the series' files after its last patch:"
			head -n 40 "$tmp/view.diff"
			rc=1
		fi
	fi
	if [ "$rc" != 0 ]; then
		cat <<EOF
The queue (patches/$KBASE/) is the source of truth; the view is written from it.
To move an edit into the queue: make pq$KB, edit in $SRC and commit it
(git commit --fixup=COMMIT, then git rebase -i --autosquash pristine), then
make refresh$KB: it rewrites patches/$KBASE/ and the view.
EOF
	fi
	return "$rc"
}

# One import at a time: make check's build pool brings the tree up to date
# from several scripts at once.
mkdir -p "$BUILD"
exec 9>"$BUILD/queue.lock"

case ${1:-} in
import) flock 9 && import pq ;;
tree) flock 9 && import tree ;;
export) export_queue ;;
check) check_queue ;;
range-diff) exec "$HARNESS/rangediff.sh" ;;
*) die "usage: queue.sh import|tree|export|check|range-diff" ;;
esac
