/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware's resident HYP layer: a vector table and the handler of the
 * HYP stub ABI, version 2 (hyp-abi.h). fw.c copies it into the Non-secure
 * RAM the device tree reserves for it (FW_LAYER, no-map) and points each
 * CPU's HVBAR at it before entering the kernel in SVC. It runs in HYP with
 * the MMU off, linked where it runs, without a stack: only r0-r3 change,
 * and one word of state is shared by all CPUs.
 */
#include "hyp-abi.h"

#define HSCTLR_TE	(1 << 30)

	.syntax	unified
	.arm
	.arch_extension	virt
	.section .layer, "ax"

	.align	5
	.globl	layer_vectors
layer_vectors:
	b	.			@ 0x00: reset (not used in HYP)
	b	.			@ 0x04: undefined instruction
	b	.			@ 0x08: HVC executed in HYP
	b	.			@ 0x0c: prefetch abort
	b	.			@ 0x10: data abort
	b	layer_hvc		@ 0x14: hyp trap: HVC from SVC
	b	.			@ 0x18: IRQ
	b	.			@ 0x1c: FIQ

/* r0 = function, r1-r3 = arguments; results in r0-r3. */
layer_hvc:
	cmp	r0, #ABI_SET_VECTORS
	beq	set_vectors
	cmp	r0, #ABI_SOFT_RESTART
	beq	soft_restart
	cmp	r0, #ABI_RESET_VECTORS
	beq	success			@ the layer is already in place
	lsr	r2, r0, #16
	cmp	r2, #0x100
	bls	refuse			@ r0 < 0x01010000: before SMCCC
	ldr	r2, =SMCCC_VERSION
	cmp	r0, r2
	beq	smccc_version
	ldr	r2, =SMCCC_ARCH_FEATURES
	cmp	r0, r2
	beq	arch_features
	ldr	r2, =ABI_STATE
	cmp	r0, r2
	beq	state
	ldr	r2, =ABI_LOCK
	cmp	r0, r2
	beq	lock
	ldr	r2, =ABI_CALL_COUNT
	cmp	r0, r2
	beq	call_count
	ldr	r2, =ABI_CALL_UID
	cmp	r0, r2
	beq	call_uid
	ldr	r2, =ABI_REVISION
	cmp	r0, r2
	beq	revision
	mvn	r0, #0			@ SMCCC_NOT_SUPPORTED
	eret

refuse:
	ldr	r0, =ABI_ERR
	eret

set_vectors:
	tst	r1, #(ABI_VECTORS_ALIGN - 2)	@ bit 0: Thumb vectors
	bne	refuse
	cmp	r1, #ABI_VECTORS_ALIGN		@ 0 (or 1): no vectors
	blo	refuse
	ldr	r2, =layer_state
	ldr	r2, [r2]
	tst	r2, #ABI_STATE_LOCKED
	bne	refuse
	mrc	p15, 4, r2, c1, c0, 0		@ HSCTLR.TE = bit 0
	bic	r2, r2, #HSCTLR_TE
	tst	r1, #ABI_VECTORS_THUMB
	orrne	r2, r2, #HSCTLR_TE
	mcr	p15, 4, r2, c1, c0, 0
	bic	r1, r1, #ABI_VECTORS_THUMB
	mcr	p15, 4, r1, c12, c0, 0		@ HVBAR
	b	success

soft_restart:
	ldr	r2, =layer_state
	ldr	r2, [r2]
	tst	r2, #ABI_STATE_LOCKED
	bne	refuse
	bx	r1				@ in HYP, MMU off

smccc_version:
	ldr	r0, =SMCCC_VERSION_1_1
	eret

arch_features:
	ldr	r2, =SMCCC_VERSION		@ both arch calls are here
	bic	r3, r1, #1
	cmp	r3, r2
	bne	not_supported
success:
	mov	r0, #0
	eret
not_supported:
	mvn	r0, #0
	eret

state:
	mov	r0, #0
	ldr	r1, =(ABI_FEAT_SET_VECTORS | ABI_FEAT_SOFT_RESTART | \
		      ABI_FEAT_RESET_VECTORS | ABI_FEAT_LOCK | ABI_FEAT_FIRMWARE)
	ldr	r2, =layer_state
	ldr	r2, [r2]
	ldr	r3, =layer_vectors		@ ARM code: bit 0 clear
	eret

lock:
	ldr	r2, =layer_state
	mov	r3, #ABI_STATE_LOCKED
	str	r3, [r2]
	b	success

call_count:
	mov	r0, #ABI_NR_CALLS
	eret

call_uid:
	ldr	r0, =ABI_UID_0
	ldr	r1, =ABI_UID_1
	ldr	r2, =ABI_UID_2
	ldr	r3, =ABI_UID_3
	eret

revision:
	mov	r0, #ABI_MAJOR
	mov	r1, #ABI_MINOR
	eret

	.ltorg
	.align	2
/* ABI_STATE_LOCKED once locked; never cleared until the machine resets. */
layer_state:
	.long	0
	.globl	layer_end
layer_end:

	.section .note.GNU-stack, "", %progbits
