#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: builds what the tests need, runs every test, prints KTAP.
#
# What runs is tools/harness/catalogue, a row per test. Each top-level KTAP
# test is a row (a QEMU boot, or a host-side check). A boot is judged by
# judge.py (the base tree's kunit_parser) from its serial log and what the
# host found beside it: its cases are the judge's tree, nested as KUnit and
# the kselftest print them. The closing line counts the leaf cases, from
# the judge's tree for a boot and one for each host test: "N passed, N
# failed" (", N skipped" when some were skipped).
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
# The catalogue (tools/harness/catalogue, its columns explained there), as
# TESTS: "NAME|KIND|ARGUMENTS|OPTION" a row, KIND host, boot or patched.
# host: ARGUMENTS is the command, OPTION "build:GROUP" when it runs in the
# build pool. boot, patched: ARGUMENTS are scenario.sh's (guest scenario
# first), run on the patched kernel, and for boot on the baseline too;
# OPTION "alone" when no other boot may run beside it. BASE_OF[NAME]: the
# row's base; every test runs with KBASE set to it. This is the one place
# a row's columns become arguments.
TESTS=()
declare -A BASE_OF=()
# A row is checked here, where a mistake costs nothing: a wrong column
# would otherwise show an hour in, or hold the run up (a build GROUP the
# pool does not know is never run).
row=0
bad() { die "catalogue line $row ($name): $*"; }
while read -r name kind base rest; do
	row=$((row + 1))
	case $name in '' | '#'*) continue ;; esac
	[[ $name =~ ^[a-z0-9_]+$ ]] || bad "a name is lower case, digits and _"
	[ -z "${BASE_OF[$name]:-}" ] || bad "two rows of that name"
	[ -d "$TOP/patches/$base" ] || bad "BASE '$base' has no queue, patches/$base/"
	BASE_OF[$name]=$base
	if [ "$kind" = host ]; then
		read -r group cmd <<<"$rest"
		[[ $group =~ ^([a-z0-9_]+|-)$ ]] || bad "GROUP '$group': lower case, digits and _, or -"
		[ -x "$HARNESS/${cmd%% *}" ] || bad "COMMAND '${cmd%% *}' is no script of tools/harness/"
		opt=
		[ "$group" = - ] || opt=build:$group
		TESTS+=("$name|host|env KBASE=$base $HARNESS/$cmd|$opt")
		continue
	fi
	read -r entry modes model guest opts <<<"$rest"
	case $kind in boot | patched) ;; *) bad "KIND '$kind': host, boot or patched" ;; esac
	case $entry in kernel | uboot | uefi | fw) ;; *) bad "ENTRY '$entry': kernel, uboot, uefi or fw" ;; esac
	[[ $modes =~ ^[hslo]+$ ]] || bad "MODES '$modes': a letter per CPU, h, s, o or l"
	case $model in a15 | a7) ;; *) bad "MODEL '$model': a15 or a7" ;; esac
	[ -f "$HARNESS/guest/scenarios/$guest" ] || bad "GUEST '$guest' is no guest scenario"
	opt=
	if [[ " $opts " == *' --alone 1 '* ]]; then
		opt=alone
		opts=${opts/--alone 1/}
	fi
	TESTS+=("$name|$kind|$guest --via $entry --modes $modes --cpu cortex-$model $opts|$opt")
done <"$HARNESS/catalogue"

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
# Boots run BOOT_JOBS at a time (default: one per core); each QEMU keeps
# about one core busy. BOOT_JOBS=1 gives uncontended boot times.
BOOT_JOBS=${BOOT_JOBS:-$(nproc)}


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
	for t in "${TESTS[@]}"; do
		[[ ! $t =~ --config\ ([a-z0-9_]+) ]] || echo "${BASE_OF[${t%%|*}]} ${BASH_REMATCH[1]}"
	done | sort -u >"$BUILD/results/configs"
	while read -r b cfg; do
		timed "kernel $cfg ($b)" env KBASE="$b" "$HARNESS/lint.sh" zimage "$cfg" \
			>"$BUILD/logs/zimage-$b-$cfg.log" 2>&1 ||
			die "the $cfg kernel of $b does not build: $BUILD/logs/zimage-$b-$cfg.log"
	done <"$BUILD/results/configs"
fi

# The other bases the selected tests name (this one, $KBASE, is built
# above): their test kernels, and baselines where a boot row wants one.
# Each builds in its own build directory (lib.sh's build_dir).
others=()
for t in "${TESTS[@]}"; do
	b=${BASE_OF[${t%%|*}]}
	[ "$b" = "$KBASE" ] || [[ " ${others[*]} " == *" $b "* ]] || others+=("$b")
done
for b in "${others[@]}"; do
	timed "kernel test ($b)" env KBASE="$b" "$HARNESS/kernel.sh" test
	want=0
	for t in "${TESTS[@]}"; do
		[[ $t != *'|boot|'* ]] || [ "${BASE_OF[${t%%|*}]}" != "$b" ] || want=1
	done
	if [ "$BASELINE" = 1 ] && [ "$want" = 1 ]; then
		timed "kernel test ($b baseline)" env KBASE="$b" BASE=1 "$HARNESS/kernel.sh" test
	fi
done

# boot_one NAME|KERNEL|ARGS[|alone]: one boot, its result in build/results/,
# then a .done marker (also when scenario.sh itself failed). A boot of
# another base runs in that base's build directory; its log and result are
# copied here.
boot_one() {
	local name kernel args prefix='' b dir
	IFS='|' read -r name kernel args _ <<<"$1"
	[ "$kernel" = base ] && prefix=base-
	read -ra argv <<<"$args"
	b=${BASE_OF[$name]}
	env KBASE="$b" "$HARNESS/scenario.sh" "$name" "$kernel" "${argv[@]}" \
		>"$BUILD/logs/boot/$prefix$name.harness" 2>&1 || true
	dir=$(build_dir "$b")
	if [ "$dir" != "$BUILD" ]; then
		rm -f "$BUILD/logs/boot/$prefix$name".log*
		cp -f "$dir/logs/boot/$prefix$name".log* "$BUILD/logs/boot/" 2>/dev/null || true
		cp -f "$dir/results/$prefix$name.ktap" "$BUILD/results/" 2>/dev/null || true
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
		base=- cases=$([ "$verdict" = ok ] && echo 1/0/0 || echo 0/1/0)
	else
		if [ -z "$pool" ]; then
			# Every kernel is built now: one initramfs with all their
			# modules for every boot, then the boots.
			t1=$(date +%s.%N)
			"$HARNESS/initramfs.sh" | sed 's/^/# /'
			"$HARNESS/fw.sh" build
			for b in "${others[@]}"; do
				env KBASE="$b" "$HARNESS/initramfs.sh" | sed "s/^/# $b: /"
				env KBASE="$b" "$HARNESS/fw.sh" build
				rm -f "$(build_dir "$b")"/results/*.ktap
			done
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
			grep -v '^RESULT \|^TIME ' "$res" || true
			read -r _ p f s verdict reason < <(grep '^RESULT ' "$res")
			secs=$(sed -n 's/^TIME //p' "$res")
		else
			p=0 f=0 s=0 verdict=fail reason="no result" secs=-
		fi
		# The judge counted every case, its own findings among them
		# (host > serial_log_complete). A reason is only there when no
		# judge ran: one failure more.
		passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
		[ -z "$reason" ] || failed=$((failed + 1))
		cases="$p/$f/$s"
		if [ "$verdict" != ok ]; then
			echo "    # ${reason:-failed}: make judge LOG=$BUILD/logs/boot/$name.log"
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
	rows+=("| $name | $verdict (${secs} s) | $cases | $base |")
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
	echo "| scenario | patched | cases passed/failed/skipped | baseline (not counted) |"
	echo "|---|---|---|---|"
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
