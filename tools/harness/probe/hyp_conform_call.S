/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Harness only, never in the series: the one HVC of hyp_conform, in the
 * kernel's instruction set (a module's call from Thumb to ARM code would
 * not link). It loads r0-r3 from regs->in, gives every other register but
 * sp and pc a known pattern, issues hvc #0 (hyp_conform_hvc_imm: hvc
 * #0xffff), stores r0-r3 to regs->out and
 * sets a bit in regs->changed for each register the call did not preserve
 * (bit n for rn, 13 for sp, 14 for lr, 16 for CPSR's E, A, I, F or mode):
 * the ABI lets a call change r0-r3 only ("Calling convention").
 *
 * An HVC_SOFT_RESTART target that hands the CPU back (hyp_conform's
 * landing) erets to hyp_conform_hvc_ret with every register but sp as it
 * left them: the caller ignores regs->changed then.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>
#include <asm/opcodes-virt.h>

#define PATTERN		0x5a5a0000	/* rn holds PATTERN + n */
#define REGS_IN		0
#define REGS_OUT	16
#define REGS_SP		32
#define REGS_CHANGED	36
#define REGS_CPSR	40
#define CPSR_KEPT	0x3df		/* E, A, I, F, mode (T reads as 0) */

	.macro	expect, reg, n
	ldr	r3, =(PATTERN + \n)
	cmp	\reg, r3
	orrne	r2, r2, #(1 << \n)
	.endm

/* The call, with hvc #\imm; \ret: a global label right after it. */
	.macro	conform_hvc, imm, ret
	push	{r4-r11, lr}
	push	{r0}				@ regs, at [sp] across the call
	mov	r1, sp
	str	r1, [r0, #REGS_SP]
	mrs	r1, cpsr
	str	r1, [r0, #REGS_CPSR]
	ldr	r4, =(PATTERN + 4)
	add	r5, r4, #1
	add	r6, r4, #2
	add	r7, r4, #3
	add	r8, r4, #4
	add	r9, r4, #5
	add	r10, r4, #6
	add	r11, r4, #7
	add	ip, r4, #8
	add	lr, r4, #10
	ldr	r1, [r0, #REGS_IN + 4]
	ldr	r2, [r0, #REGS_IN + 8]
	ldr	r3, [r0, #REGS_IN + 12]
	ldr	r0, [r0, #REGS_IN]
	__HVC(\imm)
	.globl	\ret
\ret:
	push	{r0-r3}				@ regs now at [sp, #16]
	mov	r2, #0
	expect	r4, 4
	expect	r5, 5
	expect	r6, 6
	expect	r7, 7
	expect	r8, 8
	expect	r9, 9
	expect	r10, 10
	expect	r11, 11
	expect	ip, 12
	expect	lr, 14
	ldr	r0, [sp, #16]
	ldr	r3, [r0, #REGS_SP]
	add	r1, sp, #16
	cmp	r1, r3
	orrne	r2, r2, #(1 << 13)
	mrs	r1, cpsr			@ the caller's state, but NZCV
	ldr	r3, [r0, #REGS_CPSR]
	eor	r1, r1, r3
	ldr	r3, =CPSR_KEPT
	tst	r1, r3
	orrne	r2, r2, #(1 << 16)
	str	r2, [r0, #REGS_CHANGED]
	pop	{r1-r3, ip}			@ the results r0-r3
	str	r1, [r0, #REGS_OUT]
	str	r2, [r0, #REGS_OUT + 4]
	str	r3, [r0, #REGS_OUT + 8]
	str	ip, [r0, #REGS_OUT + 12]
	add	sp, sp, #4			@ regs
	pop	{r4-r11, pc}
	.ltorg
	.endm

ENTRY(hyp_conform_hvc)
	conform_hvc 0, hyp_conform_hvc_ret
ENDPROC(hyp_conform_hvc)

/* The same with another immediate, which a provider ignores. */
ENTRY(hyp_conform_hvc_imm)
	conform_hvc 0xffff, hyp_conform_hvc_imm_ret
ENDPROC(hyp_conform_hvc_imm)
