/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of the HYP stub's kernel side share among themselves.
 * Everything other code may call is in <asm/virt.h>.
 */
#ifndef __ARM_KERNEL_HYP_H
#define __ARM_KERNEL_HYP_H

#include <linux/percpu-defs.h>
#include <linux/types.h>
#include <asm/virt.h>

const char *hyp_mode_name(int mode);
const char *hyp_system_mode_name(void);
bool hyp_stub_lock_asked(void);

/* hyp.c, for the layer */
unsigned long hyp_hvc(unsigned long fn, unsigned long a1, unsigned long a2,
		      unsigned long a3, struct hyp_stub_res *res);
bool hyp_provider_answers(struct hyp_stub_info *info);
bool hyp_this_cpu_held(void);
void hyp_stub_lock_adopt(void);
void hyp_refresh(void);

/* hyp-layer.c: the firmware's layer, found and checked */
extern bool hyp_layer_found;		/* the boot CPU found it answering */
extern bool hyp_layer_locked;		/* it has its lock */
extern phys_addr_t hyp_layer_vectors;	/* where HVBAR goes back to */
DECLARE_PER_CPU(bool, hyp_layer_here);	/* a CPU found it at its last entry */
void hyp_layer_check_this_cpu(void);

#endif /* __ARM_KERNEL_HYP_H */
