#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Derives root-cell configs for QEMU virt with 2 and 4 CPUs from Jailhouse's
# configs/arm/qemu-arm.c (8 CPUs, cpu set 0xff): Jailhouse refuses to enable
# (EINVAL) unless every CPU in the root cell's set is online.
#
# usage: derive-configs.sh JAILHOUSE_SRC
#   writes JAILHOUSE_SRC/configs/arm/qemu-arm-2cpu.c and qemu-arm-4cpu.c;
#   Jailhouse's build turns every configs/arm/*.c into a .cell.
set -euo pipefail
src=${1:?usage: derive-configs.sh JAILHOUSE_SRC}
in=$src/configs/arm/qemu-arm.c
[ -f "$in" ] || { echo "error: no $in" >&2; exit 1; }
# The set is the one line "0xff," in .cpus; check it is still there.
[ "$(grep -c '^[[:space:]]*0xff,$' "$in")" = 1 ] ||
	{ echo "error: $in: cpu set line not found (once)" >&2; exit 1; }
for n in 2 4; do
	mask=$(printf '0x%x' $(((1 << n) - 1)))
	out=$src/configs/arm/qemu-arm-${n}cpu.c
	sed -e "s/^\([[:space:]]*\)0xff,\$/\1$mask,/" \
	    -e "s/1G RAM, 8 cores/1G RAM, $n cores (derived from qemu-arm.c)/" \
	    "$in" >"$out.tmp"
	grep -q "^[[:space:]]*$mask,\$" "$out.tmp"
	mv "$out.tmp" "$out"
	echo "$out: cpu set $mask"
done
