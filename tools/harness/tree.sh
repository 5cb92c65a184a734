#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Brings build/src to: pristine linux-source-$KBASE + patches/ + owned files.
#
# build/src is a git repository. Its first commit (tag "pristine") is the
# unpacked Debian tarball. The series is then rebuilt as commits with git
# plumbing on a scratch index, one commit per patch in patches/ (NAME.patch,
# a mail with hunks on upstream files, or NAME.msg, a message alone), each with
# the owned files that patches/owners maps to it folded in, and build/src is
# moved to the result with "git checkout": only files whose content differs
# are rewritten, so the kernel's own make rebuilds no more than it must, and
# an owned file deleted here disappears from the tree too. The same commits
# are what "make series" formats.
#
# Another base than 6.1 (KBASE=6.12, tree in build/6.12/src) may have, in
# patches/$KBASE/:
#   paths      lines "<6.1 path prefix> <this base's>": where an owned file
#              lands, and every mention of such a path in the owned files,
#              the patches (messages and hunks) and the MAINTAINERS entry,
#              rewritten alike;
#   NAME.diff  hunks for the upstream files whose hunks in patches/NAME.patch
#              do not apply to this base: they replace that patch's hunks
#              for those files only; the patch's message and its other
#              hunks stay the ones of patches/NAME.patch. Applied after the
#              owned files of NAME, it may also hold hunks on one of them,
#              where this base has another interface than 6.1 and none
#              serves both (kept as small as the difference).
#
# Nothing changed since the last run (same patches, owned files, map) = no-op.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

OWNED_DIRS=(arch Documentation tools/testing/selftests)

git_src() { git -C "$SRC" "$@"; }

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

# maintainers_entry_for_index: MAINTAINERS in the scratch index gets our
# entry with the F: lines whose files exist there so far. So each patch that
# adds files also adds their F: lines, and the last one has the whole entry.
maintainers_entry_for_index() {
	local entry=$BUILD/MAINTAINERS.entry line path blob
	[ -f "$TOP/MAINTAINERS" ] || return 0
	: >"$entry"
	while IFS= read -r line; do
		if [[ $line == F:* ]]; then
			path=${line#F:}
			path=${path#"${path%%[![:space:]]*}"}
			[ -n "$(git_src ls-files --cached -- "$path")" ] || continue
		fi
		printf '%s\n' "$line" >>"$entry"
	done < <(base_text <"$TOP/MAINTAINERS")
	grep -q '^F:' "$entry" || return 0
	git_src show pristine:MAINTAINERS | insert_maintainers "$entry" \
		>"$BUILD/MAINTAINERS.new" || die "could not place the MAINTAINERS entry"
	blob=$(git_src hash-object -w "$BUILD/MAINTAINERS.new")
	git_src update-index --cacheinfo "100644,$blob,MAINTAINERS"
	rm -f "$entry" "$BUILD/MAINTAINERS.new"
}

# owned_files: every file the series owns outright, relative to $TOP.
owned_files() {
	(cd "$TOP" && find "${OWNED_DIRS[@]}" -type f 2>/dev/null | sort)
	[ -f "$TOP/MAINTAINERS" ] && echo MAINTAINERS
	return 0
}

# patch_for FILE: the patch (basename) that owned FILE is folded into.
patch_for() {
	awk -v f="$1" '!/^#/ && NF == 2 && (f == $1 || index(f, $1 "/") == 1) { print $2; exit }' \
		"$TOP/patches/owners"
}

# base_path PATH: where the owned file PATH lands on this base.
base_path() {
	[ -f "$KBASE_PATCHES/paths" ] || { echo "$1"; return; }
	awk -v f="$1" '!/^#/ && NF == 2 && index(f, $1) == 1 {
		f = $2 substr(f, length($1) + 1)
		exit
	}
	END { print f }' "$KBASE_PATCHES/paths"
}

# base_text < IN > OUT: IN with every path prefix of the map rewritten, and
# the placeholder identity replaced with the user's (if git has one).
IDENT=$(series_identity)
base_text() {
	local map=
	[ -f "$KBASE_PATCHES/paths" ] && map=$KBASE_PATCHES/paths
	MAP=$map IDENT=$IDENT PLACEHOLDER=$SERIES_PLACEHOLDER perl -pe 'BEGIN {
		if ($ENV{MAP} ne "") {
			open(my $m, "<", $ENV{MAP}) or die "$!";
			while (<$m>) { push @map, [split] if !/^#/ && split == 2 }
		}
	}
	foreach my $e (@map) { s/\Q$e->[0]\E/$e->[1]/g }
	s/\Q$ENV{PLACEHOLDER}\E/$ENV{IDENT}/g if $ENV{IDENT} ne ""'
}

# step_text PATCH FILE < IN > OUT: an owned file as it is once PATCH is
# applied. One file holds every step of a file the series builds up over
# several patches: lines from "/* series: TAG */" to "/* series: end */"
# join the series with the patch that patches/steps names for TAG, and are
# left out before it; lines from "/* series: until TAG */" to the next
# "/* series: end */" are there only before it, for the few places where an
# earlier patch has a line that a later one changes. Blocks nest; each
# marker is alone on its line, and no marker is ever part of the series.
# Where a left-out block leaves blank lines together, one stays, and a
# step never ends in a blank line.
step_text() {
	PATCH=$1 FILE=$2 STEPS=$TOP/patches/steps perl -ne 'BEGIN {
		open(my $s, "<", $ENV{STEPS}) or die "$ENV{STEPS}: $!\n";
		while (<$s>) { my @f = split; $step{$f[0]} = $f[1] if @f == 2 && !/^#/ }
		$hide = 0;
	}
	if (m{^\s*/\* series: (until )?(\S+) \*/\s*$}) {
		my ($until, $tag) = ($1, $2);
		if ($tag eq "end" && !$until) {
			die "$ENV{FILE}:$.: series: end without a block\n" unless @open;
			$hide-- if pop @open;
			next;
		}
		die "$ENV{FILE}:$.: patches/steps has no step $tag\n" unless exists $step{$tag};
		my $later = ($step{$tag} cmp $ENV{PATCH}) > 0;
		my $h = $until ? !$later : $later;
		push @open, $h;
		$hide++ if $h;
		next;
	}
	if ($hide) {
		$gap = 1;
		next;
	}
	# Blank lines wait for the next line that is not: where a left-out
	# block stood among them, one is enough, and at the end none is.
	if (/^\s*$/) {
		push @blanks, $_;
		next;
	}
	print $gap ? $blanks[0] : @blanks if @blanks;
	@blanks = ();
	$gap = 0;
	print;
	END { die "$ENV{FILE}: a series block is not ended\n" if @open }'
}

# base_owned FILE < IN > OUT: IN with this base's hunks on the owned FILE,
# patches/$KBASE/owned/FILE.diff, if any: where this base has another
# interface than 6.1 and none serves both. Applied to the whole file, every
# step included, so that it holds at every patch that carries the file.
base_owned() {
	local diff=$KBASE_PATCHES/owned/$1.diff tmp
	if [ ! -f "$diff" ]; then
		cat
		return
	fi
	tmp=$(mktemp -d "$BUILD/owned.XXXXXX")
	mkdir -p "$tmp/$(dirname "$1")"
	cat >"$tmp/$1"
	# patch(1), not git apply: under build/ git would take the paths as
	# the project's own and skip them.
	patch -s -p1 -F0 --no-backup-if-mismatch -d "$tmp" <"$diff" >&2 ||
		die "patches/$KBASE/owned/$1.diff does not apply to $1"
	cat "$tmp/$1"
	rm -rf "$tmp"
}

# insert_maintainers ENTRYFILE < MAINTAINERS > NEW: our entry, sorted by title.
insert_maintainers() {
	awk -v entryfile="$1" '
	BEGIN {
		while ((getline l < entryfile) > 0)
			entry = entry l "\n"
		split(entry, el, "\n")
		title = el[1]
	}
	inlist && !done && prev == "" && /^[A-Z0-9]/ && $0 !~ /^[A-Z]:/ && $0 > title {
		printf "%s\n", entry
		done = 1
	}
	/^Maintainers List/ { inlist = 1 }
	{ print; prev = $0 }
	END { if (!done) exit 1 }'
}

stamp_inputs() {
	(
		cd "$TOP"
		sha256sum "$TARBALL" "$HARNESS/tree.sh" | cut -c1-64
		echo "$IDENT"
		find patches -type f | sort | xargs -r sha256sum
		owned_files | xargs -r sha256sum
	) | sha256sum | cut -c1-64
}

# build_series: prints the commit id of the series' last commit.
build_series() {
	local idx=$BUILD/series.index head patch owned f p
	export GIT_INDEX_FILE=$idx
	export GIT_COMMITTER_DATE=@$SOURCE_DATE_EPOCH
	export GIT_COMMITTER_NAME="hyp harness" GIT_COMMITTER_EMAIL="harness@localhost"
	git_src read-tree pristine
	head=$(git_src rev-parse pristine)

	# Every owned file must belong to a patch (MAINTAINERS to all).
	while read -r f; do
		[ -n "$(patch_for "$f")" ] || die "owned file $f is in no patch: add it to patches/owners"
	done < <(owned_files | grep -vx MAINTAINERS)

	# This base's hunks replace those of a patch that is there.
	for f in "$KBASE_PATCHES"/*.diff; do
		[ -e "$f" ] || continue
		f=$(basename "$f" .diff)
		[ -f "$TOP/patches/$f.patch" ] || [ -f "$TOP/patches/$f.msg" ] ||
			die "patches/$KBASE/$f.diff: there is no patches/$f.patch"
	done

	local all
	mapfile -t all < <(find "$TOP/patches" -maxdepth 1 -type f \
		\( -name '*.patch' -o -name '*.msg' \) | sort)
	for patch in "${all[@]}"; do
		p=$(basename "$patch")
		local msg=$BUILD/series.msg info own=$KBASE_PATCHES/${p%.*}.diff
		local skip=()
		info=$(git_src mailinfo -b "$msg" /dev/null <"$patch")
		if [ -f "$own" ]; then
			while read -r f; do
				skip+=(--exclude="$f")
			done < <(sed -n 's|^+++ b/||p' "$own")
		fi
		# NAME.msg: a commit message alone, for a patch that carries
		# only owned files (a new binding), so that nothing in patches/
		# is a .patch without a diff.
		if [[ $p == *.msg ]]; then
			! grep -q '^diff --git ' "$patch" ||
				die "patches/$p has hunks: name it ${p%.msg}.patch"
		else
			base_text <"$patch" |
				git_src apply --cached --whitespace=nowarn "${skip[@]}" - ||
				die "patches/$p does not apply (on pristine $KBASE + the patches before it)"
		fi
		# Every owned file that has joined the series by this patch,
		# as it is at this patch (step_text).
		while read -r f; do
			local owner
			owner=$(patch_for "$f")
			[[ ! $owner > $p ]] || continue
			local mode=100644
			[ -x "$TOP/$f" ] && mode=100755
			owned=$(base_text <"$TOP/$f" | base_owned "$f" | step_text "$p" "$f" |
				git_src hash-object -w --stdin) || die "cannot fold $f into patches/$p"
			git_src update-index --add --cacheinfo "$mode,$owned,$(base_path "$f")"
		done < <(owned_files | grep -vx MAINTAINERS)
		# After the owned files: a base's hunks may also adapt one of
		# them to an interface that base alone has.
		if [ -f "$own" ]; then
			git_src apply --cached --whitespace=nowarn "$own" ||
				die "patches/$KBASE/${own##*/} does not apply (after patches/$p and its owned files)"
		fi
		maintainers_entry_for_index
		local subject author email date
		subject=$(sed -n 's/^Subject: //p' <<<"$info" | base_text)
		author=$(sed -n 's/^Author: //p' <<<"$info")
		email=$(sed -n 's/^Email: //p' <<<"$info")
		if [ -n "$IDENT" ]; then
			author=${IDENT% <*}
			email=${IDENT##*<}
			email=${email%>}
		fi
		date=$(sed -n 's/^Date: //p' <<<"$info")
		head=$(printf '%s\n\n%s' "$subject" "$(base_text <"$msg")" |
			GIT_AUTHOR_NAME=$author GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
			git_src commit-tree "$(git_src write-tree)" -p "$head")
	done
	# Owned files mapped to a patch that does not exist never got in.
	while read -r f; do
		[ -f "$TOP/patches/$(patch_for "$f")" ] || die "patches/owners maps $f to a missing patch"
	done < <(owned_files | grep -vx MAINTAINERS)
	unset GIT_INDEX_FILE
	rm -f "$idx" "$BUILD/series.msg"
	echo "$head"
}

mkdir -p "$BUILD"
[ -d "$SRC/.git" ] || unpack_pristine

stamp=$(stamp_inputs)
if [ -f "$BUILD/src.stamp" ] && [ "$(cat "$BUILD/src.stamp")" = "$stamp" ] &&
   [ -z "$(git_src status --porcelain --untracked-files=no)" ]; then
	echo "== tree: up to date ($(git_src rev-list --count pristine..HEAD) patches)"
	exit 0
fi

stage_begin "tree: apply patches/ and owned files"
rm -f "$BUILD/src.stamp"
head=$(build_series)
git_src checkout -q -f --detach "$head"
git_src branch -f series "$head"
echo "$stamp" >"$BUILD/src.stamp"
stage_end "$(git_src rev-list --count pristine..HEAD) patches"
