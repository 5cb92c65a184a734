#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The two bases carry one series: git range-diff of the 6.1 queue against
# the 6.12 queue, each applied on its pristine tree, may show only the
# differences the bases force.
#
# Every patch must pair with the patch at the same place in the other queue.
# In a pair that differs, a line that differs only in the upstream text
# around a hunk (context, hunk headers, file headers) is the bases' own
# difference and passes. A line the series itself adds or removes must,
# once Documentation/arch/arm/ is read as Documentation/arm/ (6.12 moved
# the ARM documentation), have its twin on the other side, or match one of
# the extended regular expressions in patches/6.12/allowed-differences,
# each of which says why the bases force it. A difference of a whole block
# is allowed by two lines there, "block: RE" and "until: RE": from a line
# one side alone adds that matches the first to the next that matches the
# second, every line that side alone adds passes. Anything else fails, with
# the range-diff. An allowance that no line needs any more fails too, so the
# list stays exact.
#
# usage: rangediff.sh        (make check; needs both trees: queue.sh tree)
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

ALLOWED=$TOP/patches/6.12/allowed-differences
src61=$SHARED/src
src612=$SHARED/6.12/src
KBASE=6.1 "$HARNESS/queue.sh" tree >/dev/null
KBASE=6.12 "$HARNESS/queue.sh" tree >/dev/null

# A scratch repository that sees both trees' objects (alternates): range-diff
# needs both ranges in one repository, and nothing is copied.
rd=$SHARED/rangediff.git
rm -rf "$rd"
git init -q --bare "$rd"
printf '%s\n' "$src61/.git/objects" "$src612/.git/objects" >"$rd/objects/info/alternates"
for b in 61:"$src61" 612:"$src612"; do
	for r in pristine series; do
		git --git-dir="$rd" update-ref "refs/$r/${b%%:*}" "$(git -C "${b#*:}" rev-parse "$r")"
	done
done
out=$SHARED/logs/range-diff.txt
mkdir -p "$(dirname "$out")"
git --git-dir="$rd" range-diff --no-color refs/pristine/61..refs/series/61 \
	refs/pristine/612..refs/series/612 >"$out"
rm -rf "$rd"

grep -vE '^#|^[[:space:]]*$' "$ALLOWED" >"$out.allowed" || true
awk -v allowedfile="$out.allowed" '
	function norm(s) { gsub(/Documentation\/arch\/arm\//, "Documentation/arm/", s); return s }
	function settle(   k, i, ok) {
		for (k in minus) {
			if (minus[k] > 0 && plus[k] > 0) {
				c = minus[k] < plus[k] ? minus[k] : plus[k]
				minus[k] -= c; plus[k] -= c
			}
		}
		for (k in minus) for (; minus[k] > 0; minus[k]--) judge(pair, "6.1 only:  " k)
		for (k in plus) for (; plus[k] > 0; plus[k]--) judge(pair, "6.12 only: " k)
		delete minus; delete plus
	}
	function judge(p, line,   i, ok) {
		ok = 0
		for (i = 1; i <= na; i++)
			if (substr(line, 12) ~ allowed[i]) { used[i] = 1; ok = 1 }
		if (!ok) { printf "%s: %s\n", p, line; bad++ }
	}
	BEGIN {
		while ((getline l < allowedfile) > 0) {
			if (l ~ /^block: /) bstart[++nb] = substr(l, 8)
			else if (l ~ /^until: /) bend[nb] = substr(l, 8)
			else allowed[++na] = l
		}
	}
	/^ *[0-9-]+: +[0-9a-f-]+ [=!<>] / {
		settle()
		pair = $0
		sub(/^ */, "", pair)
		if ($0 ~ / [<>] /) { printf "unpaired: %s\n", pair; bad++ }
		split(pair, f, " ")
		if (f[1] != f[4]) { printf "out of order: %s\n", pair; bad++ }
		n++
		next
	}
	# An allowed block: what one side alone adds, from its start to its end.
	inblock && substr($0, 5, 1) == side && /^    [-+]\+/ {
		if (substr($0, 6) ~ bend[inblock]) inblock = 0
		next
	}
	/^    [-+]\+/ {
		for (i = 1; i <= nb; i++)
			if (substr($0, 6) ~ bstart[i]) {
				inblock = i; side = substr($0, 5, 1); bused[i] = 1
				next
			}
	}
	# A line the series adds or removes, on one side of the pair only.
	/^    [-+][-+]/ {
		k = norm(substr($0, 7))
		if (substr($0, 5, 1) == "-") minus[substr($0, 6, 1) k]++
		else plus[substr($0, 6, 1) k]++
	}
	END {
		settle()
		for (i = 1; i <= na; i++)
			if (!used[i]) { printf "allowed-differences: no line needs /%s/ any more\n", allowed[i]; bad++ }
		for (i = 1; i <= nb; i++)
			if (!bused[i]) { printf "allowed-differences: no block starts at /%s/ any more\n", bstart[i]; bad++ }
		if (inblock) { printf "allowed-differences: block /%s/ never ends\n", bstart[inblock]; bad++ }
		if (n == 0) { print "no patches compared"; bad++ }
		printf "%d patches paired, %d differences not allowed\n", n, bad
		exit bad > 0
	}' "$out" >"$out.verdict" || {
	cat "$out.verdict"
	echo "range-diff: $out; allowances: $ALLOWED"
	echo "A change made to one queue must be made to the other: git cherry-pick it from"
	echo "one imported tree (make pq) into the other (make pq KBASE=6.12), then make refresh"
	echo "for each base. A difference the bases force goes into $ALLOWED, with why."
	exit 1
}
cat "$out.verdict"
