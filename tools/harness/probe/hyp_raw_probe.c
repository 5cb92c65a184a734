// SPDX-License-Identifier: GPL-2.0
/*
 * Harness only, never in the series: one raw HVC_SET_VECTORS on the CPU
 * that loads it, past the C API, which refuses any HVC on a CPU recorded
 * as entered in SVC. The harness loads it only where it knows HYP holds
 * our stub anyway: after a locked hibernation restore, the boot CPU is
 * restarted in SVC (the locked stub refuses HVC_SOFT_RESTART) while HYP
 * keeps that stub, whose lock word came back with the image.
 *
 * vectors= is the virtual address of __hyp_stub_vectors (from
 * /proc/kallsyms); the call asks the stub to install its own vectors
 * again, which changes nothing when it is accepted. result shows r0:
 * 0 (accepted: not locked) or 0xbadca11 (refused).
 */
#include <linux/module.h>
#include <linux/preempt.h>
#include <asm/memory.h>
#include <asm/opcodes-virt.h>
#include <asm/virt.h>

static ulong vectors;
module_param(vectors, ulong, 0444);
MODULE_PARM_DESC(vectors, "virtual address of __hyp_stub_vectors");

static ulong result;
module_param(result, ulong, 0444);
MODULE_PARM_DESC(result, "r0 after the HVC");

static int __init hyp_raw_probe_init(void)
{
	register unsigned long r0 asm("r0") = HVC_SET_VECTORS;
	register unsigned long r1 asm("r1");
	int cpu;

	if (!vectors)
		return -EINVAL;
	r1 = virt_to_phys((void *)vectors);
	preempt_disable();
	cpu = smp_processor_id();
	asm volatile(__HVC(0)
		     : "+r" (r0), "+r" (r1)
		     :
		     : "r2", "r3", "ip", "memory");
	preempt_enable();
	result = r0;
	pr_info("hyp_raw_probe: HVC_SET_VECTORS(%#lx) on CPU%d: r0 = %#lx\n",
		(unsigned long)virt_to_phys((void *)vectors),
		cpu, result);
	return 0;
}
module_init(hyp_raw_probe_init);

static void __exit hyp_raw_probe_exit(void)
{
}
module_exit(hyp_raw_probe_exit);

MODULE_DESCRIPTION("harness: one raw HVC_SET_VECTORS to the HYP stub");
MODULE_LICENSE("GPL");
