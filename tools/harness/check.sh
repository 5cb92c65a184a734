#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: builds what the tests need, runs every test, prints KTAP.
#
# Each top-level KTAP test is a scenario (a QEMU boot, or a host-side check);
# a boot's guest cases are its nested subtests. The closing line counts the
# leaf cases: "N passed, N failed" (", N skipped" when some were skipped).
# The unpatched baseline runs the same boots beside it: reported in the
# table, never counted. Exit status is non-zero on any failure.
#
# CHECK_ONLY=REGEX runs only the tests whose names match (bash =~);
# BASELINE=0 builds and boots no baseline. make check-fresh uses both to run
# one test of each kind in a fresh root; a full make check sets neither.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

T0=$(date +%s)
# Where the time goes: build/check-times.tsv has a line per stage, host test
# and boot (KIND NAME SECONDS [CORES]; KIND is stage, host or boot; CORES,
# for a stage, how many of the machine's cores were busy on average while it
# ran), and the table printed at the end (build/check-stages.md) sums it up
# by stage. The whole run's CORES times its seconds is the CPU work it did:
# divided by the cores, the least time any schedule of it could take here.
TIMES=$BUILD/check-times.tsv
STAGES=$BUILD/check-stages.md
mkdir -p "$BUILD"
: >"$TIMES.new"
# since T1: seconds from T1 (date +%s.%N) to now, to a tenth.
since() {
	printf '%.1f' "$(echo "$(date +%s.%N) - $1" | bc)"
}
# cpu_jiffies: busy and total jiffies of every CPU since boot (/proc/stat;
# iowait counts as idle).
cpu_jiffies() {
	awk '$1 == "cpu" { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit }' /proc/stat
}
# busy_since "BUSY TOTAL": the cores busy on average from then to now.
busy_since() {
	local b0 t0 b1 t1
	read -r b0 t0 <<<"$1"
	read -r b1 t1 < <(cpu_jiffies)
	awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" -v n="$(nproc)" \
		'BEGIN { printf "%.2f", (t > 0 ? n * b / t : 0) }'
}
timed() {
	local name=$1 t1 j1
	shift
	t1=$(date +%s.%N)
	j1=$(cpu_jiffies)
	"$@"
	printf 'stage\t%s\t%s\t%s\n' "$name" "$(since "$t1")" "$(busy_since "$j1")" >>"$TIMES.new"
}
# A full run's build/ peaks at about 26 GiB (README): refuse early, not when
# a disk fills up an hour in. A CHECK_ONLY run builds less; the fresh root
# checks its own share.
[ -n "${CHECK_ONLY:-}" ] || need_disk 28 "a full make check" "$BUILD"
J0=$(cpu_jiffies)
# disk_watch: the most of the disk in use during the run, sampled every
# 10 s (KiB, df; other users of the same disk count too: an upper bound of
# what the run needed), in results/disk.peak.
mkdir -p "$BUILD/results"
disk_used() {
	df -Pk "$BUILD" | awk 'NR == 2 { print $3 }'
}
DISK0=$(disk_used)
(peak=$DISK0
 while sleep 10; do
	u=$(disk_used)
	[ "$u" -le "$peak" ] || { peak=$u; echo "$peak" >"$BUILD/results/disk.peak"; }
 done) &
disk_watch=$!
trap 'kill $disk_watch 2>/dev/null || true' EXIT
echo "$DISK0" >"$BUILD/results/disk.peak"
timed deps "$HARNESS/deps.sh"
timed tree "$HARNESS/queue.sh" tree
timed "kernel test" "$HARNESS/kernel.sh" test
# The harness's raw-HVC probe module, for the boots that must ask HYP past
# the C API (a locked stub after a kexec or a restore).
timed "probe module" "$HARNESS/lint.sh" probe test
BASELINE=${BASELINE:-1}
[ "$BASELINE" = 0 ] || timed "kernel test (baseline)" env BASE=1 "$HARNESS/kernel.sh" test
# Jailhouse against both (or, without its source, the reason its boots skip).
timed jailhouse "$HARNESS/jailhouse.sh"
# The second base, linux-source-6.12 (build/6.12/): its rows are named
# k612_*, and run with KBASE=6.12.
K612=(env KBASE=6.12)
# Boots run BOOT_JOBS at a time (default: one per core); each QEMU keeps
# about one core busy. BOOT_JOBS=1 gives uncontended boot times.
BOOT_JOBS=${BOOT_JOBS:-$(nproc)}

# name | kind | arguments [| alone | build:GROUP]. kind "host": a command run
# on the host; "boot": scenario.sh arguments (guest scenario first), run on
# the patched kernel and then on the baseline; "patched": the same without
# the baseline. "alone": the boot runs with no other boot beside it (4 busy
# vCPUs stopping the machine for hotplug slow down badly when they share
# cores). "build:GROUP": a host test that builds in a tree of its own; it
# runs in the build pool (below), after the tests of its GROUP before it.
TESTS=(
	"series_applies_on_pristine|host|$HARNESS/series.sh --check"
	# The queue is the truth: exporting what git am made of it gives it
	# back byte for byte, and the top-level view is its last patch's files.
	"queue_round_trips|host|$HARNESS/queue.sh check"
	# One series on two bases: git range-diff of the queues shows only
	# what the bases force (patches/6.12/allowed-differences).
	"queues_match_across_bases|host|$HARNESS/rangediff.sh"
	"series_checkpatch_strict|host|$HARNESS/lint.sh checkpatch"
	"kernel_doc_clean|host|$HARNESS/lint.sh kernel-doc"
	"harness_shellcheck_clean|host|$HARNESS/lint.sh shellcheck"
	# What the series costs beside upstream, against tools/harness/bench/
	# budgets (make bench's fast form: two icount boots of each kernel).
	"bench_budgets|host|$HARNESS/bench.sh --fast"
	"w1_sparse_clean_test|host|$HARNESS/lint.sh objects lint|build:lint"
	# The binding (make dt_binding_check), and the firmware's device tree
	# for scenario 2 against it.
	"dt_binding_check_clean|host|$HARNESS/dtcheck.sh binding|build:dt"
	"fw_layer_dtb_matches_binding|host|$HARNESS/dtcheck.sh fw|build:dt"
	"builds_big_endian|host|$HARNESS/lint.sh objects be|build:be"
	"builds_lpae|host|$HARNESS/lint.sh objects lpae|build:lpae"
	"builds_up|host|$HARNESS/lint.sh objects up|build:up"
	# Every prefix of the series builds (vmlinux), in the test config,
	# Thumb-2+LPAE, without ARM_VIRT_EXT, and without the series' options
	# (apioff): the series bisects.
	"every_prefix_builds|host|$HARNESS/prefixes.sh|build:prefix"
	# Whole kernels of the variants QEMU can boot (LPAE is booted with
	# Thumb-2). Thumb-2+LPAE and ARM_VIRT_EXT=n build where the prefixes
	# above walked, after them: what is left is zImage and modules.
	"builds_thumb2_lpae|host|$HARNESS/lint.sh objects thumb2_lpae|build:prefix"
	"zimage_modules_thumb2_lpae|host|$HARNESS/lint.sh zimage thumb2_lpae|build:prefix"
	"builds_without_virt_ext|host|$HARNESS/lint.sh objects novirt|build:prefix"
	"zimage_modules_without_virt_ext|host|$HARNESS/lint.sh zimage novirt|build:prefix"
	"builds_without_hyp_api|host|$HARNESS/lint.sh objects apioff|build:prefix"
	"zimage_modules_without_hyp_api|host|$HARNESS/lint.sh zimage apioff|build:prefix"
	# What a kernel that hosts no hypervisor pays (bench/budgets).
	"options_off_size_budget|host|$HARNESS/bench.sh --options-off|build:prefix"
	# Big-endian and UP: whole kernels, each in the tree of its
	# object-level build above.
	"zimage_modules_up|host|$HARNESS/lint.sh zimage up|build:up"
	"zimage_big_endian|host|$HARNESS/lint.sh zimage be|build:be"
	"thumb2_lpae_hyp_2cpu|patched|boot --config thumb2_lpae --mode hyp --cpus 2"
	"thumb2_lpae_svc_2cpu|patched|boot --config thumb2_lpae --mode svc --cpus 2"
	# Thumb-2: the undefined-instruction hook for a missing layer's HVC
	# matches the Thumb encoding; and the layer itself.
	"thumb2_lpae_layer_2cpu|patched|boot --config thumb2_lpae --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1"
	# make conform's numbered cases from a Thumb-2 kernel: the raw calls,
	# and SOFT_RESTART's target returning to Thumb code.
	"thumb2_lpae_layer_conform_2cpu|patched|conform --config thumb2_lpae --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1"
	"thumb2_lpae_layer_missing_2cpu|patched|boot --config thumb2_lpae --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 2"
	"up_hyp_1cpu|patched|boot --config up --mode hyp --cpus 1"
	"up_svc_1cpu|patched|boot --config up --mode svc --cpus 1"
	"without_virt_ext_hyp_2cpu|patched|novirt --config novirt --mode hyp --cpus 2"
	"without_virt_ext_svc_2cpu|patched|novirt --config novirt --mode svc --cpus 2"
	"without_hyp_api_hyp_2cpu|patched|noapi --config apioff --mode hyp --cpus 2 --cmdline hyp_stub_lock"
	"without_hyp_api_svc_2cpu|patched|noapi --config apioff --mode svc --cpus 2"
	# Big-endian: the guest dumps, the host judges (scenario.sh --dump).
	# Its suite is built in: its long parts are asked for on the command line.
	"big_endian_hyp_2cpu|patched|boot --config be --mode hyp --cpus 2 --dump 1 --cmdline hyp_stub_kunit.stress=1"
	"big_endian_svc_2cpu|patched|boot --config be --mode svc --cpus 2 --dump 1 --cmdline hyp_stub_kunit.stress=1"
)
# Jailhouse's QEMU config: 1 GiB, of which Linux gets 768 MiB.
JH="--mem 1G --cmdline mem=768M"
# Hotplug waits for RCU grace periods at HZ=100: expedited ones make a cycle
# about 3 times faster without changing what the stub sees.
EXPEDITED="--cmdline rcupdate.rcu_expedited=1"
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
	# The suite and the kselftest as a CI farm runs them: quick, harmless.
	"hyp_2cpu_routine_run|boot|routine --mode hyp --cpus 2"
	# The suite's case that locks the stub at run time, with a CPU claimed
	# (destructive=1), and a fuzz seed given: both must reach the module.
	"hyp_2cpu_lock_while_claimed|boot|boot --mode hyp --cpus 2 --cmdline harness.kunit=destructive=1,fuzz_seed=12345"
	"uboot_hyp_1cpu|boot|boot --via uboot --mode hyp --cpus 1 --timeout 90"
	"uboot_hyp_4cpu|boot|boot --via uboot --mode hyp --cpus 4 --timeout 90"
	"uefi_svc_2cpu|boot|boot --via uefi --mode svc --cpus 2 --timeout 90"
	"fw_hyp_4cpu|boot|boot --via fw --mode hyp --cpus 4"
	"fw_mixed_cpu1_svc_4cpu|boot|mixed --via fw --mode mixed --svc-cpus 0x2 --cpus 4"
	"fw_mixed_boot_svc_4cpu|boot|mixed --via fw --mode mixed --svc-cpus 0x1 --cpus 4 --cpu cortex-a7"
	# CPU1 and CPU3 enter in SVC once, then in HYP: availability follows.
	"fw_svc_once_then_hyp_4cpu|boot|comeback --via fw --mode mixed --svc-once 0xa --cpus 4"
	# cpuidle powers CPUs down (PSCI CPU_SUSPEND) and they resume
	# through the stub, hundreds of times; not while a hypervisor holds them.
	"fw_idle_power_down_hyp_2cpu|boot|idle --via fw --mode hyp --cpus 2 --idle 1"
	"fw_idle_power_down_svc_2cpu|boot|idle --via fw --mode svc --svc-cpus 0x3 --cpus 2 --idle 1"
	# Every CPU booted in HYP resumes from idle in SVC: the kernel's
	# summary follows, and kexec restarts in SVC, not through HVC.
	"fw_resume_in_svc_then_kexec_2cpu|patched|resumesvc --via fw --mode hyp --cpus 2 --idle 1 --svc-later 0x3 --timeout 120"
	# MPIDRs 0, 2, 3 for logical CPUs 0-2: each records in its own slot.
	"fw_sparse_mpidr_hyp_3cpu|boot|boot --via fw --mode hyp --cpus 4 --dt-cpus 0,2,3"
	# A device tree that gives CPU1 an MPIDR it lacks: CPU1 enters (in SVC,
	# CPU0 in HYP) without a record. No claim that all CPUs are in HYP, HYP
	# unavailable, CPU1 named, no HYP called there.
	"fw_unrecorded_cpu1_svc_2cpu|patched|unrecorded --via fw --mode hyp --svc-cpus 0x2 --cpus 2 --wrong-mpidr 0x2"
	# Scenario 2: our firmware keeps a HYP layer and enters every CPU in
	# SVC; the kernel finds it through the device tree, and the suite,
	# the kselftest (its lock through the layer), hotplug, idle power-down
	# and a kexec chain run over it.
	"layer_a15_2cpu|boot|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1"
	"layer_a15_4cpu|boot|boot --via fw --mode svc --svc-cpus 0xf --cpus 4 --layer 1"
	"layer_a7_2cpu|boot|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1 --cpu cortex-a7"
	"layer_a7_4cpu|boot|boot --via fw --mode svc --svc-cpus 0xf --cpus 4 --layer 1 --cpu cortex-a7"
	"layer_idle_power_down_2cpu|boot|idle --via fw --mode svc --svc-cpus 0x3 --cpus 2 --idle 1 --layer 1"
	"layer_hotplug_100_cycles_4cpu|boot|hotplug --via fw --mode svc --svc-cpus 0xf --cpus 4 --layer 1 --cmdline harness.cycles=100 $EXPEDITED --timeout 200|alone"
	# The firmware's own state outlives the kernel's use of all the memory
	# the kernel was given: CPU_ON after the memory is filled still enters
	# in SVC over the layer.
	"layer_hotplug_memory_reused_2cpu|patched|hotplug --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1 --cmdline harness.cycles=5 --cmdline harness.fill=1"
	"layer_kexec_chain_3|boot|kexec --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1 --cmdline harness.gens=3 --timeout 120"
	# A claimed CPU comes back while claimed, and our firmware has lost
	# its layer there: the claim ends without an unguarded HVC.
	"layer_claimed_cpu_back_without_layer_2cpu|patched|claimback --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 5"
	"layer_claimed_cpu_back_2cpu|patched|claimback --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1"
	# CPUs over the layer that power down in idle and come back without it
	# (--layer 5): checked at CPU_PM_EXIT, before anything calls them.
	"layer_lost_at_power_down_2cpu|patched|idlegone --via fw --mode svc --svc-cpus 0x3 --cpus 2 --idle 1 --layer 5 --timeout 90"
	# Locked before the first kexec: the next kernels find the layer locked.
	"layer_lock_outlives_kexec|patched|kexec --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1 --cmdline harness.gens=2 --cmdline harness.lock=1 --timeout 60"
	# The suite's destructive case over the layer: hypervisors hold every
	# CPU, so the layer's lock is pending until the first is handed back.
	"layer_lock_while_claimed_2cpu|patched|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1 --cmdline harness.kunit=destructive=1"
	# The device tree says there is a layer, there is none, HVC is
	# undefined: one warning and a normal SVC boot.
	"layer_missing_hvc_undefined_2cpu|boot|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 2"
	# The layer is there and answers, but the device tree does not keep
	# its memory from the kernel (reserved without no-map), or names a
	# region that does not hold its vectors: the kernel does not use it.
	"layer_memory_mapped_2cpu|patched|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 3"
	"layer_vectors_outside_memory_2cpu|patched|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 4"
	# Jailhouse, the real hypervisor (jailhouse.sh; QEMU as its config for
	# virt wants: 1 GiB, mem=768M): enable, work on every CPU, disable,
	# twice; hotplug while it runs; the lock while it runs and from boot;
	# through our firmware, in HYP and over its layer. The baseline: its
	# unmodified driver on 6.1.
	"jailhouse_2cpu|boot|jailhouse --mode hyp --cpus 2 $JH"
	"jailhouse_4cpu|boot|jailhouse --mode hyp --cpus 4 $JH"
	"jailhouse_hotplug_2cpu|patched|jailhouse --mode hyp --cpus 2 $JH --cmdline harness.jh=hotplug"
	"jailhouse_lock_while_running_2cpu|patched|jailhouse --mode hyp --cpus 2 $JH --cmdline harness.jh=lock"
	"jailhouse_booted_locked_2cpu|patched|jailhouse --mode hyp --cpus 2 $JH --cmdline harness.jh=locked --cmdline hyp_stub_lock"
	"jailhouse_via_fw_hyp_2cpu|patched|jailhouse --via fw --mode hyp --cpus 2 $JH"
	# Scenario 2: entered in SVC, Jailhouse installs through the layer.
	"jailhouse_via_layer_2cpu|patched|jailhouse --via fw --mode svc --svc-cpus 0x3 --layer 1 --cpus 2 $JH"
	"jailhouse_via_layer_4cpu|patched|jailhouse --via fw --mode svc --svc-cpus 0xf --layer 1 --cpus 4 $JH"
	"jailhouse_via_layer_hotplug_2cpu|patched|jailhouse --via fw --mode svc --svc-cpus 0x3 --layer 1 --cpus 2 $JH --cmdline harness.jh=hotplug"
	"late_cpus_hyp_4cpu|boot|late --mode hyp --cpus 4 --cmdline maxcpus=1"
	"late_cpus_svc_4cpu|boot|late --mode svc --cpus 4 --cmdline maxcpus=1"
	# Installs and hand-backs by IPI on every CPU while CPU1 goes offline
	# and online, 50 times: no install forgotten, none lost with a CPU,
	# nothing left counted as held (the suite's race_cycles case).
	"install_races_hotplug_hyp_2cpu|patched|boot --mode hyp --cpus 2 --cmdline harness.kunit=race_cycles=50 $EXPEDITED --timeout 200"
	# The same over the firmware's layer: a CPU going offline refuses
	# with -EAGAIN there too.
	"layer_install_races_hotplug_2cpu|patched|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1 --cmdline harness.kunit=race_cycles=50 $EXPEDITED --timeout 200"
	"hotplug_500_cycles_hyp_4cpu|boot|hotplug --mode hyp --cpus 4 --cmdline harness.cycles=500 $EXPEDITED --timeout 400|alone"
	"hibernate_resume_hyp_2cpu|boot|hibernate --mode hyp --cpus 2 --hibernate 1 --timeout 120"
	"hibernate_resume_svc_2cpu|boot|hibernate --mode svc --cpus 2 --hibernate 1 --timeout 120"
	# UP: lock, hibernate, restore: HYP still holds the locked stub.
	"up_locked_hibernate_hyp_1cpu|patched|hibernate --config up --mode hyp --cpus 1 --hibernate 1 --cmdline harness.lock=1 --timeout 120"
	"kexec_chain_5_hyp|boot|kexec --mode hyp --cpus 2 --cmdline harness.gens=5 --timeout 120"
	"kexec_chain_5_svc|boot|kexec --mode svc --cpus 2 --cmdline harness.gens=5 --timeout 120"
	# A hypervisor holds HYP: kexec load and hibernation refused, a crash
	# kernel loads, a kexec loaded before restarts the boot CPU in SVC
	# without calling it.
	"kexec_hibernate_while_held_hyp_2cpu|patched|held --mode hyp --cpus 2 --mem 512M --cmdline crashkernel=32M --timeout 60"
	# Locked over the stub: the lock lives in this kernel's memory, so a
	# kexec load is refused (a crash kernel loads: kdump stays usable).
	# 512 MiB: ARM puts crashkernel= at a 128 MiB boundary, and QEMU puts
	# the initramfs at the only free one of 256 MiB.
	"kexec_refused_while_locked_hyp_2cpu|patched|kexec --mode hyp --cpus 2 --mem 512M --cmdline harness.gens=2 --cmdline harness.lock=1 --cmdline crashkernel=32M --timeout 60"
	# make boot's options as a person uses them: bad values refused at
	# once, each value of each option booted, the shell fed commands.
	"make_boot_options|host|$HARNESS/bootopts.sh"
	# make conform: a layer given as a file goes through the numbered
	# cases and the layer boots; ours passes, ours with one byte of its UID
	# changed is refused where the kernel identifies a layer, and each copy
	# of ours with one defect fails exactly its cases. After the boots above.
	"conform_reference_layer|host|$HARNESS/conform.sh --reference"
	"conform_reference_layer_elsewhere|host|$HARNESS/conform.sh --reference-at 0x4a000000"
	"conform_broken_layer_refused|host|$HARNESS/conform.sh --broken-uid"
	"conform_mutants_fail_their_cases|host|$HARNESS/conform.sh --mutants"
	# Last, with everything built (its root shares build/ccache): make boot
	# and one test of each kind in a minimal Debian 12 root that has only
	# what deps.sh installs, so a package deps.sh does not name fails here.
	"deps_complete_in_fresh_root|host|$HARNESS/fresh.sh"
)
# The second base: the series applies, is clean, builds, and its core boots
# pass, each beside unpatched 6.12: both entry modes with 2 and 4 CPUs (the
# suite and the kselftest), our firmware with a CPU entered in SVC, and
# scenario 2 over its layer.
TESTS+=(
	"k612_series_applies_on_pristine|host|${K612[*]} $HARNESS/series.sh --check"
	"k612_queue_round_trips|host|${K612[*]} $HARNESS/queue.sh check"
	"k612_series_checkpatch_strict|host|${K612[*]} $HARNESS/lint.sh checkpatch"
	"k612_w1_sparse_clean_test|host|${K612[*]} $HARNESS/lint.sh objects lint|build:k612_lint"
	"k612_every_prefix_builds_test|host|${K612[*]} $HARNESS/prefixes.sh test|build:k612_prefix"
	"k612_a15_hyp_2cpu_zimage|boot|boot --mode hyp --cpus 2"
	"k612_a15_svc_2cpu_zimage|boot|boot --mode svc --cpus 2"
	"k612_a15_hyp_4cpu_zimage|boot|boot --mode hyp --cpus 4"
	"k612_a15_svc_4cpu_zimage|boot|boot --mode svc --cpus 4"
	"k612_fw_mixed_cpu1_svc_4cpu|boot|mixed --via fw --mode mixed --svc-cpus 0x2 --cpus 4"
	"k612_layer_a15_2cpu|boot|boot --via fw --mode svc --svc-cpus 0x3 --cpus 2 --layer 1"
	"k612_layer_a15_4cpu|boot|boot --via fw --mode svc --svc-cpus 0xf --cpus 4 --layer 1"
)

if [ -n "${CHECK_ONLY:-}" ]; then
	all=${#TESTS[@]}
	selected=()
	for t in "${TESTS[@]}"; do
		[[ ${t%%|*} =~ $CHECK_ONLY ]] && selected+=("$t")
	done
	[ ${#selected[@]} -gt 0 ] || die "CHECK_ONLY='$CHECK_ONLY' matches no test"
	TESTS=("${selected[@]}")
	echo "# CHECK_ONLY='$CHECK_ONLY': ${#TESTS[@]} of $all tests"
	# The rows that build the variant kernels may not be selected: build
	# what the selected boots use, so that none boots a stale kernel.
	for cfg in $(printf '%s\n' "${TESTS[@]}" |
		     sed -n 's/.*--config \([a-z0-9_]*\).*/\1/p' | sort -u); do
		timed "kernel $cfg" "$HARNESS/lint.sh" zimage "$cfg" >"$BUILD/logs/zimage-$cfg.log" 2>&1 ||
			die "the $cfg kernel does not build: $BUILD/logs/zimage-$cfg.log"
	done
fi

# The second base's kernels, initramfs and firmware, if any of its tests
# is to run: KBASE=6.12 builds them in build/6.12/.
k612=0
for t in "${TESTS[@]}"; do
	[[ $t == k612_* ]] && k612=1
done
if [ $k612 = 1 ]; then
	timed "kernel test (6.12)" "${K612[@]}" "$HARNESS/kernel.sh" test
	[ "$BASELINE" = 0 ] ||
		timed "kernel test (6.12 baseline)" "${K612[@]}" BASE=1 "$HARNESS/kernel.sh" test
fi

# boot_one NAME|KERNEL|ARGS[|alone]: one boot, its result in build/results/,
# then a .done marker (also when scenario.sh itself failed). A k612_ boot
# runs on 6.12, in build/6.12/; its result and log are copied here.
boot_one() {
	local name kernel args prefix='' b612
	IFS='|' read -r name kernel args _ <<<"$1"
	[ "$kernel" = base ] && prefix=base-
	read -ra argv <<<"$args"
	if [[ $name == k612_* ]]; then
		b612=$BUILD/6.12
		"${K612[@]}" "$HARNESS/scenario.sh" "$name" "$kernel" "${argv[@]}" \
			>"$BUILD/logs/boot/$prefix$name.harness" 2>&1 || true
		cp -f "$b612/logs/boot/$prefix$name.log" "$BUILD/logs/boot/" 2>/dev/null || true
		cp -f "$b612/results/$prefix$name.ktap" "$BUILD/results/" 2>/dev/null || true
	else
		"$HARNESS/scenario.sh" "$name" "$kernel" "${argv[@]}" \
			>"$BUILD/logs/boot/$prefix$name.harness" 2>&1 || true
	fi
	: >"$BUILD/results/$prefix$name.done"
}

# pool JOBS FUNC ITEM...: FUNC ITEM for each ITEM, JOBS at a time; an ITEM
# that ends in "|alone" runs with nothing beside it.
pool() {
	local jobs=$1 fn=$2 item running=0
	shift 2
	for item in "$@"; do
		if [[ $item == *'|alone' ]]; then
			wait
			running=0
			"$fn" "$item"
			continue
		fi
		if [ "$running" -ge "$jobs" ]; then
			wait -n || true
			running=$((running - 1))
		fi
		"$fn" "$item" &
		running=$((running + 1))
	done
	wait
}

# wait_boot PREFIX NAME: until that boot is done; its KTAP file, or nothing.
wait_boot() {
	local done=$BUILD/results/$1$2.done
	while [ ! -f "$done" ]; do
		sleep 0.2
	done
	[ -f "$BUILD/results/$1$2.ktap" ] || {
		echo "    # scenario.sh failed: $BUILD/logs/boot/$1$2.harness"
		sed 's/^/    # | /' "$BUILD/logs/boot/$1$2.harness" | tail -n 10
		return 1
	}
}

# Every boot, long ones first (they set a --timeout) so that the pool ends
# together; the results are printed in the order of TESTS all the same.
boots=()
for long in 1 0; do
	for t in "${TESTS[@]}"; do
		IFS='|' read -r name kind args alone <<<"$t"
		[ "$kind" = host ] && continue
		is_long=0
		[[ $args == *--timeout* ]] && is_long=1
		[ "$is_long" = "$long" ] || continue
		boots+=("$name|patched|$args|$alone")
		[ "$kind" = boot ] && [ "$BASELINE" = 1 ] && boots+=("$name|base|$args|$alone")
	done
done

passed=0 failed=0 skipped=0 n=0
report=$BUILD/report.md
rows=()
mkdir -p "$BUILD/results" "$BUILD/logs/boot"
pool=

# host_run NAME ARGS: one host test, its output in logs/NAME.log, its exit
# status and seconds in results/host-NAME.rc.
host_run() {
	local name=$1 t1 rc=0
	read -ra argv <<<"$2"
	t1=$(date +%s.%N)
	"${argv[@]}" >"$BUILD/logs/$name.log" 2>&1 || rc=$?
	echo "$rc $(since "$t1")" >"$BUILD/results/host-$name.rc.tmp"
	mv "$BUILD/results/host-$name.rc.tmp" "$BUILD/results/host-$name.rc"
}

# pool_done NAME: until the background pool NAME (pool: the boots, bpool:
# the builds) has ended; its exit status. Not `wait PID`: bash forgets a
# finished job's status once it forks a child that reuses the job's PID,
# and then `wait` fails with 127. With pid_max at 32768 one make check
# wraps PIDs (CI's run of 2a174cb failed that way after 3788 s), so each
# pool writes its status to results/NAME.rc as it exits.
pool_done() {
	local rc
	while [ ! -f "$BUILD/results/$1.rc" ]; do
		sleep 1
	done
	read -r rc <"$BUILD/results/$1.rc"
	return "$rc"
}

# The build pool: the build:GROUP host tests, HOST_JOBS groups at a time
# (default 2), from the start, beside the host tests that run in the main
# loop. A kernel build leaves the cores idle while make walks the tree and
# while it links, which is most of a build that ccache serves, and another
# build fills them. The results are printed in order all the same.
HOST_JOBS=${HOST_JOBS:-2}
build_group() {
	local t name kind args opt
	for t in "${TESTS[@]}"; do
		IFS='|' read -r name kind args opt <<<"$t"
		[ "$opt" = "build:$1" ] && host_run "$name" "$args"
	done
	return 0
}
mkdir -p "$BUILD/results" "$BUILD/logs"
rm -f "$BUILD"/results/host-*.rc "$BUILD"/results/*pool.time "$BUILD"/results/*pool.rc
# The longest groups first (every prefix of the series), so that the pool
# ends with short ones.
groups=$(printf '%s\n' "${TESTS[@]}" | sed -n 's/.*|build:\([a-z0-9_]*\)$/\1/p' |
	 awk '!seen[$0]++' | awk '/prefix/ { print; next } { rest[++n] = $0 }
	 END { for (i = 1; i <= n; i++) print rest[i] }')
# shellcheck disable=SC2086 # one word a group
(trap 'echo $? >"$BUILD/results/bpool.rc.tmp"
		 mv "$BUILD/results/bpool.rc.tmp" "$BUILD/results/bpool.rc"' EXIT
 t1=$(date +%s.%N)
 j1=$(cpu_jiffies)
 pool "$HOST_JOBS" build_group $groups
 echo "$(since "$t1") $(busy_since "$j1")" >"$BUILD/results/bpool.time") &

echo "KTAP version 1"
echo "1..${#TESTS[@]}"
for t in "${TESTS[@]}"; do
	IFS='|' read -r name kind args opt <<<"$t"
	n=$((n + 1))
	read -ra argv <<<"$args"
	if [ "$kind" = host ]; then
		[[ $opt == build:* ]] || host_run "$name" "$args"
		while [ ! -f "$BUILD/results/host-$name.rc" ]; do
			sleep 0.5
		done
		read -r rc secs <"$BUILD/results/host-$name.rc"
		log=$BUILD/logs/$name.log
		if [ "$rc" = 0 ]; then
			verdict=ok
			passed=$((passed + 1))
		else
			verdict=fail
			failed=$((failed + 1))
			tail -n 20 "$log" | sed 's/^/    # /'
		fi
		base=-
	else
		if [ -z "$pool" ]; then
			# Every kernel is built now: one initramfs with all their
			# modules for every boot, then the boots.
			t1=$(date +%s.%N)
			"$HARNESS/initramfs.sh" | sed 's/^/# /'
			"$HARNESS/fw.sh" build
			if [ $k612 = 1 ]; then
				"${K612[@]}" "$HARNESS/initramfs.sh" | sed 's/^/# 6.12: /'
				"${K612[@]}" "$HARNESS/fw.sh" build
				rm -f "$BUILD"/6.12/results/*.ktap
			fi
			printf 'stage\tinitramfs and firmware\t%s\n' "$(since "$t1")" >>"$TIMES.new"
			export INITRAMFS_READY=1
			rm -f "$BUILD"/results/*.done "$BUILD"/results/*.ktap "$BUILD/results/pool.time"
			t1=$(date +%s.%N)
			j1=$(cpu_jiffies)
			(trap 'echo $? >"$BUILD/results/pool.rc.tmp"
		 mv "$BUILD/results/pool.rc.tmp" "$BUILD/results/pool.rc"' EXIT
			 pool "$BOOT_JOBS" boot_one "${boots[@]}"
			 echo "$(since "$t1") $(busy_since "$j1")" >"$BUILD/results/pool.time") &
			pool=started
		fi
		res=$BUILD/results/$name.ktap
		if wait_boot "" "$name"; then
			grep -v '^RESULT \|^TIME ' "$res"
			read -r _ p f s verdict reason < <(grep '^RESULT ' "$res")
			secs=$(sed -n 's/^TIME //p' "$res")
		else
			p=0 f=0 s=0 verdict=fail reason="no result" secs=-
		fi
		passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
		if [ -n "$reason" ]; then
			failed=$((failed + 1))
			echo "    # $reason: log $BUILD/logs/boot/$name.log"
			tail -n 15 "$BUILD/logs/boot/$name.log" | sed 's/^/    # | /'
		fi
		# The baseline: same boot, unpatched kernel, not counted.
		base=-
		if [ "$kind" = boot ] && [ "$BASELINE" = 1 ]; then
			if wait_boot base- "$name" >/dev/null; then
				read -r _ _ _ _ base _ < <(grep '^RESULT ' "$BUILD/results/base-$name.ktap")
				bsecs=$(sed -n 's/^TIME //p' "$BUILD/results/base-$name.ktap")
				base="$base (${bsecs} s)"
			else
				base="no result"
			fi
		fi
	fi
	echo "# $name: ${secs} s, baseline: $base"
	if [ "$verdict" = ok ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
	fi
	rows+=("| $name | $verdict (${secs} s) | $base |")
	printf '%s\t%s\t%s\n' "$([ "$kind" = host ] && echo host || echo boot)" "$name" "$secs" \
		>>"$TIMES.new"
done
[ -z "$pool" ] || pool_done pool
pool_done bpool
if [ -f "$BUILD/results/bpool.time" ]; then
	read -r secs cores <"$BUILD/results/bpool.time"
	printf 'stage\tbuild pool (HOST_JOBS=%s, wall; beside the host tests and boots)\t%s\t%s\n' \
		"$HOST_JOBS" "$secs" "$cores" >>"$TIMES.new"
fi
if [ -f "$BUILD/results/pool.time" ]; then
	read -r secs cores <"$BUILD/results/pool.time"
	printf 'stage\tboots (%s, BOOT_JOBS=%s, wall)\t%s\t%s\n' "${#boots[@]}" "$BOOT_JOBS" \
		"$secs" "$cores" >>"$TIMES.new"
fi
printf 'stage\tmake check\t%s\t%s\n' "$(($(date +%s) - T0))" "$(busy_since "$J0")" >>"$TIMES.new"
kill "$disk_watch" 2>/dev/null || true
u=$(disk_used)
read -r peak <"$BUILD/results/disk.peak"
[ "$u" -le "$peak" ] || peak=$u
printf 'disk	%s	%s
' "$((peak - DISK0))" "$(du -sxk "$BUILD" | cut -f1)" >>"$TIMES.new"
mv -f "$TIMES.new" "$TIMES"
"$HARNESS/stages.sh" "$TIMES" >"$STAGES"

{
	echo "| scenario | patched | baseline (not counted) |"
	echo "|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >"$report"
echo "# Matrix ($report):"
sed 's/^/# /' "$report"
echo "# Where the time went ($STAGES):"
sed 's/^/# /' "$STAGES"
echo "# make check took $(($(date +%s) - T0)) s"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
