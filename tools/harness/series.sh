#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Writes the upstream-style series for this base to build/series/$KBASE/
# (git format-patch --cover-letter over branch series, which is the queue
# patches/$KBASE/ applied on pristine, with patches/$KBASE/cover-letter as
# the cover's subject and blurb) and, with --check, proves it applies with
# git am on a pristine tree and yields exactly the tree that was built and
# tested.
#
# The series is the user's: author, Signed-off-by and the MAINTAINERS
# entry are the git identity (user.name, user.email), put in place of the
# queue's placeholder. Without one, no series is written; --check then
# proves the same in a scratch directory it removes.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

check=0
[ "${1:-}" = --check ] && check=1

ident=$(series_identity)
if [ -z "$ident" ] && [ "$check" = 0 ]; then
	die "make series signs the patches with your git identity, and git has none.
Set it, then run make series again:
  git config --global user.name 'Your Name'
  git config --global user.email you@example.org"
fi
"$HARNESS/queue.sh" tree >/dev/null
out=$SHARED/series/$KBASE
[ -n "$ident" ] || out=$BUILD/series-check.tmp
mkdir -p "$BUILD/logs"
stage_begin "series"
rm -rf "$out"
n=$(git -C "$SRC" rev-list --count pristine..series)
[ "$n" -gt 0 ] || die "patches/ is empty: no series to write"
# The cover letter is signed by whoever sends it: the identity, not the
# build tree's own committer.
who=()
if [ -n "$ident" ]; then
	email=${ident##*<}
	who=(-c "user.name=${ident% <*}" -c "user.email=${email%>}")
fi
git -C "$SRC" "${who[@]}" format-patch -q --cover-letter --thread=shallow -o "$out" pristine..series
cover=$out/0000-cover-letter.patch
letter=$TOP/patches/$KBASE/cover-letter
if [ -n "$ident" ]; then
	# The placeholder's place: From:, Signed-off-by:, MAINTAINERS, the
	# binding's maintainers (the cover letter is already the user's).
	sed -i "s|$SERIES_PLACEHOLDER|$ident|g" "$out"/0*.patch
fi
if [ -f "$letter" ]; then
	subject=$(head -n 1 "$letter")
	tail -n +3 "$letter" >"$out/blurb"
	awk -v subject="$subject" -v blurbfile="$out/blurb" '
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
		/^\*\*\* BLURB HERE \*\*\*$/ {
			while ((getline l < blurbfile) > 0) print l
			next
		}
		{ print }' "$cover" >"$cover.new"
	mv "$cover.new" "$cover"
	rm "$out/blurb"
fi
stage_end "$n patches in $out"

[ "$check" = 1 ] || exit 0

stage_begin "series: git am on a pristine tree"
# The worktree queue.sh imports the queue in (one more checkout of the
# whole tree costs a fresh clone half a minute), under its lock.
wt=$BUILD/amtest
exec 9>"$BUILD/queue.lock"
flock 9
if [ ! -d "$wt" ]; then
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" pristine
fi
git -C "$wt" am --abort >/dev/null 2>&1 || true
git -C "$wt" checkout -q -f --detach pristine
git -C "$wt" clean -q -fdx
log=$BUILD/logs/series-am.log
# Everything but the cover letter, which git am would read as an empty patch.
mapfile -t mails < <(find "$out" -name '[0-9]*.patch' ! -name '0000-*' | sort)
if ! git -C "$wt" am -q "${mails[@]}" >"$log" 2>&1; then
	cat "$log" >&2
	die "the series does not apply with git am on pristine (log: $log)"
fi
# The tree built and tested, with the identity in the placeholder's place.
git -C "$wt" diff --quiet series HEAD -- . ':!MAINTAINERS' \
	':!Documentation/devicetree/bindings/firmware' ||
	die "git am of $out gives a tree different from the one built"
for f in MAINTAINERS $(git -C "$SRC" diff --name-only --diff-filter=A pristine series -- \
		Documentation/devicetree/bindings/firmware); do
	cmp -s <(git -C "$SRC" show "series:$f" | sed "s|$SERIES_PLACEHOLDER|${ident:-$SERIES_PLACEHOLDER}|g") \
		<(git -C "$wt" show "HEAD:$f") ||
		die "git am of $out gives another $f than the one built"
done
if grep -l "$SERIES_PLACEHOLDER" "${mails[@]}" >/dev/null; then
	[ -z "$ident" ] || die "the placeholder identity is left in $out"
fi
if [ -z "$ident" ]; then
	rm -rf "$out"
	stage_end "$n patches applied (no git identity: checked, not kept)"
else
	stage_end "$n patches applied"
fi
