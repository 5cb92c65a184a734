#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Device-tree checks of the series' binding, with Debian's dt-schema
# (2022.08) and the 6.1 tree with the series applied ($SRC, brought up to
# date by queue.sh tree), in their own build directory ($BUILD/dtcheck). One per call:
#   dtcheck.sh binding        make dt_binding_check on our binding alone:
#                             yamllint, dt-doc-validate (the meta-schemas),
#                             its example through dtc and dt-validate; the
#                             example must be matched by the binding, and
#                             the checker must print nothing
#   dtcheck.sh fw             the device tree our test firmware gives a
#                             scenario-2 boot (fw.sh dtb, layer on) against it
#   dtcheck.sh dtb FILE.dtb   FILE.dtb against our binding only: dt-validate
#                             with the processed schema the binding step
#                             makes, limited (-l) to our schema file, so the
#                             other 6.1 bindings report nothing; FILE.dtb must
#                             have a node the binding selects, without errors
# The kernel's rules ignore the validators' exit codes (and dt-validate
# exits 0 on schema errors), so the verdict here is their output.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

BINDINGS=Documentation/devicetree/bindings
BINDING=$BINDINGS/firmware/linux,arm-hyp-layer.yaml
# DT_SCHEMA_FILES and dt-validate -l both match by substring.
MATCH=firmware/linux,arm-hyp-layer.yaml
OUT=$BUILD/dtcheck
SCHEMA=$OUT/$BINDINGS/processed-schema.json
EXAMPLE=$OUT/${BINDING%.yaml}.example.dtb

# validate DTB: dt-validate on DTB against our schema alone. Prints the
# nodes it selected and its findings; fails on a finding, or when it
# selected no node.
validate() {
	local out sel findings
	out=$(dt-validate -M -l "$MATCH" -s "$SCHEMA" "$1" 2>&1)
	sel=$(grep -B1 -x "	http://devicetree.org/schemas/${MATCH}#" <<<"$out" |
		sed -n 's/^.*: \(\/[^ ]*\): matched on schema(s)$/  \1/p' || true)
	findings=$(grep -v -e ': matched on schema(s)$' \
		-e '^	http://devicetree.org/schemas/' <<<"$out" || true)
	if [ -n "$sel" ]; then
		echo "$1: selected by $MATCH:"
		echo "$sel"
	else
		echo "$1: no node selected by $MATCH" >&2
	fi
	if [ -n "$findings" ]; then
		echo "$findings"
		echo "$1: findings above" >&2
	fi
	[ -n "$sel" ] && [ -z "$findings" ]
}

# stamp: what a clean result of the binding step holds for.
stamp() {
	git -C "$SRC" rev-parse HEAD
	git -C "$SRC" status --porcelain -- "$BINDINGS"
	sha256sum "$SRC/$BINDING" "$HARNESS/dtcheck.sh"
	dt-doc-validate --version
	yamllint --version
}

binding() {
	local log=$OUT/dt_binding_check.log findings st
	"$HARNESS/queue.sh" tree >/dev/null
	[ -f "$SRC/$BINDING" ] || die "$BINDING is not in $SRC (does a patch in patches/$KBASE add it?)"
	st=$(stamp | sha256sum | cut -c1-64)
	if [ -f "$SCHEMA" ] && [ "$(cat "$OUT/clean.stamp" 2>/dev/null)" = "$st" ]; then
		echo "dt_binding_check: $BINDING is clean (unchanged since the last check)"
		return 0
	fi
	# kbuild reruns the checks only when an input changed, and a check that
	# found something still leaves its output behind: so the outputs of our
	# file go first, and the checks run again.
	rm -f "$OUT/clean.stamp" "$SCHEMA" "$OUT/$BINDINGS/.processed-schema.json.cmd" \
		"$OUT/${BINDING%.yaml}".example.* "$OUT/$(dirname "$BINDING")"/.linux,arm-hyp-layer.example.*
	echo "checking $BINDING (dt-schema $(dt-doc-validate --version)," \
		"$(yamllint --version)) with the $(make -s -C "$SRC" kernelversion) tree"
	run_logged "$log" make -C "$SRC" O="$OUT" -j"$(nproc)" \
		dt_binding_check DT_SCHEMA_FILES="$MATCH"
	# Left of the log are kbuild's "  VERB    target" lines and make's
	# directory lines; anything else is a finding.
	findings=$(grep -v -E -e '^  [A-Z_]+ +[^ ]+$' \
		-e "^make(\[[0-9]+\])?: (Entering|Leaving) directory " "$log" || true)
	grep -E '^  (LINT|CHKDT|SCHEMA|DTEX|DTC_CHK) ' "$log" | sed "s|$OUT/||; s|$SRC/||"
	if [ -n "$findings" ]; then
		echo "$findings"
		echo "dt_binding_check: findings above (full log: $log)" >&2
		return 1
	fi
	[ -f "$EXAMPLE" ] || die "no example was built for $BINDING"
	validate "$EXAMPLE"
	echo "$st" >"$OUT/clean.stamp"
	echo "dt_binding_check: $BINDING is clean"
}

for t in dt-validate yamllint; do
	command -v "$t" >/dev/null || die "$t is missing: run tools/harness/deps.sh"
done

case ${1:-} in
binding)
	binding
	;;
dtb)
	dtb=${2:?dtb file}
	[ -f "$dtb" ] || die "no such file: $dtb"
	# The processed schema comes from the binding step, which is quick
	# when nothing changed since its last clean run.
	binding
	echo "checking $dtb against $MATCH (dt-schema $(dt-validate --version))"
	validate "$dtb"
	echo "$dtb: clean"
	;;
fw)
	mkdir -p "$OUT"
	"$HARNESS/fw.sh" dtb 2 cortex-a15 /dev/null "console=ttyAMA0" "$OUT/fw-layer.dtb" "" 0 1
	"$0" dtb "$OUT/fw-layer.dtb"
	;;
*)
	die "usage: dtcheck.sh binding|fw|dtb FILE.dtb"
	;;
esac
