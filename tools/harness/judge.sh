#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The judge's own test: judge.py on the recorded serial logs in
# tools/harness/judge/recorded/ (judge/test_judge.py says what each must
# give). Prints which log or case does not hold; exit status non-zero then.
#
# usage: judge.sh test
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = test ] || die "usage: judge.sh test"
cd "$HARNESS/judge"
exec python3 -m unittest test_judge 2>&1
