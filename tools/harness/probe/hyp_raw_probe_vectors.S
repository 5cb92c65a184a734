/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Harness only, never in the series: the vectors hyp_raw_probe asks HYP
 * to install. They hand HYP straight back: an HVC taken here writes r1
 * (the stub's vectors, bit 0 their instruction set) back to HVBAR and
 * HSCTLR.TE, and returns 0; HVC_RESET_VECTORS (r0 = 2, which the kernel
 * sends a hypervisor it asks to hand back) takes the address from
 * hyp_raw_probe_home instead, where the probe writes this CPU's home. The
 * probe copies them to a page of their own.
 */
#include <linux/linkage.h>

	.arch	armv7-a
	.arch_extension	virt
	.arm
	.text
	.balign	32
	.globl	hyp_raw_probe_vectors
hyp_raw_probe_vectors:
	b	.				@ 0x00: reset
	b	.				@ 0x04: undefined instruction
	b	.				@ 0x08: HVC executed in HYP
	b	.				@ 0x0c: prefetch abort
	b	.				@ 0x10: data abort
	cmp	r0, #2				@ 0x14: an HVC: HVBAR = r1,
	ldreq	r1, hyp_raw_probe_home		@ or home for HVC_RESET_VECTORS
	bic	r2, r1, #1
	mcr	p15, 4, r2, c12, c0, 0
	mrc	p15, 4, r2, c1, c0, 0		@ HSCTLR.TE = bit 0 of r1
	bic	r2, r2, #(1 << 30)
	tst	r1, #1
	orrne	r2, r2, #(1 << 30)
	mcr	p15, 4, r2, c1, c0, 0
	mov	r0, #0
	eret
	.globl	hyp_raw_probe_home
hyp_raw_probe_home:
	.word	0
	.globl	hyp_raw_probe_vectors_end
hyp_raw_probe_vectors_end:
