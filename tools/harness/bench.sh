#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the series costs, beside unpatched 6.1, to the
# instruction. QEMU's -icount shift=0,align=off,sleep=off makes one virtual
# nanosecond one guest instruction (idle time skipped to the next timer),
# and a run repeats to the instruction: every figure is exact.
#
# usage: bench.sh [--fast]
#   Full: boot cost (virtual time to "Run /init", HYP and SVC, 1 and 2
#   CPUs, zImage and Image; why not 4 below), HVC round trips
#   (tools/harness/bench/hyp_bench.c, 20000 calls each, interrupts off),
#   CPU1 offline/online cycles, a kexec generation (HYP and SVC), a CPU's
#   power-down idle and resume through our firmware's PSCI (HYP and SVC,
#   counted by the PMU), sizes, and the wall time of each stage of the last
#   make check.
#   Writes build/bench.md, build/bench.csv and build/bench.svg.
#   --fast: only what the budgets need (one boot of each kernel, sizes),
#   then checks tools/harness/bench/budgets: make check runs this.
#   --options-off: only vmlinux text + data of the apioff kernel (the test
#   config without ARM_HYP_API and ARM_HYP_LAYER, their default) beside
#   upstream's test kernel, checked against its budget; make check runs
#   this once the prefix walk has built that kernel.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

fast=0 options_off=0
[ "${1:-}" = --fast ] && fast=1
[ "${1:-}" = --options-off ] && options_off=1
KEXEC_GENS=3	# kernels in each kexec chain: 2 generations measured
IDLE_SECONDS=2	# virtual seconds of idle for the power-down figure
work=$BUILD/bench
csv=$BUILD/bench.csv md=$BUILD/bench.md
mkdir -p "$work/runs"
# check_budgets ONLY SKIP: the budgets whose figure matches the regular
# expression ONLY and not SKIP, against $csv; fails if one is exceeded or
# not measured.
check_budgets() {
	local figure limit unit row ours up delta pct over shown rc=0
	while read -r figure limit unit; do
		if ! [[ $figure =~ $1 ]] || [[ $figure =~ $2 ]]; then
			continue
		fi
		row=$(grep "^$figure," "$csv") || die "budget names $figure, which the bench does not measure"
		IFS=, read -r _ ours up delta pct _ <<<"$row"
		if [ "$ours" = - ] || [ "$up" = - ]; then
			die "$figure: not measured (ours $ours, upstream $up)"
		fi
		if [ "$unit" = % ]; then
			over=$(echo "100 * ($ours - $up) > $limit * $up" | bc)
			shown="$pct %"
		else
			over=$(echo "$ours - $up > $limit" | bc)
			shown="$delta $unit"
		fi
		if [ "$over" = 1 ]; then
			echo "BUDGET EXCEEDED: $figure: ours $ours, upstream $up: $shown over, budget $limit $unit"
			rc=1
		else
			echo "budget ok: $figure: ours $ours, upstream $up ($shown; budget $limit $unit)"
		fi
	done < <(grep -v '^#' "$HARNESS/bench/budgets" | grep -v '^$')
	return $rc
}
# options_off_fig: the apioff kernel's vmlinux text + data beside
# upstream's test kernel, as a fig() line.
options_off_fig() {
	echo "vmlinux_text_data_bytes_options_off,$(textdata "$BUILD/apioff/vmlinux"),$(textdata "$BUILD/base/test/vmlinux"),bytes"
}
if [ $options_off = 1 ]; then
	"$HARNESS/kernel.sh" apioff vmlinux >/dev/null
	BASE=1 "$HARNESS/kernel.sh" test >/dev/null
	csv=$work/options-off.csv
	options_off_fig | awk -F, '{ printf "%s,%s,%s,%+d,%+.3f,%s\n", $1, $2, $3, $2 - $3, 100 * ($2 - $3) / $3, $4 }' >"$csv"
	cat "$csv"
	check_budgets '_options_off$' '^$'
	exit
fi

"$HARNESS/kernel.sh" test >/dev/null
BASE=1 "$HARNESS/kernel.sh" test >/dev/null
kdir() { if [ "$1" = patched ]; then echo "$BUILD/test"; else echo "$BUILD/base/test"; fi; }

# hyp_bench.ko for each kernel (it only loads into the one it was built for).
for k in patched base; do
	m=$work/mod-$k
	mkdir -p "$m"
	cp -u "$HARNESS/bench/hyp_bench.c" "$HARNESS/bench/Kbuild" "$m/"
	if [ $k = patched ]; then
		"$HARNESS/kernel.sh" test M="$m" modules >"$work/mod-$k.log" 2>&1
	else
		BASE=1 "$HARNESS/kernel.sh" test M="$m" modules >"$work/mod-$k.log" 2>&1
	fi || die "hyp_bench.ko does not build against the $k kernel: $work/mod-$k.log"
done

# One initramfs for both kernels (the boot cost includes unpacking it),
# with cntvct, which prints the virtual counter (bench/cntvct.c, nolibc).
"$HARNESS/initramfs.sh" >/dev/null	# builds gen_init_cpio and busybox
"${CROSS}gcc" -march=armv7-a+fp -marm -Os -Wall -Werror -static -nostdlib -ffreestanding \
	-fno-stack-protector -include "$SRC/tools/include/nolibc/nolibc.h" -s \
	-o "$work/cntvct" "$HARNESS/bench/cntvct.c" -lgcc
cpio=$work/bench.cpio
list=$work/bench.list
cat >"$list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /bin 0755 0 0
dir /bench 0755 0 0
file /bin/busybox $BUILD/armhf/root/bin/busybox 0755 0 0
slink /bin/sh busybox 0777 0 0
file /init $HARNESS/bench/init 0755 0 0
file /bench/patched.ko $work/mod-patched/hyp_bench.ko 0644 0 0
file /bench/base.ko $work/mod-base/hyp_bench.ko 0644 0 0
file /bench/cntvct $work/cntvct 0755 0 0
LIST
"$BUILD/tools/gen_init_cpio" "$list" >"$cpio"

# For the kexec chains, another one, so that the boot figures do not unpack
# what only they need: kexec and its libraries, and both zImages.
kcpio=$work/kexec.cpio
if [ $fast = 0 ]; then
	{
		cat "$list"
		kexec_cpio_lines
		for k in patched base; do
			echo "file /bench/$k.zImage $(kdir $k)/arch/arm/boot/zImage 0644 0 0"
		done
	} >"$work/kexec.list"
	"$BUILD/tools/gen_init_cpio" "$work/kexec.list" >"$kcpio"
fi

# uimage KERNEL: the uncompressed Image as a uImage QEMU loads at RAM + 32K.
uimage() {
	local raw img
	raw=$(kdir "$1")/arch/arm/boot/Image
	img=$work/$1.uimg
	if [ ! -f "$img" ] || [ "$raw" -nt "$img" ]; then
		mkimage -A arm -O linux -T kernel -C none -a 0x40008000 -e 0x40008000 \
			-n "Linux Image" -d "$raw" "$img" >/dev/null
	fi
	echo "$img"
}

# run NAME KERNEL MODE CPUS IMAGE [CMDLINE]: one icount boot, its serial log.
# IMAGE zimage or image: QEMU loads the kernel; fw: our firmware (fw.sh)
# starts the zImage in MODE, with a power-down idle state for cpuidle.
run() {
	local name=$1 k=$2 mode=$3 cpus=$4 image=$5 extra=${6:-} machine=virt img
	local boot=() spec dtb
	rm -f "$work/runs/$name-$k.log"	# no log from an earlier bench passes for this one
	[ "$mode" = hyp ] && machine=virt,virtualization=on
	case $image in
	zimage) img=$(kdir "$k")/arch/arm/boot/zImage ;;
	image) img=$(uimage "$k") ;;
	fw) img=$(kdir "$k")/arch/arm/boot/zImage machine=virt,secure=on,virtualization=on ;;
	esac
	local initrd=$cpio
	[[ $extra != *bench.kexec=* ]] || initrd=$kcpio
	if [ "$image" = fw ]; then
		dtb=$work/runs/$name-$k.dtb
		# A failure here leaves no log, which the check after the runs reports.
		"$HARNESS/fw.sh" dtb "$cpus" cortex-a15 "$initrd" "console=ttyAMA0 panic=-1 $extra" \
			"$dtb" "" 1 0 || return 0
		boot=(-bios "$BUILD/fw/fw.bin" -semihosting-config "enable=on,target=native")
		while read -r _ spec; do		# each line: --load SPEC
			boot+=(-device "loader,$spec")
		done < <("$HARNESS/fw.sh" loads "$img" "$initrd" "$dtb" \
			"$([ "$mode" = svc ] && echo $(((1 << cpus) - 1)) || echo 0)")
	else
		boot=(-kernel "$img" -initrd "$initrd" -append "console=ttyAMA0 panic=-1 $extra")
	fi
	timeout --kill-after=5 120 qemu-system-arm -M "$machine" -cpu cortex-a15 \
		-smp "$cpus" -m 256 -nic none -display none -monitor none -no-reboot \
		-icount shift=0,align=off,sleep=off "${boot[@]}" \
		-serial "file:$work/runs/$name-$k.log" </dev/null >/dev/null 2>&1 || true
}

# The HVC and hotplug figures come from the HYP, 2-CPU zImage boot. Why no
# 4-CPU boot: under icount QEMU runs the vCPUs round-robin and lets each
# run up to the next timer event (2^31 / CPUs instructions when none is
# due), so a CPU that spins waiting for another one burns that whole slice.
# With 4 CPUs that is most of the boot (tens of virtual seconds, minutes
# of wall time), a measure of QEMU's scheduling and not of the code.
runs=("boot_hyp_2cpu_zimage hyp 2 zimage bench.hvc=1" "boot_hyp_1cpu_zimage hyp 1 zimage"
      "boot_hyp_1cpu_image hyp 1 image")
if [ $fast = 0 ]; then
	for mode in hyp svc; do
		for cpus in 1 2; do
			for image in zimage image; do
				case $mode$cpus$image in hyp[12]zimage | hyp1image) continue ;; esac
				runs+=("boot_${mode}_${cpus}cpu_$image $mode $cpus $image")
			done
		done
		runs+=("kexec_${mode}_1cpu_zimage $mode 1 zimage bench.kexec=$KEXEC_GENS")
		runs+=("idle_${mode}_1cpu $mode 1 fw bench.idle=$IDLE_SECONDS")
	done
	"$HARNESS/fw.sh" build
fi
t0=$(date +%s)
jobs_=0
for r in "${runs[@]}"; do
	read -r name mode cpus image extra <<<"$r"
	for k in patched base; do
		run "$name" $k "$mode" "$cpus" "$image" "$extra" &
		jobs_=$((jobs_ + 1))
		if [ $jobs_ -ge "$(nproc)" ]; then
			wait -n
			jobs_=$((jobs_ - 1))
		fi
	done
done
wait
for r in "${runs[@]}"; do
	read -r name _ <<<"$r"
	for k in patched base; do
		grep -q '^BENCH: end' "$work/runs/$name-$k.log" ||
			die "bench boot $name ($k) did not finish: $work/runs/$name-$k.log"
	done
done
echo "== bench: ${#runs[@]} boots of each kernel in $(($(date +%s) - t0)) s"

# The figures: name, ours, upstream, unit.
: >"$csv.tmp"
fig() { printf '%s,%s,%s,%s\n' "$1" "$2" "$3" "$4" >>"$csv.tmp"; }
run_init_us() {
	sed -n 's/^\[ *\([0-9]*\)\.\([0-9]*\)\] Run \/init as init process.*/\1\2/p' \
		"$work/runs/$1-$2.log" | sed 's/^0*//'
}
# reset_us NAME KERNEL: the counter as /init starts, in us: from reset,
# the decompressor and the kernel's boot before its clock starts included.
reset_us() {
	awk '$1 == "BENCH:" && $2 == "cntvct" && $3 == "start1" { printf "%.1f", $4 * 1e6 / $5; f = 1 }
	END { if (!f) printf "-" }' "$work/runs/$1-$2.log"
}
for r in "${runs[@]}"; do
	read -r name _ <<<"$r"
	[[ $name == boot_* ]] || continue
	fig "${name}_us" "$(run_init_us "$name" patched)" "$(run_init_us "$name" base)" \
		"virtual us to Run /init (1 us = 1000 instructions)"
	fig "${name#boot_}_reset_to_init_us" "$(reset_us "$name" patched)" "$(reset_us "$name" base)" \
		"virtual us from reset to /init (the decompressor included)"
done
# kexec_gen_us NAME KERNEL: the mean virtual time from one kernel's last
# counter reading (before "kexec -e") to the next one's first (its /init):
# shutdown, the restart through HYP or SVC, decompression, and boot.
kexec_gen_us() {
	awk '$1 == "BENCH:" && $2 == "cntvct" { t[$3] = $4; f = $5 }
	END {
		for (g = 1; ("kexec" g) in t && ("start" (g + 1)) in t; g++) {
			sum += t["start" (g + 1)] - t["kexec" g]
			n++
		}
		if (n && f) printf "%.1f", sum / n * 1e6 / f; else printf "-"
	}' "$work/runs/$1-$2.log"
}
if [ $fast = 0 ]; then
	for mode in hyp svc; do
		n=kexec_${mode}_1cpu_zimage
		fig "${n}_generation_us" "$(kexec_gen_us $n patched)" "$(kexec_gen_us $n base)" \
			"virtual us per kexec generation (mean of $((KEXEC_GENS - 1)); counter to counter)"
	done
	# idle_val NAME KERNEL FIELD: usage (power-downs) or instructions/usage.
	idle_val() {
		awk -v f="$3" '$1 == "BENCH:" && $2 == "idle" {
			split($3, u, "="); split($4, i, "=")
			if (u[2] > 0) printf (f == "usage" ? "%d" : "%.1f"), (f == "usage" ? u[2] : i[2] / u[2])
			found = 1 }
			END { if (!found) printf "-" }' "$work/runs/$1-$2.log"
	}
	for mode in hyp svc; do
		n=idle_${mode}_1cpu
		fig "${n}_powerdowns" "$(idle_val $n patched usage)" "$(idle_val $n base usage)" \
			"power-down idle entries in ${IDLE_SECONDS} virtual s of idle (PSCI CPU_SUSPEND to our firmware)"
		fig "${n}_powerdown_cycle_instructions" "$(idle_val $n patched per)" \
			"$(idle_val $n base per)" \
			"Non-secure instructions per power-down and resume (PMU; the idle loop and tick between included)"
	done
fi
# bench_val KERNEL NAME: instructions per iteration of one loop.
bench_val() {
	sed 's/^\[[ 0-9.]*\] //' "$work/runs/boot_hyp_2cpu_zimage-$1.log" |
		awk -v want="$2" '$1 == "hyp_bench:" && $2 == want {
			split($3, n, "="); split($4, t, "="); printf "%.2f", t[2] / n[2]; found = 1 }
			END { if (!found) printf "-" }'
}
for c in empty unknown_legacy unknown_smccc smccc_version smccc_arch_features \
	 call_count call_uid revision abi_state set_reset_pair; do
	fig "hvc_${c}_per_call" "$(bench_val patched $c)" "$(bench_val base $c)" \
		"instructions per loop iteration"
done
# hotplug_median KERNEL: the median of the offline/online cycles, in us.
hotplug_median() {
	sed 's/^\[[ 0-9.]*\] //' "$work/runs/boot_hyp_2cpu_zimage-$1.log" |
		awk '$1 == "hyp_bench:" && $2 == "hotplug_cycle" { split($4, t, "="); print t[2] }' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", v[int((NR + 1) / 2)] / 1000; else printf "-" }'
}
fig hotplug_cycle_cpu1_us "$(hotplug_median patched)" "$(hotplug_median base)" \
	"virtual us per offline/online of CPU1 (median of 10; all CPUs' instructions; idle skipped)"

# Sizes.
objsize() {	# OBJ FIELD(1 text, 2 data, 3 bss), or - if absent
	[ -f "$1" ] || { echo -; return; }
	arm-linux-gnueabihf-size "$1" | awk -v f="$2" 'NR == 2 { print $f }'
}
P=$BUILD/test B=$BUILD/base/test
for f in text data bss; do
	n=$(case $f in text) echo 1 ;; data) echo 2 ;; bss) echo 3 ;; esac)
	fig "vmlinux_${f}_bytes" "$(objsize "$P/vmlinux" "$n")" "$(objsize "$B/vmlinux" "$n")" bytes
done
fig vmlinux_text_data_bytes "$(textdata "$P/vmlinux")" "$(textdata "$B/vmlinux")" bytes
# The same without the series' options (the apioff kernel), in the full
# bench; make check measures it in a row of its own.
if [ $fast = 0 ]; then
	"$HARNESS/kernel.sh" apioff vmlinux >/dev/null
	options_off_fig >>"$csv.tmp"
fi
fig zimage_bytes "$(stat -c %s "$P/arch/arm/boot/zImage")" "$(stat -c %s "$B/arch/arm/boot/zImage")" bytes
for o in arch/arm/kernel/hyp-stub.o arch/arm/boot/compressed/hyp-stub.o arch/arm/kernel/hyp.o \
	 arch/arm/kernel/hyp-api.o arch/arm/kernel/hyp-layer.o arch/arm/kernel/hyp-sysfs.o; do
	tag=$(echo "$o" | sed 's|arch/arm/||; s|[/.-]|_|g')
	fig "${tag}_text_bytes" "$(objsize "$P/$o" 1)" "$(objsize "$B/$o" 1)" bytes
	fig "${tag}_data_bytes" "$(objsize "$P/$o" 2)" "$(objsize "$B/$o" 2)" bytes
done

# The table: figure, ours, upstream, delta, delta %.
{
	echo "figure,ours,upstream,delta,delta_pct,unit"
	awk -F, '{
		d = "-"; p = "-"
		if ($2 != "-" && $3 != "-" && $2 != "" && $3 != "") {
			d = $2 - $3
			if ($3 != 0) p = sprintf("%+.3f", 100 * d / $3)
			d = sprintf("%+g", d)
		}
		printf "%s,%s,%s,%s,%s,%s\n", $1, ($2 == "" ? "-" : $2), ($3 == "" ? "-" : $3), d, p, $4
	}' "$csv.tmp"
} >"$csv"
rm -f "$csv.tmp"

{
	echo "# make bench ($(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown), $( [ $fast = 1 ] && echo fast || echo full ))"
	echo
	echo "QEMU $(qemu-system-arm --version | sed -n '1s/.*version \([^ ]*\).*/\1/p'), virt, Cortex-A15,"
	echo "-icount shift=0,align=off,sleep=off: 1 virtual ns = 1 guest instruction."
	echo "Test config; upstream = unpatched linux-source-6.1, same config."
	echo
	echo "| figure | ours | upstream | Δ | Δ % | unit |"
	echo "|---|---|---|---|---|---|"
	tail -n +2 "$csv" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
	if [ -f "$BUILD/check-stages.md" ]; then
		echo
		echo "Wall time of each stage of the last make check ($BUILD/check-stages.md):"
		echo
		cat "$BUILD/check-stages.md"
	fi
	# What each patch adds to vmlinux, from the prefix builds of the last
	# make check (prefixes.sh), between upstream and the whole series: if
	# they were built from this series.
	sizes=$BUILD/prefix/test/sizes.tsv
	series=$(git -C "$SRC" rev-parse series)
	echo
	if [ "$(head -n 1 "$sizes" 2>/dev/null)" != "# series $series" ]; then
		echo "No sizes by patch: the prefix builds of this series have not run"
		echo "(make check T=every_prefix_builds, or tools/harness/prefixes.sh test)."
	else
		echo "vmlinux text + data at each prefix of the series (test config; $sizes):"
		echo
		echo "| patch | text + data | Δ |"
		echo "|---|---|---|"
		{
			printf '0\t%s\tupstream 6.1\n' "$(textdata "$B/vmlinux")"
			tail -n +2 "$sizes"
			printf 'all\t%s\tthe whole series\n' "$(textdata "$P/vmlinux")"
		} | awk -F'\t' '{ d = NR > 1 ? sprintf("%+d", $2 - prev) : "-"; prev = $2
			printf "| %s %s | %s | %s |\n", $1, $3, $2, d }'
	fi
} >"$md"
awk -F, '{ printf "%-38s %12s %12s %9s %9s  %s\n", $1, $2, $3, $4, $5, $6 }' "$csv"

if [ $fast = 0 ]; then
	# The boot costs as bars: ours beside upstream.
	grep '^boot_.*_us,' "$csv" | awk -F, '{ sub(/_us$/, "", $1); print $1, $2 / 1000, $3 / 1000 }' \
		>"$work/boot.dat"
	gnuplot <<GP
set terminal svg size 900,420 dynamic
set output "$BUILD/bench.svg"
set title "Virtual time to Run /init (icount: 1 ms = 10^6 instructions)"
set ylabel "ms"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -30
set key top left
plot "$work/boot.dat" using 2:xtic(1) title "ours", "" using 3 title "upstream 6.1"
GP
	echo "== bench: $md, $csv, $BUILD/bench.svg"
	exit 0
fi

# --fast: the budgets; the options-off one has a row of its own in make
# check (bench.sh --options-off), once the prefix walk built its kernel.
check_budgets . '_options_off$'
