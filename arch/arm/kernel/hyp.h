/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of the HYP stub's kernel side share among themselves.
 * Everything other code may call is in <asm/virt.h>.
 */
#ifndef __ARM_KERNEL_HYP_H
#define __ARM_KERNEL_HYP_H

#include <linux/compiler.h>
#include <linux/kconfig.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <asm/opcodes-virt.h>
#include <asm/virt.h>

/* hyp.c: the record of how each CPU entered */
const char *hyp_mode_name(int mode);
const char *hyp_system_mode_name(void);
bool hyp_any_cpu_stub(void);
void hyp_refresh(void);

/*
 * One HVC to whatever HVBAR points at; the caller checked it is safe.
 * Inline, and so notrace: nothing runs between a hand-back and the
 * stub's re-set-up (hyp_stub_home()).
 *
 * Context: on the CPU whose HYP it calls, which cannot change under it
 * (interrupts off, or preemption disabled).
 */
static inline unsigned long hyp_hvc(unsigned long fn, unsigned long a1,
				    unsigned long a2, unsigned long a3,
				    struct hyp_stub_res *res)
{
	register unsigned long r0 asm("r0") = fn;
	register unsigned long r1 asm("r1") = a1;
	register unsigned long r2 asm("r2") = a2;
	register unsigned long r3 asm("r3") = a3;

	asm volatile(__HVC(0)
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)
		     :
		     : "ip", "memory");
	if (res) {
		res->a0 = r0;
		res->a1 = r1;
		res->a2 = r2;
		res->a3 = r3;
	}
	return r0;
}

/*
 * hyp-api.c: the install API and the lock. Without CONFIG_ARM_HYP_API no
 * hypervisor is known to hold HYP and nothing is locked: hyp.c's hooks
 * do nothing.
 */
#ifdef CONFIG_ARM_HYP_API
bool hyp_api_busy(void);
void hyp_api_cpu_starting(void);
void hyp_api_cpu_entered(void);
bool hyp_provider_answers(struct hyp_stub_info *info);
bool hyp_this_cpu_held(void);
void hyp_stub_lock_adopt(void);
bool hyp_stub_lock_asked(void);
#else
static inline bool hyp_api_busy(void)
{
	return false;
}

static inline void hyp_api_cpu_starting(void) { }
static inline void hyp_api_cpu_entered(void) { }
#endif

/* hyp-layer.c: the firmware's layer, found and checked */
extern bool hyp_layer_found;		/* the boot CPU found it answering */
extern bool hyp_layer_locked;		/* it has its lock */
extern phys_addr_t hyp_layer_vectors;	/* where HVBAR goes back to */
DECLARE_PER_CPU(bool, hyp_layer_here);	/* a CPU found it at its last entry */

/*
 * Without CONFIG_ARM_HYP_LAYER no CPU is over a layer: these are false,
 * and the compiler drops what hyp.c does with the layer's state. Any
 * context: each reads one value that only grows stale.
 */
static __always_inline bool hyp_layer_present(void)
{
	return IS_ENABLED(CONFIG_ARM_HYP_LAYER) && READ_ONCE(hyp_layer_found);
}

static __always_inline bool hyp_layer_on_cpu(unsigned int cpu)
{
	return IS_ENABLED(CONFIG_ARM_HYP_LAYER) &&
	       READ_ONCE(per_cpu(hyp_layer_here, cpu));
}

#ifdef CONFIG_ARM_HYP_LAYER
void hyp_layer_check_this_cpu(void);
int hyp_layer_recheck_this_cpu(void);
bool hyp_layer_pm_exit_this_cpu(bool moved);
#else
static inline void hyp_layer_check_this_cpu(void) { }

static inline bool hyp_layer_pm_exit_this_cpu(bool moved)
{
	return false;
}

static inline int hyp_layer_recheck_this_cpu(void)
{
	return 0;
}
#endif

#endif /* __ARM_KERNEL_HYP_H */
