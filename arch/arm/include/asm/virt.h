/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HYP stub: the mode each CPU entered the kernel in, and the HVC ABI a
 * hypervisor uses to install itself in HYP mode after boot.
 *
 * See Documentation/arm/hyp-abi.rst.
 */
#ifndef __ASM_ARM_VIRT_H
#define __ASM_ARM_VIRT_H

#include <linux/bits.h>
#include <asm/ptrace.h>

/* Set in __boot_cpu_mode when CPUs entered the kernel in different modes. */
#define BOOT_CPU_MODE_MISMATCH	PSR_N_BIT

/* HVC function numbers, passed in r0 to "hvc #0". */
#define HVC_SET_VECTORS		0	/* r1: physical address of new HYP vectors */
#define HVC_SOFT_RESTART	1	/* r1: address to jump to in HYP, MMU off */
#define HVC_RESET_VECTORS	2	/* give HYP back to the stub */
#define HVC_STUB_DISCOVER	16	/* ABI version, features and state */
#define HVC_STUB_LOCK		17	/* refuse HVC_SET_VECTORS until reboot */

/* What the stub returns for a call it refuses or does not know. */
#define HVC_STUB_ERR		0xbadca11

/* HVC_STUB_DISCOVER: r0 = version, r1 = features, r2 = state. */
#define HVC_STUB_ABI_VERSION	1
#define HVC_STUB_FEAT_SET_VECTORS	BIT(0)
#define HVC_STUB_FEAT_SOFT_RESTART	BIT(1)
#define HVC_STUB_FEAT_RESET_VECTORS	BIT(2)
#define HVC_STUB_FEAT_LOCK		BIT(3)
#define HVC_STUB_FEATURES	(HVC_STUB_FEAT_SET_VECTORS |	\
				 HVC_STUB_FEAT_SOFT_RESTART |	\
				 HVC_STUB_FEAT_RESET_VECTORS |	\
				 HVC_STUB_FEAT_LOCK)
#define HVC_STUB_STATE_LOCKED	BIT(0)

/* HVBAR ignores its low five bits: vectors must be 32-byte aligned. */
#define HVC_VECTORS_ALIGN	32

#ifndef __ASSEMBLY__
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/cacheflush.h>

/* What HVC_STUB_DISCOVER reports. */
struct hyp_stub_info {
	u32 version;		/* HVC_STUB_ABI_VERSION */
	u32 features;		/* HVC_STUB_FEAT_* */
	u32 state;		/* HVC_STUB_STATE_* */
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

/* The stub's vector table; modules use hyp_stub_vectors_phys(). */
extern char __hyp_stub_vectors[];

/* The stub's state (HVC_STUB_STATE_*): written in HYP alone. */
extern u32 __hyp_stub_state;

static inline void sync_boot_mode(void)
{
	sync_cache_r(&__boot_cpu_mode);
}

void hyp_mode_check(void);
bool is_hyp_mode_available(void);
bool is_hyp_mode_mismatched(void);
int hyp_cpu_boot_mode(unsigned int cpu);
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
int hyp_held_cpus(void);

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

static inline int hyp_cpu_boot_mode(unsigned int cpu)
{
	return -ENODEV;
}

static inline int hyp_set_vectors(phys_addr_t vectors)
{
	return -ENODEV;
}

static inline int hyp_reset_vectors(void)
{
	return -ENODEV;
}

static inline phys_addr_t hyp_stub_vectors_phys(void)
{
	return 0;
}

static inline int hyp_stub_discover(struct hyp_stub_info *info)
{
	return -ENODEV;
}

static inline int hyp_stub_call(unsigned long fn, unsigned long a1,
				unsigned long a2, unsigned long a3,
				struct hyp_stub_res *res)
{
	return -ENODEV;
}

static inline bool hyp_stub_locked(void)
{
	return false;
}

static inline int hyp_stub_lock(void)
{
	return -ENODEV;
}

static inline int hyp_claim_cpu(void)
{
	return -ENODEV;
}

static inline int hyp_release_cpu(void)
{
	return -ENODEV;
}

static inline int hyp_held_cpus(void)
{
	return 0;
}
#endif /* CONFIG_ARM_VIRT_EXT */

#ifndef ZIMAGE
/* 32-bit ARM never runs the kernel itself in HYP mode. */
static inline bool is_kernel_in_hyp_mode(void)
{
	return false;
}
#endif /* !ZIMAGE */

#endif /* __ASSEMBLY__ */

#endif /* __ASM_ARM_VIRT_H */
