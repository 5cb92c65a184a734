// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel side of the HYP stub (hyp-stub.S): the mode each CPU entered
 * the kernel in, the boot report, sysfs, and the calls a hypervisor uses
 * to install itself in HYP mode. See Documentation/arm/hyp-abi.rst.
 */

#define pr_fmt(fmt) "CPU: " fmt

#include <linux/cpu.h>
#include <linux/cpu_pm.h>
#include <linux/cpuidle.h>
#include <linux/cpuhotplug.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/kstrtox.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/suspend.h>
#include <linux/syscore_ops.h>
#include <linux/sysfs.h>
#include <asm/memory.h>
#include <asm/opcodes-virt.h>
#include <asm/smp_plat.h>
#include <asm/virt.h>

/* Filled in by hyp-stub.S, indexed by logical CPU; 0: never entered. */
extern u32 __hyp_cpu_mode[NR_CPUS];

/* Locked by hyp_stub_lock=/sysfs; the stub holds the state that counts. */
static bool hyp_locked;

/* Who holds HYP on a CPU that has the stub. */
enum hyp_holder {
	HYP_HELD_BY_STUB,	/* the stub: stub calls are safe */
	HYP_HELD_VIA_API,	/* a hypervisor installed by hyp_set_vectors() */
	HYP_HELD_BY_CLAIM,	/* a hypervisor that claimed it (hyp_claim_cpu()) */
};

static DEFINE_PER_CPU(u8, hyp_holder);

/* How many CPUs a hypervisor holds (any holder but the stub). */
static atomic_t hyp_held = ATOMIC_INIT(0);

/*
 * A CPU a hypervisor holds idles in its first state (WFI on ARM): the
 * deeper ones may power it down (see hyp_cpu_pm_notify()). Switched off
 * here rather than refused at entry, where a governor could keep choosing
 * them and spin.
 */
static DEFINE_PER_CPU(u32, hyp_idle_off);	/* states hyp_cpuidle_hold() disabled */

static void hyp_cpuidle_hold(bool held)
{
#ifdef CONFIG_CPU_IDLE
	struct cpuidle_device *dev = this_cpu_read(cpuidle_devices);
	struct cpuidle_driver *drv = dev ? cpuidle_get_cpu_driver(dev) : NULL;
	u64 *disable;
	u32 off = 0;
	int i;

	for (i = 1; drv && i < drv->state_count && i < 32; i++) {
		disable = &dev->states_usage[i].disable;
		if (held && !(*disable & CPUIDLE_STATE_DISABLED_BY_DRIVER)) {
			*disable |= CPUIDLE_STATE_DISABLED_BY_DRIVER;
			off |= BIT(i);
		} else if (!held && (this_cpu_read(hyp_idle_off) & BIT(i))) {
			*disable &= ~CPUIDLE_STATE_DISABLED_BY_DRIVER;
		}
	}
	this_cpu_write(hyp_idle_off, off);
#endif
}

/* This CPU's holder becomes @holder; keeps hyp_held and idle in step. */
static void hyp_set_holder(u8 holder)
{
	u8 old = this_cpu_read(hyp_holder);

	if (old == holder)
		return;
	if (old == HYP_HELD_BY_STUB) {
		atomic_inc(&hyp_held);
		hyp_cpuidle_hold(true);
	} else if (holder == HYP_HELD_BY_STUB) {
		atomic_dec(&hyp_held);
		hyp_cpuidle_hold(false);
	}
	this_cpu_write(hyp_holder, holder);
}

/*
 * What the per-CPU records said when they were last read (hyp_refresh()),
 * for predicates that must not do cache maintenance: __soft_restart()
 * calls is_hyp_mode_available() with the caches off.
 */
static bool hyp_all_hyp;	/* every CPU that entered, last in HYP */
static bool hyp_mixed;		/* CPUs that entered disagree */
static bool hyp_any_stub;	/* some CPU last entered in HYP */
static int hyp_common_mode;	/* their mode if they agree, else 0 */
static bool hyp_refreshed;	/* the values above have been read once */

/* The boot report is out: later CPUs report themselves as they arrive. */
static bool hyp_reported;

static const char *const hyp_mode_names[] = {
	[USR_MODE & MODE_MASK]	= "usr",
	[FIQ_MODE & MODE_MASK]	= "fiq",
	[IRQ_MODE & MODE_MASK]	= "irq",
	[SVC_MODE & MODE_MASK]	= "svc",
	[MON_MODE & MODE_MASK]	= "mon",
	[ABT_MODE & MODE_MASK]	= "abt",
	[HYP_MODE & MODE_MASK]	= "hyp",
	[UND_MODE & MODE_MASK]	= "und",
	[SYSTEM_MODE & MODE_MASK] = "sys",
};

static const char *hyp_mode_name(int mode)
{
	if (mode <= 0)
		return "unknown";
	if ((unsigned int)mode >= ARRAY_SIZE(hyp_mode_names) ||
	    !hyp_mode_names[mode])
		return "invalid";
	return hyp_mode_names[mode];
}

/**
 * hyp_cpu_boot_mode() - the mode a CPU was in when it last entered the kernel
 * @cpu: logical CPU number
 *
 * A CPU is recorded each time it enters: at boot, when it comes back
 * online, and on resume.
 *
 * Return: the CPSR mode bits (HYP_MODE, SVC_MODE, ...), 0 if @cpu has not
 * entered the kernel, -EINVAL if @cpu is not a possible CPU.
 */
int hyp_cpu_boot_mode(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	sync_cache_r(&__hyp_cpu_mode[cpu]);
	return READ_ONCE(__hyp_cpu_mode[cpu]) & MODE_MASK;
}
EXPORT_SYMBOL_GPL(hyp_cpu_boot_mode);

/*
 * Re-read every CPU's record: at boot, when a CPU comes online and on
 * resume, the places where records change. A CPU that never entered the
 * kernel (maxcpus=, not yet onlined) has no say.
 */
static void hyp_refresh(void)
{
	bool mixed = false, any_hyp = false;
	unsigned int cpu;
	int mode, first = 0;

	for_each_possible_cpu(cpu) {
		mode = hyp_cpu_boot_mode(cpu);
		if (mode <= 0)
			continue;
		if (!first)
			first = mode;
		else if (mode != first)
			mixed = true;
		if (mode == HYP_MODE)
			any_hyp = true;
	}
	WRITE_ONCE(hyp_all_hyp, first == HYP_MODE && !mixed);
	WRITE_ONCE(hyp_mixed, mixed);
	WRITE_ONCE(hyp_any_stub, any_hyp);
	WRITE_ONCE(hyp_common_mode, mixed ? 0 : first);
	WRITE_ONCE(hyp_refreshed, true);
}

/*
 * The GIC and timer drivers ask at init_IRQ() and time_init(), before any
 * initcall: until the first refresh, read the records on demand (only the
 * boot CPU has entered then, and the caches are on).
 */
static void notrace hyp_records_read(void)
{
	if (unlikely(!READ_ONCE(hyp_refreshed)))
		hyp_refresh();
}

/**
 * is_hyp_mode_available() - whether a hypervisor can install itself
 *
 * True when every CPU that has entered the kernel last entered it in HYP
 * mode, so each has the stub, the stub is not locked, and no hypervisor
 * holds a CPU. A CPU that entered in SVC once and in HYP since counts as
 * HYP. A hypervisor then installs on each CPU with hyp_set_vectors(), or
 * claims it first with hyp_claim_cpu() if it issues HVC_SET_VECTORS
 * itself. Safe to call with the caches off: __soft_restart() asks it
 * whether to restart in HYP, which a CPU a hypervisor holds cannot do.
 *
 * Return: true if a hypervisor can install itself on every CPU.
 */
bool notrace is_hyp_mode_available(void)
{
	hyp_records_read();
	return READ_ONCE(hyp_all_hyp) && !READ_ONCE(hyp_locked) &&
	       !atomic_read(&hyp_held);
}
EXPORT_SYMBOL_GPL(is_hyp_mode_available);

/**
 * hyp_held_cpus() - how many CPUs a hypervisor holds
 *
 * For code that must not run under a hypervisor it cannot call: kexec
 * refuses to load and hibernation to start while this is not 0.
 *
 * Return: the number of CPUs whose HYP a hypervisor installed through
 * hyp_set_vectors() or a claim holds.
 */
int hyp_held_cpus(void)
{
	return atomic_read(&hyp_held);
}

/**
 * is_hyp_mode_mismatched() - whether CPUs entered the kernel in different modes
 *
 * Return: true while the CPUs that have entered the kernel last entered it
 * in different modes; hyp_cpu_boot_mode() tells which.
 */
bool is_hyp_mode_mismatched(void)
{
	hyp_records_read();
	return READ_ONCE(hyp_mixed);
}
EXPORT_SYMBOL_GPL(is_hyp_mode_mismatched);

static bool hyp_this_cpu_has_stub(void)
{
	return hyp_cpu_boot_mode(smp_processor_id()) == HYP_MODE;
}

/* 0 if this CPU's HYP is the stub's, else why no stub call may go there. */
static int hyp_stub_here(void)
{
	if (!hyp_this_cpu_has_stub())
		return -ENODEV;
	if (this_cpu_read(hyp_holder) != HYP_HELD_BY_STUB)
		return -EBUSY;
	return 0;
}

/* One HVC to whatever HVBAR points at; the caller checked it is safe. */
static unsigned long hyp_hvc(unsigned long fn, unsigned long a1,
			     unsigned long a2, unsigned long a3,
			     struct hyp_stub_res *res)
{
	register unsigned long r0 asm("r0") = fn;
	register unsigned long r1 asm("r1") = a1;
	register unsigned long r2 asm("r2") = a2;
	register unsigned long r3 asm("r3") = a3;

	asm volatile(__HVC(0)
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)
		     :
		     : "ip", "memory");
	if (res) {
		res->a0 = r0;
		res->a1 = r1;
		res->a2 = r2;
		res->a3 = r3;
	}
	return r0;
}

/**
 * hyp_stub_call() - issue one HVC on this CPU
 * @fn: function number (r0)
 * @a1: first argument (r1)
 * @a2: second argument (r2)
 * @a3: third argument (r3)
 * @res: where r0-r3 are stored after the call, or NULL
 *
 * The raw call, for hypervisors and tests: it goes to whatever HYP vectors
 * this CPU has, the stub's or an installed hypervisor's. Call it with
 * preemption disabled to know which CPU it ran on.
 *
 * Return: 0 once the HVC was issued (its result is in @res), -ENODEV if
 * this CPU did not enter in HYP mode, where HVC would be undefined.
 */
int hyp_stub_call(unsigned long fn, unsigned long a1, unsigned long a2,
		  unsigned long a3, struct hyp_stub_res *res)
{
	int ret = -ENODEV;

	preempt_disable();
	if (hyp_this_cpu_has_stub()) {
		hyp_hvc(fn, a1, a2, a3, res);
		ret = 0;
	}
	preempt_enable();
	return ret;
}
EXPORT_SYMBOL_GPL(hyp_stub_call);

/**
 * hyp_stub_vectors_phys() - physical address of the stub's vector table
 *
 * What a hypervisor's HVC_RESET_VECTORS handler writes back to HVBAR.
 *
 * Return: the address, or 0 when no CPU entered the kernel in HYP mode.
 */
phys_addr_t hyp_stub_vectors_phys(void)
{
	hyp_records_read();
	if (!READ_ONCE(hyp_any_stub))
		return 0;
	/*
	 * head.S set HVBAR at the address the kernel was entered at, the
	 * identity map's. After a physical address fix-up (Keystone with
	 * LPAE) __pa() gives another alias of the same memory.
	 */
	return virt_to_idmap(__hyp_stub_vectors);
}
EXPORT_SYMBOL_GPL(hyp_stub_vectors_phys);

/**
 * hyp_set_vectors() - install a hypervisor's vectors on this CPU
 * @vectors: physical address of the HYP vector table, 32-byte aligned
 *
 * HYP runs with its MMU off afterwards: the vectors and everything they
 * reach must be physically contiguous and cleaned to the point of
 * coherency. Call with preemption disabled (on_each_cpu() does).
 *
 * Return: 0 on success; -ENODEV if this CPU has no stub; -EINVAL if HVBAR
 * cannot hold @vectors; -EBUSY if a hypervisor holds this CPU (installed
 * through this call, or claimed); -EPERM if the stub is locked; -EIO if
 * the stub refused anyway. Nothing changes unless it returns 0.
 */
int hyp_set_vectors(phys_addr_t vectors)
{
	unsigned long flags;
	int ret;

	if (!IS_ALIGNED(vectors, HVC_VECTORS_ALIGN) || vectors > U32_MAX)
		return -EINVAL;

	local_irq_save(flags);
	ret = hyp_stub_here();
	if (!ret && READ_ONCE(hyp_locked))
		ret = -EPERM;
	else if (!ret && hyp_hvc(HVC_SET_VECTORS, vectors, 0, 0, NULL))
		ret = -EIO;
	if (!ret)
		hyp_set_holder(HYP_HELD_VIA_API);
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(hyp_set_vectors);

/* Engage the stub's lock from this CPU, if the stub is what HVBAR holds. */
static void hyp_stub_lock_this_cpu(void *unused)
{
	if (!READ_ONCE(hyp_locked) || !hyp_this_cpu_has_stub() ||
	    this_cpu_read(hyp_holder) != HYP_HELD_BY_STUB)
		return;
	hyp_hvc(HVC_STUB_LOCK, 0, 0, 0, NULL);
	/*
	 * HYP wrote the word with its MMU off. Drop any copy the caches hold,
	 * so that what reads it through them, hibernation's snapshot of .data
	 * above all, reads the lock: a stale 0 restored on a UP kernel, where
	 * no CPU comes back online to lock again, would unlock HYP.
	 */
	sync_cache_r(&__hyp_stub_state);
}

/**
 * hyp_claim_cpu() - reserve this CPU's HYP for a hypervisor's own install
 *
 * For a hypervisor that installs itself with its own HVC_SET_VECTORS
 * rather than hyp_set_vectors() (Jailhouse does): call it on each CPU
 * before that HVC, and hyp_release_cpu() once the hypervisor has handed
 * HYP back to the stub. The kernel cannot ask who holds HYP (some
 * hypervisors stop a CPU on any HVC they do not expect), so a claim is
 * how it knows: while a CPU is claimed it sends it no stub call.
 * hyp_set_vectors(), hyp_reset_vectors() and hyp_stub_discover() return
 * -EBUSY there, and hyp_stub_lock() engages the lock on it only when it
 * is released. Call with preemption disabled.
 *
 * Return: 0 if this CPU is now reserved for the caller; -ENODEV if it has
 * no stub; -EBUSY if a hypervisor holds it already; -EPERM if the stub is
 * locked (it would refuse the install).
 */
int hyp_claim_cpu(void)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = hyp_stub_here();
	if (!ret && READ_ONCE(hyp_locked))
		ret = -EPERM;
	if (!ret)
		hyp_set_holder(HYP_HELD_BY_CLAIM);
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(hyp_claim_cpu);

/**
 * hyp_release_cpu() - end a claim: HYP is back with the stub
 *
 * The hypervisor that claimed this CPU has written the stub's vectors
 * (hyp_stub_vectors_phys()) back to HVBAR. The kernel checks that the stub
 * answers (HVC_STUB_DISCOVER), then sends this CPU stub calls again and
 * engages the lock here if hyp_stub_lock() was called meanwhile. A claim
 * outlives the CPU going offline and coming back; if it came back in SVC,
 * where no HVC may be issued, the claim just ends. Call with preemption
 * disabled.
 *
 * Return: 0 on success; -EINVAL if this CPU is not claimed; -EIO if what
 * answers is not the stub (the CPU stays claimed).
 */
int hyp_release_cpu(void)
{
	unsigned long flags;
	struct hyp_stub_res res;
	int ret = 0;

	local_irq_save(flags);
	if (this_cpu_read(hyp_holder) != HYP_HELD_BY_CLAIM) {
		ret = -EINVAL;
	} else if (!hyp_this_cpu_has_stub()) {
		hyp_set_holder(HYP_HELD_BY_STUB);
	} else if (hyp_hvc(HVC_STUB_DISCOVER, 0, 0, 0, &res) !=
		   HVC_STUB_ABI_VERSION) {
		ret = -EIO;
	} else {
		hyp_set_holder(HYP_HELD_BY_STUB);
		hyp_stub_lock_this_cpu(NULL);
	}
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(hyp_release_cpu);

/**
 * hyp_reset_vectors() - hand HYP on this CPU back to the stub
 *
 * Issues HVC_RESET_VECTORS: a hypervisor installed with hyp_set_vectors()
 * must then restore the stub's vectors (hyp_stub_vectors_phys()); the stub
 * itself just succeeds. Allowed when the stub is locked. A claimed CPU is
 * handed back by its hypervisor, then hyp_release_cpu(). Call with
 * preemption disabled.
 *
 * Return: 0 on success, -ENODEV if this CPU has no stub, -EBUSY if it is
 * claimed, -EIO if HYP refused.
 */
int hyp_reset_vectors(void)
{
	unsigned long flags;
	int ret = -ENODEV;

	local_irq_save(flags);
	if (!hyp_this_cpu_has_stub()) {
		ret = -ENODEV;
	} else if (this_cpu_read(hyp_holder) == HYP_HELD_BY_CLAIM) {
		ret = -EBUSY;
	} else {
		ret = hyp_hvc(HVC_RESET_VECTORS, 0, 0, 0, NULL) ? -EIO : 0;
		if (!ret) {
			hyp_set_holder(HYP_HELD_BY_STUB);
			hyp_stub_lock_this_cpu(NULL);
		}
	}
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(hyp_reset_vectors);

/**
 * hyp_stub_discover() - ask this CPU's stub what it offers
 * @info: filled in with the ABI version, features and state
 *
 * Return: 0 on success, -ENODEV if this CPU has no stub, -EBUSY if a
 * hypervisor holds this CPU (installed through hyp_set_vectors(), or
 * claimed), -EIO if what answered is not the stub.
 */
int hyp_stub_discover(struct hyp_stub_info *info)
{
	struct hyp_stub_res res;
	int ret;

	preempt_disable();
	ret = hyp_stub_here();
	if (!ret)
		hyp_hvc(HVC_STUB_DISCOVER, 0, 0, 0, &res);
	preempt_enable();
	if (ret)
		return ret;
	if (res.a0 != HVC_STUB_ABI_VERSION)
		return -EIO;
	info->version = res.a0;
	info->features = res.a1;
	info->state = res.a2;
	return 0;
}
EXPORT_SYMBOL_GPL(hyp_stub_discover);

/**
 * hyp_stub_locked() - whether HVC_SET_VECTORS is refused until reboot
 *
 * Return: true once hyp_stub_lock() or the hyp_stub_lock parameter
 * engaged the lock.
 */
bool hyp_stub_locked(void)
{
	return READ_ONCE(hyp_locked);
}
EXPORT_SYMBOL_GPL(hyp_stub_locked);

/**
 * hyp_stub_lock() - refuse HVC_SET_VECTORS on every CPU until reboot
 *
 * The stub enforces it in HYP, for raw HVCs too, and on CPUs that come
 * online later. A hypervisor already installed keeps running and can
 * still hand HYP back; the kernel sends a CPU that a hypervisor holds no
 * call, and engages the lock there once HYP is back with the stub. After
 * it is_hyp_mode_available() is false and hyp_claim_cpu() fails. There is
 * no unlock.
 *
 * Return: 0 on success, -ENODEV if no CPU entered the kernel in HYP mode.
 */
int hyp_stub_lock(void)
{
	if (!hyp_stub_vectors_phys())
		return -ENODEV;
	WRITE_ONCE(hyp_locked, true);
	on_each_cpu(hyp_stub_lock_this_cpu, NULL, 1);
	return 0;
}
EXPORT_SYMBOL_GPL(hyp_stub_lock);

static int __init hyp_stub_lock_param(char *arg)
{
	WRITE_ONCE(hyp_locked, true);
	return 0;
}
early_param("hyp_stub_lock", hyp_stub_lock_param);

/* Say how this CPU entered if it disagrees with the boot CPU. */
static void hyp_report_cpu(unsigned int cpu)
{
	int primary = __boot_cpu_mode & MODE_MASK;
	int mode = hyp_cpu_boot_mode(cpu);

	if (mode != primary)
		pr_warn("CPU%u started in %s mode, the boot CPU in %s mode\n",
			cpu, hyp_mode_name(mode), hyp_mode_name(primary));
}

/*
 * The boot report: upstream's lines, word for word, then one line for
 * each CPU that disagrees with the boot CPU.
 */
void __init hyp_mode_check(void)
{
	unsigned int cpu;

	hyp_refresh();
	if (READ_ONCE(hyp_all_hyp)) {
		pr_info("All CPU(s) started in HYP mode.\n");
		pr_info("Virtualization extensions available.\n");
	} else if (is_hyp_mode_mismatched()) {
		pr_warn("WARNING: CPU(s) started in wrong/inconsistent modes (primary CPU mode 0x%x)\n",
			__boot_cpu_mode & MODE_MASK);
		pr_warn("This may indicate a broken bootloader or firmware.\n");
		for_each_online_cpu(cpu)
			hyp_report_cpu(cpu);
	} else {
		pr_info("All CPU(s) started in SVC mode.\n");
	}
	hyp_reported = true;
}

/* Runs on a CPU that came back online: through head.S, to the stub. */
static int hyp_cpu_online(unsigned int cpu)
{
	/*
	 * Through head.S HVBAR holds the stub again, unless the CPU never
	 * left (a failed offline rolls back through here, and cpu_die() may
	 * return): a hypervisor installed through the API was handed back
	 * before the CPU went down, so only a claim can still be in force,
	 * and only its hypervisor ends it (hyp_release_cpu()).
	 */
	if (this_cpu_read(hyp_holder) != HYP_HELD_BY_CLAIM)
		hyp_set_holder(HYP_HELD_BY_STUB);
	sync_boot_mode();
	hyp_refresh();
	if (hyp_reported)
		hyp_report_cpu(cpu);
	hyp_stub_lock_this_cpu(NULL);
	return 0;
}

static bool hyp_kexec_in_progress(void)
{
#ifdef CONFIG_KEXEC_CORE
	return kexec_in_progress;
#else
	return false;
#endif
}

/*
 * Runs on a CPU going offline. A hypervisor installed through
 * hyp_set_vectors() is told with HVC_RESET_VECTORS and hands HYP back
 * first: where cpu_die() returns, the CPU goes on without head.S, and
 * HVBAR must then hold what the kernel thinks it holds. If it refuses, the
 * CPU stays online. A claimed CPU is its hypervisor's business (Jailhouse
 * takes CPUs offline for its cells and handles their PSCI calls itself).
 */
static int hyp_cpu_offline(unsigned int cpu)
{
	int ret;

	if (this_cpu_read(hyp_holder) != HYP_HELD_VIA_API)
		return 0;
	ret = hyp_reset_vectors();
	if (!ret)
		return 0;
	/*
	 * kexec takes the secondaries down and stops at BUG_ON() if one
	 * stays: let it go, still counted as held (the restart is in SVC).
	 */
	if (hyp_kexec_in_progress()) {
		pr_warn("CPU%u: its hypervisor did not hand HYP back (%d)\n", cpu, ret);
		return 0;
	}
	pr_warn("CPU%u: its hypervisor did not hand HYP back (%d): staying online\n",
		cpu, ret);
	return -EBUSY;
}

/*
 * A power-down idle state resumes through cpu_resume, which puts the stub
 * back in HVBAR: a CPU a hypervisor holds must not enter one, or the
 * kernel would think the hypervisor still there. Such states are off
 * while a hypervisor holds the CPU (hyp_cpuidle_hold()); this refusal is
 * the guarantee, for any other way into CPU_PM_ENTER.
 */
static int hyp_cpu_pm_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (action == CPU_PM_ENTER &&
	    this_cpu_read(hyp_holder) != HYP_HELD_BY_STUB)
		return notifier_from_errno(-EBUSY);
	return NOTIFY_OK;
}

static struct notifier_block hyp_cpu_pm_nb = {
	.notifier_call = hyp_cpu_pm_notify,
};

static int __init hyp_stub_early_init(void)
{
	/*
	 * Secondaries look themselves up in the map with the MMU off, and
	 * may read past nr_cpu_ids: every entry they can read, as many as
	 * there are records, is cleaned.
	 */
	__sync_cache_range_w(__cpu_logical_map, sizeof(__hyp_cpu_mode));
	hyp_refresh();
	hyp_stub_lock_this_cpu(NULL);
	return 0;
}
early_initcall(hyp_stub_early_init);

static ssize_t boot_mode_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n", hyp_mode_name(hyp_cpu_boot_mode(dev->id)));
}
static DEVICE_ATTR_RO(boot_mode);

static ssize_t system_boot_mode_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	hyp_records_read();
	if (is_hyp_mode_mismatched())
		return sysfs_emit(buf, "mixed\n");
	return sysfs_emit(buf, "%s\n", hyp_mode_name(READ_ONCE(hyp_common_mode)));
}

static struct device_attribute dev_attr_system_boot_mode =
	__ATTR(boot_mode, 0444, system_boot_mode_show, NULL);

static ssize_t hyp_stub_lock_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", hyp_stub_locked());
}

static ssize_t hyp_stub_lock_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	bool lock;
	int ret;

	ret = kstrtobool(buf, &lock);
	if (ret)
		return ret;
	if (!lock)
		return hyp_stub_locked() ? -EPERM : count;
	ret = hyp_stub_lock();
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(hyp_stub_lock);

static struct attribute *hyp_system_attrs[] = {
	&dev_attr_system_boot_mode.attr,
	&dev_attr_hyp_stub_lock.attr,
	NULL
};

static const struct attribute_group hyp_system_group = {
	.attrs = hyp_system_attrs,
};

/* Resume entered the boot CPU again, through the stub. */
static void hyp_resume(void)
{
	hyp_refresh();
}

/* Late in suspend and hibernation, after the notifiers: still nothing held. */
static int hyp_suspend(void)
{
	return hyp_held_cpus() ? -EBUSY : 0;
}

static struct syscore_ops hyp_syscore_ops = {
	.suspend = hyp_suspend,
	.resume = hyp_resume,
};

/*
 * Hibernation restarts the boot CPU through HVC_SOFT_RESTART, which a
 * hypervisor holding HYP would get instead of the stub, and the image
 * would not have it: refuse until HYP is handed back.
 */
static int hyp_pm_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	int held = hyp_held_cpus();

	if (action != PM_HIBERNATION_PREPARE || !held)
		return NOTIFY_DONE;
	pr_err("hibernation refused: a hypervisor holds HYP on %d CPU(s); hand it back first\n",
	       held);
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block hyp_pm_nb = {
	.notifier_call = hyp_pm_notify,
};

static int __init hyp_stub_sysfs_init(void)
{
	unsigned int cpu;
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "arm/hyp-stub:online",
					hyp_cpu_online, hyp_cpu_offline);
	if (ret < 0)
		return ret;
	/* A lock from the command line, where the boot CPU had no stub. */
	on_each_cpu(hyp_stub_lock_this_cpu, NULL, 1);
	register_syscore_ops(&hyp_syscore_ops);
	register_pm_notifier(&hyp_pm_nb);
	cpu_pm_register_notifier(&hyp_cpu_pm_nb);

	for_each_possible_cpu(cpu) {
		struct device *dev = get_cpu_device(cpu);

		if (dev) {
			ret = device_create_file(dev, &dev_attr_boot_mode);
			if (ret)
				return ret;
		}
	}
	return sysfs_create_group(&cpu_subsys.dev_root->kobj, &hyp_system_group);
}
device_initcall(hyp_stub_sysfs_init);
