/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Harness only, never in the series: what hyp_conform runs in HYP, copied
 * to a page of its own for each CPU (HYP runs it with the MMU off) and
 * never called from the kernel, so it is assembled as ARM and Thumb code
 * whatever the kernel's instruction set. The offsets are hyp_conform's
 * HC_* too.
 *
 *   0x000  ARM vectors. An HVC: r0 = 2 (HVC_RESET_VECTORS) hands HYP back
 *          to the home written at 0x300 (HVBAR, and HSCTLR.TE from its
 *          bit 0) and returns 0; any other r0 returns 0xc0f00a4d and
 *          HVBAR in r1, so the caller sees whose vectors answered.
 *   0x100  the same in Thumb, returning 0xc0f00a7d.
 *   0x200  a target for HVC_SOFT_RESTART (ARM): notes CPSR, HSCTLR and
 *          HVBAR at 0x304-0x30c and returns to SVC at the address and
 *          with the SPSR written at 0x310 and 0x314, r0 = 0xc0f0055e.
 *          The ABI leaves r0-r3 UNKNOWN at the target: it uses none.
 *   0x280  the same in Thumb, returning 0xc0f0057e.
 *
 * Their hand-back leaves SP_hyp and HTPIDR holding garbage: a layer keeps
 * nothing there across an install and hand-back (the document).
 */
#define HSCTLR_TE	(1 << 30)
#define GARBAGE		0xbad0bad0	/* bit 0 clear: not a lock bit */

	.arch	armv7-a
	.arch_extension	virt
	.syntax	unified
	.section .rodata, "a"
	.balign	32
	.globl	hyp_conform_blob
hyp_conform_blob:

	.arm
	.rept	5
	b	.
	.endr
	b	arm_hvc				@ 0x14: HVC
	.rept	2
	b	.
	.endr
arm_hvc:
	cmp	r0, #2
	beq	arm_reset
	ldr	r0, =0xc0f00a4d
	mrc	p15, 4, r1, c12, c0, 0		@ HVBAR
	eret
arm_reset:
	ldr	r2, =GARBAGE
	mov	sp, r2				@ SP_hyp
	mcr	p15, 4, r2, c13, c0, 2		@ HTPIDR
	ldr	r1, home
	bic	r2, r1, #1
	mcr	p15, 4, r2, c12, c0, 0		@ HVBAR = home
	mrc	p15, 4, r2, c1, c0, 0		@ HSCTLR.TE = bit 0 of home
	bic	r2, r2, #HSCTLR_TE
	tst	r1, #1
	orrne	r2, r2, #HSCTLR_TE
	mcr	p15, 4, r2, c1, c0, 0
	isb
	mov	r0, #0
	eret
	.ltorg

	.org	hyp_conform_blob + 0x100
	.thumb
	.rept	5
	b.w	.
	.endr
	b.w	thumb_hvc			@ 0x114: HVC
	.rept	2
	b.w	.
	.endr
thumb_hvc:
	cmp	r0, #2
	beq	thumb_reset
	ldr	r0, =0xc0f00a7d
	mrc	p15, 4, r1, c12, c0, 0
	eret
thumb_reset:
	ldr	r2, =GARBAGE
	mov	sp, r2
	mcr	p15, 4, r2, c13, c0, 2
	ldr	r1, home
	bic	r2, r1, #1
	mcr	p15, 4, r2, c12, c0, 0
	mrc	p15, 4, r2, c1, c0, 0
	bic	r2, r2, #HSCTLR_TE
	tst	r1, #1
	it	ne
	orrne	r2, r2, #HSCTLR_TE
	mcr	p15, 4, r2, c1, c0, 0
	isb
	mov	r0, #0
	eret
	.ltorg

	.org	hyp_conform_blob + 0x200
	.arm
landing:
	adr	r0, home
	mrs	r1, cpsr
	str	r1, [r0, #4]
	mrc	p15, 4, r1, c1, c0, 0		@ HSCTLR
	str	r1, [r0, #8]
	mrc	p15, 4, r1, c12, c0, 0		@ HVBAR
	str	r1, [r0, #12]
	ldr	r1, [r0, #16]
	msr	elr_hyp, r1
	ldr	r1, [r0, #20]
	msr	spsr_cxsf, r1
	ldr	r0, =0xc0f0055e
	eret
	.ltorg

	.org	hyp_conform_blob + 0x280
	.thumb
landing_thumb:
	adr	r0, home
	mov	r1, #0
	str	r1, [r0, #4]			@ ran in Thumb: no CPSR noted
	ldr	r1, [r0, #16]
	msr	elr_hyp, r1
	ldr	r1, [r0, #20]
	msr	spsr_cxsf, r1
	ldr	r0, =0xc0f0057e
	eret
	.ltorg

	.org	hyp_conform_blob + 0x300
home:	.word	0		@ 0x300: where HVC_RESET_VECTORS hands back to
	.word	0		@ 0x304: the landing's CPSR,
	.word	0		@ 0x308: HSCTLR,
	.word	0		@ 0x30c: HVBAR;
	.word	0		@ 0x310: the address it returns to,
	.word	0		@ 0x314: and the SPSR
	.globl	hyp_conform_blob_end
hyp_conform_blob_end:
