/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test firmware for QEMU virt with secure=on,virtualization=on (-bios):
 * every CPU starts here in Secure SVC. It hands the Non-secure world to
 * Linux with each CPU in the mode the harness chose (HYP or SVC), so that
 * CPUs can disagree, and serves PSCI 0.2 over SMC from Monitor mode.
 * Only the mode switches and vectors are assembly; the rest is fw.c.
 */
#define MODE_SVC	0x13
#define MODE_MON	0x16
#define PSR_AIF		0x1c0
#define PSR_T		0x20
#define STACK_SIZE	1024
/* M, A, C, Z, I, V, EE, TE: off after reset */
#define SCTLR_RESET_CLEAR	((1 << 0) | (1 << 1) | (1 << 2) | (1 << 11) | \
				 (1 << 12) | (1 << 13) | (1 << 25) | (1 << 30))

	.syntax	unified
	.arm
	.section .text.reset, "ax"
	.globl	_start
_start:
	b	reset
	.rept	7
	b	.
	.endr

reset:
	cpsid	aif
	mrc	p15, 0, r4, c0, c0, 5		@ MPIDR
	and	r4, r4, #0xff			@ Aff0: CPU number on virt
	bl	stack_for_cpu
	mov	sp, r0
	ldr	r0, =mon_vectors
	mcr	p15, 0, r0, c12, c0, 1		@ MVBAR
	cps	#MODE_MON
	bl	stack_for_cpu
	mov	sp, r0
	cps	#MODE_SVC
	mov	r0, r4
	bl	fw_cpu_init			@ does not return
	b	.

/* r4 = CPU; returns the top of its stack (clobbers r0, r1). */
stack_for_cpu:
	ldr	r0, =fw_stacks
	add	r1, r4, #1
	add	r0, r0, r1, lsl #10		@ STACK_SIZE
	bx	lr

/*
 * enter_ns: r0 = entry point, r1 = value for r0, r2 = value for r2,
 * r3 = mode (0x1a HYP or 0x13 SVC). From Secure SVC or Monitor mode: the
 * Monitor stack starts afresh (a CPU that comes back after CPU_OFF left
 * its frames behind), then an exception return into the Non-secure world.
 */
	.globl	enter_ns
enter_ns:
	mov	r6, r0
	mov	r7, r1
	mov	r8, r2
	mov	r9, r3
	cps	#MODE_MON
	mrc	p15, 0, r4, c0, c0, 5
	and	r4, r4, #0xff
	bl	stack_for_cpu
	mov	sp, r0
	mov	r0, #0x131			@ SCR: NS, FW, AW, HCE
	mcr	p15, 0, r0, c1, c1, 0
	isb
	/*
	 * With SCR.NS set, Monitor mode reaches the Non-secure SCTLR and
	 * HSCTLR: a CPU back from CPU_OFF must find its MMU and caches off,
	 * little-endian, ARM exceptions, as after a real power-up.
	 */
	ldr	r1, =SCTLR_RESET_CLEAR
	mrc	p15, 0, r0, c1, c0, 0		@ SCTLR (Non-secure)
	bic	r0, r0, r1
	mcr	p15, 0, r0, c1, c0, 0
	mrc	p15, 4, r0, c1, c0, 0		@ HSCTLR
	bic	r0, r0, r1
	mcr	p15, 4, r0, c1, c0, 0
	isb
	mov	r0, r9
	bl	fw_ns_hyp			@ HYP as the parameters say
	orr	r0, r9, #PSR_AIF
	tst	r6, #1				@ PSCI: bit 0 of an entry point
	orrne	r0, r0, #PSR_T			@ asks for Thumb state (a
	bicne	r6, r6, #1			@ Thumb-2 kernel's secondaries)
	msr	spsr_cxsf, r0
	mov	lr, r6
	mov	r0, r7
	mov	r1, #-1				@ no machine number: DT
	mov	r2, r8
	mov	r3, #0
	movs	pc, lr

	.section .text
	.align	5
mon_vectors:
	b	.				@ reset (unused)
	b	.				@ undefined
	b	mon_smc				@ SMC
	b	.				@ prefetch abort
	b	.				@ data abort
	b	.				@ unused
	b	.				@ IRQ
	b	.				@ FIQ

/* PSCI over SMC: r0 function, r1-r3 arguments; the result in r0. */
mon_smc:
	push	{r1-r12, lr}
	bl	fw_psci
	pop	{r1-r12, lr}
	movs	pc, lr

	.ltorg
	.bss
	.align	3
	.globl	fw_stacks
fw_stacks:
	.space	STACK_SIZE * 9

	.section .note.GNU-stack, "", %progbits
