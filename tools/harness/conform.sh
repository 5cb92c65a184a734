#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make conform LAYER=FILE: runs a firmware HYP layer, given as a binary,
# through the boots that make check runs over our own layer, and prints one
# KTAP case for each, the guest's own cases nested in it.
#
# usage: conform.sh FILE
#        conform.sh --reference      our layer (build/fw/layer.bin)
#        conform.sh --broken-uid     our layer with one byte of its UID
#                                    changed: must fail, and only where the
#                                    kernel identifies the layer
#        conform.sh --reference-at ADDR  ours, linked to run at ADDR and
#                                    loaded there (LAYER_ADDR=ADDR)
#        conform.sh --mutants        copies of our layer with one defect
#                                    each (conform-mutants): each must fail
#                                    exactly the cases its line names
#   FILE: the layer's code and data as they sit in memory, its vector
#   table (ARM, not Thumb) at its start, at most FW_LAYER_SIZE bytes. Our
#   firmware loads it at LAYER_ADDR (default FW_LAYER, 0x48000000, fw.sh:
#   2 MiB aligned, from 0x43200000 up, below 0x4fe00000: the last 2 MiB
#   of the boots' 256 MiB hold the firmware's parameters; the example's
#   reservation moves with it), enters every CPU in
#   non-secure SVC with HVBAR at its start, as the ABI document's boot
#   contract says, and gives the kernel the document's worked example as
#   its device tree nodes. The test kernel (make boot builds it) is the
#   caller.
# What the boots check (the layer rows of make check):
#   conform   the numbered cases: the harness's hyp_conform module makes
#             each requirement of the ABI document one case that names its
#             section, on every CPU with raw HVCs: discovery, each call's
#             results and refusals, unknown IDs (legacy and SMCCC), the
#             immediate, registers preserved, ARM and Thumb installs and
#             the hand-back, SOFT_RESTART's target state, then the lock on
#             every CPU and on a CPU that comes online after it
#   boot      Linux identifies the layer (SMCCC_VERSION, the UID, the
#             revision, HVC_ABI_STATE), reports it, and the three KUnit
#             suites run over it: every call, refusals, unknown IDs, the
#             Thumb bit, alignment, the lock on every CPU, install and
#             hand-back of a test hypervisor on every CPU, SOFT_RESTART
#   idle      a CPU powered down through PSCI CPU_SUSPEND comes back over
#             the layer, and a hypervisor installs again
#   hotplug   CPUs taken offline and back (PSCI CPU_OFF, CPU_ON): the layer
#             answers on each as it returns
#   kexec     three kernels in a chain, each finding the layer again
#   claimback a CPU a hypervisor claimed comes back to the layer
# Exit status 0 when every case passed.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

ROWS=(
	"conform_calls_a15_2cpu|conform --via fw --modes ss --layer 1"
	"conform_calls_a7_4cpu|conform --via fw --modes ssss --layer 1 --cpu cortex-a7"
	"conform_boot_a15_2cpu|boot --via fw --modes ss --layer 1"
	"conform_boot_a7_4cpu|boot --via fw --modes ssss --layer 1 --cpu cortex-a7"
	"conform_idle_power_down_2cpu|idle --via fw --modes ss --idle 1 --layer 1"
	"conform_hotplug_20_cycles_4cpu|hotplug --via fw --modes ssss --layer 1 --cmdline harness.cycles=20 --timeout 200"
	"conform_kexec_chain_3|kexec --via fw --modes ss --layer 1 --cmdline harness.gens=3 --timeout 120"
	"conform_claimed_cpu_back_2cpu|claimback --via fw --modes ss --layer 1"
)

# mutants: each line of conform-mutants, its copy booted through the first
# conform row; the cases that fail must be the line's, no more, no fewer.
mutants() {
	local cases what prog n=0 bad=0 name got want res jrc
	local dir=$BUILD/fw/mutants row=${ROWS[0]}
	local -a argv
	unset FW_LAYER_ADDR		# the mutants are linked at FW_LAYER
	mkdir -p "$dir"
	"$HARNESS/kernel.sh" test >/dev/null
	read -ra argv <<<"${row#*|}"
	echo "KTAP version 1"
	echo "1..$(grep -cv '^#' "$HARNESS/conform-mutants")"
	while IFS='|' read -r cases what prog; do
		n=$((n + 1))
		name=mutant_$n
		sed "$prog" "$HARNESS/fw/layer.S" >"$dir/$name.S"
		if cmp -s "$dir/$name.S" "$HARNESS/fw/layer.S"; then
			echo "    # line $n: its sed program changes nothing"
			echo "not ok $n ${cases:-no_case_fails}"
			bad=$((bad + 1))
			continue
		fi
		"$HARNESS/fw.sh" layer "$dir/$name.S" "$dir/$name.bin"
		rm -f "$BUILD/results/conform_$name.ktap"
		FW_LAYER_FILE=$dir/$name.bin "$HARNESS/scenario.sh" "conform_$name" patched \
			"${argv[@]}" >"$BUILD/logs/boot/conform_$name.harness" 2>&1 || true
		res=$BUILD/results/conform_$name.ktap
		# Every case the judge failed in this boot (judge.py --cases:
		# "fail conform.NAME", named NAME here; any other, say the log's
		# host > serial_log_complete, by its whole name, so that a boot
		# that broke down matches no line).
		# No verdict at all (scenario.sh or the judge broke down) matches
		# no line either.
		got=no_result
		if grep -q '^RESULT [0-9]* [0-9]* [0-9]* [a-z]*$' "$res" 2>/dev/null; then
			jrc=0
			"$HARNESS/judge.py" --cases "$BUILD/logs/boot/conform_$name.log" \
				>"$dir/$name.cases" || jrc=$?
			got=judge_exited_$jrc
			[ "$jrc" -gt 1 ] ||
				got=$(sed -n 's/^fail \(conform\.\)\?//p' "$dir/$name.cases" |
				      sort | paste -sd, -)
		fi
		want=$(tr , '\n' <<<"$cases" | sort | paste -sd, -)
		echo "    # $what: failed ${got:-nothing}"
		if [ "$got" = "$want" ]; then
			echo "ok $n ${cases:-no_case_fails}"
		else
			echo "    # want exactly ${want:-no failed case} (log $BUILD/logs/boot/conform_$name.log)"
			echo "not ok $n ${cases:-no_case_fails}"
			bad=$((bad + 1))
		fi
	done < <(grep -v '^#' "$HARNESS/conform-mutants")
	[ "$bad" = 0 ]
}

# layer_addr: LAYER_ADDR checked, and passed on to fw.sh.
layer_addr() {
	local a
	[ -n "${LAYER_ADDR:-}" ] || return 0
	[[ $LAYER_ADDR =~ ^0x[0-9a-fA-F]{1,8}$ ]] || die "LAYER_ADDR=$LAYER_ADDR: want a hex address, 0x..."
	a=$((LAYER_ADDR))
	export FW_LAYER_ADDR=$LAYER_ADDR
	[ $((a % 0x200000)) = 0 ] || die "LAYER_ADDR=$LAYER_ADDR: not 2 MiB aligned (the document's rule)"
	[ "$a" -ge $((0x43200000)) ] && [ $((a + 0x200000)) -le $((0x4fe00000)) ] && return 0
	die "LAYER_ADDR=$LAYER_ADDR: outside 0x43200000-0x4fe00000 (the kernel, initramfs and device tree lie below; the firmware's parameters and the end of RAM above)"
}

layer_addr
"$HARNESS/fw.sh" build
expect_fail=''
case ${1:-} in
--reference) layer=$BUILD/fw/layer.bin ;;
--reference-at)
	[ -n "${2:-}" ] || die "usage: conform.sh --reference-at ADDR"
	LAYER_ADDR=$2
	layer_addr
	layer=$BUILD/fw/layer-at-$2.bin
	"$HARNESS/fw.sh" layer "$HARNESS/fw/layer.S" "$layer" "$2"
	;;
--mutants)
	mutants
	exit $?
	;;
--broken-uid)
	# The UID's first word sits in the layer's literal pool: change its
	# low byte. Nothing else of the layer changes.
	layer=$BUILD/fw/layer-broken-uid.bin
	cp "$BUILD/fw/layer.bin" "$layer"
	off=$(od -An -v -tx4 -w4 "$layer" | awk '$1 == "26fb3508" { print (NR - 1) * 4; exit }')
	[ -n "$off" ] || die "the UID's first word is not in $BUILD/fw/layer.bin"
	printf '\x09' | dd of="$layer" bs=1 seek="$off" conv=notrunc status=none
	expect_fail=conform_boot_a15_2cpu
	ROWS=("$(printf '%s\n' "${ROWS[@]}" | grep "^$expect_fail|")")
	;;
'' | -*) die "usage: [LAYER_ADDR=ADDR] conform.sh FILE | --reference | --reference-at ADDR | --broken-uid | --mutants" ;;
*) layer=$(realpath "$1") ;;
esac
[ -f "$layer" ] || die "no such file: $layer"
export FW_LAYER_FILE=$layer
# The test kernel; scenario.sh packs the initramfs (make check: once).
"$HARNESS/kernel.sh" test >/dev/null

echo "KTAP version 1"
echo "# layer: $layer ($(stat -c %s "$layer") bytes, sha256 $(sha256sum "$layer" | cut -c1-12)), at ${FW_LAYER_ADDR:-0x48000000}"
echo "1..${#ROWS[@]}"
n=0 failed=0
for row in "${ROWS[@]}"; do
	n=$((n + 1))
	IFS='|' read -r name args <<<"$row"
	read -ra argv <<<"$args"
	rm -f "$BUILD/results/$name.ktap"
	"$HARNESS/scenario.sh" "$name" patched "${argv[@]}" >"$BUILD/logs/boot/$name.harness" 2>&1 || true
	res=$BUILD/results/$name.ktap
	verdict=fail reason="no result"
	if [ -f "$res" ]; then
		grep -v '^RESULT \|^TIME ' "$res" || true
		read -r _ _ _ _ verdict reason < <(grep '^RESULT ' "$res") || true
	fi
	if [ "$verdict" = ok ] && [ -z "$reason" ]; then
		echo "ok $n $name"
	else
		failed=$((failed + 1))
		echo "    # ${reason:-failed}: log $BUILD/logs/boot/$name.log"
		echo "not ok $n $name"
	fi
done
if [ -n "$expect_fail" ]; then
	# The broken copy: the boot fails, and where it should: the kernel
	# does not identify the layer, so it reports none.
	grep -qx 'fail hyp_layer_reported' < <("$HARNESS/judge.py" --cases \
		"$BUILD/logs/boot/$expect_fail.log") ||
		die "the layer with a broken UID was not refused where the kernel identifies it"
	[ "$failed" = 1 ] || die "the layer with a broken UID passed $expect_fail"
	echo "# the layer with a broken UID failed $expect_fail (hyp_layer_reported), as it must"
	exit 0
fi
echo "# $((n - failed)) of $n passed"
[ "$failed" = 0 ]
