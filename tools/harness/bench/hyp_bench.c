// SPDX-License-Identifier: GPL-2.0
/*
 * Harness only, never in the series: what HVC round trips, CPU hotplug and
 * idle cost, for "make bench". Built against the patched and the unpatched
 * kernel alike, so it uses no API of the series: raw HVCs, as a hypervisor
 * or firmware caller makes them. The bench boots it under QEMU's
 * -icount shift=0, where one virtual nanosecond is one guest instruction:
 * a loop of n calls with interrupts off costs exactly its instructions.
 *
 * Each result line is "hyp_bench: NAME n=N ns=T", T the virtual time of N
 * iterations. "empty" is the same loop with no HVC: the loop's own cost.
 *
 * pmu=1: count instructions instead, for what idles. Virtual time jumps
 * to the next timer while every CPU waits for an interrupt, so it cannot
 * count a CPU that powers down and wakes; the PMU's instruction event
 * can: under icount QEMU counts the instructions executed, and nothing
 * for the jumps. Counter 0 counts them in Non-secure PL0, PL1 and HYP
 * (the stub included), not in the Secure firmware; the parameter
 * "instructions" reads it. This holds for what the bench boots, and only
 * there: one CPU (QEMU's count is one for all vCPUs), no perf driver on
 * the PMU (arm_pmu resets it on every CPU_PM_EXIT), and a firmware whose
 * power-down keeps the PMU's state (ours waits for an interrupt and enters
 * the kernel again).
 */
#include <linux/bits.h>
#include <linux/cpu.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/sysfs.h>
#include <asm/barrier.h>
#include <asm/memory.h>
#include <asm/opcodes-virt.h>

static uint n = 20000;
module_param(n, uint, 0444);
MODULE_PARM_DESC(n, "iterations of each HVC loop");

static uint cycles = 10;
module_param(cycles, uint, 0444);
MODULE_PARM_DESC(cycles, "CPU1 offline/online cycles (0: none)");

static ulong vectors;
module_param(vectors, ulong, 0444);
MODULE_PARM_DESC(vectors, "__hyp_stub_vectors (virtual, from kallsyms); 0: no set/reset pair");

static bool series;
module_param(series, bool, 0444);
MODULE_PARM_DESC(series, "the kernel has the series: measure its calls too");

static bool pmu;
module_param(pmu, bool, 0444);
MODULE_PARM_DESC(pmu, "count instructions in PMU counter 0 (read: instructions)");

#define PMCR_E			BIT(0)		/* counters enabled */
#define PMCR_N			GENMASK(15, 11)	/* how many event counters */
#define PMXEVTYPER_NSH		BIT(27)		/* count in HYP too */
#define PMU_INST_RETIRED	0x08

static u32 pmcr_read(void)
{
	u32 pmcr;

	asm volatile("mrc p15, 0, %0, c9, c12, 0" : "=r" (pmcr));
	return pmcr;
}

/* Counter 0 selected, for PMXEVTYPER and PMXEVCNTR. */
static void pmu_select_0(void)
{
	asm volatile("mcr p15, 0, %0, c9, c12, 5" : : "r" (0));	/* PMSELR */
	isb();
}

static void pmu_start(void *unused)
{
	u32 pmcr = pmcr_read();

	if (!(pmcr & PMCR_N))
		return;					/* no event counter */
	pmu_select_0();
	asm volatile("mcr p15, 0, %0, c9, c13, 1"			/* PMXEVTYPER */
		     : : "r" (PMXEVTYPER_NSH | PMU_INST_RETIRED));
	asm volatile("mcr p15, 0, %0, c9, c13, 2" : : "r" (0));	/* PMXEVCNTR */
	asm volatile("mcr p15, 0, %0, c9, c12, 1" : : "r" (BIT(0)));	/* PMCNTENSET */
	asm volatile("mcr p15, 0, %0, c9, c12, 0" : : "r" (pmcr | PMCR_E));
	isb();
}

static int instructions_get(char *buf, const struct kernel_param *kp)
{
	u32 pmcr, count;

	if (!pmu)
		return -ENODEV;
	preempt_disable();
	pmcr = pmcr_read();
	if (!(pmcr & PMCR_E) || !(pmcr & PMCR_N)) {
		preempt_enable();
		return -ENODEV;
	}
	pmu_select_0();
	asm volatile("mrc p15, 0, %0, c9, c13, 2" : "=r" (count));	/* PMXEVCNTR */
	preempt_enable();
	return sysfs_emit(buf, "%u\n", count);
}

static int instructions_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;					/* a reading only */
}

static const struct kernel_param_ops instructions_ops = {
	.set = instructions_set,
	.get = instructions_get,
};
module_param_cb(instructions, &instructions_ops, NULL, 0444);
MODULE_PARM_DESC(instructions, "PMU counter 0 on this CPU (pmu=1)");

static __always_inline unsigned long hvc1(unsigned long fn, unsigned long a1)
{
	register unsigned long r0 asm("r0") = fn;
	register unsigned long r1 asm("r1") = a1;

	asm volatile(__HVC(0)
		     : "+r" (r0), "+r" (r1)
		     :
		     : "r2", "r3", "ip", "memory");
	return r0;
}

/* One loop of n calls of fn(a1), interrupts off; its virtual time. */
static noinline u64 loop(unsigned long fn, unsigned long a1, bool call)
{
	unsigned long flags;
	u64 t0, t1;
	uint i;

	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		if (call)
			hvc1(fn, a1);
		else
			barrier();
	}
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	return t1 - t0;
}

static void report(const char *name, u64 ns, uint iters)
{
	pr_info("hyp_bench: %s n=%u ns=%llu\n", name, iters, ns);
}

/* SET_VECTORS with the stub's own vectors, then RESET_VECTORS: n pairs. */
static u64 set_reset_pairs(unsigned long phys)
{
	unsigned long flags;
	u64 t0, t1;
	uint i;

	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		hvc1(0, phys);
		hvc1(2, 0);
	}
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	return t1 - t0;
}

static const struct {
	const char *name;
	unsigned long fn, a1;
	bool series_only;
} calls[] = {
	{ "unknown_legacy", 3, 0, false },		/* refused: 0xbadca11 */
	{ "unknown_smccc", 0x8600ff7f, 0, false },	/* NOT_SUPPORTED */
	{ "smccc_version", 0x80000000, 0, true },
	{ "smccc_arch_features", 0x80000001, 0x80000000, true },
	{ "call_count", 0x8600ff00, 0, true },
	{ "call_uid", 0x8600ff01, 0, true },
	{ "revision", 0x8600ff03, 0, true },
	{ "abi_state", 0x86000000, 0, true },
};

static int __init hyp_bench_init(void)
{
	unsigned int i;
	u64 t0;

	if (pmu)
		on_each_cpu(pmu_start, NULL, 1);
	preempt_disable();
	if (n) {			/* n=0: no HVC at all (the idle runs) */
		report("empty", loop(0, 0, false), n);
		for (i = 0; i < ARRAY_SIZE(calls); i++) {
			if (calls[i].series_only && !series)
				continue;
			report(calls[i].name, loop(calls[i].fn, calls[i].a1, true), n);
		}
		if (vectors && series)
			report("set_reset_pair",
			       set_reset_pairs(virt_to_phys((void *)vectors)), n);
	}
	preempt_enable();

	for (i = 0; i < cycles; i++) {
		t0 = ktime_get_ns();
		if (remove_cpu(1) || add_cpu(1)) {
			pr_err("hyp_bench: CPU1 offline/online failed\n");
			return -EIO;
		}
		report("hotplug_cycle", ktime_get_ns() - t0, 1);
	}
	return 0;
}
module_init(hyp_bench_init);

static void __exit hyp_bench_exit(void)
{
}
module_exit(hyp_bench_exit);

MODULE_DESCRIPTION("harness: HVC round trips and CPU hotplug, in virtual time");
MODULE_LICENSE("GPL");
