/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The calls of the reference test hypervisor (hyp-testvisor.S), shared by
 * its HYP half and the KUnit suite that drives it. Chosen so that the stub
 * answers each of them with HVC_STUB_ERR, and each fits one compare.
 */
#ifndef __ARM_KERNEL_HYP_TESTVISOR_H
#define __ARM_KERNEL_HYP_TESTVISOR_H

#include <linux/bits.h>

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
#endif

#endif /* __ARM_KERNEL_HYP_TESTVISOR_H */
