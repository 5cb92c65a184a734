/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (c) 2012 Linaro Limited.
 * Copyright (c) 2026 The authors of the HYP stub series (MAINTAINERS).
 *
 * The HYP stub: the mode each CPU entered the kernel in, and the HVC ABI a
 * hypervisor uses to install itself in HYP mode after boot.
 *
 * See Documentation/arm/hyp-abi.rst.
 */
#ifndef __ASM_ARM_VIRT_H
#define __ASM_ARM_VIRT_H

#include <linux/arm-smccc.h>
#include <linux/bits.h>
#include <asm/ptrace.h>

/* Set in __boot_cpu_mode when CPUs entered the kernel in different modes. */
#define BOOT_CPU_MODE_MISMATCH	PSR_N_BIT

/*
 * The HYP ABI, version 2: r0 = function ID, then "hvc #0" from SVC.
 * IDs below HVC_LEGACY_LIMIT are the calls that predate the SMC Calling
 * Convention, which leaves that range to them; they keep their numbers
 * and their error value.
 */
#define HVC_SET_VECTORS		0	/* r1: new HYP vectors, physical, | THUMB */
#define HVC_SOFT_RESTART	1	/* r1: address to jump to in HYP, MMU off */
#define HVC_RESET_VECTORS	2	/* an installed hypervisor hands HYP back */
#define HVC_LEGACY_LIMIT	0x01010000

/* What a legacy call returns when refused, and any unknown legacy ID. */
#define HVC_STUB_ERR		0xbadca11

/*
 * The rest are SMCCC fast calls, SMC32, so that a caller who knows
 * nothing of this ABI can find it: SMCCC_VERSION, SMCCC_ARCH_FEATURES,
 * then the vendor-specific hypervisor service (owner 6), whose UID says
 * whose calls these are. Unknown IDs return SMCCC_RET_NOT_SUPPORTED.
 */
#define HVC_ABI_FN(n)		ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL,	\
						   ARM_SMCCC_SMC_32,	\
						   ARM_SMCCC_OWNER_VENDOR_HYP, (n))
#define HVC_ABI_STATE		HVC_ABI_FN(0)	/* r1 features, r2 state, r3 home */
#define HVC_ABI_LOCK		HVC_ABI_FN(1)	/* refuse SET_VECTORS, SOFT_RESTART */
#define HVC_ABI_CALL_COUNT	HVC_ABI_FN(0xff00)
#define HVC_ABI_CALL_UID	HVC_ABI_FN(ARM_SMCCC_FUNC_QUERY_CALL_UID)
#define HVC_ABI_REVISION	HVC_ABI_FN(0xff03)
#define HVC_ABI_NR_CALLS	2		/* STATE and LOCK */
#define HVC_ABI_MAJOR		2
#define HVC_ABI_MINOR		0

/* HVC_ABI_CALL_UID: 0835fb26-c898-49c7-b311-4c3d9606c6f6, in r0-r3 */
#define HVC_ABI_UID_0		0x26fb3508
#define HVC_ABI_UID_1		0xc74998c8
#define HVC_ABI_UID_2		0x3d4c11b3
#define HVC_ABI_UID_3		0xf6c60696

/* HVC_ABI_STATE: r0 = 0, r1 = features, r2 = state, r3 = home vectors. */
#define HVC_ABI_FEAT_SET_VECTORS	BIT(0)
#define HVC_ABI_FEAT_SOFT_RESTART	BIT(1)
#define HVC_ABI_FEAT_RESET_VECTORS	BIT(2)
#define HVC_ABI_FEAT_LOCK		BIT(3)
#define HVC_ABI_FEAT_FIRMWARE		BIT(4)	/* a firmware layer, not the stub */
#define HVC_STUB_FEATURES	(HVC_ABI_FEAT_SET_VECTORS |	\
				 HVC_ABI_FEAT_SOFT_RESTART |	\
				 HVC_ABI_FEAT_RESET_VECTORS |	\
				 HVC_ABI_FEAT_LOCK)
#define HVC_ABI_STATE_LOCKED	BIT(0)

/*
 * HVBAR ignores its low five bits: vectors must be 32-byte aligned. In the
 * address given to HVC_SET_VECTORS, and in the one HVC_ABI_STATE reports,
 * bit 0 says the vectors are Thumb code: HSCTLR.TE goes with HVBAR.
 */
#define HVC_VECTORS_ALIGN	32
#define HVC_VECTORS_THUMB	1

#ifndef __ASSEMBLY__
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/cacheflush.h>

/* What HYP on a CPU answers to the discovery calls. */
struct hyp_stub_info {
	u32 version;		/* HVC_ABI_REVISION: major << 16 | minor */
	u32 features;		/* HVC_ABI_FEAT_* */
	u32 state;		/* HVC_ABI_STATE_* */
	phys_addr_t vectors;	/* where HVBAR goes back to */
};

/* Where a CPU's HYP comes from (hyp_cpu_provider()). */
enum hyp_provider {
	HYP_PROVIDER_NONE,	/* no HYP the kernel may call */
	HYP_PROVIDER_STUB,	/* entered in HYP: the kernel's stub */
	HYP_PROVIDER_FIRMWARE,	/* entered in SVC over the firmware's layer */
};

/* r0-r3 as the HYP side left them after a call. */
struct hyp_stub_res {
	unsigned long a0, a1, a2, a3;
};

#ifdef CONFIG_ARM_VIRT_EXT
/*
 * Mode of the boot CPU at entry (CPSR mode bits), with
 * BOOT_CPU_MODE_MISMATCH set once any other CPU entered in another mode.
 * Written with the MMU off: read it after sync_boot_mode(). Modules use
 * is_hyp_mode_available() and is_hyp_mode_mismatched() instead.
 */
extern int __boot_cpu_mode;

/* The stub's vector table, at the address it is linked at. */
extern char __hyp_stub_vectors[];

/*
 * The stub's state (HVC_ABI_STATE_*): written in HYP, and by the lock
 * from SVC (then cleaned to memory); alone in its cache line.
 */
extern u32 __hyp_stub_state;

static inline void sync_boot_mode(void)
{
	sync_cache_r(&__boot_cpu_mode);
}

void hyp_mode_check(void);
bool is_hyp_mode_available(void);
bool is_hyp_mode_mismatched(void);
int hyp_cpu_last_entry_mode(unsigned int cpu);
int hyp_cpu_provider(unsigned int cpu);
bool hyp_soft_restart_in_hyp(void);
void hyp_cpu_starting(unsigned int cpu);

#else /* !CONFIG_ARM_VIRT_EXT */

#define __boot_cpu_mode	(SVC_MODE)

static inline void sync_boot_mode(void) { }

static inline void hyp_mode_check(void) { }

static inline bool is_hyp_mode_available(void)
{
	return false;
}

static inline bool is_hyp_mode_mismatched(void)
{
	return false;
}

static inline int hyp_cpu_last_entry_mode(unsigned int cpu)
{
	return -ENODEV;
}

static inline int hyp_cpu_provider(unsigned int cpu)
{
	return HYP_PROVIDER_NONE;
}

static inline bool hyp_soft_restart_in_hyp(void)
{
	return false;
}

static inline void hyp_cpu_starting(unsigned int cpu)
{
}

#endif /* CONFIG_ARM_VIRT_EXT */

/*
 * The install API (CONFIG_ARM_HYP_API). Without it the kernel offers
 * hypervisors nothing: each call returns -EOPNOTSUPP (0 or false where it
 * returns no error), and kexec is never refused.
 */
#ifdef CONFIG_ARM_HYP_API
bool hyp_can_install(void);
int hyp_set_vectors(phys_addr_t vectors);
int hyp_reset_vectors(void);
phys_addr_t hyp_stub_vectors_phys(void);
int hyp_stub_discover(struct hyp_stub_info *info);
int hyp_stub_call(unsigned long fn, unsigned long a1, unsigned long a2,
		  unsigned long a3, struct hyp_stub_res *res);
bool hyp_stub_locked(void);
int hyp_stub_lock(void);
int hyp_claim_cpu(void);
int hyp_release_cpu(void);
int hyp_kexec_prepare(bool crash, bool *counted);
void hyp_kexec_cleanup(bool counted);

#else /* !CONFIG_ARM_HYP_API */

static inline bool hyp_can_install(void)
{
	return false;
}

static inline int hyp_set_vectors(phys_addr_t vectors)
{
	return -EOPNOTSUPP;
}

static inline int hyp_reset_vectors(void)
{
	return -EOPNOTSUPP;
}

static inline phys_addr_t hyp_stub_vectors_phys(void)
{
	return 0;
}

static inline int hyp_stub_discover(struct hyp_stub_info *info)
{
	return -EOPNOTSUPP;
}

static inline int hyp_stub_call(unsigned long fn, unsigned long a1,
				unsigned long a2, unsigned long a3,
				struct hyp_stub_res *res)
{
	return -EOPNOTSUPP;
}

static inline bool hyp_stub_locked(void)
{
	return false;
}

static inline int hyp_stub_lock(void)
{
	return -EOPNOTSUPP;
}

static inline int hyp_claim_cpu(void)
{
	return -EOPNOTSUPP;
}

static inline int hyp_release_cpu(void)
{
	return -EOPNOTSUPP;
}

static inline int hyp_kexec_prepare(bool crash, bool *counted)
{
	return 0;
}

static inline void hyp_kexec_cleanup(bool counted)
{
}

#endif /* CONFIG_ARM_HYP_API */

#ifdef CONFIG_ARM_HYP_LAYER
void hyp_layer_init(void);
#else
static inline void hyp_layer_init(void) { }
#endif

#ifndef ZIMAGE
/* 32-bit ARM never runs the kernel itself in HYP mode. */
static inline bool is_kernel_in_hyp_mode(void)
{
	return false;
}
#endif /* !ZIMAGE */

#endif /* __ASSEMBLY__ */

#endif /* __ASM_ARM_VIRT_H */
