// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for the HYP stub, with a reference test hypervisor.
 *
 * The test hypervisor (the "testvisor": hyp-testvisor.c and its HYP half,
 * hyp-testvisor-hyp.S) does what a real one does through the stub's C API:
 * it installs its vectors on a CPU, proves it runs at PL2, traps WFI from
 * the kernel and counts the traps, then hands HYP back. It does the same over the firmware's HYP
 * layer, which answers the same ABI. Cases that the boot rules out are
 * skipped with the reason: an SVC boot without a layer has no HYP to call,
 * a locked stub refuses installs.
 *
 * Three suites, by concern: hyp_stub_abi (the entry-mode record and each
 * call of the ABI, one by one and fuzzed), hyp_stub_install (hypervisors
 * installing, holding and handing back) and hyp_stub_hotplug_lock (CPU
 * hotplug under installs, and the lock; its last case locks the stub).
 *
 * Per-CPU work runs on the CPU concerned (work_on_cpu() with preemption
 * off, or smp_call_function_single()); it only records what it saw, and
 * the test thread makes the assertions.
 *
 * By default the suites are quick and leave the machine as they found it,
 * for boards that run them routinely: stress=1 adds the long runs and CPU
 * hotplug, race_cycles=N installs by IPI while a CPU goes offline and
 * online N times, destructive=1 the case that locks the stub until reboot.
 */

#include <kunit/test.h>
#include <linux/cacheflush.h>
#include <linux/cpu.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pm_qos.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/virt.h>
#include "hyp-testvisor.h"

#define HSCTLR_M		BIT(0)
#define HSCTLR_TE		BIT(30)
#define TESTVISOR_WFIS		16	/* WFIs executed under the trap */
/* Without stress=1: quick, as on a board that runs the suite routinely. */
#define CYCLE_REPEATS		10
#define CYCLE_REPEATS_STRESS	1000
#define FUZZ_CALLS		1000
#define FUZZ_CALLS_STRESS	100000

static unsigned int fuzz_seed;
module_param(fuzz_seed, uint, 0444);
MODULE_PARM_DESC(fuzz_seed, "seed of the HVC fuzzer (0: pick one)");

static bool destructive;
module_param(destructive, bool, 0444);
MODULE_PARM_DESC(destructive, "also run cases that leave the stub locked until reboot");

static bool stress;
module_param(stress, bool, 0444);
MODULE_PARM_DESC(stress, "long runs (1000 install cycles, 100000 fuzzed HVCs per CPU) and CPU hotplug");

static unsigned int race_cycles;
module_param(race_cycles, uint, 0444);
MODULE_PARM_DESC(race_cycles, "CPU hotplug cycles raced against installs by IPI (0: none)");

/*
 * The online CPUs whose HYP answers the ABI (the stub, or the firmware's
 * layer), in @mask; hold cpus_read_lock().
 */
static const struct cpumask *abi_cpus(struct cpumask *mask)
{
	unsigned int cpu;

	cpumask_clear(mask);
	for_each_online_cpu(cpu) {
		if (hyp_cpu_provider(cpu) != HYP_PROVIDER_NONE)
			cpumask_set_cpu(cpu, mask);
	}
	return mask;
}

#define ABI_VERSION	(HVC_ABI_MAJOR << 16 | HVC_ABI_MINOR)

/* The features this CPU's provider must report. */
static u32 abi_features(unsigned int cpu)
{
	if (hyp_cpu_provider(cpu) == HYP_PROVIDER_FIRMWARE)
		return HVC_STUB_FEATURES | HVC_ABI_FEAT_FIRMWARE;
	return HVC_STUB_FEATURES;
}

/* What one run on one CPU saw; asserted on by the test thread. */
struct cpu_report {
	int err;		/* first failing step's errno, or 0 */
	const char *step;	/* its name */
	unsigned long got;	/* the value it got */
	unsigned long want;	/* the value it wanted */
	unsigned long traps;	/* WFI traps counted by the testvisor */
	unsigned long calls;	/* HVCs issued */
	unsigned long unexpected; /* HVCs the testvisor should have refused */
	unsigned long hvbar;	/* HVBAR as the testvisor read it at PL2 */
};

static bool report_check(struct cpu_report *r, const char *step,
			 unsigned long got, unsigned long want)
{
	if (got == want)
		return true;
	if (!r->step) {
		r->step = step;
		r->got = got;
		r->want = want;
		r->err = -EIO;
	}
	return false;
}

static unsigned long hvc(unsigned long fn, unsigned long a1,
			 struct hyp_stub_res *res)
{
	struct hyp_stub_res tmp;

	if (!res)
		res = &tmp;
	if (hyp_stub_call(fn, a1, 0, 0, res))
		return -ENODEV;
	return res->a0;
}

/*
 * One full cycle on this CPU: install (through the C API, or with the
 * raw call Jailhouse makes, after claiming the CPU as the documentation
 * asks), prove PL2, check the kernel sends the hypervisor no stub call,
 * trap and count WFIs, hand back, and check the stub answers again.
 */
static void testvisor_cycle(struct testvisor *tv, struct cpu_report *r,
			    bool raw, bool trap)
{
	struct hyp_stub_res res;
	struct hyp_stub_info info;
	int i;

	if (raw) {
		if (!report_check(r, "hyp_claim_cpu()", hyp_claim_cpu(), 0))
			return;
		if (!report_check(r, "raw HVC_SET_VECTORS",
				  hvc(HVC_SET_VECTORS, tv->vectors, NULL), 0)) {
			hyp_release_cpu();
			return;
		}
	} else if (!report_check(r, "hyp_set_vectors()",
				 hyp_set_vectors(tv->vectors), 0)) {
		return;
	}
	r->calls++;

	hvc(TESTVISOR_WHOAMI, 0, &res);
	r->calls++;
	if (report_check(r, "WHOAMI magic", res.a0, TESTVISOR_MAGIC)) {
		r->hvbar = res.a1;
		report_check(r, "HVBAR", res.a1, tv->phys);
		report_check(r, "CPSR mode", res.a3 & MODE_MASK, HYP_MODE);
		report_check(r, "HSCTLR.M", res.a2 & HSCTLR_M, 0);
		report_check(r, "HSCTLR.TE", res.a2 & HSCTLR_TE,
			     IS_ENABLED(CONFIG_THUMB2_KERNEL) ? HSCTLR_TE : 0);
	}
	/* The API knows who holds HYP: it sends no stub call. */
	report_check(r, "hyp_set_vectors() while held",
		     hyp_set_vectors(tv->vectors), -EBUSY);
	report_check(r, "hyp_stub_discover() while held",
		     hyp_stub_discover(&info), -EBUSY);
	report_check(r, "no stub call reached the testvisor",
		     hvc(TESTVISOR_UNEXPECTED, 0, NULL), r->unexpected);
	/* A raw discovery call does reach it, and is refused. */
	report_check(r, "raw CALL_UID reaches the testvisor",
		     hvc(HVC_ABI_CALL_UID, 0, NULL), TESTVISOR_ERR);
	r->unexpected++;
	r->calls += 3;

	if (trap) {
		report_check(r, "TRAP_WFI", hvc(TESTVISOR_TRAP_WFI, 0, NULL), 0);
		for (i = 0; i < TESTVISOR_WFIS; i++)
			wfi();
		r->traps = hvc(TESTVISOR_UNTRAP, 0, NULL);
		r->calls += 2;
	}

	if (raw) {
		report_check(r, "hyp_reset_vectors() while claimed",
			     hyp_reset_vectors(), -EBUSY);
		report_check(r, "raw HVC_RESET_VECTORS",
			     hvc(HVC_RESET_VECTORS, 0, NULL), 0);
		report_check(r, "hyp_release_cpu()", hyp_release_cpu(), 0);
		r->calls++;
	} else {
		report_check(r, "hyp_reset_vectors()", hyp_reset_vectors(), 0);
	}
	r->calls++;
	if (report_check(r, "discover after reset", hyp_stub_discover(&info), 0))
		report_check(r, "version after reset", info.version,
			     ABI_VERSION);
	r->calls++;
}

struct cycle_args {
	struct testvisor *tv;
	struct cpu_report report;
	bool raw;
	int repeats;
};

/*
 * Pinned but with interrupts on: WFI only traps when it would suspend the
 * CPU, and with an interrupt pending and masked it would not.
 */
static long cycle_on_cpu(void *data)
{
	struct cycle_args *a = data;
	int i;

	preempt_disable();
	for (i = 0; i < a->repeats && !a->report.step; i++)
		testvisor_cycle(a->tv, &a->report, a->raw, i == 0);
	preempt_enable();
	return 0;
}

/*
 * A test hypervisor for @cpu, made on @cpu, so that it hands back to that
 * CPU's home. A failure is reported here, as the case's: a caller that
 * holds cpus_read_lock() stops and unlocks (an assertion would end the
 * case with the lock held).
 */
static bool testvisor_for(struct kunit *test, unsigned int cpu,
			  struct testvisor *tv)
{
	long ret = work_on_cpu(cpu, hyp_testvisor_create_on_cpu, tv);

	if (ret)
		KUNIT_FAIL(test, "CPU%u: no test hypervisor (%ld)", cpu, ret);
	return !ret;
}

static void skip_unless_stub(struct kunit *test)
{
	if (!hyp_stub_vectors_phys())
		kunit_skip(test, "no CPU has the stub or a HYP layer");
}

static void skip_unless_stub_usable(struct kunit *test)
{
	skip_unless_stub(test);
	if (hyp_stub_locked())
		kunit_skip(test, "the stub is locked (hyp_stub_lock)");
}

/* Runs the testvisor cycle on every online CPU that has the stub. */
static void run_cycles(struct kunit *test, bool raw, int repeats)
{
	struct cpumask stub;
	struct cycle_args a = { .raw = raw, .repeats = repeats };
	struct testvisor tv;
	unsigned int cpu, cpus = 0;

	skip_unless_stub_usable(test);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		if (!testvisor_for(test, cpu, &tv))
			break;
		a.tv = &tv;
		memset(&a.report, 0, sizeof(a.report));
		work_on_cpu(cpu, cycle_on_cpu, &a);
		hyp_testvisor_destroy(&tv);

		KUNIT_EXPECT_TRUE_MSG(test, !a.report.step,
				      "CPU%u: %s: got 0x%lx, want 0x%lx", cpu,
				      a.report.step, a.report.got, a.report.want);
		KUNIT_EXPECT_GE_MSG(test, a.report.traps, 1UL,
				    "CPU%u: no WFI trapped", cpu);
		KUNIT_EXPECT_LE_MSG(test, a.report.traps, (unsigned long)TESTVISOR_WFIS,
				    "CPU%u: more traps than WFIs", cpu);
		kunit_info(test, "CPU%u: %d cycle(s), %lu HVCs, HVBAR %#lx at PL2, %lu/%d WFIs trapped\n",
			   cpu, repeats, a.report.calls, a.report.hvbar, a.report.traps,
			   TESTVISOR_WFIS);
		cpus++;
	}
	cpus_read_unlock();
	KUNIT_EXPECT_GT(test, cpus, 0U);
}

static long install_on_cpu(void *data)
{
	return hyp_set_vectors(((struct testvisor *)data)->vectors);
}

static long reset_on_cpu(void *data)
{
	return hyp_reset_vectors();
}

/* Suite hyp_stub_abi: the record, and each call of the ABI. */

/* The global record, the per-CPU records, the providers and the API agree. */
static void hyp_stub_entry_mode_record_consistent(struct kunit *test)
{
	bool all_abi = true, any_abi = false;
	int primary, mode, provider;
	unsigned int cpu;

	/* The boot CPU is CPU 0: its record is the reference. */
	primary = hyp_cpu_last_entry_mode(0);
	KUNIT_EXPECT_TRUE(test, primary == HYP_MODE || primary == SVC_MODE);
	KUNIT_EXPECT_EQ(test, hyp_cpu_last_entry_mode(nr_cpu_ids), -EINVAL);
	KUNIT_EXPECT_EQ(test, hyp_cpu_provider(nr_cpu_ids), -EINVAL);

	for_each_online_cpu(cpu) {
		mode = hyp_cpu_last_entry_mode(cpu);
		if (!is_hyp_mode_mismatched())
			KUNIT_EXPECT_EQ_MSG(test, mode, primary, "CPU%u", cpu);
	}

	/*
	 * Availability follows what the records say now: every CPU that has
	 * entered the kernel has the stub (it last entered in HYP) or the
	 * firmware's layer (it entered in SVC over it), and HYP takes installs.
	 */
	for_each_possible_cpu(cpu) {
		mode = hyp_cpu_last_entry_mode(cpu);
		provider = hyp_cpu_provider(cpu);
		KUNIT_EXPECT_EQ_MSG(test, provider == HYP_PROVIDER_STUB, mode == HYP_MODE,
				    "CPU%u", cpu);
		if (provider == HYP_PROVIDER_FIRMWARE)
			KUNIT_EXPECT_EQ_MSG(test, mode, SVC_MODE, "CPU%u", cpu);
		/* Entered unrecorded (online, no record): no HYP to call. */
		if ((mode > 0 || cpu_online(cpu)) && provider == HYP_PROVIDER_NONE)
			all_abi = false;
		if (mode == 0 && cpu_online(cpu))
			KUNIT_EXPECT_TRUE_MSG(test, is_hyp_mode_mismatched(),
					      "CPU%u entered unrecorded, yet the CPUs agree", cpu);
		if (provider != HYP_PROVIDER_NONE)
			any_abi = true;
	}
	KUNIT_EXPECT_EQ(test, hyp_stub_vectors_phys() != 0, any_abi);
	/* Availability is upstream's: the lock does not change it. */
	KUNIT_EXPECT_EQ(test, is_hyp_mode_available(), all_abi);
	KUNIT_EXPECT_EQ(test, hyp_can_install(), all_abi && !hyp_stub_locked());
}

struct discover_args {
	int ret;
	struct hyp_stub_info info;
	phys_addr_t home;		/* hyp_stub_vectors_phys() there */
	/* SMCCC discovery as any caller makes it, raw */
	unsigned long version, feat_version, feat_features, feat_wa1;
	unsigned long count;
	u32 revision[2];
	struct hyp_stub_res uid;
};

static void discover_on_cpu(void *data)
{
	struct discover_args *a = data;
	struct hyp_stub_res res;

	a->ret = hyp_stub_discover(&a->info);
	a->home = hyp_stub_vectors_phys();
	if (a->ret)
		return;
	a->version = hvc(ARM_SMCCC_VERSION_FUNC_ID, 0, NULL);
	a->feat_version = hvc(ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
			      ARM_SMCCC_VERSION_FUNC_ID, NULL);
	a->feat_features = hvc(ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
			       ARM_SMCCC_ARCH_FEATURES_FUNC_ID, NULL);
	a->feat_wa1 = hvc(ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
			  ARM_SMCCC_ARCH_WORKAROUND_1, NULL);
	a->count = hvc(HVC_ABI_CALL_COUNT, 0, NULL);
	hvc(HVC_ABI_CALL_UID, 0, &a->uid);
	hvc(HVC_ABI_REVISION, 0, &res);
	a->revision[0] = res.a0;
	a->revision[1] = res.a1;
}

/*
 * Every CPU's stub or layer answers the SMCCC discovery calls as the ABI
 * documents, and reports the documented revision, features, state and the
 * vectors HVBAR goes back to.
 */
static void hyp_stub_discover_reports_abi(struct kunit *test)
{
	struct cpumask abi;
	struct discover_args a;
	unsigned int cpu;

	skip_unless_stub(test);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&abi)) {
		smp_call_function_single(cpu, discover_on_cpu, &a, 1);
		KUNIT_EXPECT_EQ_MSG(test, a.ret, 0, "CPU%u", cpu);
		if (a.ret)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, a.version, (unsigned long)ARM_SMCCC_VERSION_1_1,
				    "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.feat_version, 0UL, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.feat_features, 0UL, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.feat_wa1, (unsigned long)SMCCC_RET_NOT_SUPPORTED,
				    "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.count, (unsigned long)HVC_ABI_NR_CALLS, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.uid.a0, HVC_ABI_UID_0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.uid.a1, HVC_ABI_UID_1, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.uid.a2, HVC_ABI_UID_2, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.uid.a3, HVC_ABI_UID_3, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.revision[0], HVC_ABI_MAJOR, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.revision[1], HVC_ABI_MINOR, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.info.version, ABI_VERSION, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.info.features, abi_features(cpu), "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.info.state,
				    hyp_stub_locked() ? HVC_ABI_STATE_LOCKED : 0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, (u64)a.info.vectors, (u64)a.home, "CPU%u", cpu);
		kunit_info(test, "CPU%u: %s, ABI %u.%u, vectors at %pa\n", cpu,
			   a.info.features & HVC_ABI_FEAT_FIRMWARE ? "firmware layer" : "stub",
			   a.info.version >> 16, a.info.version & 0xffff, &a.info.vectors);
	}
	cpus_read_unlock();
}

/*
 * Function IDs the ABI does not define: legacy ones (below
 * HVC_LEGACY_LIMIT; 16 and 17 were version 1's discover and lock), and
 * SMCCC ones (PSCI_VERSION among them).
 */
static const unsigned long unknown_fns[] = {
	3, 4, 5, 15, 16, 17, 18, 0x1000, HVC_LEGACY_LIMIT - 1,
	HVC_LEGACY_LIMIT, 0x7fffffff, 0x80000002, ARM_SMCCC_ARCH_WORKAROUND_1,
	0x84000000, HVC_ABI_FN(2), HVC_ABI_FN(0xff02), HVC_STUB_ERR,
	0xffffffff,
};

/* What the ABI answers to a call it does not define. */
static unsigned long unknown_answer(unsigned long fn)
{
	if (fn < HVC_LEGACY_LIMIT)
		return HVC_STUB_ERR;
	return (unsigned long)SMCCC_RET_NOT_SUPPORTED;
}

/* Misaligned offsets from the stub's vectors: 2, 4, 8, 16 (bit 0 means Thumb). */
#define MISALIGNED_OFFSETS	4

/* What one CPU answered; filled on that CPU, judged by the test. */
struct refusal_args {
	unsigned long unknown[ARRAY_SIZE(unknown_fns)];
	int api[MISALIGNED_OFFSETS];
	unsigned long raw[MISALIGNED_OFFSETS];
	int above_4g;
	int api_low[2];
	unsigned long raw_low[2];
	int discover;
	struct hyp_stub_info info;
};

static long refusals_on_cpu(void *data)
{
	phys_addr_t stub = hyp_stub_vectors_phys();
	struct refusal_args *a = data;
	int i;

	preempt_disable();
	for (i = 0; i < ARRAY_SIZE(unknown_fns); i++)
		a->unknown[i] = hvc(unknown_fns[i], 0, NULL);
	for (i = 0; i < MISALIGNED_OFFSETS; i++) {
		a->api[i] = hyp_set_vectors(stub + BIT(i + 1));
		a->raw[i] = hvc(HVC_SET_VECTORS, stub + BIT(i + 1), NULL);
	}
	/* The first 32 bytes are no vectors: 0 means none (ARM or Thumb). */
	a->raw_low[0] = hvc(HVC_SET_VECTORS, 0, NULL);
	a->raw_low[1] = hvc(HVC_SET_VECTORS, HVC_VECTORS_THUMB, NULL);
	a->api_low[0] = hyp_set_vectors(0);
	a->api_low[1] = hyp_set_vectors(HVC_VECTORS_THUMB);
	/* With LPAE a physical address can be wider than HVBAR. */
	a->above_4g = IS_ENABLED(CONFIG_PHYS_ADDR_T_64BIT) ?
		      hyp_set_vectors(stub + (1ULL << 32)) : -EINVAL;
	/* Still the stub: it answers the stub's own call. */
	a->discover = hyp_stub_discover(&a->info);
	preempt_enable();
	return 0;
}

/*
 * On every CPU with the stub (pinned there: CPUs can disagree): unknown
 * function numbers and SET_VECTORS with an address HVBAR cannot hold, or
 * with no vectors (0), return an error and change nothing.
 */
static void hyp_stub_refuses_bad_calls(struct kunit *test)
{
	struct cpumask stub;
	struct refusal_args a;
	unsigned int cpu, cpus = 0;
	int i;

	BUILD_BUG_ON(BIT(MISALIGNED_OFFSETS + 1) != HVC_VECTORS_ALIGN);
	/* Locked or not: the stub refuses these before looking at the lock. */
	skip_unless_stub(test);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		work_on_cpu(cpu, refusals_on_cpu, &a);
		for (i = 0; i < ARRAY_SIZE(unknown_fns); i++)
			KUNIT_EXPECT_EQ_MSG(test, a.unknown[i], unknown_answer(unknown_fns[i]),
					    "CPU%u: function 0x%lx", cpu, unknown_fns[i]);
		for (i = 0; i < MISALIGNED_OFFSETS; i++) {
			KUNIT_EXPECT_EQ_MSG(test, a.api[i], -EINVAL,
					    "CPU%u: offset %lu", cpu, BIT(i + 1));
			KUNIT_EXPECT_EQ_MSG(test, a.raw[i], HVC_STUB_ERR,
					    "CPU%u: raw, offset %lu", cpu, BIT(i + 1));
		}
		for (i = 0; i < 2; i++) {
			KUNIT_EXPECT_EQ_MSG(test, a.raw_low[i], HVC_STUB_ERR,
					    "CPU%u: raw, vectors at %d", cpu, i);
			KUNIT_EXPECT_EQ_MSG(test, a.api_low[i], -EINVAL,
					    "CPU%u: vectors at %d", cpu, i);
		}
		KUNIT_EXPECT_EQ_MSG(test, a.above_4g, -EINVAL, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.discover, 0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.info.version, ABI_VERSION, "CPU%u", cpu);
		cpus++;
	}
	cpus_read_unlock();
	KUNIT_EXPECT_GT(test, cpus, 0U);
}

struct soft_restart_args {
	struct testvisor tv;
	struct hyp_stub_res res;
};

static long soft_restart_on_cpu(void *data)
{
	struct soft_restart_args *a = data;

	preempt_disable();
	a->res.a0 = 0;
	hyp_stub_call(HVC_SOFT_RESTART, hyp_testvisor_probe_entry(&a->tv), 0, 0, &a->res);
	preempt_enable();
	return 0;
}

/*
 * HVC_SOFT_RESTART jumps to its target in HYP with the MMU off, on every
 * CPU with the stub: the target here returns straight to the caller, with
 * HVBAR, which must be what hyp_stub_vectors_phys() says.
 */
static void hyp_stub_soft_restart_jumps_in_hyp(struct kunit *test)
{
	struct cpumask stub;
	struct soft_restart_args a;
	unsigned int cpu, cpus = 0;

	skip_unless_stub_usable(test);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		if (!testvisor_for(test, cpu, &a.tv))
			break;
		work_on_cpu(cpu, soft_restart_on_cpu, &a);
		hyp_testvisor_destroy(&a.tv);
		KUNIT_EXPECT_EQ_MSG(test, a.res.a0, TESTVISOR_PROBED, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.res.a1 & MODE_MASK, HYP_MODE, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.res.a2 & HSCTLR_M, 0UL, "CPU%u", cpu);
		/* What HVBAR really holds is where hypervisors hand back to. */
		KUNIT_EXPECT_EQ_MSG(test, (u64)a.res.a3,
				    (u64)(hyp_stub_vectors_phys() & ~HVC_VECTORS_THUMB),
				    "CPU%u: HVBAR", cpu);
		cpus++;
	}
	cpus_read_unlock();
	KUNIT_EXPECT_GT(test, cpus, 0U);
}

/* Where no CPU has HYP to call, every call says so and issues no HVC. */
static void hyp_stub_svc_boot_api_returns_enodev(struct kunit *test)
{
	struct hyp_stub_info info;
	struct hyp_stub_res res;

	if (hyp_stub_vectors_phys())
		kunit_skip(test, "a CPU has the stub or a HYP layer");
	/* An HVC here would be undefined: reaching the end proves none ran. */
	KUNIT_EXPECT_EQ(test, hyp_set_vectors(0x40000000), -ENODEV);
	KUNIT_EXPECT_EQ(test, hyp_reset_vectors(), -ENODEV);
	KUNIT_EXPECT_EQ(test, hyp_stub_discover(&info), -ENODEV);
	KUNIT_EXPECT_EQ(test, hyp_stub_call(HVC_ABI_CALL_UID, 0, 0, 0, &res), -ENODEV);
	KUNIT_EXPECT_EQ(test, hyp_stub_lock(), -ENODEV);
	KUNIT_EXPECT_EQ(test, hyp_claim_cpu(), -ENODEV);
	KUNIT_EXPECT_EQ(test, hyp_release_cpu(), -EINVAL);
	KUNIT_EXPECT_FALSE(test, is_hyp_mode_available());
	KUNIT_EXPECT_FALSE(test, hyp_can_install());
	KUNIT_EXPECT_EQ(test, hyp_cpu_last_entry_mode(0), SVC_MODE);
	KUNIT_EXPECT_EQ(test, hyp_cpu_provider(0), HYP_PROVIDER_NONE);
}

/* xorshift32: cheap and reproducible from the printed seed. */
static u32 fuzz_next(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

struct fuzz_args {
	u32 seed;
	u32 features;			/* what this CPU's provider reports */
	phys_addr_t home;
	unsigned long calls;
	unsigned long edges;		/* boundary calls, before the random ones */
	unsigned long bad;		/* calls with an undocumented result */
	unsigned long first_fn, first_a1, first_got;
};

/* The result the ABI documents for this call, unlocked or locked. */
static bool fuzz_result_ok(const struct fuzz_args *a, unsigned long fn,
			   unsigned long a1, const struct hyp_stub_res *res,
			   bool locked)
{
	switch (fn) {
	case HVC_SET_VECTORS:
		if (a1 & (HVC_VECTORS_ALIGN - 2))
			return res->a0 == HVC_STUB_ERR;
		/* The stub's own vectors set HYP up again, locked or not. */
		if (a1 == a->home && !(a->features & HVC_ABI_FEAT_FIRMWARE))
			return res->a0 == 0;
		return res->a0 == (locked ? HVC_STUB_ERR : 0);
	case HVC_RESET_VECTORS:
		return res->a0 == 0;
	case HVC_ABI_STATE:
		return res->a0 == 0 && res->a1 == a->features &&
		       res->a2 == (locked ? HVC_ABI_STATE_LOCKED : 0) &&
		       res->a3 == a->home;
	case HVC_ABI_LOCK:
		return res->a0 == 0;
	case ARM_SMCCC_VERSION_FUNC_ID:
		return res->a0 == ARM_SMCCC_VERSION_1_1;
	case ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		if (a1 == ARM_SMCCC_VERSION_FUNC_ID ||
		    a1 == ARM_SMCCC_ARCH_FEATURES_FUNC_ID)
			return res->a0 == 0;
		return res->a0 == (unsigned long)SMCCC_RET_NOT_SUPPORTED;
	case HVC_ABI_CALL_COUNT:
		return res->a0 == HVC_ABI_NR_CALLS;
	case HVC_ABI_CALL_UID:
		return res->a0 == HVC_ABI_UID_0 && res->a1 == HVC_ABI_UID_1 &&
		       res->a2 == HVC_ABI_UID_2 && res->a3 == HVC_ABI_UID_3;
	case HVC_ABI_REVISION:
		return res->a0 == HVC_ABI_MAJOR && res->a1 == HVC_ABI_MINOR;
	default:
		return res->a0 == unknown_answer(fn);
	}
}

/* One call with random arguments; false if @fn is one that is not fuzzed. */
static bool fuzz_one(struct fuzz_args *a, unsigned long fn, bool locked)
{
	unsigned long a1 = fuzz_next(&a->seed), a2 = fuzz_next(&a->seed);
	unsigned long a3 = fuzz_next(&a->seed);
	struct hyp_stub_res res;

	switch (fn) {
	case HVC_SET_VECTORS:
		/* Never let a random address become HVBAR. */
		if (!(a1 & (HVC_VECTORS_ALIGN - 2)))
			a1 = hyp_stub_vectors_phys();
		break;
	case HVC_SOFT_RESTART:
		return false;	/* does not return */
	case HVC_ABI_LOCK:
		if (!locked)
			return false;	/* would change the state under test */
		break;
	case ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		/* Now and then, ask about a call that is there. */
		if (!(a2 & 3))
			a1 = ARM_SMCCC_VERSION_FUNC_ID + (a2 >> 2 & 1);
		break;
	}
	hyp_stub_call(fn, a1, a2, a3, &res);
	a->calls++;
	if (!fuzz_result_ok(a, fn, a1, &res, locked) && !a->bad++) {
		a->first_fn = fn;
		a->first_a1 = a1;
		a->first_got = res.a0;
	}
	return true;
}

/* Pinned with preemption off, interrupts on: many calls take a while. */
static long fuzz_on_cpu(void *data)
{
	static const unsigned long edges[] = {
		HVC_LEGACY_LIMIT - 1, HVC_LEGACY_LIMIT, 0x7fffffff, 0xbadca11,
		0xffffffff,
	};
	struct fuzz_args *a = data;
	bool locked = hyp_stub_locked();
	int i, calls = stress ? FUZZ_CALLS_STRESS : FUZZ_CALLS;
	unsigned long fn;

	preempt_disable();
	a->features = abi_features(smp_processor_id());
	a->home = hyp_stub_vectors_phys();
	for (fn = 0; fn <= 18; fn++)
		fuzz_one(a, fn, locked);
	for (fn = 0x80000000; fn <= 0x80000010; fn++)
		fuzz_one(a, fn, locked);
	for (fn = HVC_ABI_FN(0); fn <= HVC_ABI_FN(8); fn++)
		fuzz_one(a, fn, locked);
	for (fn = HVC_ABI_FN(0xff00); fn <= HVC_ABI_FN(0xff08); fn++)
		fuzz_one(a, fn, locked);
	for (i = 0; i < ARRAY_SIZE(edges); i++)
		fuzz_one(a, edges[i], locked);
	a->edges = a->calls;
	for (i = 0; i < calls; ) {
		fn = fuzz_next(&a->seed);
		/*
		 * One in eight: a small number, where the legacy calls are;
		 * one in eight: the SMCCC arch calls or this ABI's service.
		 */
		if (!(fn & 7))
			fn = (fn >> 3) & 31;
		else if ((fn & 7) == 1 && (fn & 8))
			fn = 0x80000000 | ((fn >> 4) & 3);
		else if ((fn & 7) == 1)
			fn = HVC_ABI_FN(((fn >> 4) & 1 ? 0xff00 : 0) | ((fn >> 5) & 7));
		i += fuzz_one(a, fn, locked);
	}
	preempt_enable();
	return 0;
}

/* Random and boundary function numbers: only documented results. */
static void hyp_stub_fuzz_every_cpu(struct kunit *test)
{
	struct cpumask stub;
	struct discover_args before, after;
	struct fuzz_args a;
	unsigned int cpu;
	u32 seed = fuzz_seed ?: get_random_u32() | 1;

	skip_unless_stub(test);
	kunit_info(test, "fuzz seed %u (reproduce: fuzz_seed=%u)\n", seed, seed);

	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		memset(&a, 0, sizeof(a));
		a.seed = seed + cpu;
		smp_call_function_single(cpu, discover_on_cpu, &before, 1);
		work_on_cpu(cpu, fuzz_on_cpu, &a);
		smp_call_function_single(cpu, discover_on_cpu, &after, 1);

		KUNIT_EXPECT_EQ_MSG(test, a.bad, 0UL,
				    "CPU%u: first undocumented result: fn 0x%lx r1 0x%lx -> 0x%lx",
				    cpu, a.first_fn, a.first_a1, a.first_got);
		KUNIT_EXPECT_EQ(test, a.calls - a.edges,
				(unsigned long)(stress ? FUZZ_CALLS_STRESS : FUZZ_CALLS));
		KUNIT_EXPECT_EQ_MSG(test, before.ret, 0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, after.ret, 0, "CPU%u: stub gone", cpu);
		KUNIT_EXPECT_EQ_MSG(test, after.info.version, before.info.version, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, after.info.state, before.info.state,
				    "CPU%u lock state", cpu);
		KUNIT_EXPECT_EQ(test, hyp_stub_locked(),
				!!(after.info.state & HVC_ABI_STATE_LOCKED));
		kunit_info(test, "CPU%u: %lu calls (%lu boundary, %lu random)\n",
			   cpu, a.calls, a.edges, a.calls - a.edges);
	}
	cpus_read_unlock();
}

/* What the suites were asked for: the harness checks they got it. */
static int hyp_stub_abi_init(struct kunit_suite *suite)
{
	pr_info("hyp_stub_kunit: fuzz_seed=%u stress=%d destructive=%d race_cycles=%u\n",
		fuzz_seed, stress, destructive, race_cycles);
	return 0;
}

static struct kunit_case hyp_stub_abi_cases[] = {
	KUNIT_CASE(hyp_stub_entry_mode_record_consistent),
	KUNIT_CASE(hyp_stub_discover_reports_abi),
	KUNIT_CASE(hyp_stub_refuses_bad_calls),
	KUNIT_CASE(hyp_stub_soft_restart_jumps_in_hyp),
	KUNIT_CASE(hyp_stub_svc_boot_api_returns_enodev),
	KUNIT_CASE(hyp_stub_fuzz_every_cpu),
	{}
};

static struct kunit_suite hyp_stub_abi_suite = {
	.name = "hyp_stub_abi",
	.suite_init = hyp_stub_abi_init,
	.test_cases = hyp_stub_abi_cases,
};

/* Suite hyp_stub_install: hypervisors install, hold and hand back. */

/* The testvisor installs, works at PL2 and hands back, on every CPU. */
static void hyp_stub_testvisor_cycle_every_cpu(struct kunit *test)
{
	run_cycles(test, false, 1);
}

/* The same through Jailhouse's raw call: hvc #0, r0 = 0, r1 = vectors. */
static void hyp_stub_testvisor_raw_jailhouse_install(struct kunit *test)
{
	run_cycles(test, true, 1);
}

/* Install and reset, over and over, on every CPU. */
static void hyp_stub_install_reset_repeated(struct kunit *test)
{
	run_cycles(test, false, stress ? CYCLE_REPEATS_STRESS : CYCLE_REPEATS);
}

/* What a sloppy hand-back left behind on one CPU. */
struct sloppy_args {
	struct testvisor *tv;
	long install, sloppy, reset, reinstall, repair;
	unsigned long refusal, diff;
};

/*
 * Interrupts off throughout: until the stub has set HYP up again, a WFI or
 * a read of the physical counter would trap to HYP.
 */
static long sloppy_on_cpu(void *data)
{
	struct sloppy_args *a = data;
	unsigned long flags;

	local_irq_save(flags);
	a->install = hyp_set_vectors(a->tv->vectors);
	if (!a->install) {
		a->sloppy = hvc(TESTVISOR_SLOPPY, 0, NULL);
		a->reset = hyp_reset_vectors();
		/* Refused by a literal load: byte-swapped if EE is wrong. */
		a->refusal = hvc(HVC_SET_VECTORS, 4, NULL);
		a->reinstall = hyp_set_vectors(a->tv->vectors);
		if (!a->reinstall) {
			a->diff = hvc(TESTVISOR_CHECK, 0, NULL);
			a->repair = hyp_reset_vectors();
		}
	}
	local_irq_restore(flags);
	return 0;
}

/*
 * A hypervisor that hands HYP back sloppily, HVBAR and HSCTLR.TE put back
 * and nothing else, leaves the stub as it found it: the kernel has the
 * stub set HYP up again. HSCTLR.EE is the kernel's (the stub's loads use
 * it: a big-endian kernel's refusals and lock word), and no trap, timer
 * access, CNTVOFF, VPIDR or VMPIDR is left as the hypervisor had it.
 */
static void hyp_stub_sloppy_hand_back_repaired(struct kunit *test)
{
	struct sloppy_args a;
	struct cpumask stub;
	struct testvisor tv;
	unsigned int cpu, cpus = 0;

	skip_unless_stub_usable(test);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		/* A layer keeps its own state: the kernel leaves it alone. */
		if (hyp_cpu_provider(cpu) != HYP_PROVIDER_STUB)
			continue;
		if (work_on_cpu(cpu, hyp_testvisor_create_on_cpu, &tv)) {
			KUNIT_FAIL(test, "CPU%u: no testvisor", cpu);
			break;
		}
		memset(&a, 0, sizeof(a));
		a.tv = &tv;
		work_on_cpu(cpu, sloppy_on_cpu, &a);
		/* Still installed if a hand-back failed: then it stays. */
		if (!a.install && (a.reset || (!a.reinstall && a.repair)))
			KUNIT_FAIL(test, "CPU%u: the testvisor kept HYP: leaked", cpu);
		else
			hyp_testvisor_destroy(&tv);
		KUNIT_EXPECT_EQ_MSG(test, a.install, 0, "CPU%u: install", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.sloppy, 0, "CPU%u: TESTVISOR_SLOPPY", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.reset, 0, "CPU%u: sloppy hand-back", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.refusal, (unsigned long)HVC_STUB_ERR,
				    "CPU%u: the stub's refusal byte-swapped: HSCTLR.EE not set up again",
				    cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.reinstall, 0, "CPU%u: install again", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.diff, 0UL,
				    "CPU%u: HYP registers left as the hypervisor had them (TESTVISOR_DIFF_*)",
				    cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.repair, 0, "CPU%u: hand back", cpu);
		cpus++;
	}
	cpus_read_unlock();
	if (!cpus)
		kunit_skip(test, "no CPU has the stub: a layer keeps its own state");
}

/*
 * @cpu's resume-latency limit, as every cpuidle governor reads it
 * (what dev_pm_qos_raw_resume_latency() returns; its helper is not
 * exported to modules).
 */
static s32 latency_limit(unsigned int cpu)
{
#ifdef CONFIG_PM
	struct dev_pm_qos *qos = get_cpu_device(cpu)->power.qos;

	if (!IS_ERR_OR_NULL(qos))
		return READ_ONCE(qos->resume_latency.target_value);
#endif
	return PM_QOS_RESUME_LATENCY_NO_CONSTRAINT;
}

/*
 * Until @cpu's limit is @want, for ten seconds at most; the limit then. A
 * kworker on @cpu sets it: on a loaded machine (a CI farm's board, an
 * emulator beside builds) it can wait well over a second for its turn.
 */
static s32 wait_latency_limit(unsigned int cpu, s32 want)
{
	unsigned long end = jiffies + 10 * HZ;
	s32 now;

	while ((now = latency_limit(cpu)) != want && time_before(jiffies, end))
		usleep_range(1000, 2000);
	return now;
}

/*
 * A CPU a hypervisor holds must not power down in idle: its device gets a
 * resume-latency limit of 0, which keeps every cpuidle governor in the
 * first state (WFI), and loses it when HYP is handed back. Whatever limit
 * the CPU had before (the user's) is what it has after.
 */
static void hyp_stub_held_cpu_stays_shallow(struct kunit *test)
{
	struct cpumask stub;
	struct testvisor tv;
	unsigned int cpu, cpus = 0;
	s32 before;
	long installed;

	if (!IS_ENABLED(CONFIG_PM))
		kunit_skip(test, "no device PM QoS without CONFIG_PM");
	skip_unless_stub_usable(test);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		if (!get_cpu_device(cpu))
			continue;
		/* On the CPU: it goes back to that CPU's provider. */
		if (work_on_cpu(cpu, hyp_testvisor_create_on_cpu, &tv)) {
			KUNIT_FAIL(test, "CPU%u: no testvisor", cpu);
			break;
		}
		before = latency_limit(cpu);
		if (!before) {
			/* Someone keeps it shallow already: nothing to see. */
			hyp_testvisor_destroy(&tv);
			continue;
		}
		installed = work_on_cpu(cpu, install_on_cpu, &tv);
		KUNIT_EXPECT_EQ_MSG(test, installed, 0, "CPU%u: install", cpu);
		if (!installed) {
			KUNIT_EXPECT_EQ_MSG(test, wait_latency_limit(cpu, 0), 0,
					    "CPU%u: held, and its idle not limited", cpu);
			KUNIT_EXPECT_EQ_MSG(test, work_on_cpu(cpu, reset_on_cpu, NULL), 0,
					    "CPU%u: hand back", cpu);
			KUNIT_EXPECT_EQ_MSG(test, wait_latency_limit(cpu, before), before,
					    "CPU%u: handed back, and still limited", cpu);
		}
		hyp_testvisor_destroy(&tv);
		cpus++;
	}
	cpus_read_unlock();
	if (!cpus)
		kunit_skip(test, "no CPU has the stub or a layer, and a latency limit to lose");
}

/* What the kernel did to a CPU a hypervisor installed itself on. */
struct held_args {
	struct testvisor *tv;
	int claim, set, raw_set, api_set, discover, reset, claim_again;
	int release_early, release, release_again, discover_after;
	int late_set;
	bool install, pending;
	unsigned long unexpected;
};

/*
 * Jailhouse's pattern on this CPU: claim, install with a raw HVC, then
 * every stub-only call the kernel has; hand back by itself and release.
 */
static long claimed_on_cpu(void *data)
{
	struct held_args *a = data;
	struct hyp_stub_info info;

	preempt_disable();
	a->release_early = hyp_release_cpu();
	a->claim = hyp_claim_cpu();
	if (!a->claim) {
		a->raw_set = hvc(HVC_SET_VECTORS, a->tv->vectors, NULL);
		a->api_set = hyp_set_vectors(a->tv->vectors);
		a->discover = hyp_stub_discover(&info);
		a->reset = hyp_reset_vectors();
		a->claim_again = hyp_claim_cpu();
		a->unexpected = hvc(TESTVISOR_UNEXPECTED, 0, NULL);
		hvc(HVC_RESET_VECTORS, 0, NULL);
		a->release = hyp_release_cpu();
		a->release_again = hyp_release_cpu();
		a->discover_after = hyp_stub_discover(&info);
	}
	preempt_enable();
	return 0;
}

/*
 * A claimed CPU gets no stub call from the kernel: every call that would
 * send one says -EBUSY, and the hypervisor counts no unexpected HVC.
 */
static void hyp_stub_claimed_cpu_gets_no_stub_calls(struct kunit *test)
{
	struct cpumask stub;
	struct held_args a;
	struct testvisor tv;
	unsigned int cpu, cpus = 0;

	skip_unless_stub_usable(test);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		if (!testvisor_for(test, cpu, &tv))
			break;
		memset(&a, 0, sizeof(a));
		a.tv = &tv;
		work_on_cpu(cpu, claimed_on_cpu, &a);
		hyp_testvisor_destroy(&tv);

		KUNIT_EXPECT_EQ_MSG(test, a.release_early, -EINVAL, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.claim, 0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.raw_set, 0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.api_set, -EBUSY, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.discover, -EBUSY, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.reset, -EBUSY, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.claim_again, -EBUSY, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.unexpected, 0UL,
				    "CPU%u: stub calls sent to the hypervisor", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.release, 0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.release_again, -EINVAL, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a.discover_after, 0, "CPU%u", cpu);
		cpus++;
	}
	cpus_read_unlock();
	KUNIT_EXPECT_GT(test, cpus, 0U);
}

static long unclaimed_on_cpu(void *data)
{
	struct held_args *a = data;
	struct hyp_stub_info info;

	preempt_disable();
	a->raw_set = hvc(HVC_SET_VECTORS, a->tv->vectors, NULL);
	a->discover = hyp_stub_discover(&info);
	a->unexpected = hvc(TESTVISOR_UNEXPECTED, 0, NULL);
	hvc(HVC_RESET_VECTORS, 0, NULL);
	a->discover_after = hyp_stub_discover(&info);
	preempt_enable();
	return 0;
}

/*
 * Without a claim the kernel cannot know (Documentation/arm/hyp-abi.rst):
 * its stub call reaches the hypervisor, and hyp_stub_discover() says that
 * what answered is not the stub rather than pass its answer on.
 */
static void hyp_stub_unclaimed_install_is_not_the_stub(struct kunit *test)
{
	struct held_args a = {};
	struct testvisor tv;

	skip_unless_stub_usable(test);
	if (hyp_cpu_provider(0) == HYP_PROVIDER_NONE)
		kunit_skip(test, "CPU0 has neither the stub nor a HYP layer");
	if (!testvisor_for(test, 0, &tv))
		return;
	a.tv = &tv;
	work_on_cpu(0, unclaimed_on_cpu, &a);
	hyp_testvisor_destroy(&tv);
	KUNIT_EXPECT_EQ(test, a.raw_set, 0);
	KUNIT_EXPECT_EQ(test, a.discover, -EIO);
	KUNIT_EXPECT_EQ(test, a.unexpected, 1UL);
	KUNIT_EXPECT_EQ(test, a.discover_after, 0);
}

static struct kunit_case hyp_stub_install_cases[] = {
	KUNIT_CASE(hyp_stub_testvisor_cycle_every_cpu),
	KUNIT_CASE(hyp_stub_testvisor_raw_jailhouse_install),
	KUNIT_CASE(hyp_stub_install_reset_repeated),
	KUNIT_CASE(hyp_stub_sloppy_hand_back_repaired),
	KUNIT_CASE(hyp_stub_held_cpu_stays_shallow),
	KUNIT_CASE(hyp_stub_claimed_cpu_gets_no_stub_calls),
	KUNIT_CASE(hyp_stub_unclaimed_install_is_not_the_stub),
	{}
};

static struct kunit_suite hyp_stub_install_suite = {
	.name = "hyp_stub_install",
	.test_cases = hyp_stub_install_cases,
};

/* Suite hyp_stub_hotplug_lock: CPU hotplug under installs, and the lock. */

/*
 * A CPU taken offline with a hypervisor installed through the API hands
 * HYP back first (Documentation/arm/hyp-abi.rst): the hypervisor takes
 * HVC_RESET_VECTORS before the CPU dies, so HVBAR never holds a hypervisor
 * the kernel thinks is gone. The CPU comes back with the stub and takes an
 * install again.
 */
static void hyp_stub_hotplug_brings_back_stub(struct kunit *test)
{
	struct cycle_args a = { .repeats = 1 };
	struct discover_args d;
	struct testvisor tv;
	unsigned int cpu;
	int provider;
	long ret;

	skip_unless_stub_usable(test);
	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU))
		kunit_skip(test, "no CPU hotplug");
	if (!stress)
		kunit_skip(test, "takes a CPU offline and back: load with stress=1");
	cpu = cpumask_last(cpu_online_mask);
	if (cpu == 0)
		kunit_skip(test, "no secondary CPU online");
	provider = hyp_cpu_provider(cpu);
	if (provider == HYP_PROVIDER_NONE)
		kunit_skip(test, "CPU%u has neither the stub nor a HYP layer", cpu);

	if (!testvisor_for(test, cpu, &tv))
		return;
	ret = work_on_cpu(cpu, install_on_cpu, &tv);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		ret = remove_cpu(cpu);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "offlining CPU%u", cpu);
		if (ret) {	/* still installed: hand back before freeing */
			work_on_cpu(cpu, reset_on_cpu, NULL);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, hyp_testvisor_reset_count(&tv), 1U,
					    "CPU%u went offline without handing HYP back", cpu);
			KUNIT_EXPECT_EQ_MSG(test, add_cpu(cpu), 0, "onlining CPU%u", cpu);
		}
	}

	smp_call_function_single(cpu, discover_on_cpu, &d, 1);
	KUNIT_EXPECT_EQ_MSG(test, d.ret, 0, "CPU%u: the stub or layer answers again", cpu);
	KUNIT_EXPECT_EQ(test, d.info.version, ABI_VERSION);
	KUNIT_EXPECT_EQ(test, hyp_cpu_provider(cpu), provider);

	a.tv = &tv;
	work_on_cpu(cpu, cycle_on_cpu, &a);
	KUNIT_EXPECT_TRUE_MSG(test, !a.report.step,
			      "CPU%u after hotplug: %s: got 0x%lx, want 0x%lx", cpu,
			      a.report.step, a.report.got, a.report.want);
	hyp_testvisor_destroy(&tv);
}

/* What installs by IPI saw while a CPU went offline and online. */
struct race {
	struct testvisor *tv;		/* one per CPU: its own reset count */
	unsigned int *installs;		/* installs that returned 0, per CPU */
	bool *installed;		/* the last round's install held there */
	atomic_t offlines;		/* odd while remove_cpu() runs */
	int gen;			/* offlines when this round began */
	bool done;			/* the hotplug thread is finished */
	int hotplug_err;		/* remove_cpu() or add_cpu() failed */
	struct completion finished;
	unsigned int cpu, cycles;
	/* The first failure an IPI saw: the test thread asserts on it. */
	atomic_t failures;
	const char *what;
	unsigned int bad_cpu;
	int got;
};

static void race_fail(struct race *r, unsigned int cpu, const char *what, int got)
{
	if (atomic_inc_return(&r->failures) != 1)
		return;
	r->bad_cpu = cpu;
	r->got = got;
	r->what = what;
}

/* By IPI, interrupts off: the hypervisor installs on this CPU. */
static void race_install(void *data)
{
	struct race *r = data;
	unsigned int cpu = smp_processor_id();
	int ret = hyp_set_vectors(r->tv[cpu].vectors);

	r->installed[cpu] = !ret;
	if (!ret)
		r->installs[cpu]++;
	else if (ret != -EAGAIN)	/* going offline: refused */
		race_fail(r, cpu, "hyp_set_vectors()", ret);
}

/*
 * The kernel still knows the install is there, unless this CPU went
 * offline since, or is going (it hands HYP back then).
 */
static void race_check(void *data)
{
	struct race *r = data;
	unsigned int cpu = smp_processor_id();
	struct hyp_stub_info info;
	int ret;

	if (!r->installed[cpu] || (r->gen & 1) || atomic_read(&r->offlines) != r->gen)
		return;
	ret = hyp_stub_discover(&info);
	if (ret != -EBUSY)
		race_fail(r, cpu, "hyp_stub_discover() on an installed CPU", ret);
}

static void race_reset(void *data)
{
	struct race *r = data;
	unsigned int cpu = smp_processor_id();
	int ret;

	if (!r->installed[cpu])
		return;
	r->installed[cpu] = false;
	ret = hyp_reset_vectors();
	if (ret)
		race_fail(r, cpu, "hyp_reset_vectors()", ret);
}

static int race_hotplug(void *data)
{
	struct race *r = data;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < r->cycles && !ret; i++) {
		atomic_inc(&r->offlines);
		ret = remove_cpu(r->cpu);
		atomic_inc(&r->offlines);
		if (!ret)
			ret = add_cpu(r->cpu);
	}
	r->hotplug_err = ret;
	WRITE_ONCE(r->done, true);
	complete(&r->finished);
	return 0;
}

/*
 * A hypervisor installs and hands back by IPI on every CPU, as
 * Documentation/arm/hyp-abi.rst allows (on_each_cpu()), over and over,
 * while another thread takes a CPU offline and online: each install that
 * returned 0 is known to the kernel until it is handed back, each gets
 * exactly one HVC_RESET_VECTORS (from the hypervisor, or from the CPU
 * going offline), and once it is over no CPU is counted as held.
 */
static void hyp_stub_install_races_hotplug(struct kunit *test)
{
	struct task_struct *thread;
	struct race *r;
	unsigned long rounds = 0;
	unsigned int cpu;

	skip_unless_stub_usable(test);
	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU))
		kunit_skip(test, "no CPU hotplug");
	if (!race_cycles)
		kunit_skip(test, "hotplugs a CPU while installing: load with race_cycles=N");
	if (num_online_cpus() < 2)
		kunit_skip(test, "no secondary CPU online");
	if (!hyp_can_install())
		kunit_skip(test, "not every CPU has HYP to install in, or HYP is locked");

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->tv = kunit_kcalloc(test, nr_cpu_ids, sizeof(*r->tv), GFP_KERNEL);
	r->installs = kunit_kcalloc(test, nr_cpu_ids, sizeof(*r->installs), GFP_KERNEL);
	r->installed = kunit_kcalloc(test, nr_cpu_ids, sizeof(*r->installed), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, r->tv && r->installs && r->installed);
	for_each_online_cpu(cpu)
		KUNIT_ASSERT_EQ(test, work_on_cpu(cpu, hyp_testvisor_create_on_cpu,
						  &r->tv[cpu]), 0L);
	r->cpu = cpumask_last(cpu_online_mask);
	r->cycles = race_cycles;
	init_completion(&r->finished);

	thread = kthread_run(race_hotplug, r, "hyp_stub_race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(thread));
	while (!READ_ONCE(r->done)) {
		/*
		 * A CPU offline for the last reset handed its install back
		 * as it went: only this round's installs count.
		 */
		memset(r->installed, 0, nr_cpu_ids * sizeof(*r->installed));
		r->gen = atomic_read(&r->offlines);
		on_each_cpu(race_install, r, 1);
		on_each_cpu(race_check, r, 1);
		on_each_cpu(race_reset, r, 1);
		rounds++;
		cond_resched();
	}
	wait_for_completion(&r->finished);

	KUNIT_EXPECT_EQ_MSG(test, r->hotplug_err, 0, "taking CPU%u offline and online", r->cpu);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&r->failures), 0,
			    "CPU%u: %s returned %d (first of %d failures)", r->bad_cpu,
			    r->what, r->got, atomic_read(&r->failures));
	for_each_possible_cpu(cpu) {
		if (!r->tv[cpu].page)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, hyp_testvisor_reset_count(&r->tv[cpu]), r->installs[cpu],
				    "CPU%u: HVC_RESET_VECTORS for each install", cpu);
		hyp_testvisor_destroy(&r->tv[cpu]);
	}
	KUNIT_EXPECT_TRUE_MSG(test, hyp_can_install(),
			      "a CPU is still counted as held");
	kunit_info(test, "%u hotplug cycles of CPU%u, %lu install rounds\n",
		   r->cycles, r->cpu, rounds);
}

/*
 * Whether every CPU that has entered the kernel has the stub or a layer:
 * the test's own reading of the public records, to hold the kernel's
 * predicates against.
 */
static bool every_entered_cpu_has_abi(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (hyp_cpu_last_entry_mode(cpu) > 0 &&
		    hyp_cpu_provider(cpu) == HYP_PROVIDER_NONE)
			return false;
	return true;
}

/* Locked: a raw install on this CPU, then the stub's own vectors. */
struct locked_raw_args {
	struct testvisor *tv;
	unsigned long raw, self;
	bool stub_cpu;
};

static long locked_raw_on_cpu(void *data)
{
	struct locked_raw_args *a = data;

	preempt_disable();
	a->raw = hvc(HVC_SET_VECTORS, a->tv->vectors, NULL);
	if (!a->raw)
		hvc(HVC_RESET_VECTORS, 0, NULL);
	a->stub_cpu = hyp_cpu_provider(smp_processor_id()) == HYP_PROVIDER_STUB;
	a->self = hvc(HVC_SET_VECTORS, hyp_stub_vectors_phys(), NULL);
	preempt_enable();
	return 0;
}

/* Locked from the command line: SET and SOFT_RESTART refused, RESET and DISCOVER fine. */
static void hyp_stub_lock_refuses_set_vectors(struct kunit *test)
{
	phys_addr_t stub = hyp_stub_vectors_phys();
	struct hyp_stub_info info;
	struct soft_restart_args sr;
	struct locked_raw_args lr = {};

	if (!stub)
		kunit_skip(test, "no CPU has the stub or a HYP layer");
	if (!hyp_stub_locked())
		kunit_skip(test, "not a locked boot (no hyp_stub_lock)");
	if (hyp_cpu_provider(0) == HYP_PROVIDER_NONE)
		kunit_skip(test, "CPU0 has neither the stub nor a HYP layer");

	/* A jump anywhere in HYP could write HVBAR: refused too. */
	if (!testvisor_for(test, 0, &sr.tv))
		return;
	work_on_cpu(0, soft_restart_on_cpu, &sr);
	hyp_testvisor_destroy(&sr.tv);
	KUNIT_EXPECT_EQ(test, sr.res.a0, HVC_STUB_ERR);

	KUNIT_EXPECT_EQ(test, hyp_set_vectors(stub), -EPERM);
	/*
	 * Enforced in HYP: the raw call is refused too (and should the lock
	 * fail, the testvisor hands back). The stub's own vectors are not
	 * refused: that sets HYP up again, and escapes nothing.
	 */
	if (!testvisor_for(test, 0, &sr.tv))
		return;
	lr.tv = &sr.tv;
	work_on_cpu(0, locked_raw_on_cpu, &lr);
	hyp_testvisor_destroy(&sr.tv);
	KUNIT_EXPECT_EQ(test, lr.raw, HVC_STUB_ERR);
	if (lr.stub_cpu)
		KUNIT_EXPECT_EQ(test, lr.self, 0UL);
	KUNIT_EXPECT_EQ(test, hyp_reset_vectors(), 0);
	KUNIT_EXPECT_EQ(test, hyp_stub_discover(&info), 0);
	KUNIT_EXPECT_EQ(test, info.state, HVC_ABI_STATE_LOCKED);
	KUNIT_EXPECT_EQ(test, hyp_stub_lock(), 0);	/* again: fine */
	KUNIT_EXPECT_TRUE(test, hyp_stub_locked());
	/* What a hypervisor checks before it installs says no... */
	KUNIT_EXPECT_FALSE(test, hyp_can_install());
	KUNIT_EXPECT_EQ(test, hyp_claim_cpu(), -EPERM);
	/* ...and what the GIC and timer asked at boot is as unlocked. */
	KUNIT_EXPECT_EQ(test, is_hyp_mode_available(), every_entered_cpu_has_abi());
}

static long claim_install_on_cpu(void *data)
{
	struct held_args *a = data;

	preempt_disable();
	a->claim = hyp_claim_cpu();
	if (!a->claim && a->install)
		a->raw_set = hvc(HVC_SET_VECTORS, a->tv->vectors, NULL);
	preempt_enable();
	return 0;
}

static long hand_back_on_cpu(void *data)
{
	struct held_args *a = data;
	struct hyp_stub_info info = {};

	preempt_disable();
	if (a->install) {
		a->unexpected = hvc(TESTVISOR_UNEXPECTED, 0, NULL);
		hvc(HVC_RESET_VECTORS, 0, NULL);
	} else {
		/* Claimed, not installed: the provider, locked unless pending. */
		a->pending = !hyp_stub_locked();
		a->late_set = hvc(HVC_SET_VECTORS, a->tv->vectors, NULL);
		if (!a->late_set)
			hvc(HVC_RESET_VECTORS, 0, NULL);
	}
	a->release = hyp_release_cpu();
	a->raw_set = hvc(HVC_SET_VECTORS, a->tv->vectors, NULL);
	a->discover_after = hyp_stub_discover(&info);
	a->discover = info.state;
	a->claim_again = hyp_claim_cpu();
	preempt_enable();
	return 0;
}

/* Hand this CPU back after the lock, and check what the lock did there. */
static unsigned int lock_hand_back(struct kunit *test, struct held_args *a,
				   unsigned int cpu, bool layer)
{
	if (!a->claim)
		work_on_cpu(cpu, hand_back_on_cpu, a);
	hyp_testvisor_destroy(a->tv);
	KUNIT_EXPECT_EQ_MSG(test, a->unexpected, 0UL,
			    "CPU%u: the lock sent its hypervisor a call", cpu);
	KUNIT_EXPECT_FALSE_MSG(test, a->pending && !layer,
			       "CPU%u: the stub's lock is pending", cpu);
	KUNIT_EXPECT_EQ_MSG(test, a->late_set, a->install || a->pending ? 0 : HVC_STUB_ERR,
			    "CPU%u, claimed: the install after the lock", cpu);
	KUNIT_EXPECT_EQ_MSG(test, a->release, 0, "CPU%u", cpu);
	KUNIT_EXPECT_EQ_MSG(test, a->raw_set, HVC_STUB_ERR,
			    "CPU%u takes installs after the lock", cpu);
	KUNIT_EXPECT_EQ_MSG(test, a->discover_after, 0, "CPU%u", cpu);
	KUNIT_EXPECT_EQ_MSG(test, a->discover, HVC_ABI_STATE_LOCKED, "CPU%u", cpu);
	KUNIT_EXPECT_EQ_MSG(test, a->claim_again, -EPERM, "CPU%u", cpu);
	return 1;
}

/*
 * Locking while every CPU with the stub is held: the first CPU's
 * hypervisor is installed, the others' only claimed. No CPU can take
 * HVC_ABI_LOCK, and none is sent a call; the stub's lock must hold at
 * once all the same, on the claimed CPUs (a raw install there is
 * refused), and on the installed one once it is handed back. Over the
 * firmware's layer the lock is pending instead, and says so, until the
 * first CPU is handed back. Leaves HYP locked until reboot: runs only
 * with destructive=1, and last.
 */
static void hyp_stub_lock_while_claimed(struct kunit *test)
{
	struct cpumask stub;
	struct held_args *a;
	struct testvisor *tv;
	unsigned int cpu, cpus = 0, held = 0;
	bool layer = false;

	if (!destructive)
		kunit_skip(test, "leaves the stub locked: load with destructive=1");
	skip_unless_stub_usable(test);
	a = kunit_kcalloc(test, nr_cpu_ids, sizeof(*a), GFP_KERNEL);
	tv = kunit_kcalloc(test, nr_cpu_ids, sizeof(*tv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, tv);
	cpus_read_lock();
	for_each_cpu(cpu, abi_cpus(&stub)) {
		if (!testvisor_for(test, cpu, &tv[cpu]))
			break;
		a[cpu].tv = &tv[cpu];
		a[cpu].install = !held++;
		if (hyp_cpu_provider(cpu) == HYP_PROVIDER_FIRMWARE)
			layer = true;
		work_on_cpu(cpu, claim_install_on_cpu, &a[cpu]);
		KUNIT_EXPECT_EQ_MSG(test, a[cpu].claim, 0, "CPU%u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, a[cpu].raw_set, 0, "CPU%u", cpu);
	}

	KUNIT_EXPECT_EQ(test, hyp_stub_lock(), 0);
	KUNIT_EXPECT_EQ_MSG(test, hyp_stub_locked(), !layer,
			    layer ? "the layer's lock is not pending" : "the stub is not locked");
	KUNIT_EXPECT_FALSE(test, hyp_can_install());

	/* The claimed CPUs first: over a layer, the lock is pending for them. */
	for_each_online_cpu(cpu)
		if (a[cpu].tv && !a[cpu].install)
			cpus += lock_hand_back(test, &a[cpu], cpu, layer);
	for_each_online_cpu(cpu)
		if (a[cpu].tv && a[cpu].install)
			cpus += lock_hand_back(test, &a[cpu], cpu, layer);
	cpus_read_unlock();
	KUNIT_EXPECT_GT(test, cpus, 0U);
	KUNIT_EXPECT_TRUE(test, hyp_stub_locked());
}

static struct kunit_case hyp_stub_hotplug_lock_cases[] = {
	KUNIT_CASE(hyp_stub_hotplug_brings_back_stub),
	KUNIT_CASE(hyp_stub_install_races_hotplug),
	KUNIT_CASE(hyp_stub_lock_refuses_set_vectors),
	/* Last: it locks the stub. */
	KUNIT_CASE(hyp_stub_lock_while_claimed),
	{}
};

static struct kunit_suite hyp_stub_hotplug_lock_suite = {
	.name = "hyp_stub_hotplug_lock",
	.test_cases = hyp_stub_hotplug_lock_cases,
};

#ifdef MODULE
static struct kunit_suite *hyp_stub_suites[] = {
	&hyp_stub_abi_suite,
	&hyp_stub_install_suite,
	&hyp_stub_hotplug_lock_suite,
};

/*
 * 6.1's KUnit runs a module's suites from its MODULE_STATE_COMING notifier,
 * before load_module() has parsed the module's parameters: run them from
 * the module's own init instead, where "insmod hyp_stub_kunit.ko stress=1"
 * has been parsed. The same two calls KUnit's notifier makes.
 */
static int __init hyp_stub_kunit_init(void)
{
	return __kunit_test_suites_init(hyp_stub_suites,
					ARRAY_SIZE(hyp_stub_suites));
}
module_init(hyp_stub_kunit_init);

static void __exit hyp_stub_kunit_exit(void)
{
	__kunit_test_suites_exit(hyp_stub_suites, ARRAY_SIZE(hyp_stub_suites));
}
module_exit(hyp_stub_kunit_exit);
#else
kunit_test_suites(&hyp_stub_abi_suite, &hyp_stub_install_suite,
		  &hyp_stub_hotplug_lock_suite);
#endif

MODULE_DESCRIPTION("KUnit tests and a reference test hypervisor for the ARM HYP stub");
MODULE_LICENSE("GPL");
