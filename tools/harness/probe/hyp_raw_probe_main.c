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
 * /proc/kallsyms). The call asks HYP to install the probe's own vectors
 * (hyp_raw_probe_vectors.S, in a page of their own); result shows r0:
 * 0 (accepted: not locked) or 0xbadca11 (refused). Once accepted, a
 * second HVC has them hand HYP straight back to the stub. (The stub's own
 * vectors would not do: the stub takes those as a request to set HYP up
 * again, locked or not.)
 */
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <asm/cacheflush.h>
#include <asm/memory.h>
#include <asm/opcodes-virt.h>
#include <asm/virt.h>

static ulong vectors;
module_param(vectors, ulong, 0444);
MODULE_PARM_DESC(vectors, "virtual address of __hyp_stub_vectors");

static ulong result;
module_param(result, ulong, 0444);
MODULE_PARM_DESC(result, "r0 after the HVC");

extern const char hyp_raw_probe_vectors[], hyp_raw_probe_vectors_end[];

/* One HVC on this CPU: r0, r1 in; r0 out. */
static unsigned long hvc2(unsigned long fn, unsigned long arg)
{
	register unsigned long r0 asm("r0") = fn;
	register unsigned long r1 asm("r1") = arg;

	asm volatile(__HVC(0)
		     : "+r" (r0), "+r" (r1)
		     :
		     : "r2", "r3", "ip", "memory");
	return r0;
}

static int __init hyp_raw_probe_init(void)
{
	unsigned long stub, mine;
	void *page;
	int cpu;

	if (!vectors)
		return -EINVAL;
	page = (void *)__get_free_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	memcpy(page, hyp_raw_probe_vectors,
	       hyp_raw_probe_vectors_end - hyp_raw_probe_vectors);
	/* HYP runs them with the MMU and caches off. */
	__sync_cache_range_w(page, PAGE_SIZE);
	flush_icache_range((unsigned long)page, (unsigned long)page + PAGE_SIZE);
	mine = virt_to_phys(page);
	stub = virt_to_phys((void *)vectors) |
	       (IS_ENABLED(CONFIG_THUMB2_KERNEL) ? HVC_VECTORS_THUMB : 0);

	preempt_disable();
	cpu = smp_processor_id();
	result = hvc2(HVC_SET_VECTORS, mine);
	if (!result)
		hvc2(HVC_SET_VECTORS, stub);	/* any HVC: back to the stub */
	preempt_enable();
	free_page((unsigned long)page);
	pr_info("hyp_raw_probe: HVC_SET_VECTORS(%#lx) on CPU%d: r0 = %#lx\n",
		mine, cpu, result);
	return 0;
}
module_init(hyp_raw_probe_init);

static void __exit hyp_raw_probe_exit(void)
{
}
module_exit(hyp_raw_probe_exit);

MODULE_DESCRIPTION("harness: one raw HVC_SET_VECTORS to the HYP stub");
MODULE_LICENSE("GPL");
