// SPDX-License-Identifier: GPL-2.0
/*
 * Harness only, never in the series: make conform's numbered cases. Each
 * case is one requirement of Documentation/arm/hyp-abi.rst, names the
 * section it checks, and runs on every online CPU with raw HVCs
 * (hyp_conform_call.S), past the kernel's API: the API trusts the layer
 * once the boot has identified it, and this checks what it trusts. The
 * numbers are the document's, written here from it, not the kernel's
 * header, so the cases check the document.
 *
 * For a boot over a firmware HYP layer only (the harness loads it in the
 * conform scenario). lock=1 adds the lock's cases, which leave the layer
 * locked until the machine resets. Results: a KTAP document in the kernel
 * log, each line prefixed "hyp_conform: ". Loading fails with -ENODEV
 * where there is no layer to check, after saying so.
 */
#define pr_fmt(fmt) "hyp_conform: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/cacheflush.h>
#include <asm/ptrace.h>

static bool lock;
module_param(lock, bool, 0444);
MODULE_PARM_DESC(lock, "also run the lock's cases (the layer stays locked until reset)");

/* The document's numbers ("Calls"). */
#define SET_VECTORS		0x0
#define SOFT_RESTART		0x1
#define RESET_VECTORS		0x2
#define STUB_ERR		0xbadca11
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001
#define NOT_SUPPORTED		0xffffffff
#define ABI_STATE		0x86000000
#define ABI_LOCK		0x86000001
#define ABI_CALL_COUNT		0x8600ff00
#define ABI_CALL_UID		0x8600ff01
#define ABI_REVISION		0x8600ff03
#define FEAT_LAYER		0x1f	/* bits 0-4: the four calls, FIRMWARE */
#define STATE_LOCKED		0x1
static const u32 abi_uid[4] = { 0x26fb3508, 0xc74998c8, 0x3d4c11b3, 0xf6c60696 };

/* hyp_conform_hyp.S: what runs in HYP, and where in its page. */
extern const char hyp_conform_blob[], hyp_conform_blob_end[];
#define HC_ARM		0x000
#define HC_THUMB	0x100
#define HC_LANDING	0x200
#define HC_LANDING_THUMB 0x280
#define HC_HOME		0x300
#define HC_SEEN_CPSR	0x304
#define HC_SEEN_HSCTLR	0x308
#define HC_SEEN_HVBAR	0x30c
#define HC_RET		0x310
#define HC_RET_SPSR	0x314
#define ARM_ANSWER	0xc0f00a4d
#define THUMB_ANSWER	0xc0f00a7d
#define LANDED		0xc0f0055e
#define LANDED_THUMB	0xc0f0057e

#define HSCTLR_M	BIT(0)
#define HSCTLR_C	BIT(2)
#define HSCTLR_I	BIT(12)

/* hyp_conform_call.S */
struct regs {
	u32 in[4];
	u32 out[4];
	u32 sp;
	u32 changed;	/* bit n: rn not preserved; 13: sp, 14: lr, 16: CPSR */
	u32 cpsr;
};

asmlinkage void hyp_conform_hvc(struct regs *r);
asmlinkage void hyp_conform_hvc_imm(struct regs *r);
extern const char hyp_conform_hvc_ret[];

/* What a case saw on one CPU. */
struct ctx {
	unsigned int cpu;
	void *page;		/* this CPU's copy of the blob */
	u32 home;		/* HVC_ABI_STATE's r3 on this CPU at load */
	char why[160];		/* empty: the requirement holds here */
	u32 changed;		/* registers some call changed, or 0 */
	u32 changed_fn;		/* the first such call's ID */
};

static void *pages[NR_CPUS];
static u32 homes[NR_CPUS];
static u32 features[NR_CPUS];	/* HVC_ABI_STATE's r1 at load */
static u32 minor;		/* the revision's minor, on the first CPU */
static bool locked;		/* the lock case has run */
static u32 changed_all, changed_fn_all;
static unsigned int changed_cpu;

/* One call on this CPU; r0-r3 out in @out. Notes registers it changed. */
static void call(struct ctx *c, u32 fn, u32 a1, u32 a2, u32 a3, u32 out[4])
{
	struct regs r = { .in = { fn, a1, a2, a3 } };

	hyp_conform_hvc(&r);
	memcpy(out, r.out, sizeof(r.out));
	if (r.changed && !c->changed) {
		c->changed = r.changed;
		c->changed_fn = fn;
	}
}

static u32 call0(struct ctx *c, u32 fn, u32 a1)
{
	u32 out[4];

	call(c, fn, a1, 0, 0, out);
	return out[0];
}

#define fail(c, fmt, ...) \
	(scnprintf((c)->why, sizeof((c)->why), fmt, ##__VA_ARGS__), false)

static u32 phys(struct ctx *c, unsigned int off)
{
	return virt_to_phys(c->page) + off;
}

/* Back home from our vectors, if a call put them in HYP. */
static void hand_back(struct ctx *c)
{
	u32 out[4];

	call(c, ABI_STATE, 0, 0, 0, out);
	if (out[0] == ARM_ANSWER || out[0] == THUMB_ANSWER)
		call0(c, RESET_VECTORS, 0);
}

/*
 * HVC_ABI_STATE answers as at load; the state word too, until the lock
 * case (then it is locked_every_cpu's business).
 */
static bool check_state_unchanged(struct ctx *c, const char *after)
{
	bool lock_asked = READ_ONCE(locked);
	u32 s[4];

	call(c, ABI_STATE, 0, 0, 0, s);
	if (s[0] || s[1] != features[c->cpu] || (!lock_asked && s[2]) || s[3] != c->home)
		return fail(c, "after %s: HVC_ABI_STATE 0x%x 0x%x 0x%x 0x%x, want 0 0x%x %s 0x%x",
			    after, s[0], s[1], s[2], s[3], features[c->cpu],
			    lock_asked ? "(any)" : "0x0", c->home);
	return true;
}

static bool smccc_version(struct ctx *c)
{
	u32 v = call0(c, SMCCC_VERSION, 0);

	if ((v & BIT(31)) || v >> 16 != 1 || (v & 0xffff) < 1)
		return fail(c, "SMCCC_VERSION 0x%x, want 1.1 or a later 1.x", v);
	return true;
}

static bool smccc_arch_features(struct ctx *c)
{
	static const u32 q[][2] = {
		{ SMCCC_VERSION, 0 }, { SMCCC_ARCH_FEATURES, 0 },
		{ 0x80008000, NOT_SUPPORTED },	/* ARCH_WORKAROUND_1 */
		{ 0x80007fff, NOT_SUPPORTED },	/* ARCH_WORKAROUND_2 */
		{ 0x80003fff, NOT_SUPPORTED },	/* ARCH_WORKAROUND_3 */
	};
	unsigned int i;
	u32 r;

	for (i = 0; i < ARRAY_SIZE(q); i++) {
		r = call0(c, SMCCC_ARCH_FEATURES, q[i][0]);
		if (r != q[i][1])
			return fail(c, "SMCCC_ARCH_FEATURES(0x%x) 0x%x, want 0x%x",
				    q[i][0], r, q[i][1]);
	}
	return true;
}

static bool call_uid(struct ctx *c)
{
	u32 u[4];

	call(c, ABI_CALL_UID, 0, 0, 0, u);
	if (memcmp(u, abi_uid, sizeof(u)))
		return fail(c, "UID 0x%08x 0x%08x 0x%08x 0x%08x", u[0], u[1], u[2], u[3]);
	return true;
}

static bool revision(struct ctx *c)
{
	u32 r[4];

	call(c, ABI_REVISION, 0, 0, 0, r);
	if (r[0] != 2)
		return fail(c, "revision %u.%u, want major 2", r[0], r[1]);
	return true;
}

/* 2 in 2.0; a later minor adds calls, and counts them. */
static bool call_count(struct ctx *c)
{
	u32 n = call0(c, ABI_CALL_COUNT, 0);

	if (minor ? n < 2 : n != 2)
		return fail(c, "call count %u, want %s2 (HVC_ABI_STATE, HVC_ABI_LOCK)", n,
			    minor ? "at least " : "");
	return true;
}

static bool state(struct ctx *c)
{
	u32 s[4], r[4];

	call(c, ABI_STATE, 0, 0, 0, s);
	call(c, ABI_REVISION, 0, 0, 0, r);
	if (s[0])
		return fail(c, "HVC_ABI_STATE r0 0x%x, want 0", s[0]);
	if ((s[1] & FEAT_LAYER) != FEAT_LAYER || (r[1] == 0 && s[1] != FEAT_LAYER))
		return fail(c, "features 0x%x, want 0x1f (and only that in 2.0)", s[1]);
	if (s[2] & STATE_LOCKED)
		return fail(c, "state 0x%x: locked at boot", s[2]);
	if (!(s[3] & ~1u) || (s[3] & 0x1e))
		return fail(c, "vectors 0x%x: 0, or not 32-byte aligned", s[3]);
	return true;
}

static bool same_home(struct ctx *c)
{
	if (c->home != homes[cpumask_first(cpu_online_mask)])
		return fail(c, "vectors 0x%x, the first CPU's 0x%x", c->home,
			    homes[cpumask_first(cpu_online_mask)]);
	return true;
}

/*
 * Only IDs no provider of this ABI may serve: its own owner's (6) beyond
 * its calls, an Arm architecture call other than the two the document
 * names (a provider serves no other: SMCCC_ARCH_FEATURES says so), and SMC64
 * IDs, which an AArch32 caller never makes. A provider may serve other
 * SMCCC services beside the ABI (PSCI over HVC, OEM calls): their IDs are
 * not unknown to it, and are not asked.
 */
static bool unknown_smccc_ids(struct ctx *c)
{
	static const u32 ids[] = {
		0x86000002, 0x8600ff02, 0x8600fe00, 0x86001000, 0x80000002,
		0xc6000000, 0xc600ff01, 0xbf00ff01,
	};
	unsigned int i;
	u32 r;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		if (minor && ids[i] == 0x86000002)
			continue;	/* a later minor's first call */
		r = call0(c, ids[i], 0);
		if (r != NOT_SUPPORTED)
			return fail(c, "ID 0x%x: r0 0x%x, want NOT_SUPPORTED (-1)", ids[i], r);
	}
	return check_state_unchanged(c, "unknown SMCCC IDs");
}

static bool unknown_legacy_ids(struct ctx *c)
{
	static const u32 ids[] = { 3, 16, 17, 0xff, 0x4a48, 0x0100ffff };
	unsigned int i;
	u32 r;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		/* r1 = vectors that answer: an ID taken for an install shows. */
		r = call0(c, ids[i], phys(c, HC_ARM));
		if (r != STUB_ERR) {
			hand_back(c);
			return fail(c, "legacy ID 0x%x: r0 0x%x, want 0xbadca11", ids[i], r);
		}
	}
	return check_state_unchanged(c, "unknown legacy IDs");
}

static bool set_vectors_refusals(struct ctx *c)
{
	const u32 bad[] = {
		phys(c, 2), phys(c, 4), phys(c, 8), phys(c, 16), phys(c, 0x1e),
		phys(c, HC_THUMB + 0x12) | 1, 0, 1, 16, 17,
	};
	unsigned int i;
	u32 r;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r = call0(c, SET_VECTORS, bad[i]);
		if (r != STUB_ERR) {
			hand_back(c);
			return fail(c, "HVC_SET_VECTORS(0x%x): r0 0x%x, want 0xbadca11", bad[i], r);
		}
		if (!check_state_unchanged(c, "a refused HVC_SET_VECTORS"))
			return false;
	}
	return true;
}

/* Install @vectors, check that they answer with @answer, hand back. */
static bool install(struct ctx *c, u32 vectors, u32 answer)
{
	u32 out[4], r;

	r = call0(c, SET_VECTORS, vectors);
	if (r) {
		hand_back(c);
		return fail(c, "HVC_SET_VECTORS(0x%x): r0 0x%x, want 0", vectors, r);
	}
	call(c, ABI_STATE, 0, 0, 0, out);
	if (out[0] != answer || out[1] != (vectors & ~1u)) {
		hand_back(c);
		return fail(c, "after HVC_SET_VECTORS(0x%x) an HVC got r0 0x%x r1 0x%x: not our vectors",
			    vectors, out[0], out[1]);
	}
	r = call0(c, RESET_VECTORS, 0);
	if (r)
		return fail(c, "our vectors' HVC_RESET_VECTORS returned 0x%x", r);
	return check_state_unchanged(c, "a hand-back");
}

static bool set_vectors_arm(struct ctx *c)
{
	return install(c, phys(c, HC_ARM), ARM_ANSWER);
}

static bool set_vectors_thumb(struct ctx *c)
{
	return install(c, phys(c, HC_THUMB) | 1, THUMB_ANSWER);
}

static bool reset_vectors_on_provider(struct ctx *c)
{
	u32 r = call0(c, RESET_VECTORS, 0);

	if (r)
		return fail(c, "HVC_RESET_VECTORS to the layer: r0 0x%x, want 0", r);
	return check_state_unchanged(c, "HVC_RESET_VECTORS");
}

/* hvc #0xffff answers as hvc #0 does. */
static bool hvc_immediate(struct ctx *c)
{
	static const u32 fns[] = { SMCCC_VERSION, ABI_CALL_UID, ABI_STATE, 0x86000002, 3 };
	struct regs r;
	unsigned int i;
	u32 want[4];

	for (i = 0; i < ARRAY_SIZE(fns); i++) {
		call(c, fns[i], 0, 0, 0, want);
		memset(&r, 0, sizeof(r));
		r.in[0] = fns[i];
		hyp_conform_hvc_imm(&r);
		if (r.changed && !c->changed) {
			c->changed = r.changed;
			c->changed_fn = fns[i];
		}
		/* r1-r3 are UNKNOWN after an unknown ID. */
		if (r.out[0] != want[0] ||
		    (want[0] != NOT_SUPPORTED && want[0] != STUB_ERR &&
		     memcmp(r.out, want, sizeof(want))))
			return fail(c, "ID 0x%x: hvc #0xffff gave r0-r3 0x%x 0x%x 0x%x 0x%x, hvc #0 0x%x 0x%x 0x%x 0x%x",
				    fns[i], r.out[0], r.out[1], r.out[2], r.out[3],
				    want[0], want[1], want[2], want[3]);
	}
	return true;
}

/* The landing's return: to hyp_conform_hvc_ret, in SVC, as we are now. */
static void landing_prepare(struct ctx *c)
{
	u32 *w = c->page;
	u32 spsr;

	asm volatile("mrs %0, cpsr" : "=r" (spsr));
	if (IS_ENABLED(CONFIG_THUMB2_KERNEL))
		spsr |= PSR_T_BIT;
	w[HC_RET / 4] = (u32)(unsigned long)hyp_conform_hvc_ret & ~1u;
	w[HC_RET_SPSR / 4] = spsr;
	w[HC_SEEN_CPSR / 4] = 0;
	__sync_cache_range_w(c->page, PAGE_SIZE);
}

static u32 soft_restart_call(struct ctx *c, u32 target)
{
	struct regs r = { .in = { SOFT_RESTART, target } };

	landing_prepare(c);
	hyp_conform_hvc(&r);	/* does not return if served: the landing erets */
	__sync_cache_range_r(c->page + HC_HOME, 0x20);
	return r.out[0];
}

static bool soft_restart(struct ctx *c)
{
	u32 *w = c->page, r = soft_restart_call(c, phys(c, HC_LANDING));
	u32 cpsr = w[HC_SEEN_CPSR / 4], hsctlr = w[HC_SEEN_HSCTLR / 4];

	if (r != LANDED)
		return fail(c, "HVC_SOFT_RESTART(0x%x): r0 0x%x, the target did not run",
			    phys(c, HC_LANDING), r);
	if ((cpsr & MODE_MASK) != HYP_MODE || (cpsr & (PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)) !=
	    (PSR_A_BIT | PSR_I_BIT | PSR_F_BIT) || (cpsr & PSR_T_BIT))
		return fail(c, "the target ran with CPSR 0x%x: want HYP, A, I and F set, ARM", cpsr);
	if (hsctlr & (HSCTLR_M | HSCTLR_C | HSCTLR_I))
		return fail(c, "the target ran with HSCTLR 0x%x: M, C or I set", hsctlr);
	if (w[HC_SEEN_HVBAR / 4] != (c->home & ~1u))
		return fail(c, "the target saw HVBAR 0x%x, not the layer's 0x%x",
			    w[HC_SEEN_HVBAR / 4], c->home & ~1u);
	return check_state_unchanged(c, "HVC_SOFT_RESTART");
}

/* Bit 0 of the target selects Thumb: a Thumb landing answers its own way. */
static bool soft_restart_thumb(struct ctx *c)
{
	u32 r = soft_restart_call(c, phys(c, HC_LANDING_THUMB) | 1);

	if (r != LANDED_THUMB)
		return fail(c, "HVC_SOFT_RESTART(0x%x): r0 0x%x, the Thumb target did not run",
			    phys(c, HC_LANDING_THUMB) | 1, r);
	return check_state_unchanged(c, "HVC_SOFT_RESTART to Thumb code");
}

static bool lock_call(struct ctx *c)
{
	u32 r = call0(c, ABI_LOCK, 0);

	WRITE_ONCE(locked, true);	/* asked: the layer may have locked */
	if (r)
		return fail(c, "HVC_ABI_LOCK: r0 0x%x, want 0", r);
	return true;
}

static bool locked_state(struct ctx *c)
{
	u32 s[4];

	call(c, ABI_STATE, 0, 0, 0, s);
	if (s[0] || !(s[2] & STATE_LOCKED))
		return fail(c, "HVC_ABI_STATE r0 0x%x state 0x%x: not locked", s[0], s[2]);
	return true;
}

static bool locked_refuses_set_vectors(struct ctx *c)
{
	u32 r = call0(c, SET_VECTORS, phys(c, HC_ARM));

	if (r != STUB_ERR) {
		hand_back(c);
		return fail(c, "locked: HVC_SET_VECTORS r0 0x%x, want 0xbadca11", r);
	}
	return check_state_unchanged(c, "a locked HVC_SET_VECTORS");
}

static bool locked_refuses_soft_restart(struct ctx *c)
{
	u32 r = soft_restart_call(c, phys(c, HC_LANDING));

	if (r != STUB_ERR)
		return fail(c, "locked: HVC_SOFT_RESTART r0 0x%x, want 0xbadca11%s", r,
			    r == LANDED ? " (the target ran in HYP)" : "");
	return check_state_unchanged(c, "a locked HVC_SOFT_RESTART");
}

/* The discovery calls, as they answer on one CPU, and their results. */
static const u32 discovery_ids[] = {
	SMCCC_VERSION, ABI_CALL_UID, ABI_REVISION, ABI_CALL_COUNT,
};
static const unsigned int discovery_results[] = { 1, 4, 2, 1 };
#define NR_DISCOVERY ARRAY_SIZE(discovery_ids)
static u32 discovery[NR_CPUS][NR_DISCOVERY][4];	/* before the lock */

static void discover(struct ctx *c, u32 out[NR_DISCOVERY][4])
{
	unsigned int i;

	for (i = 0; i < NR_DISCOVERY; i++)
		call(c, discovery_ids[i], 0, 0, 0, out[i]);
}

/* Before the lock: what the discovery calls answer on each CPU. */
static bool discovery_before(struct ctx *c)
{
	discover(c, discovery[c->cpu]);
	return true;
}

/*
 * The calls that install nothing answer as they did before the lock, in
 * their result registers (whether those answers were right is the
 * unlocked cases' business; the others are UNKNOWN).
 */
static bool locked_other_calls(struct ctx *c)
{
	u32 now[NR_DISCOVERY][4];
	unsigned int i;

	discover(c, now);
	for (i = 0; i < NR_DISCOVERY; i++)
		if (memcmp(now[i], discovery[c->cpu][i], discovery_results[i] * sizeof(u32)))
			return fail(c, "locked: ID 0x%x answers 0x%x 0x%x 0x%x 0x%x, before 0x%x 0x%x 0x%x 0x%x",
				    discovery_ids[i], now[i][0], now[i][1], now[i][2], now[i][3],
				    discovery[c->cpu][i][0], discovery[c->cpu][i][1],
				    discovery[c->cpu][i][2], discovery[c->cpu][i][3]);
	return check_state_unchanged(c, "the lock");
}

/* Handing back is always allowed. */
static bool locked_reset_vectors(struct ctx *c)
{
	u32 r = call0(c, RESET_VECTORS, 0);

	if (r)
		return fail(c, "locked: HVC_RESET_VECTORS r0 0x%x, want 0", r);
	return check_state_unchanged(c, "a locked HVC_RESET_VECTORS");
}

/* On a CPU that came online after the lock: refused there too. */
static bool locked_online_later(struct ctx *c)
{
	return locked_refuses_set_vectors(c);
}

struct conform_case {
	const char *name;
	const char *section;	/* of Documentation/arm/hyp-abi.rst */
	bool (*fn)(struct ctx *c);
	bool one_cpu;		/* on the first online CPU only */
	bool needs_lock;	/* with lock=1 only */
	bool hotplug;		/* on a CPU taken offline and back first */
};

static bool registers_preserved(struct ctx *c);

static const struct conform_case cases[] = {
	{ "smccc_version", "SMCCC discovery", smccc_version },
	{ "smccc_arch_features", "SMCCC discovery", smccc_arch_features },
	{ "call_uid", "SMCCC discovery", call_uid },
	{ "revision", "SMCCC discovery", revision },
	{ "call_count", "SMCCC discovery", call_count },
	{ "state", "The service's own calls", state },
	{ "same_vectors_every_cpu", "Entered in SVC over a layer", same_home },
	/* Before any install: what the target sees in HVBAR is the layer's. */
	{ "soft_restart", "What each side may rely on", soft_restart },
	{ "soft_restart_thumb", "Legacy calls", soft_restart_thumb },
	{ "unknown_smccc_ids", "Calling convention", unknown_smccc_ids },
	{ "unknown_legacy_ids", "Calling convention", unknown_legacy_ids },
	{ "hvc_immediate_ignored", "What each side may rely on", hvc_immediate },
	{ "set_vectors_refusals", "Legacy calls", set_vectors_refusals },
	{ "set_vectors_arm", "Legacy calls", set_vectors_arm },
	{ "set_vectors_thumb", "Legacy calls", set_vectors_thumb },
	{ "reset_vectors_on_provider", "Legacy calls", reset_vectors_on_provider },
	{ "lock", "The service's own calls", lock_call, true, true },
	{ "locked_every_cpu", "The lock", locked_state, false, true },
	{ "locked_other_calls_work", "The service's own calls", locked_other_calls, false, true },
	{ "locked_refuses_set_vectors", "Legacy calls", locked_refuses_set_vectors, false, true },
	{ "locked_refuses_soft_restart", "Legacy calls", locked_refuses_soft_restart, false, true },
	{ "locked_reset_vectors", "What each side may rely on", locked_reset_vectors, false, true },
	{ "locked_cpu_online_later", "The service's own calls", locked_online_later, false, true, true },
	/* Last: every call above, the lock's included. */
	{ "registers_preserved", "Calling convention", registers_preserved, true },
};

static bool registers_preserved(struct ctx *c)
{
	if (changed_all)
		return fail(c, "CPU%u's call 0x%x changed registers 0x%x (bit n: rn, 13 sp, 14 lr, 16 CPSR)",
			    changed_cpu, changed_fn_all, changed_all);
	return true;
}

static const struct conform_case *running;

static void run_here(void *arg)
{
	struct ctx *c = arg;

	c->why[0] = '\0';
	running->fn(c);
}

/* One case on @cpu; prints why it fails there. */
static bool run_on(const struct conform_case *k, unsigned int cpu)
{
	struct ctx c = { .cpu = cpu, .page = pages[cpu], .home = homes[cpu] };
	int ret;

	running = k;
	ret = smp_call_function_single(cpu, run_here, &c, 1);
	if (ret) {
		pr_info("# %s: CPU%u: cross-call failed (%d)\n", k->name, cpu, ret);
		return false;
	}
	if (c.changed && !changed_all) {
		changed_all = c.changed;
		changed_fn_all = c.changed_fn;
		changed_cpu = cpu;
	}
	if (c.why[0]) {
		pr_info("# %s: CPU%u: %s\n", k->name, cpu, c.why);
		return false;
	}
	return true;
}

static int run_case(const struct conform_case *k, unsigned int n)
{
	unsigned int cpu, last;
	bool ok = true;
	int ret;

	if (k->needs_lock && !lock) {
		pr_info("ok %u %s # SKIP changes the layer until reset: load with lock=1\n", n, k->name);
		return 0;
	}
	if (k->hotplug) {
		last = cpumask_last(cpu_online_mask);
		if (!IS_ENABLED(CONFIG_HOTPLUG_CPU) || last == 0) {
			pr_info("ok %u %s # SKIP no CPU to take offline\n", n, k->name);
			return 0;
		}
		ret = remove_cpu(last);
		if (!ret)
			ret = add_cpu(last);
		if (ret) {
			pr_info("# %s: CPU%u offline and back: %d\n", k->name, last, ret);
			ok = false;
		} else {
			ok = run_on(k, last);
		}
	} else {
		cpus_read_lock();
		for_each_online_cpu(cpu) {
			ok &= run_on(k, cpu);
			if (k->one_cpu)
				break;
		}
		cpus_read_unlock();
	}
	pr_info("%s %u %s # hyp-abi.rst: %s\n", ok ? "ok" : "not ok", n, k->name, k->section);
	return ok ? 0 : 1;
}

/*
 * Each CPU's home as HVC_ABI_STATE reports it at load, and its discovery
 * calls' answers.
 */
static void read_home(void *arg)
{
	struct ctx *c = arg;
	u32 s[4];

	call(c, ABI_STATE, 0, 0, 0, s);
	c->home = s[0] ? 0 : s[3];
	features[c->cpu] = s[1];
	discovery_before(c);
}

static bool layer_present(void)
{
	struct device_node *np = of_find_node_by_path("/firmware/hyp-layer");
	bool ok = np && of_device_is_compatible(np, "linux,arm-hyp-layer");

	of_node_put(np);
	return ok;
}

static int __init hyp_conform_init(void)
{
	unsigned int cpu, n = 0, failed = 0;
	size_t i;

	if (!layer_present()) {
		pr_info("no linux,arm-hyp-layer node: nothing to check\n");
		return -ENODEV;
	}
	/* HYP reads the pages little-endian (a layer leaves HSCTLR.EE clear). */
	if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN)) {
		pr_info("a big-endian kernel: the cases' HYP code and data are little-endian\n");
		return -ENODEV;
	}
	for_each_possible_cpu(cpu) {
		pages[cpu] = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[cpu])
			goto nomem;
		if (upper_32_bits(virt_to_phys(pages[cpu]))) {
			pr_info("a page above 4 GiB: HVBAR cannot hold it\n");
			goto nomem;
		}
		memcpy(pages[cpu], hyp_conform_blob, hyp_conform_blob_end - hyp_conform_blob);
	}
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct ctx c = { .cpu = cpu };

		smp_call_function_single(cpu, read_home, &c, 1);
		homes[cpu] = c.home;
	}
	minor = discovery[cpumask_first(cpu_online_mask)][2][1];
	/* A CPU that comes online later has the same home, or fails then. */
	for_each_possible_cpu(cpu) {
		u32 *w = pages[cpu];

		if (!cpu_online(cpu)) {
			homes[cpu] = homes[cpumask_first(cpu_online_mask)];
			features[cpu] = features[cpumask_first(cpu_online_mask)];
		}
		w[HC_HOME / 4] = homes[cpu];
		__sync_cache_range_w(pages[cpu], PAGE_SIZE);
		flush_icache_range((unsigned long)pages[cpu],
				   (unsigned long)pages[cpu] + PAGE_SIZE);
	}
	cpus_read_unlock();

	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		failed += run_case(&cases[i], ++n);
	pr_info("# %u of %zu failed\n", failed, ARRAY_SIZE(cases));
	/* What the document asks that no call from SVC can show. */
	pr_info("# not covered: the state at the SVC entry (CPSR, SCTLR, SCR.HCE) and HYP's registers the boot contract lists\n");
	pr_info("# not covered: the device tree's node and its 2 MiB no-map reservation (the kernel checks those at boot)\n");
	pr_info("# not covered: the lock cleared at reset and kept across kexec; HVC_SET_VECTORS to the layer's own vectors when locked\n");
	pr_info("# not covered: a layer in Thumb code (make conform loads ARM vectors)\n");
	return 0;

nomem:
	for_each_possible_cpu(cpu)
		free_page((unsigned long)pages[cpu]);
	return -ENOMEM;
}

static void __exit hyp_conform_exit(void)
{
	unsigned int cpu;

	/* Nothing in HYP points at them: every case handed back. */
	for_each_possible_cpu(cpu)
		free_page((unsigned long)pages[cpu]);
}

module_init(hyp_conform_init);
module_exit(hyp_conform_exit);
MODULE_DESCRIPTION("make conform: the HYP ABI document's requirements, one case each");
MODULE_LICENSE("GPL");
