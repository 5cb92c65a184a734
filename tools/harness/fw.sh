#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Our test firmware (tools/harness/fw/) and what a boot through it needs.
#
#   fw.sh build
#       build/fw/fw.bin: the firmware for -bios, rebuilt when its sources
#       change (warnings are errors)
#   fw.sh dtb CPUS CPU-MODEL INITRD CMDLINE OUT [DT-CPUS] [IDLE] [LAYER]
#       OUT: QEMU's own device tree for that machine, with what the firmware
#       adds: a PSCI 0.2 node (SMC), PSCI as each CPU's enable-method, and
#       the command line and initramfs in /chosen. DT-CPUS (say 0,2,3):
#       only those CPU nodes are kept, so the kernel's logical CPUs get
#       MPIDRs that are not 0..n-1. IDLE=1: every CPU gets a PSCI idle
#       state that powers it down (CPU_SUSPEND), for cpuidle. LAYER 1 to 4:
#       the node that tells the kernel a HYP layer is resident, and its
#       no-map reserved memory; with 2 the firmware installs none (a device
#       tree that lies); with 3 the memory is reserved but not no-map; with
#       4 the node's memory-region is another no-map region, beside the
#       layer's (which stays reserved): the kernel must not use the layer;
#       with 5 the firmware installs the layer at each CPU's first entry
#       only, and enters a CPU that comes back with HVC undefined.
#       FW_MEM (default 256): the machine's memory, as qemu.sh --mem
#   fw.sh loads KERNEL INITRD DTB SVC-MASK [SVC-ONCE-MASK] [LAYER]
#       the qemu.sh --load options that place them and the parameter block
#       (SVC-ONCE-MASK: CPUs entered in SVC at their first entry only;
#       LAYER: what HYP holds for a CPU entered in SVC, 0 nothing, 1 the
#       resident layer, 2 nothing and HVC undefined (SCR.HCE clear); 3
#       and 4 are 1 for the firmware, only their device trees differ; 5
#       the layer at a CPU's first entry, then as 2). FW_LAYER_FILE=FILE
#       (conform.sh): with LAYER 1, 3 or 4, that file is the layer, loaded
#       at FW_LAYER, its vectors (ARM) at its start, in place of ours
#   build/fw/layer.bin: our layer alone, as such a file
#
# Memory layout of a boot through it, the one place it is written down
# (fw.c is built with FW_PARAMS and FW_MAGIC from here):
FW_KERNEL=0x41000000	# the zImage; it decompresses to RAM + 0x8000
FW_INITRD=0x42000000
FW_DTB=0x43000000
FW_PARAMS=0x4ffff000	# read at reset only (fw.c copies it): magic, kernel entry,
			# DTB, mask of CPUs entered in SVC,
			# mask of CPUs entered in SVC the first time only, layer;
			# in the last page of the boots' 256 MiB, which the
			# kernel takes at boot (memblock allocates top down): a
			# firmware that read it again later would read the
			# kernel's data, at every boot, not now and then
FW_LAYER=0x48000000	# the resident HYP layer, in Non-secure RAM (-m 256)
FW_LAYER_SIZE=0x200000	# reserved for it in the device tree, no-map: 2 MiB at
			# a 2 MiB boundary, as the binding asks (64 KiB at
			# 0x4ff00000 stopped 6.1 in paging_init(): a hole that
			# splits a 2 MiB block the kernel maps by sections)
FW_MAGIC=0x48595046	# "HYPF"
# FW_LAYER_FILE's address: FW_LAYER unless FW_LAYER_ADDR says otherwise
# (conform.sh LAYER_ADDR=): 2 MiB aligned, in RAM between the device tree
# and the 2 MiB that hold the parameters.
FW_EXT_LAYER=${FW_LAYER_ADDR:-$FW_LAYER}
IDLE_PHANDLE=0x7e00	# the idle state's; QEMU's own phandles start at 0x8000
LAYER_PHANDLE=0x7e01	# the layer's reserved memory
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

src=$HARNESS/fw
out=$BUILD/fw
doc=$TOP/Documentation/arm/hyp-abi.rst

# layer_example: the device-tree source of the ABI document's worked
# example, between its "worked example: begin" and "end" comments.
layer_example() {
	sed -n '/^\.\. worked example: begin$/,/^\.\. worked example: end$/p' "$doc" |
		sed -n 's/^    //p'
}

case ${1:-} in
build)
	mkdir -p "$out"
	if [ -f "$out/fw.bin" ] && [ -f "$out/layer.bin" ] &&
	   [ -z "$(find "$src" "$0" -newer "$out/fw.bin")" ]; then
		exit 0
	fi
	"${CROSS}gcc" -mcpu=cortex-a15 -marm -ffreestanding -fno-pie -no-pie -static \
		-fno-stack-protector -nostdlib -O2 -Wall -Wextra -Werror \
		-DFW_PARAMS="${FW_PARAMS}u" -DFW_MAGIC="${FW_MAGIC}u" \
		-T "$src/fw.lds" -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-Wl,--defsym=FW_LAYER=$FW_LAYER -Wl,--defsym=FW_LAYER_SIZE=$FW_LAYER_SIZE \
		-o "$out/fw.elf.$$" "$src/entry.S" "$src/fw.c" "$src/layer.S"
	"${CROSS}objcopy" -O binary -j .text -j .layer "$out/fw.elf.$$" "$out/fw.bin.$$"
	"${CROSS}objcopy" -O binary -j .layer "$out/fw.elf.$$" "$out/layer.bin"
	mv "$out/fw.elf.$$" "$out/fw.elf"
	mv "$out/fw.bin.$$" "$out/fw.bin"
	;;
layer)
	# layer SRC OUT [ADDR]: a layer source like fw/layer.S (conform.sh's
	# mutants are copies of it with one defect each) as a file for
	# FW_LAYER_FILE, linked to run at ADDR (FW_LAYER).
	"${CROSS}gcc" -mcpu=cortex-a15 -marm -c -I"$src" -o "$2.o" -x assembler-with-cpp "$2"
	"${CROSS}ld" --section-start=.layer="${4:-$FW_LAYER}" -e layer_vectors --build-id=none \
		-o "$3.elf" "$2.o"
	"${CROSS}objcopy" -O binary -j .layer "$3.elf" "$3"
	rm -f "$2.o" "$3.elf"
	;;
dtb)
	cpus=$2 model=$3 initrd=$4 cmdline=$5 dtb=$6 keep=${7:-} idle=${8:-0} layer=${9:-0}
	"$0" build
	qemu-system-arm -M "virt,secure=on,virtualization=on,dumpdtb=$dtb.new" -cpu "$model" \
		-smp "$cpus" -m "${FW_MEM:-256}" -nic none -bios "$out/fw.bin" -display none >/dev/null 2>&1 ||
		die "qemu-system-arm could not write the device tree for $dtb"
	fdtput -c "$dtb.new" /psci
	fdtput -t s "$dtb.new" /psci compatible arm,psci-0.2
	fdtput -t s "$dtb.new" /psci method smc
	for ((n = 0; n < cpus; n++)); do
		if [ -n "$keep" ] && [[ ,$keep, != *,$n,* ]]; then
			fdtput -r "$dtb.new" "/cpus/cpu@$n"
			continue
		fi
		fdtput -t s "$dtb.new" "/cpus/cpu@$n" enable-method psci
		# FW_AFF1_CPUS=MASK: the tree gives these CPUs Aff1 = 1 in their
		# MPIDR, which they do not have (CPU_ON still finds them):
		# they enter the kernel under an MPIDR its logical map lacks.
		if (((${FW_AFF1_CPUS:-0} >> n) & 1)); then
			fdtput -t x "$dtb.new" "/cpus/cpu@$n" reg "$(printf %x $((0x100 | n)))"
		fi
		if [ "$idle" = 1 ]; then
			fdtput -t x "$dtb.new" "/cpus/cpu@$n" cpu-idle-states $IDLE_PHANDLE
		fi
	done
	if [ "$idle" = 1 ]; then
		# StateType 1 (power down), state 0: long enough to be chosen
		# between timer ticks; the timer keeps running (no
		# local-timer-stop).
		fdtput -c "$dtb.new" /cpus/idle-states
		fdtput -t s "$dtb.new" /cpus/idle-states entry-method psci
		fdtput -c "$dtb.new" /cpus/idle-states/cpu-power-down
		pd=/cpus/idle-states/cpu-power-down
		fdtput -t s "$dtb.new" $pd compatible arm,idle-state
		fdtput -t x "$dtb.new" $pd arm,psci-suspend-param 0x10000
		fdtput -t u "$dtb.new" $pd entry-latency-us 20
		fdtput -t u "$dtb.new" $pd exit-latency-us 40
		fdtput -t u "$dtb.new" $pd min-residency-us 200
		fdtput -t x "$dtb.new" $pd phandle $IDLE_PHANDLE
	fi
	if [ "$layer" != 0 ]; then
		# The nodes are the ABI document's worked example, as written
		# (Documentation/arm/hyp-abi.rst, "A worked example: QEMU virt"),
		# merged into QEMU's tree: every boot over our layer boots it.
		layer_example >"$dtb.example"
		grep -q 'hyp-layer@0*'"${FW_LAYER#0x}"' {' "$dtb.example" ||
			die "the ABI document's example does not place the layer at $FW_LAYER"
		grep -q "reg = <0x0 $FW_LAYER 0x0 $FW_LAYER_SIZE>;" "$dtb.example" ||
			die "the ABI document's example does not reserve $FW_LAYER_SIZE at $FW_LAYER"
		if [ -n "${FW_LAYER_FILE:-}" ] && [ $((FW_EXT_LAYER)) != $((FW_LAYER)) ]; then
			# A layer given as a file, loaded elsewhere: the example
			# with that address in place of ours.
			a=$(printf '%x' $((FW_EXT_LAYER)))
			sed -i "s/hyp-layer@0*${FW_LAYER#0x} {/hyp-layer@$a {/
				s/reg = <0x0 $FW_LAYER 0x0 $FW_LAYER_SIZE>;/reg = <0x0 0x$a 0x0 $FW_LAYER_SIZE>;/" \
				"$dtb.example"
		fi
		dtc -q -I dtb -O dts -o "$dtb.dts" "$dtb.new"
		# QEMU's own tree draws warnings (clocks given as numbers):
		# the example must add none.
		dtc -I dts -O dtb -o /dev/null "$dtb.dts" 2>"$dtb.warn0"
		cat "$dtb.dts" "$dtb.example" | dtc -I dts -O dtb -o "$dtb.new" - 2>"$dtb.warn1" ||
			die "the ABI document's example does not compile into QEMU's tree: $(cat "$dtb.warn1")"
		sed -i 's/^[^:]*://' "$dtb.warn0" "$dtb.warn1"
		if ! cmp -s "$dtb.warn0" "$dtb.warn1"; then
			die "the ABI document's example draws dtc warnings: $(diff "$dtb.warn0" "$dtb.warn1" | grep '^>')"
		fi
		rm -f "$dtb.dts" "$dtb.example" "$dtb.warn0" "$dtb.warn1"
		lm=/reserved-memory/hyp-layer@$(printf '%x' $((FW_EXT_LAYER)))
		[ -n "${FW_LAYER_FILE:-}" ] || lm=/reserved-memory/hyp-layer@${FW_LAYER#0x}
		[ "$layer" != 3 ] || fdtput -d "$dtb.new" "$lm" no-map
		if [ "$layer" = 4 ]; then
			# The region the node names: the next 2 MiB, not the layer's.
			other=$(printf '%x' $((FW_LAYER + FW_LAYER_SIZE)))
			lm=/reserved-memory/hyp-layer@$other
			fdtput -c "$dtb.new" "$lm"
			fdtput -t x "$dtb.new" "$lm" reg 0 "$other" 0 "${FW_LAYER_SIZE#0x}"
			fdtput -t x "$dtb.new" "$lm" no-map
			fdtput -t x "$dtb.new" "$lm" phandle $LAYER_PHANDLE
			fdtput -t x "$dtb.new" /firmware/hyp-layer memory-region $LAYER_PHANDLE
		fi
	fi
	size=$(stat -c %s "$initrd")
	fdtput -t x "$dtb.new" /chosen linux,initrd-start "${FW_INITRD#0x}"
	fdtput -t x "$dtb.new" /chosen linux,initrd-end "$(printf '%x' $((FW_INITRD + size)))"
	# The guest learns where the parameter block was (guest/scenarios/hotplug
	# fills memory until that page is reused).
	fdtput -t s "$dtb.new" /chosen bootargs "$cmdline harness.fw_params=$FW_PARAMS"
	mv "$dtb.new" "$dtb"
	;;
loads)
	# loads KERNEL INITRD DTB SVC-MASK [SVC-ONCE-MASK] [LAYER] [SVC-LATER-MASK]:
	# qemu.sh --load options for a boot.
	printf -- '--load file=%s,addr=%s,force-raw=on\n' "$2" $FW_KERNEL "$3" $FW_INITRD "$4" $FW_DTB
	i=0
	# Layers 3 and 4 differ from 1 only in the device tree. With
	# FW_LAYER_FILE (conform.sh), that file is the layer, in place of ours:
	# QEMU loads it at FW_EXT_LAYER, and the firmware (layer 6) points HVBAR
	# at its start.
	fwlayer=${7:-0}
	case $fwlayer in 3 | 4) fwlayer=1 ;; esac
	if [ -n "${FW_LAYER_FILE:-}" ] && [ "$fwlayer" = 1 ]; then
		[ -f "$FW_LAYER_FILE" ] || die "FW_LAYER_FILE=$FW_LAYER_FILE: no such file"
		size=$(stat -c %s "$FW_LAYER_FILE")
		[ "$size" -le $((FW_LAYER_SIZE)) ] ||
			die "FW_LAYER_FILE=$FW_LAYER_FILE: $size bytes, more than the $((FW_LAYER_SIZE)) reserved for it"
		printf -- '--load file=%s,addr=%s,force-raw=on\n' "$FW_LAYER_FILE" "$FW_EXT_LAYER"
		fwlayer=6
	fi
	for v in $FW_MAGIC $FW_KERNEL $FW_DTB "$5" "${6:-0}" "$fwlayer" "${8:-0}" "$FW_EXT_LAYER" \
		"${FW_AFF1_CPUS:-0}"; do
		printf -- '--load addr=0x%x,data=%s,data-len=4\n' $((FW_PARAMS + 4 * i)) "$v"
		i=$((i + 1))
	done
	;;
*)
	die "usage: fw.sh build | dtb CPUS MODEL INITRD CMDLINE OUT [DT-CPUS] [IDLE] [LAYER] | loads KERNEL INITRD DTB MASK [ONCE] [LAYER] [LATER]"
	;;
esac
