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
 *
 * hold=1 (without vectors=) has it install its vectors on every online CPU
 * that has the stub or a layer, through the C API (hyp_set_vectors()), and
 * keep them there, as a hypervisor module that is running would: the
 * harness then tries kexec, hibernation, suspend and idle under it. The
 * kernel sends such a CPU no call but HVC_RESET_VECTORS, when it asks for
 * HYP back (to take the CPU offline for kexec): the vectors then hand HYP
 * back to that CPU's home (hyp_stub_vectors_phys()). Each CPU's copy is
 * in a page of its own, never freed. It prints how many CPUs it holds.
 */
#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <linux/workqueue.h>
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

static bool hold;
module_param(hold, bool, 0444);
MODULE_PARM_DESC(hold, "install the probe's vectors on every CPU through the API and keep them");

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
extern const char hyp_raw_probe_home[];

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

/*
 * A page holding a copy of the probe's vectors, with @home where they hand
 * HYP back to on HVC_RESET_VECTORS, cleaned for HYP.
 */
static void *vectors_page(u32 home)
{
	void *page = (void *)__get_free_page(GFP_KERNEL);

	if (!page)
		return NULL;
	memcpy(page, hyp_raw_probe_vectors,
	       hyp_raw_probe_vectors_end - hyp_raw_probe_vectors);
	memcpy(page + (hyp_raw_probe_home - hyp_raw_probe_vectors), &home,
	       sizeof(home));
	/* HYP runs them with the MMU and caches off. */
	__sync_cache_range_w(page, PAGE_SIZE);
	flush_icache_range((unsigned long)page, (unsigned long)page + PAGE_SIZE);
	return page;
}

/*
 * For work_on_cpu(): a copy of the vectors that hands back to this CPU's
 * home, installed here with hyp_set_vectors(); kept if that succeeds.
 */
static long install_on_cpu(void *unused)
{
	void *page = vectors_page(hyp_stub_vectors_phys());
	long ret;

	if (!page)
		return -ENOMEM;
	preempt_disable();
	ret = hyp_set_vectors(virt_to_phys(page));
	preempt_enable();
	if (ret)
		free_page((unsigned long)page);
	return ret;
}

/* hold=1: every online CPU with HYP to call gets the vectors, for good. */
static int hold_every_cpu(void)
{
	unsigned int cpu, held = 0;
	long ret;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (hyp_cpu_provider(cpu) == HYP_PROVIDER_NONE)
			continue;
		ret = work_on_cpu(cpu, install_on_cpu, NULL);
		if (ret)
			pr_err("hyp_raw_probe: hyp_set_vectors() on CPU%u: %ld\n", cpu, ret);
		else
			held++;
	}
	cpus_read_unlock();
	pr_info("hyp_raw_probe: holding HYP on %u CPU(s)\n", held);
	return 0;
}

static int __init hyp_raw_probe_init(void)
{
	unsigned long stub, mine;
	void *page;
	int cpu;

	if (hold && !vectors)
		return hold_every_cpu();
	if (!vectors)
		return 0;
	page = vectors_page(0);
	if (!page)
		return -ENOMEM;
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
