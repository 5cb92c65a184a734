// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel side of the HYP stub (hyp-stub.S): the mode each CPU last
 * entered the kernel in, and the boot report.
 *
 * hyp-api.c has the calls a hypervisor uses to install itself in HYP mode,
 * and the lock; hyp-layer.c finds a HYP layer that firmware keeps
 * resident when it enters the kernel in SVC, and checks it on each CPU;
 * hyp-sysfs.c shows all of it in sysfs.
 *
 * See Documentation/arm/hyp-abi.rst.
 */

#define pr_fmt(fmt) "CPU: " fmt

#include <linux/cpu_pm.h>
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/syscore_ops.h>
#include <asm/smp_plat.h>
#include <asm/virt.h>

#include "hyp.h"

/* Filled in by hyp-stub.S, indexed by logical CPU; 0: never entered. */
extern u32 __hyp_cpu_mode[NR_CPUS];

/*
 * What the per-CPU records said when they were last read (hyp_refresh():
 * at boot, when a CPU comes online, comes back from a power-down or the
 * system resumes), so that the predicates below need no cache
 * maintenance. Written under hyp_refresh_lock, each read on its own
 * without it.
 */
static DEFINE_RAW_SPINLOCK(hyp_refresh_lock);
static int hyp_seen_mode[NR_CPUS];	/* each CPU's record, as read then */
static bool hyp_mixed;		/* CPUs that entered disagree */
static bool hyp_any_stub;	/* some CPU last entered in HYP */
static bool hyp_all_abi;	/* every CPU that entered has HYP to call */
static int hyp_common_mode;	/* their mode if they agree, else 0 */
static bool hyp_refreshed;	/* the values above have been read once */

/*
 * CPUs that last entered the kernel without being recorded: their MPIDR
 * is not in the logical map (a device tree that lies), so the stub found
 * no slot. Their mode is unknown, and the kernel calls no HYP there.
 */
static struct cpumask hyp_unrecorded;

/* The boot report is out: later CPUs report themselves as they arrive. */
static bool hyp_reported;

/* The modes' names, from USR_MODE up: a mode is 0x10 to 0x1f. */
static const char hyp_mode_names[][4] = {
	[USR_MODE - USR_MODE]	= "usr",
	[FIQ_MODE - USR_MODE]	= "fiq",
	[IRQ_MODE - USR_MODE]	= "irq",
	[SVC_MODE - USR_MODE]	= "svc",
	[MON_MODE - USR_MODE]	= "mon",
	[ABT_MODE - USR_MODE]	= "abt",
	[HYP_MODE - USR_MODE]	= "hyp",
	[UND_MODE - USR_MODE]	= "und",
	[SYSTEM_MODE - USR_MODE] = "sys",
};

noinline const char *hyp_mode_name(int mode)
{
	unsigned int i = mode - USR_MODE;

	if (mode <= 0)
		return "unknown";
	if (i >= ARRAY_SIZE(hyp_mode_names) || !hyp_mode_names[i][0])
		return "invalid";
	return hyp_mode_names[i];
}

/**
 * hyp_cpu_last_entry_mode() - the mode a CPU last entered the kernel in
 * @cpu: logical CPU number
 *
 * A CPU is recorded each time it enters: at boot, when it comes back
 * online, and on resume. Not inlined: this file asks it everywhere, and
 * one copy of its cache maintenance is enough.
 *
 * Context: any; reads @cpu's record from memory, where it is written with
 * the MMU off.
 * Return: the CPSR mode bits (HYP_MODE, SVC_MODE, ...), 0 if @cpu has not
 * entered the kernel, -EINVAL if @cpu is not a possible CPU.
 */
noinline int hyp_cpu_last_entry_mode(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	sync_cache_r(&__hyp_cpu_mode[cpu]);
	return READ_ONCE(__hyp_cpu_mode[cpu]) & MODE_MASK;
}
EXPORT_SYMBOL_GPL(hyp_cpu_last_entry_mode);

/**
 * hyp_cpu_provider() - where a CPU's HYP comes from
 * @cpu: logical CPU number
 *
 * As of @cpu's last entry. Not inlined, like hyp_cpu_last_entry_mode().
 *
 * Context: any.
 * Return: HYP_PROVIDER_STUB if @cpu entered in HYP (the kernel's stub),
 * HYP_PROVIDER_FIRMWARE if it entered in SVC and the firmware's HYP
 * layer answered there,
 * HYP_PROVIDER_NONE otherwise (no HVC may be issued there), -EINVAL if
 * @cpu is not a possible CPU.
 */
noinline int hyp_cpu_provider(unsigned int cpu)
{
	int mode = hyp_cpu_last_entry_mode(cpu);

	if (mode < 0)
		return mode;
	if (mode == HYP_MODE)
		return HYP_PROVIDER_STUB;
	if (mode == SVC_MODE && hyp_layer_on_cpu(cpu))
		return HYP_PROVIDER_FIRMWARE;
	return HYP_PROVIDER_NONE;
}
EXPORT_SYMBOL_GPL(hyp_cpu_provider);

/*
 * Re-read every CPU's record: at boot, when a CPU comes online, comes
 * back from a power-down, and on resume, the places where records change.
 * A CPU that never entered the kernel (maxcpus=, not yet onlined) has no
 * say; one that entered unrecorded makes the CPUs disagree and HYP
 * unavailable. Takes hyp_refresh_lock: never on the restart path, which a
 * panic may take while another CPU holds it (hyp_soft_restart_in_hyp()).
 * Context: any but NMI; takes hyp_refresh_lock, interrupts off.
 */
void hyp_refresh(void)
{
	unsigned int cpu, self = raw_smp_processor_id();
	bool mixed = false, all_abi = true;
	bool any_hyp = false;
	unsigned long flags;
	int mode, first = 0;

	raw_spin_lock_irqsave(&hyp_refresh_lock, flags);
	/*
	 * The CPU that runs this has entered the kernel (it may not be
	 * online yet): without a record, it entered unrecorded. Any CPU
	 * will do: each judges its own record, which only it changes.
	 */
	if (hyp_cpu_last_entry_mode(self) <= 0)
		cpumask_set_cpu(self, &hyp_unrecorded);
	else
		cpumask_clear_cpu(self, &hyp_unrecorded);
	for_each_possible_cpu(cpu) {
		mode = hyp_cpu_last_entry_mode(cpu);
		WRITE_ONCE(hyp_seen_mode[cpu], mode);
		if (mode <= 0) {
			/* Its mode is unknown: neither agreeing nor callable. */
			if (cpumask_test_cpu(cpu, &hyp_unrecorded)) {
				mixed = true;
				all_abi = false;
			}
			continue;
		}
		if (!first)
			first = mode;
		else if (mode != first)
			mixed = true;
		if (mode == HYP_MODE)
			any_hyp = true;
		if (hyp_cpu_provider(cpu) == HYP_PROVIDER_NONE)
			all_abi = false;
	}
	WRITE_ONCE(hyp_mixed, mixed);
	WRITE_ONCE(hyp_any_stub, any_hyp);
	WRITE_ONCE(hyp_all_abi, first && all_abi);
	WRITE_ONCE(hyp_common_mode, mixed ? 0 : first);
	WRITE_ONCE(hyp_refreshed, true);
	raw_spin_unlock_irqrestore(&hyp_refresh_lock, flags);
}

/*
 * A CPU came back from a power-down (CPU_PM_EXIT): through cpu_resume, in
 * whatever mode the firmware chose, over the layer only if the firmware
 * put it back (checked: hyp_layer_pm_exit_this_cpu()). Read the records
 * again if its own changed, or the layer's answer. Interrupts off, on
 * that CPU.
 */
static void hyp_cpu_pm_exit(unsigned int cpu)
{
	/* Racy on purpose: at worst one refresh more, or one another CPU runs. */
	bool moved = hyp_cpu_last_entry_mode(cpu) != READ_ONCE(hyp_seen_mode[cpu]);

	if (hyp_layer_pm_exit_this_cpu(moved) || moved)
		hyp_refresh();
}

/*
 * Until the first refresh, read the records on demand: only the boot CPU
 * has entered then, and the caches are on.
 */
static void notrace hyp_records_read(void)
{
	if (unlikely(!READ_ONCE(hyp_refreshed)))
		hyp_refresh();
}

/**
 * is_hyp_mode_available() - whether every CPU has HYP the kernel may call
 *
 * True when every CPU that has entered the kernel has HYP the kernel may
 * call: it last entered in HYP mode, and so has the stub. A CPU that
 * entered in SVC once and in HYP since counts as HYP.
 *
 * So does a CPU that entered in SVC over the firmware's HYP layer; the
 * GIC and timer drivers, which ask at boot, ask once the layer has been
 * checked (hyp_layer_init()).
 *
 * That is upstream's meaning, extended to the layer, and the GIC and timer
 * drivers rely on it: neither the lock nor a hypervisor holding HYP
 * changes it, so they set the kernel up the same way with or without
 * either. Whether a hypervisor may install now is hyp_can_install().
 *
 * Context: any; reads the summaries (the records themselves, until they
 * are first read).
 * Return: true if every CPU that has entered has HYP the kernel may call.
 */
bool notrace is_hyp_mode_available(void)
{
	hyp_records_read();
	return READ_ONCE(hyp_all_abi);
}
EXPORT_SYMBOL_GPL(is_hyp_mode_available);

/*
 * Whether every CPU that has entered the kernel has HYP to call, from the
 * records themselves: no lock, and no summary written.
 */
static bool notrace hyp_records_all_abi(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (hyp_cpu_last_entry_mode(cpu) > 0 &&
		    hyp_cpu_provider(cpu) == HYP_PROVIDER_NONE)
			return false;
	return true;
}

/**
 * hyp_soft_restart_in_hyp() - whether kexec and hibernation restart in HYP
 *
 * They restart the way the kernel was entered: through the stub's
 * HVC_SOFT_RESTART when this CPU has the stub now, every CPU has HYP and
 * HYP is free (hyp_api_busy()), in SVC otherwise. It reads the records
 * themselves, not the summaries: a CPU may have come back from a
 * power-down in another mode than it booted in. It takes no lock, since a
 * panic's kexec may ask while another CPU, stopped or wedged, holds one.
 *
 * Over the firmware's layer that is SVC, so that the next kernel (or the
 * resumed image) is entered as this one was and finds the layer again.
 *
 * Context: interrupts off, caches on, on the CPU that restarts:
 * _soft_restart(), or hibernation's restore before it copies the image
 * back (swsusp_arch_resume()).
 * Return: true to restart in HYP.
 */
bool notrace hyp_soft_restart_in_hyp(void)
{
	if (hyp_layer_present() || hyp_api_busy())
		return false;
	if (hyp_cpu_provider(smp_processor_id()) != HYP_PROVIDER_STUB)
		return false;
	return hyp_records_all_abi();
}

/**
 * is_hyp_mode_mismatched() - whether CPUs entered the kernel in different modes
 *
 * Context: any.
 * Return: true while the CPUs that have entered the kernel last entered it
 * in different modes; hyp_cpu_last_entry_mode() tells which.
 */
bool is_hyp_mode_mismatched(void)
{
	hyp_records_read();
	return READ_ONCE(hyp_mixed);
}
EXPORT_SYMBOL_GPL(is_hyp_mode_mismatched);

/*
 * The lock is the install API's: a kernel without it says so rather than
 * leave HYP open without a word. Context: early boot, the boot CPU alone.
 */
#ifndef CONFIG_ARM_HYP_API
static int __init hyp_stub_lock_param(char *arg)
{
	pr_err("hyp_stub_lock ignored: this kernel has no ARM_HYP_API, and HYP stays open\n");
	return 0;
}
early_param("hyp_stub_lock", hyp_stub_lock_param);
#endif

/*
 * Whether some CPU last entered in HYP, and so has the kernel's stub.
 * Context: any; reads the summaries.
 */
bool hyp_any_cpu_stub(void)
{
	hyp_records_read();
	return READ_ONCE(hyp_any_stub);
}

/*
 * The system's entry mode as sysfs words it: the mode every CPU that has
 * entered last entered in, or "mixed". Context: any; reads the summaries.
 */
const char *hyp_system_mode_name(void)
{
	hyp_records_read();
	if (READ_ONCE(hyp_mixed))
		return "mixed";
	return hyp_mode_name(READ_ONCE(hyp_common_mode));
}

/* Say how this CPU entered if it disagrees with the boot CPU. */
static void hyp_report_cpu(unsigned int cpu)
{
	int primary = __boot_cpu_mode & MODE_MASK;
	int mode = hyp_cpu_last_entry_mode(cpu);

	if (mode <= 0)
		pr_warn("CPU%u entered unrecorded (its MPIDR is not in the logical map): the kernel calls no HYP there\n",
			cpu);
	else if (mode != primary)
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

	/*
	 * hyp_refresh() reads each record after invalidating its line:
	 * __boot_cpu_mode shares the first record's (hyp-stub.S).
	 */
	hyp_refresh();
	if (READ_ONCE(hyp_common_mode) == HYP_MODE) {
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

/*
 * This CPU entered the kernel again: its record is read again, the layer
 * checked again, and the lock engaged again where it was. Context: on this
 * CPU, interrupts off.
 */
static void hyp_cpu_entered(void)
{
	hyp_layer_check_this_cpu();
	hyp_refresh();
	hyp_api_cpu_entered();
}

/*
 * The system resumed, on the boot CPU. A layer powered off with the
 * machine comes back unlocked: what it has is asked again. Context:
 * syscore resume, the boot CPU alone, interrupts off.
 */
static void hyp_resume(void)
{
	if (IS_ENABLED(CONFIG_ARM_HYP_LAYER))
		WRITE_ONCE(hyp_layer_locked, false);
	hyp_cpu_entered();
}

/**
 * hyp_cpu_starting() - a CPU entered the kernel through head.S
 * @cpu: the CPU, which runs this
 *
 * Its HYP is the stub again (or, entered in SVC, the firmware's layer):
 * the API hears it first (hyp_api_cpu_starting()). Its record is read,
 * the layer checked (if no hypervisor claimed the CPU: then when the claim
 * ends) and the lock engaged before any hypervisor can reach it.
 *
 * Context: secondary_start_kernel(), on @cpu with interrupts off, after
 * the STARTING hotplug callbacks and before the CPU is in cpu_online_mask:
 * no cross-call, so no install, reaches it.
 */
void hyp_cpu_starting(unsigned int cpu)
{
	hyp_api_cpu_starting();
	sync_boot_mode();
	hyp_cpu_entered();
	if (hyp_reported)
		hyp_report_cpu(cpu);
}

/*
 * A CPU came back from a power-down (CPU_PM_EXIT): read the records again
 * if its own changed. Context: on that CPU, interrupts off.
 */
static int hyp_cpu_pm_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (action == CPU_PM_EXIT)
		hyp_cpu_pm_exit(smp_processor_id());
	return NOTIFY_OK;
}

static struct notifier_block hyp_cpu_pm_nb = {
	.notifier_call = hyp_cpu_pm_notify,
};

static struct syscore_ops hyp_syscore_ops = {
	.resume = hyp_resume,
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
	register_syscore_ops(&hyp_syscore_ops);
	cpu_pm_register_notifier(&hyp_cpu_pm_nb);
	return 0;
}
early_initcall(hyp_stub_early_init);
