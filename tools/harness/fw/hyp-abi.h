/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HYP stub ABI, version 2, as the firmware's resident HYP layer
 * (layer.S) answers it. The specification is the series'
 * Documentation/arm/hyp-abi.rst; this firmware implements it from there,
 * the way any other firmware would, and shares no code with the kernel.
 */
#ifndef FW_HYP_ABI_H
#define FW_HYP_ABI_H

/* Calls from before the SMC Calling Convention: r0 < 0x01010000. */
#define ABI_SET_VECTORS		0
#define ABI_SOFT_RESTART	1
#define ABI_RESET_VECTORS	2
#define ABI_ERR			0x0badca11

/* SMCCC fast calls (Arm DEN 0028), SMC32. */
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001
#define SMCCC_VERSION_1_1	0x00010001
#define SMCCC_NOT_SUPPORTED	0xffffffff

/* The vendor-specific hypervisor service (owner 6). */
#define ABI_STATE		0x86000000	/* features, state, home vectors */
#define ABI_LOCK		0x86000001
#define ABI_CALL_COUNT		0x8600ff00
#define ABI_CALL_UID		0x8600ff01
#define ABI_REVISION		0x8600ff03
#define ABI_NR_CALLS		2		/* STATE and LOCK */
#define ABI_MAJOR		2
#define ABI_MINOR		0

/* UID 0835fb26-c898-49c7-b311-4c3d9606c6f6, bytes in order, LE words */
#define ABI_UID_0		0x26fb3508
#define ABI_UID_1		0xc74998c8
#define ABI_UID_2		0x3d4c11b3
#define ABI_UID_3		0xf6c60696

/* ABI_STATE: r1 features, r2 state, r3 where HVBAR goes back to */
#define ABI_FEAT_SET_VECTORS	(1 << 0)
#define ABI_FEAT_SOFT_RESTART	(1 << 1)
#define ABI_FEAT_RESET_VECTORS	(1 << 2)
#define ABI_FEAT_LOCK		(1 << 3)
#define ABI_FEAT_FIRMWARE	(1 << 4)	/* a resident layer, not a stub */
#define ABI_STATE_LOCKED	(1 << 0)

#define ABI_VECTORS_ALIGN	32
#define ABI_VECTORS_THUMB	1		/* in SET_VECTORS' r1, STATE's r3 */

#endif /* FW_HYP_ABI_H */
