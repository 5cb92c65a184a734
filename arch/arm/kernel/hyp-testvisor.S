/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HYP half of the reference test hypervisor used by the HYP stub's
 * KUnit suite (hyp-stub-test.c).
 *
 * This code never runs where it is linked: the C half copies it, from
 * hyp_testvisor_start to hyp_testvisor_end, to the start of a page of its
 * own (module memory is not physically contiguous), fills in the data words
 * at the end, cleans the page to the point of coherency and installs it
 * with HVC_SET_VECTORS. It then runs in HYP with the MMU off, at physical
 * addresses: everything is PC relative, and the page's top is its stack.
 *
 * Calls (r0), besides HVC_RESET_VECTORS, which every hypervisor must take
 * (it counts them in the word at hyp_testvisor_resets):
 *   TESTVISOR_WHOAMI:   r0 = TESTVISOR_MAGIC, r1 = HVBAR, r2 = HSCTLR,
 *                       r3 = CPSR (values only PL2 can read)
 *   TESTVISOR_TRAP_WFI: HCR.TWI set, trap counter zeroed; r0 = 0
 *   TESTVISOR_UNTRAP:   HCR.TWI clear; r0 = number of WFIs trapped
 *   TESTVISOR_UNEXPECTED: r0 = number of HVCs it did not expect, since
 *                       it was installed
 * hyp_testvisor_probe is no vector: HVC_SOFT_RESTART is pointed at it to
 * see whether the stub jumps there, in HYP. It returns to the caller of the
 * HVC with r0 = TESTVISOR_PROBED, r1 = CPSR, r2 = HSCTLR, r3 = HVBAR.
 *
 * Anything else is refused and counted, the way a real hypervisor refuses
 * a call it does not know (some park the CPU): r0 = TESTVISOR_ERR, which
 * the stub never returns.
 */

#include <linux/linkage.h>
#include <asm/assembler.h>
#include <asm/page.h>
#include <asm/virt.h>
#include "hyp-testvisor.h"

	.arch	armv7-a
	.arch_extension	virt

#define HSR_EC_SHIFT	26
#define HSR_EC_WFX	0x01
#define HSR_IL		BIT(25)		/* trapped instruction is 32-bit */
#define HCR_TWI		BIT(13)
#define HSCTLR_TE	BIT(30)

	.macro	mov32, reg, val
	movw	\reg, #:lower16:\val
	movt	\reg, #:upper16:\val
	.endm

	.text
	.balign	HVC_VECTORS_ALIGN
SYM_CODE_START(hyp_testvisor_start)
	W(b)	.			@ 0x00: reset
	W(b)	.			@ 0x04: undefined instruction
	W(b)	.			@ 0x08: HVC executed in HYP
	W(b)	.			@ 0x0c: prefetch abort
	W(b)	.			@ 0x10: data abort
	W(b)	tv_trap			@ 0x14: hyp trap: HVC or trapped WFI
	W(b)	.			@ 0x18: IRQ
	W(b)	.			@ 0x1c: FIQ

tv_trap:
	/* A trapped WFI must see no register change: look with r0 parked. */
	mcr	p15, 4, r0, c13, c0, 2		@ HTPIDR = r0
	mrc	p15, 4, r0, c5, c2, 0		@ HSR
	lsr	r0, r0, #HSR_EC_SHIFT
	cmp	r0, #HSR_EC_WFX
	mrc	p15, 4, r0, c13, c0, 2		@ r0 back, flags kept
	beq	tv_wfx

	/* An HVC: r0-r3 are ours. Every call resets the stack. */
	adr	r3, hyp_testvisor_start
	add	r3, r3, #PAGE_SIZE
	mov	sp, r3
	cmp	r0, #HVC_RESET_VECTORS
	beq	tv_reset
	cmp	r0, #TESTVISOR_WHOAMI
	beq	tv_whoami
	cmp	r0, #TESTVISOR_TRAP_WFI
	beq	tv_trap_wfi
	cmp	r0, #TESTVISOR_UNTRAP
	beq	tv_untrap
	cmp	r0, #TESTVISOR_UNEXPECTED
	beq	tv_unexpected
	adr	r1, tv_unexpected_count
	ldr	r0, [r1]
	add	r0, r0, #1
	str	r0, [r1]
	mov32	r0, TESTVISOR_ERR
	eret

tv_unexpected:
	adr	r1, tv_unexpected_count
	ldr	r0, [r1]
	eret

tv_whoami:
	mov32	r0, TESTVISOR_MAGIC
	mrc	p15, 4, r1, c12, c0, 0		@ HVBAR
	mrc	p15, 4, r2, c1, c0, 0		@ HSCTLR
	mrs	r3, cpsr
	eret

tv_trap_wfi:
	adr	r1, tv_wfi_count
	mov	r0, #0
	str	r0, [r1]
	mrc	p15, 4, r1, c1, c1, 0		@ HCR
	orr	r1, r1, #HCR_TWI
	mcr	p15, 4, r1, c1, c1, 0
	eret

tv_untrap:
	mrc	p15, 4, r1, c1, c1, 0		@ HCR
	bic	r1, r1, #HCR_TWI
	mcr	p15, 4, r1, c1, c1, 0
	adr	r1, tv_wfi_count
	ldr	r0, [r1]
	eret

tv_reset:
	adr	r1, tv_reset_count		@ counted, for the kernel to
	ldr	r0, [r1]			@ read in the page
	add	r0, r0, #1
	str	r0, [r1]
	mov	r1, #0
	mcr	p15, 4, r1, c1, c1, 0		@ HCR: trap nothing
	adr	r1, tv_stub_vectors		@ where HYP goes back to:
	ldr	r1, [r1]			@ bit 0 is its HSCTLR.TE
	mrc	p15, 4, r0, c1, c0, 0		@ HSCTLR
	bic	r0, r0, #HSCTLR_TE
	tst	r1, #HVC_VECTORS_THUMB
	orrne	r0, r0, #HSCTLR_TE
	mcr	p15, 4, r0, c1, c0, 0
	bic	r1, r1, #HVC_VECTORS_THUMB
	mcr	p15, 4, r1, c12, c0, 0		@ HVBAR: the stub or layer again
	mov	r0, #0
	eret

tv_wfx:
	push	{r0, r1}			@ sp: set by the TRAP_WFI call
	adr	r0, tv_wfi_count
	ldr	r1, [r0]
	add	r1, r1, #1
	str	r1, [r0]
	mrc	p15, 4, r0, c5, c2, 0		@ HSR
	mrs	r1, elr_hyp			@ step over the WFI
	tst	r0, #HSR_IL
	addne	r1, r1, #4
	addeq	r1, r1, #2
	msr	elr_hyp, r1
	pop	{r0, r1}
	eret

	.globl	hyp_testvisor_probe
hyp_testvisor_probe:
	mov32	r0, TESTVISOR_PROBED
	mrs	r1, cpsr
	mrc	p15, 4, r2, c1, c0, 0		@ HSCTLR
	mrc	p15, 4, r3, c12, c0, 0		@ HVBAR
	eret

	.balign	4
	.globl	hyp_testvisor_stub_vectors
hyp_testvisor_stub_vectors:			@ filled in by the C half
tv_stub_vectors:
	.long	0
tv_wfi_count:
	.long	0
tv_unexpected_count:
	.long	0
	.globl	hyp_testvisor_resets
hyp_testvisor_resets:				@ HVC_RESET_VECTORS taken
tv_reset_count:
	.long	0
	.globl	hyp_testvisor_end
hyp_testvisor_end:
SYM_CODE_END(hyp_testvisor_start)
