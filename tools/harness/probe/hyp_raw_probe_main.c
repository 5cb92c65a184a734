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
 *
 * Without vectors= it issues no HVC when it loads, and serves two
 * parameters that go through the C API instead: a CPU number written to
 * claim has that CPU claimed (hyp_claim_cpu()), one written to release
 * has its claim ended (hyp_release_cpu()); result shows what the call
 * returned. A claim is only noted: HYP stays with its provider.
 */
#include <linux/gfp.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/smp.h>
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
MODULE_PARM_DESC(result, "r0 after the HVC, or what claim or release returned");

static bool claim_op = true, release_op;

/* hyp_claim_cpu() or hyp_release_cpu() on the CPU named, by cross-call. */
static void call_on_cpu(void *claim)
{
	result = *(bool *)claim ? hyp_claim_cpu() : hyp_release_cpu();
}

static int on_cpu_set(const char *val, const struct kernel_param *kp)
{
	unsigned int cpu;
	int ret = kstrtouint(val, 0, &cpu);

	if (ret)
		return ret;
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	ret = smp_call_function_single(cpu, call_on_cpu, kp->arg, 1);
	pr_info("hyp_raw_probe: %s on CPU%u: %ld\n", kp->name, cpu, (long)result);
	return ret;
}

static const struct kernel_param_ops on_cpu_ops = {
	.set = on_cpu_set,
};
module_param_cb(claim, &on_cpu_ops, &claim_op, 0200);
MODULE_PARM_DESC(claim, "claim this CPU's HYP (hyp_claim_cpu())");
module_param_cb(release, &on_cpu_ops, &release_op, 0200);
MODULE_PARM_DESC(release, "end this CPU's claim (hyp_release_cpu())");

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
		return 0;
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
