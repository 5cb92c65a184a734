#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make boot's options, as a person uses them (one make check test): every
# bad value fails fast with its message, and every value of every option
# boots and prints the report it should; SHELL=1 gets commands on its
# console and answers them.
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TOP"
logs=$BUILD/logs/bootopts
mkdir -p "$logs"
fail=0
n=0

# refused OPTIONS... -- MESSAGE: make boot with OPTIONS stops within 5 s,
# before building anything, with MESSAGE.
refused() {
	local opts=() msg t0 out
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	msg=$2
	t0=$(date +%s)
	if out=$(make -s boot "${opts[@]}" 2>&1); then
		echo "not ok: make boot ${opts[*]} was accepted"
		fail=1
	elif [ $(($(date +%s) - t0)) -gt 5 ] || [[ $out != *"$msg"* ]]; then
		echo "not ok: make boot ${opts[*]}: $out"
		fail=1
	else
		out=${out%%$'\n'*}
		echo "ok: make boot ${opts[*]}: ${out#error: }"
	fi
}

# boots OPTIONS... -- LINE...: make boot with OPTIONS prints every LINE (a
# grep -E pattern) in its output.
boots() {
	local opts=() log line
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	n=$((n + 1))
	log=$logs/$n.log
	if ! make -s boot "${opts[@]}" >"$log" 2>&1; then
		echo "not ok: make boot ${opts[*]} failed (log: $log)"
		tail -n 15 "$log"
		fail=1
		return
	fi
	sed -i 's/\r$//' "$log"	# the serial console ends lines with CR LF
	for line in "$@"; do
		grep -qE "$line" "$log" && continue
		echo "not ok: make boot ${opts[*]}: no line /$line/ (log: $log)"
		fail=1
		return
	done
	echo "ok: make boot ${opts[*]} ($# lines checked)"
}

refused MODE=el2 -- "MODE must be hyp or svc"
refused CPUS=0 -- "CPUS must be 1, 2, 3 or 4"
refused CPUS=5 -- "CPUS must be 1, 2, 3 or 4"
refused CPU=cortex-a9 -- "CPU must be cortex-a15 or cortex-a7"
refused VIA=grub -- "VIA must be kernel, uboot, uefi, fw or layer"
refused VIA=uefi -- "VIA=uefi enters in SVC only"
refused VIA=layer -- "VIA=layer is scenario 2"
refused BASE=yes -- "BASE must be 0 or 1"
refused JAILHOUSE=2 -- "JAILHOUSE must be 0 or 1"
refused SHELL=y -- "SHELL must be 0 or 1"
refused KBASE=6.13 -- "KBASE must be 6.1 or 6.12"

ok_line='install/hand-back on every CPU: ok'
boots -- 'All CPU\(s\) started in HYP mode' 'CPUs online: 0-1$' \
	'CPU1: test hypervisor installed \(HVBAR 0x[0-9a-f]+ while it ran at PL2\)' "$ok_line" \
	'unpatched 6.1, same boot'
boots MODE=svc CPUS=1 CPU=cortex-a7 -- 'All CPU\(s\) started in SVC mode' \
	'cpu0: entered in svc, HYP from: none' 'CPUs online: 0$'
boots CPUS=3 -- 'CPUs online: 0-2$' "$ok_line"
boots VIA=uboot CPUS=4 -- 'All CPU\(s\) started in HYP mode' 'CPUs online: 0-3$' "$ok_line"
boots VIA=uefi MODE=svc -- 'All CPU\(s\) started in SVC mode' 'HYP from: none'
boots VIA=fw -- 'All CPU\(s\) started in HYP mode' "$ok_line"
boots VIA=layer MODE=svc -- 'HYP layer: ABI 2\.0' 'cpu1: entered in svc, HYP from: firmware' \
	'CPU1: HYP answers: firmware layer' "$ok_line"
boots BASE=1 -- 'unpatched 6.1: no record of the entry modes' 'All CPU\(s\) started in HYP mode'
boots KBASE=6.12 -- 'kernel: 6\.12\.' 'unpatched 6.12, same boot' "$ok_line"
if [ -f "$BUILD/jh/absent" ] && [ -z "${JAILHOUSE_SRC:-}" ] &&
   [ ! -e "$TOP/../shared/third_party/jailhouse-v0.12-324-ge57d1eff.tar.gz" ]; then
	echo "note: JAILHOUSE=1 not exercised: $(cat "$BUILD/jh/absent")"
else
	boots JAILHOUSE=1 CPUS=4 -- '^  Initializing Jailhouse hypervisor' 'Jailhouse: enabled = 1' \
		'Jailhouse: disabled; HYP from: stub stub stub stub'
fi

# SHELL=1: the same boot, then a shell on the console; commands go in on
# its standard input once it is there, the answers come back on its output.
out=$logs/shell.log
: >"$out"
coproc SH { make -s boot SHELL=1 2>&1; }
exec {to}>&"${SH[1]}"
while IFS= read -r -t 120 line <&"${SH[0]}"; do
	printf '%s\n' "$line" >>"$out"
	case $line in
	*"HARNESS: shell"*)
		# shellcheck disable=SC2016 # the guest's shell expands it
		printf '%s\n' 'cat /sys/devices/system/cpu/cpu1/hyp/provider' \
			'echo answer-$((6 * 7))' 'poweroff -f' >&"$to"
		;;
	esac
done
exec {to}>&-
[ -z "${SH_PID:-}" ] || wait "$SH_PID" 2>/dev/null || true
if grep -q 'install/hand-back on every CPU: ok' "$out" && grep -qx 'stub' <(tr -d '\r' <"$out") &&
   grep -q '^answer-42' <(tr -d '\r' <"$out"); then
	echo "ok: make boot SHELL=1: the report, then the shell answered (log: $out)"
else
	echo "not ok: make boot SHELL=1 (log: $out)"
	tail -n 20 "$out"
	fail=1
fi
[ "$fail" = 0 ]
