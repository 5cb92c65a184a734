/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The calls of the reference test hypervisor (hyp-testvisor.S), shared by
 * its HYP half and the KUnit suite that drives it. Chosen so that the stub
 * answers each of them with HVC_STUB_ERR, and each fits one compare.
 */
#ifndef __ARM_KERNEL_HYP_TESTVISOR_H
#define __ARM_KERNEL_HYP_TESTVISOR_H

#define TESTVISOR_WHOAMI	0x1000
#define TESTVISOR_TRAP_WFI	0x2000
#define TESTVISOR_UNTRAP	0x3000
#define TESTVISOR_UNEXPECTED	0x4000

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
