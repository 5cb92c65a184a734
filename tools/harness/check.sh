#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: builds what the tests need, runs every test, prints KTAP.
#
# Each top-level KTAP test is a scenario (a QEMU boot, or a host-side check);
# a boot's guest cases are its nested subtests. The closing line counts the
# leaf cases: "N passed, N failed" (", N skipped" when some were skipped).
# The unpatched baseline runs the same boots beside it: reported in the
# table, never counted. Exit status is non-zero on any failure.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

T0=$(date +%s)
"$HARNESS/deps.sh"
"$HARNESS/tree.sh"
"$HARNESS/kernel.sh" test
BASE=1 "$HARNESS/kernel.sh" test
"$HARNESS/initramfs.sh"

# name | kind | arguments. kind "host": a command run on the host; "boot":
# scenario.sh arguments (guest scenario first), run on the patched kernel
# and then on the baseline; "patched": the same without the baseline.
TESTS=(
	"series_applies_on_pristine|host|$HARNESS/series.sh --check"
	"series_checkpatch_strict|host|$HARNESS/lint.sh checkpatch"
	"kernel_doc_clean|host|$HARNESS/lint.sh kernel-doc"
	"harness_shellcheck_clean|host|$HARNESS/lint.sh shellcheck"
	"w1_sparse_clean_test|host|$HARNESS/lint.sh objects lint"
	"builds_thumb2|host|$HARNESS/lint.sh objects thumb2"
	"builds_big_endian|host|$HARNESS/lint.sh objects be"
	"builds_lpae|host|$HARNESS/lint.sh objects lpae"
	"builds_up|host|$HARNESS/lint.sh objects up"
	"builds_without_virt_ext|host|$HARNESS/lint.sh objects novirt"
	"zimage_modules_thumb2|host|$HARNESS/lint.sh zimage thumb2"
	"thumb2_hyp_2cpu|patched|boot --config thumb2 --mode hyp --cpus 2"
	"thumb2_svc_2cpu|patched|boot --config thumb2 --mode svc --cpus 2"
)
# Entry modes x CPUs x models x images: the zImage goes through the
# decompressor, the Image straight into head.S.
for model in cortex-a15 cortex-a7; do
	for mode in hyp svc; do
		for cpus in 1 2 3 4; do
			for image in zImage Image; do
				TESTS+=("${model#cortex-}_${mode}_${cpus}cpu_${image,,}|boot|boot --cpu $model --mode $mode --cpus $cpus --image $image")
			done
		done
	done
done
TESTS+=(
	"hyp_2cpu_locked|boot|boot --mode hyp --cpus 2 --cmdline hyp_stub_lock"
	"uboot_hyp_1cpu|boot|boot --via uboot --mode hyp --cpus 1 --timeout 90"
	"uboot_hyp_4cpu|boot|boot --via uboot --mode hyp --cpus 4 --timeout 90"
	"uefi_svc_2cpu|boot|boot --via uefi --mode svc --cpus 2 --timeout 90"
	"late_cpus_hyp_4cpu|patched|late --mode hyp --cpus 4 --cmdline maxcpus=1"
	"late_cpus_svc_4cpu|patched|late --mode svc --cpus 4 --cmdline maxcpus=1"
	"hotplug_500_cycles_hyp_4cpu|patched|hotplug --mode hyp --cpus 4 --cmdline harness.cycles=500 --timeout 400"
	"hibernate_resume_hyp_2cpu|patched|hibernate --mode hyp --cpus 2 --hibernate 1 --timeout 120"
	"hibernate_resume_svc_2cpu|patched|hibernate --mode svc --cpus 2 --hibernate 1 --timeout 120"
	"kexec_chain_5_hyp|boot|kexec --mode hyp --cpus 2 --cmdline harness.gens=5 --timeout 120"
	"kexec_chain_5_svc|boot|kexec --mode svc --cpus 2 --cmdline harness.gens=5 --timeout 120"
)

passed=0 failed=0 skipped=0 n=0
report=$BUILD/report.md
rows=()
mkdir -p "$BUILD/results"

echo "KTAP version 1"
echo "1..${#TESTS[@]}"
for t in "${TESTS[@]}"; do
	IFS='|' read -r name kind args <<<"$t"
	n=$((n + 1))
	read -ra argv <<<"$args"
	if [ "$kind" = host ]; then
		t1=$(date +%s.%N)
		log=$BUILD/logs/$name.log
		if "${argv[@]}" >"$log" 2>&1; then
			verdict=ok
			passed=$((passed + 1))
		else
			verdict=fail
			failed=$((failed + 1))
			tail -n 20 "$log" | sed 's/^/    # /'
		fi
		secs=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t1" | bc)")
		base=-
	else
		"$HARNESS/scenario.sh" "$name" patched "${argv[@]}"
		res=$BUILD/results/$name.ktap
		grep -v '^RESULT \|^TIME ' "$res"
		read -r _ p f s verdict reason < <(grep '^RESULT ' "$res")
		secs=$(sed -n 's/^TIME //p' "$res")
		passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
		if [ -n "$reason" ]; then
			failed=$((failed + 1))
			echo "    # $reason: log $BUILD/logs/boot/$name.log"
			tail -n 15 "$BUILD/logs/boot/$name.log" | sed 's/^/    # | /'
		fi
		# The baseline: same boot, unpatched kernel, not counted.
		base=-
		if [ "$kind" = boot ]; then
			"$HARNESS/scenario.sh" "$name" base "${argv[@]}"
			read -r _ _ _ _ base _ < <(grep '^RESULT ' "$BUILD/results/base-$name.ktap")
			bsecs=$(sed -n 's/^TIME //p' "$BUILD/results/base-$name.ktap")
			base="$base (${bsecs} s)"
		fi
	fi
	echo "# $name: ${secs} s, baseline: $base"
	if [ "$verdict" = ok ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
	fi
	rows+=("| $name | $verdict (${secs} s) | $base |")
done

{
	echo "| scenario | patched | baseline (not counted) |"
	echo "|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >"$report"
echo "# Matrix ($report):"
sed 's/^/# /' "$report"
echo "# make check took $(($(date +%s) - T0)) s"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
