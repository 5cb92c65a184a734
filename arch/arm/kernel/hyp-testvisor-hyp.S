/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HYP half of the reference test hypervisor used by the HYP stub's
 * KUnit suites (hyp-stub-test.c).
 *
 * This code never runs where it is linked: the C half (hyp-testvisor.c)
 * copies it, from hyp_testvisor_start to hyp_testvisor_end, to the start
 * of a page of its own (module memory is not physically contiguous), fills
 * in the data words at the end and cleans the page to the point of
 * coherency; a test installs it with HVC_SET_VECTORS. It then runs in HYP
 * with the MMU off, at physical addresses: everything is PC relative, and
 * the page's top is its stack.
 *
 * Calls (r0), besides HVC_RESET_VECTORS, which every hypervisor must take
 * (it counts them in the word at hyp_testvisor_resets):
 *   TESTVISOR_WHOAMI:   r0 = TESTVISOR_MAGIC, r1 = HVBAR, r2 = HSCTLR,
 *                       r3 = CPSR (values only PL2 can read)
 *   TESTVISOR_TRAP_WFI: HCR.TWI set, trap counter zeroed; r0 = 0
 *   TESTVISOR_UNTRAP:   HCR.TWI clear; r0 = number of WFIs trapped
 *   TESTVISOR_UNEXPECTED: r0 = number of HVCs it did not expect, since
 *                       it was installed
 *   TESTVISOR_SLOPPY:   keeps HCR, HSTR, HSCTLR, CNTHCTL, CNTVOFF, VPIDR and
 *                       VMPIDR as they are; its next HVC_RESET_VECTORS
 *                       hands back sloppily: HVBAR and HSCTLR.TE put back,
 *                       WFI and CP15 c15 trapped, HSCTLR.EE flipped, PL1's
 *                       physical counter and timer trapped, CNTVOFF, VPIDR
 *                       and VMPIDR changed. The reset after that one puts
 *                       back what SLOPPY kept. r0 = 0
 *   TESTVISOR_CHECK:    r0 = TESTVISOR_DIFF_* of the registers that differ
 *                       from what SLOPPY kept
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
#define HSTR_T15	BIT(15)
#define HSCTLR_TE	BIT(30)
#define HSCTLR_EE	BIT(25)
#define CNTHCTL_PL1	3		/* PL1PCTEN, PL1PCEN */

/* What TESTVISOR_SLOPPY keeps, at tv_saved. */
#define SAVED_MODE	0		/* 0, TV_SLOPPY or TV_REPAIR */
#define SAVED_HCR	4
#define SAVED_HSTR	8
#define SAVED_HSCTLR	12
#define SAVED_CNTHCTL	16
#define SAVED_CNTVOFF	20		/* 8 bytes */
#define SAVED_VPIDR	28
#define SAVED_VMPIDR	32
#define SAVED_SIZE	36
#define TV_SLOPPY	1		/* the next reset is sloppy */
#define TV_REPAIR	2		/* the next reset puts it all back */

/* tv_diff OFF, BIT: r0 |= BIT if r2 is not the word SLOPPY kept at OFF. */
	.macro	tv_diff, off, bit
	ldr	r3, [r1, #\off]
	cmp	r2, r3
	orrne	r0, r0, #\bit
	.endm

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

	/*
	 * An HVC: r0-r3 are ours. Its loads and stores in the kernel's
	 * endianness, whatever HSCTLR.EE made CPSR.E at the exception
	 * (HSCTLR kept in r2 for CHECK); eret gives the caller its own back.
	 */
	mrc	p15, 4, r2, c1, c0, 0		@ HSCTLR
#ifdef CONFIG_CPU_ENDIAN_BE8
	setend	be
#else
	setend	le
#endif
	/* Every call resets the stack. */
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
	cmp	r0, #TESTVISOR_SLOPPY
	beq	tv_sloppy
	cmp	r0, #TESTVISOR_CHECK
	beq	tv_check
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

tv_sloppy:
	adr	r1, tv_saved
	mrc	p15, 4, r0, c1, c1, 0		@ HCR
	str	r0, [r1, #SAVED_HCR]
	mrc	p15, 4, r0, c1, c1, 3		@ HSTR
	str	r0, [r1, #SAVED_HSTR]
	str	r2, [r1, #SAVED_HSCTLR]		@ HSCTLR at the call
	mrc	p15, 4, r0, c14, c1, 0		@ CNTHCTL
	str	r0, [r1, #SAVED_CNTHCTL]
	mrrc	p15, 4, r0, r2, c14		@ CNTVOFF
	str	r0, [r1, #SAVED_CNTVOFF]
	str	r2, [r1, #SAVED_CNTVOFF + 4]
	mrc	p15, 4, r0, c0, c0, 0		@ VPIDR
	str	r0, [r1, #SAVED_VPIDR]
	mrc	p15, 4, r0, c0, c0, 5		@ VMPIDR
	str	r0, [r1, #SAVED_VMPIDR]
	mov	r0, #TV_SLOPPY
	str	r0, [r1, #SAVED_MODE]
	mov	r0, #0
	eret

tv_check:
	adr	r1, tv_saved
	mov	r0, #0
	tv_diff	SAVED_HSCTLR, TESTVISOR_DIFF_HSCTLR	@ r2: HSCTLR at the call
	mrc	p15, 4, r2, c1, c1, 0		@ HCR
	tv_diff	SAVED_HCR, TESTVISOR_DIFF_HCR
	mrc	p15, 4, r2, c1, c1, 3		@ HSTR
	tv_diff	SAVED_HSTR, TESTVISOR_DIFF_HSTR
	mrc	p15, 4, r2, c14, c1, 0		@ CNTHCTL
	tv_diff	SAVED_CNTHCTL, TESTVISOR_DIFF_CNTHCTL
	mrrc	p15, 4, r2, r3, c14		@ CNTVOFF
	push	{r4}
	ldr	r4, [r1, #SAVED_CNTVOFF]
	cmp	r2, r4
	ldreq	r4, [r1, #SAVED_CNTVOFF + 4]
	cmpeq	r3, r4
	pop	{r4}
	orrne	r0, r0, #TESTVISOR_DIFF_CNTVOFF
	mrc	p15, 4, r2, c0, c0, 0		@ VPIDR
	tv_diff	SAVED_VPIDR, TESTVISOR_DIFF_VPIDR
	mrc	p15, 4, r2, c0, c0, 5		@ VMPIDR
	tv_diff	SAVED_VMPIDR, TESTVISOR_DIFF_VMPIDR
	eret

tv_reset:
	adr	r1, tv_reset_count		@ counted, for the kernel to
	ldr	r0, [r1]			@ read in the page
	add	r0, r0, #1
	str	r0, [r1]
	adr	r3, tv_stub_vectors		@ where HYP goes back to:
	ldr	r3, [r3]			@ bit 0 is its HSCTLR.TE
	adr	r1, tv_saved
	ldr	r0, [r1, #SAVED_MODE]
	cmp	r0, #TV_SLOPPY
	beq	tv_reset_sloppy
	cmp	r0, #TV_REPAIR
	beq	tv_reset_repair
	mov	r1, #0
	mcr	p15, 4, r1, c1, c1, 0		@ HCR: trap nothing
tv_reset_vectors:				@ r3: HVBAR's value, no loads
	mrc	p15, 4, r0, c1, c0, 0		@ HSCTLR
	bic	r0, r0, #HSCTLR_TE
	tst	r3, #HVC_VECTORS_THUMB
	orrne	r0, r0, #HSCTLR_TE
	mcr	p15, 4, r0, c1, c0, 0
	bic	r3, r3, #HVC_VECTORS_THUMB
	mcr	p15, 4, r3, c12, c0, 0		@ HVBAR: the stub or layer again
	mov	r0, #0
	eret

/* Handing back as a careless hypervisor would: HVBAR and TE only. */
tv_reset_sloppy:
	mov	r0, #TV_REPAIR
	str	r0, [r1, #SAVED_MODE]
	mov	r0, #HCR_TWI
	mcr	p15, 4, r0, c1, c1, 0		@ HCR: WFI trapped
	mov	r0, #HSTR_T15
	mcr	p15, 4, r0, c1, c1, 3		@ HSTR: CP15 c15 trapped
	mrc	p15, 4, r0, c14, c1, 0
	bic	r0, r0, #CNTHCTL_PL1
	mcr	p15, 4, r0, c14, c1, 0		@ CNTHCTL: PL1 counter trapped
	mov	r0, #0x1000
	mov	r2, #0
	mcrr	p15, 4, r0, r2, c14		@ CNTVOFF
	mrc	p15, 4, r0, c0, c0, 0
	eor	r0, r0, #0xf
	mcr	p15, 4, r0, c0, c0, 0		@ VPIDR: another revision
	mrc	p15, 4, r0, c0, c0, 5
	eor	r0, r0, #0x80
	mcr	p15, 4, r0, c0, c0, 5		@ VMPIDR: another Aff0
	mrc	p15, 4, r0, c1, c0, 0
	eor	r0, r0, #HSCTLR_EE
	mcr	p15, 4, r0, c1, c0, 0		@ HSCTLR: the other endianness
	isb
	b	tv_reset_vectors

/* Putting back what SLOPPY kept, whatever the stub did meanwhile. */
tv_reset_repair:
	mov	r0, #0
	str	r0, [r1, #SAVED_MODE]
	ldr	r0, [r1, #SAVED_HSTR]
	mcr	p15, 4, r0, c1, c1, 3		@ HSTR
	ldr	r0, [r1, #SAVED_CNTHCTL]
	mcr	p15, 4, r0, c14, c1, 0		@ CNTHCTL
	ldr	r0, [r1, #SAVED_CNTVOFF]
	ldr	r2, [r1, #SAVED_CNTVOFF + 4]
	mcrr	p15, 4, r0, r2, c14		@ CNTVOFF
	ldr	r0, [r1, #SAVED_VPIDR]
	mcr	p15, 4, r0, c0, c0, 0		@ VPIDR
	ldr	r0, [r1, #SAVED_VMPIDR]
	mcr	p15, 4, r0, c0, c0, 5		@ VMPIDR
	ldr	r0, [r1, #SAVED_HCR]
	ldr	r2, [r1, #SAVED_HSCTLR]
	mcr	p15, 4, r0, c1, c1, 0		@ HCR
	mcr	p15, 4, r2, c1, c0, 0		@ HSCTLR, last: its EE
	isb
	b	tv_reset_vectors

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
tv_saved:					@ TESTVISOR_SLOPPY's
	.rept	SAVED_SIZE / 4
	.long	0
	.endr
	.globl	hyp_testvisor_resets
hyp_testvisor_resets:				@ HVC_RESET_VECTORS taken
tv_reset_count:
	.long	0
	.globl	hyp_testvisor_end
hyp_testvisor_end:
SYM_CODE_END(hyp_testvisor_start)
