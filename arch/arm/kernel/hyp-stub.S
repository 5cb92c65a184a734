/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (c) 2012 Linaro Limited.
 * Copyright (c) 2026 The authors of the HYP stub series (MAINTAINERS).
 *
 * The HYP stub.
 *
 * A CPU that enters the kernel in HYP mode is dropped to SVC by head.S, but
 * HYP stays behind: this file records the mode each CPU entered in, points
 * HVBAR at a minimal vector table (the stub), and leaves HYP in a state SVC
 * can run under. The stub then answers a small HVC ABI, which is how a
 * hypervisor installs itself later and how kexec restarts into the next
 * kernel in HYP.
 * Documentation/arm/hyp-abi.rst describes it.
 *
 * Built twice: into the kernel proper, and with ZIMAGE defined into the
 * decompressor, which has a single CPU, keeps no writable data and never
 * restarts, so it records nothing and has no soft restart of its own.
 * (Its lock word sits in .text and stays 0: nothing there locks.)
 *
 * The entry points run with the MMU and caches off, before any C, and the
 * stub runs in HYP with its MMU off: everything here is addressed PC
 * relative, and all of it works at physical addresses.
 */

#include <linux/init.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/linkage.h>
#include <linux/threads.h>
#include <asm/assembler.h>
#include <asm/cache.h>
#include <asm/virt.h>

	.arch	armv7-a

#define HSCTLR_EE	(1 << 25)	/* exceptions taken big-endian */
#define HSCTLR_TE	(1 << 30)	/* exceptions taken in Thumb state */
#define HDCR_HPMN	0x1f		/* counters PL1 may use */
#define SCTLR_CP15BEN	(1 << 5)
#define SCTLR_SED_ITD	(3 << 7)
#define SCTLR_WXN_UWXN	(3 << 19)
#define CNTHCTL_PL1PCTEN_PL1PCEN	3

/*
 * Written in HYP or at entry with the caches off, and read by the kernel
 * only after invalidating: the kernel never writes these lines, and they
 * share their cache lines with nothing else. The exception is the lock
 * word, which the kernel also writes, and cleans to memory: it has a
 * cache line of its own, so that cleaning it writes back no stale record.
 */
#ifdef ZIMAGE
	.text
#else
	.data
#endif
	.balign	L1_CACHE_BYTES
#ifndef ZIMAGE
/* Mode of the boot CPU, plus BOOT_CPU_MODE_MISMATCH. */
SYM_DATA_START(__boot_cpu_mode)
	.long	0
SYM_DATA_END(__boot_cpu_mode)

/*
 * The boot CPU's MPIDR affinity fields. Without a device tree, or on a UP
 * kernel, __cpu_logical_map[0] holds Aff0 (or 0), not the whole of it.
 */
SYM_DATA_START(__hyp_boot_hwid)
	.long	0
SYM_DATA_END(__hyp_boot_hwid)

/* Mode of each logical CPU at its last entry; 0 until it enters. */
SYM_DATA_START(__hyp_cpu_mode)
	.rept	NR_CPUS
	.long	0
	.endr
SYM_DATA_END(__hyp_cpu_mode)
#endif
/*
 * HVC_ABI_STATE_LOCKED once HVC_ABI_LOCK was called, or the kernel wrote
 * it (hyp.c); never cleared. It refuses HVC_SET_VECTORS and
 * HVC_SOFT_RESTART.
 */
	.balign	L1_CACHE_BYTES
SYM_DATA_START(__hyp_stub_state)
	.long	0
SYM_DATA_END(__hyp_stub_state)
	.balign	L1_CACHE_BYTES

	.text

/*
 * record_primary / record_secondary: note the mode in r4 for this CPU. The
 * boot CPU is logical CPU 0 by definition, and is known again by the MPIDR
 * it booted with (__cpu_logical_map[0] holds all of it only when a device
 * tree says so). Any other entry finds its slot by looking its MPIDR up in
 * __cpu_logical_map, which the kernel cleans to memory, all NR_CPUS
 * entries, before a secondary can start (hyp.c). The walk goes upward and
 * the first match wins: the entries below nr_cpu_ids are the real map,
 * while those above can still hold the placeholders
 * smp_setup_processor_id() wrote, which may equal the MPIDR of a real CPU
 * when the device tree's MPIDRs are not 0..n-1. A secondary that entered
 * in another mode than the boot CPU sets BOOT_CPU_MODE_MISMATCH. Clobber
 * r5-r7.
 */
	.macro	record_primary
#ifndef ZIMAGE
	str_l	r4, __boot_cpu_mode, r5
	str_l	r4, __hyp_cpu_mode, r5
	mrc	p15, 0, r5, c0, c0, 5		@ MPIDR
	bic	r5, r5, #0xff000000		@ affinity fields only
	str_l	r5, __hyp_boot_hwid, r6
#endif
	.endm

	.macro	record_secondary
#ifndef ZIMAGE
	adr_l	r6, __boot_cpu_mode
	ldr	r5, [r6]
	and	r7, r5, #MODE_MASK
	cmp	r7, r4
	orrne	r5, r5, #BOOT_CPU_MODE_MISMATCH
	strne	r5, [r6]

	mrc	p15, 0, r5, c0, c0, 5		@ MPIDR
	bic	r5, r5, #0xff000000		@ affinity fields only
	mov	r6, #0
	ldr_l	r7, __hyp_boot_hwid
	cmp	r7, r5
	beq	.Lfound\@			@ the boot CPU, whatever the map says
.Lnext_cpu\@:
	adr_l	r7, __cpu_logical_map
	ldr	r7, [r7, r6, lsl #2]
	cmp	r7, r5
	beq	.Lfound\@
	add	r6, r6, #1
	cmp	r6, #NR_CPUS
	blo	.Lnext_cpu\@
	b	.Lrecorded\@			@ not in the map: left unrecorded
.Lfound\@:
	adr_l	r7, __hyp_cpu_mode
	str	r4, [r7, r6, lsl #2]
.Lrecorded\@:
#endif
	.endm

/*
 * __hyp_stub_install: for the boot CPU. __hyp_stub_install_secondary: for
 * any later entry (secondaries, hotplug, resume).
 *
 * Called from head.S, sleep.S and the decompressor with the MMU and caches
 * off; return in the mode they were called in, with the mode in r4. When
 * that is HYP, the stub is installed and HYP is ready for the caller's
 * exception return to SVC, which also synchronises the writes below.
 * Clobber r4-r7 only.
 */
SYM_FUNC_START(__hyp_stub_install)
	mrs	r4, cpsr
	and	r4, r4, #MODE_MASK
	record_primary
	b	hyp_stub_setup
SYM_FUNC_END(__hyp_stub_install)

SYM_FUNC_START(__hyp_stub_install_secondary)
	mrs	r4, cpsr
	and	r4, r4, #MODE_MASK
	record_secondary
	b	hyp_stub_setup
SYM_FUNC_END(__hyp_stub_install_secondary)

/*
 * hyp_state: HYP as the stub keeps it and SVC expects it, all but HVBAR:
 * no traps, no stage 2 (nor its TLB entries), HSCTLR with the MMU and
 * caches off and the kernel's endianness and instruction set for
 * exceptions, HDCR trapping nothing (HPMN as found), the real MIDR and
 * MPIDR for SVC to read, the physical counter and timer for PL1, a zero
 * CNTVOFF, the GICv3 system registers for PL1; at \boot also a virtual timer
 * stopped that firmware left running (later it may be the kernel's own:
 * with CPU 0 entered in SVC the kernel uses the virtual timer). Only
 * coprocessor moves, barriers and \tmp: no memory access, so it runs right
 * whatever HSCTLR.EE was.
 */
	.macro	hyp_state, tmp, boot
	mov	\tmp, #0
	mcr	p15, 4, \tmp, c1, c1, 0	@ HCR: no traps, no stage 2
	isb
	mcr	p15, 4, \tmp, c8, c7, 4	@ TLBIALLNSNH: no stale stage 2
	dsb	ish
	mcr	p15, 4, \tmp, c1, c1, 2	@ HCPTR: no coprocessor traps
	mcr	p15, 4, \tmp, c1, c1, 3	@ HSTR: no CP15 traps
 THUMB(	orr	\tmp, \tmp, #HSCTLR_TE	)
 ARM_BE8(orr	\tmp, \tmp, #HSCTLR_EE	)
	mcr	p15, 4, \tmp, c1, c0, 0	@ HSCTLR: MMU and caches off

	mrc	p15, 4, \tmp, c1, c1, 1	@ HDCR: no debug or PMU traps,
	and	\tmp, \tmp, #HDCR_HPMN	@ HPMN as it is
	mcr	p15, 4, \tmp, c1, c1, 1

	mrc	p15, 0, \tmp, c1, c0, 0	@ SCTLR as SVC expects it:
	orr	\tmp, \tmp, #SCTLR_CP15BEN	@ CP15 barriers on,
	bic	\tmp, \tmp, #SCTLR_SED_ITD	@ SETEND and IT allowed,
	bic	\tmp, \tmp, #SCTLR_WXN_UWXN	@ no implied execute-never
	mcr	p15, 0, \tmp, c1, c0, 0

	mrc	p15, 0, \tmp, c0, c0, 0	@ SVC reads the real MIDR
	mcr	p15, 4, \tmp, c0, c0, 0	@ and MPIDR through
	mrc	p15, 0, \tmp, c0, c0, 5	@ VPIDR and VMPIDR
	mcr	p15, 4, \tmp, c0, c0, 5

	mrc	p15, 0, \tmp, c0, c1, 1	@ ID_PFR1
	ubfx	\tmp, \tmp, #16, #4	@ generic timer?
	teq	\tmp, #0
	beq	.Lno_timer\@
	mrc	p15, 4, \tmp, c14, c1, 0	@ CNTHCTL: physical counter
	orr	\tmp, \tmp, #CNTHCTL_PL1PCTEN_PL1PCEN @ and timer usable at PL1
	mcr	p15, 4, \tmp, c14, c1, 0
	mov	\tmp, #0
	mcrr	p15, 4, \tmp, \tmp, c14	@ CNTVOFF = 0
	.if	\boot
	mrc	p15, 0, \tmp, c14, c3, 1	@ at boot, CNTV_CTL: stop a
	bic	\tmp, \tmp, #1		@ virtual timer left running
	mcr	p15, 0, \tmp, c14, c3, 1
	.endif
.Lno_timer\@:
	mrc	p15, 0, \tmp, c0, c1, 1	@ ID_PFR1
	ubfx	\tmp, \tmp, #28, #4	@ GICv3 system registers?
	teq	\tmp, #0
	beq	.Lno_sre\@
	mrc	p15, 4, \tmp, c12, c9, 5	@ ICC_HSRE: let PL1 use them
	orr	\tmp, \tmp, #(ICC_SRE_EL2_ENABLE | ICC_SRE_EL2_SRE)
	mcr	p15, 4, \tmp, c12, c9, 5
	isb
	mrc	p15, 4, \tmp, c12, c9, 5	@ firmware may hold SRE at 0:
	tst	\tmp, #ICC_SRE_EL2_SRE	@ then leave the rest alone
	beq	.Lno_sre\@
	mov	\tmp, #0
	mcr	p15, 4, \tmp, c12, c11, 0	@ ICH_HCR: no virtual interface
.Lno_sre\@:
	.endm

SYM_FUNC_START_LOCAL(hyp_stub_setup)
	cmp	r4, #HYP_MODE
	retne	lr

	adr	r7, __hyp_stub_vectors
	mcr	p15, 4, r7, c12, c0, 0		@ HVBAR: the stub
	hyp_state r7, 1
	ret	lr
SYM_FUNC_END(hyp_stub_setup)

#ifdef ZIMAGE
/*
 * __hyp_set_vectors(r0 = physical address): the decompressor moves HYP's
 * vectors when it relocates itself and when it re-enters HYP to start the
 * kernel.
 * The kernel proper uses hyp_set_vectors() in C.
 */
SYM_FUNC_START(__hyp_set_vectors)
	mov	r1, r0
 THUMB(	orr	r1, r1, #HVC_VECTORS_THUMB )	@ this stub's own state
	mov	r0, #HVC_SET_VECTORS
	__HVC(0)
	ret	lr
SYM_FUNC_END(__hyp_set_vectors)
#else
/*
 * __hyp_soft_restart(r0 = physical address): jump there in HYP. Called
 * from cpu_v7_reset() in the identity map with the MMU off, never to
 * return. If HYP refuses (a locked stub), jump there in SVC instead: the
 * return address is a virtual one, of no use with the MMU off.
 */
SYM_FUNC_START(__hyp_soft_restart)
	mov	r4, r0				@ the HVC may clobber r0-r3
	mov	r1, r0
	mov	r0, #HVC_SOFT_RESTART
	__HVC(0)
	bx	r4
SYM_FUNC_END(__hyp_soft_restart)
#endif

/*
 * The stub's vector table. In HYP, HVC from SVC arrives as a Hyp Trap
 * (0x14); nothing else is expected while the stub is installed, so the
 * other slots park the CPU where a debugger can find it. IRQ and FIQ never
 * reach HYP here (HCR.IMO and HCR.FMO are clear), so the HVC handler needs
 * no branch: it starts at 0x14 and runs on over their slots.
 *
 * The handler: r0 = function ID, r1-r3 = arguments, results in r0-r3;
 * only r0-r3 change. The dispatch only compares and branches (where an ID
 * does not fit a compare, it subtracts the first ID of its group once): an
 * ID meets the compares for the calls that exist, the legacy ones first,
 * and nothing else. An unknown legacy ID costs two compares, the error
 * value and the return.
 */
	.arch_extension	virt
	.balign	HVC_VECTORS_ALIGN
SYM_CODE_START(__hyp_stub_vectors)
	W(b)	.			@ 0x00: reset (not used in HYP)
	W(b)	.			@ 0x04: undefined instruction
	W(b)	.			@ 0x08: HVC executed in HYP
	W(b)	.			@ 0x0c: prefetch abort
	W(b)	.			@ 0x10: data abort
					@ 0x14: hyp trap: HVC from SVC
	cmp	r0, #HVC_RESET_VECTORS
	bls	.Llegacy_call			@ 0, 1 or 2
	cmp	r0, #HVC_LEGACY_LIMIT & 0xff000000
 THUMB(	itt	lo )
	ldrlo	r0, =HVC_STUB_ERR		@ below 0x01000000: another
	eretlo					@ legacy ID, refused
	lsr	r2, r0, #16
	cmp	r2, #(HVC_LEGACY_LIMIT >> 16) - 1
	bls	.Lrefuse			@ the rest of the legacy range
	/* SMCCC: each group of IDs is an offset from its first. */
	sub	r2, r0, #ARM_SMCCC_VERSION_FUNC_ID
	cmp	r2, #ARM_SMCCC_ARCH_FEATURES_FUNC_ID - ARM_SMCCC_VERSION_FUNC_ID
	beq	.Larch_features
	blo	.Lsmccc_version
	sub	r2, r0, #HVC_ABI_STATE
	cmp	r2, #HVC_ABI_LOCK - HVC_ABI_STATE
	beq	.Llock
	blo	.Lstate
	sub	r2, r2, #HVC_ABI_CALL_COUNT - HVC_ABI_STATE
	cmp	r2, #HVC_ABI_CALL_UID - HVC_ABI_CALL_COUNT
	beq	.Lcall_uid
	blo	.Lcall_count
	cmp	r2, #HVC_ABI_REVISION - HVC_ABI_CALL_COUNT
	beq	.Lrevision
.Lnot_supported:
	mov	r0, #SMCCC_RET_NOT_SUPPORTED
	eret
.Lrefuse:
	ldr	r0, =HVC_STUB_ERR
	eret

.Llegacy_call:
	cmp	r0, #HVC_SOFT_RESTART
	beq	.Lsoft_restart
	bhi	.Lsuccess			@ RESET_VECTORS: the stub is here
	tst	r1, #(HVC_VECTORS_ALIGN - 2)	@ SET_VECTORS: HVBAR cannot
	bne	.Lrefuse			@ hold that address,
	cmp	r1, #HVC_VECTORS_ALIGN		@ or it is 0: no vectors
	blo	.Lrefuse
	adr	r2, __hyp_stub_vectors		@ its own vectors: set HYP
	bic	r2, r2, #HVC_VECTORS_THUMB	@ up again, after a hand-back
 THUMB(	orr	r2, r2, #HVC_VECTORS_THUMB )	@ that left it otherwise;
	cmp	r1, r2				@ before any load, and
	beq	.Lreinit			@ allowed when locked
	ldr_l	r2, __hyp_stub_state
	tst	r2, #HVC_ABI_STATE_LOCKED
	bne	.Lrefuse
	mrc	p15, 4, r2, c1, c0, 0		@ HSCTLR.TE: bit 0 of r1,
	bic	r2, r2, #HSCTLR_TE		@ the new vectors' state
	tst	r1, #HVC_VECTORS_THUMB
	orrne	r2, r2, #HSCTLR_TE
	mcr	p15, 4, r2, c1, c0, 0
	bic	r1, r1, #HVC_VECTORS_THUMB
	mcr	p15, 4, r1, c12, c0, 0		@ HVBAR
	b	.Lsuccess

.Lreinit:
	hyp_state r2, 0
	b	.Lsuccess

.Lsoft_restart:
	ldr_l	r2, __hyp_stub_state		@ code run in HYP could write
	tst	r2, #HVC_ABI_STATE_LOCKED	@ HVBAR: not once locked
	bne	.Lrefuse
	bx	r1				@ in HYP, MMU off, no return

.Lstate:
	mov_l	r1, HVC_STUB_FEATURES
	ldr_l	r2, __hyp_stub_state
	adr_l	r3, __hyp_stub_vectors		@ HVBAR's value: physical,
	bic	r3, r3, #HVC_VECTORS_THUMB	@ with bit 0 set if the
 THUMB(	orr	r3, r3, #HVC_VECTORS_THUMB )	@ vectors are Thumb code
	b	.Lsuccess

.Lsmccc_version:
	mov_l	r0, ARM_SMCCC_VERSION_1_1
	eret

.Larch_features:
	bic	r3, r1, #1			@ SMCCC_VERSION and this call,
	cmp	r3, #ARM_SMCCC_VERSION_FUNC_ID	@ the only arch calls here
	bne	.Lnot_supported
	b	.Lsuccess

.Lcall_uid:
	mov_l	r0, HVC_ABI_UID_0
	mov_l	r1, HVC_ABI_UID_1
	mov_l	r2, HVC_ABI_UID_2
	mov_l	r3, HVC_ABI_UID_3
	eret

.Lrevision:
	mov	r0, #HVC_ABI_MAJOR
	mov	r1, #HVC_ABI_MINOR
	eret

.Lcall_count:
	mov	r0, #HVC_ABI_NR_CALLS
	eret

.Llock:
	mov	r2, #HVC_ABI_STATE_LOCKED
	str_l	r2, __hyp_stub_state, r3
	dsb	sy				@ seen by every CPU on return
.Lsuccess:
	mov	r0, #0
	eret
	.ltorg
SYM_CODE_END(__hyp_stub_vectors)
