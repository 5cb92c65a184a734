/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reference test hypervisor: the calls its HYP half (hyp-testvisor-hyp.S)
 * answers, chosen so that the stub answers each of them with HVC_STUB_ERR
 * and each fits one compare, and the C half (hyp-testvisor.c) that the
 * KUnit suites use to make and install copies of it.
 */
#ifndef __ARM_KERNEL_HYP_TESTVISOR_H
#define __ARM_KERNEL_HYP_TESTVISOR_H

#include <linux/bits.h>
#ifndef __ASSEMBLY__
#include <linux/types.h>
#endif

#define TESTVISOR_WHOAMI	0x1000
#define TESTVISOR_TRAP_WFI	0x2000
#define TESTVISOR_UNTRAP	0x3000
#define TESTVISOR_UNEXPECTED	0x4000
#define TESTVISOR_SLOPPY	0x5000
#define TESTVISOR_CHECK		0x6000

/* TESTVISOR_CHECK's r0: the registers not as they were at SLOPPY. */
#define TESTVISOR_DIFF_HCR	BIT(0)
#define TESTVISOR_DIFF_HSTR	BIT(1)
#define TESTVISOR_DIFF_HSCTLR	BIT(2)
#define TESTVISOR_DIFF_CNTHCTL	BIT(3)
#define TESTVISOR_DIFF_CNTVOFF	BIT(4)
#define TESTVISOR_DIFF_VPIDR	BIT(5)
#define TESTVISOR_DIFF_VMPIDR	BIT(6)

#define TESTVISOR_MAGIC		0x7e577e57	/* WHOAMI's r0 */
#define TESTVISOR_ERR		0x7e57e770	/* unknown call */
#define TESTVISOR_PROBED	0x7e57900d	/* the probe ran */

#ifndef __ASSEMBLY__
extern const char hyp_testvisor_start[];
extern const char hyp_testvisor_stub_vectors[];
extern const char hyp_testvisor_probe[];
extern const char hyp_testvisor_resets[];
extern const char hyp_testvisor_end[];

/* One CPU's testvisor: a page holding a copy of the HYP code. */
struct testvisor {
	void *page;
	phys_addr_t phys;
	phys_addr_t vectors;	/* what installs it: phys, | THUMB in Thumb-2 */
};

int hyp_testvisor_create(struct testvisor *tv);
long hyp_testvisor_create_on_cpu(void *tv);
unsigned long hyp_testvisor_probe_entry(struct testvisor *tv);
u32 hyp_testvisor_reset_count(struct testvisor *tv);
void hyp_testvisor_destroy(struct testvisor *tv);
#endif

#endif /* __ARM_KERNEL_HYP_TESTVISOR_H */
