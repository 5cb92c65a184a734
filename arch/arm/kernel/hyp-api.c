// SPDX-License-Identifier: GPL-2.0-only
/*
 * The calls a hypervisor uses to install itself in HYP mode through the
 * stub (hyp-stub.S) or a firmware HYP layer, and the lock: which CPUs a
 * hypervisor holds, and what the kernel refuses while it does (deep idle,
 * kexec, suspend, hibernation, going offline without handing HYP back).
 * hyp.c keeps the record of how each CPU entered, which this reads.
 *
 * See Documentation/arm/hyp-abi.rst.
 */

#define pr_fmt(fmt) "CPU: " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpu_pm.h>
#include <linux/cpuhotplug.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/pm_qos.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/suspend.h>
#include <linux/syscore_ops.h>
#include <linux/workqueue.h>
#include <asm/memory.h>
#include <asm/virt.h>

#include "hyp.h"

/* Locked by hyp_stub_lock() or its parameter; the stub holds the state. */
static bool hyp_locked;

/* Who holds HYP on a CPU that has the stub. */
enum hyp_holder {
	HYP_NOT_HELD,		/* its provider: ABI calls are safe */
	HYP_HELD_VIA_API,	/* a hypervisor installed by hyp_set_vectors() */
	HYP_HELD_BY_CLAIM,	/* a hypervisor that claimed it (hyp_claim_cpu()) */
};

/*
 * This CPU's state below is read and written on that CPU with interrupts
 * off: by the API, and by the hotplug callbacks, which run before the CPU
 * is in cpu_online_mask (hyp_api_cpu_starting()) or turn interrupts off
 * themselves. No install by IPI comes between a read and its write, and
 * __this_cpu_*() are enough. The one reader elsewhere, hyp_idle_sync(),
 * only reads the holder, once.
 */
static DEFINE_PER_CPU(u8, hyp_holder);

/*
 * Going offline: hyp_cpu_offline() has handed HYP back, and no hypervisor
 * may take it again until the CPU is back (hyp_api_cpu_starting()), or stays
 * (hyp_cpu_online()).
 */
static DEFINE_PER_CPU(bool, hyp_leaving);

/* How many CPUs a hypervisor holds (any holder but the stub). */
static atomic_t hyp_held = ATOMIC_INIT(0);

/*
 * A CPU a hypervisor holds must idle in its first state (WFI on ARM): the
 * deeper ones may power it down, and its resume would put the stub back
 * under the hypervisor (hyp_api_cpu_pm_notify() refuses them). Refusing alone
 * would leave a governor choosing them over and over; the kernel's way to
 * keep a CPU shallow is a resume-latency limit of 0 on its device, which
 * every governor reads (cpuidle_governor_latency_req()). The cpuidle
 * driver's and the user's state bits are theirs, and stay untouched.
 *
 * The limit changes under dev_pm_qos's mutex, and a CPU is taken and
 * handed back with interrupts off (often in an IPI): the change queues a
 * work item on the CPU, a high-priority kworker there, which updates a
 * request made at boot (hyp_idle_init(): nothing to allocate then). Until
 * it has run, the refusal alone keeps the CPU up, and a governor may pick
 * a deep state and be refused a few times. Without CONFIG_PM there is no
 * limit, and the refusal alone keeps the CPU up.
 */
struct hyp_idle {
	struct dev_pm_qos_request req;
	struct work_struct work;
	unsigned int cpu;
};

static DEFINE_PER_CPU(struct hyp_idle, hyp_idle);

/**
 * hyp_idle_sync() - a CPU's resume-latency limit follows its holder
 * @work: the CPU's work item
 *
 * A limit of 0 while a hypervisor holds the CPU, none otherwise. Reads
 * the holder when it runs: a change while it runs queues it again (a work
 * item never runs twice at once, so one CPU's updates are serialised).
 *
 * Context: process context (a kworker, bound to the CPU while it is
 * online); takes dev_pm_qos's mutex.
 */
static void hyp_idle_sync(struct work_struct *work)
{
	struct hyp_idle *idle = container_of(work, struct hyp_idle, work);
	bool held = READ_ONCE(*per_cpu_ptr(&hyp_holder, idle->cpu)) != HYP_NOT_HELD;

	if (dev_pm_qos_request_active(&idle->req))
		dev_pm_qos_update_request(&idle->req, held ? 0 :
					  PM_QOS_RESUME_LATENCY_NO_CONSTRAINT);
}

/**
 * hyp_idle_init() - every CPU's resume-latency request, with no limit yet
 *
 * Made once the CPU devices exist, before any hypervisor can take a CPU
 * (only a module or later code can); a CPU already held is brought in step.
 *
 * Context: subsys_initcall_sync, process context; takes dev_pm_qos's mutex.
 *
 * Return: 0.
 */
static int __init hyp_idle_init(void)
{
	struct hyp_idle *idle;
	struct device *dev;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		idle = per_cpu_ptr(&hyp_idle, cpu);
		dev = get_cpu_device(cpu);
		if (!dev || dev_pm_qos_add_request(dev, &idle->req, DEV_PM_QOS_RESUME_LATENCY,
						   PM_QOS_RESUME_LATENCY_NO_CONSTRAINT) < 0)
			pr_warn("CPU%u: no resume-latency request: held, it is only refused deep idle\n",
				cpu);
		else if (READ_ONCE(*per_cpu_ptr(&hyp_holder, cpu)) != HYP_NOT_HELD)
			queue_work_on(cpu, system_highpri_wq, &idle->work);
	}
	return 0;
}
subsys_initcall_sync(hyp_idle_init);

/*
 * This CPU's holder becomes @holder; keeps hyp_held and idle in step.
 * Context: on this CPU, interrupts off.
 */
static void hyp_set_holder(u8 holder)
{
	bool was_held = __this_cpu_read(hyp_holder) != HYP_NOT_HELD;
	bool held = holder != HYP_NOT_HELD;
	struct hyp_idle *idle = this_cpu_ptr(&hyp_idle);

	WRITE_ONCE(*this_cpu_ptr(&hyp_holder), holder);
	if (held == was_held)
		return;
	atomic_add(held ? 1 : -1, &hyp_held);
	queue_work_on(idle->cpu, system_highpri_wq, &idle->work);
}

/**
 * hyp_can_install() - whether a hypervisor may install itself now
 *
 * True when is_hyp_mode_available() is, and HYP is free: not locked, and
 * held by no hypervisor. A hypervisor then installs on each CPU with
 * hyp_set_vectors(), or claims it first with hyp_claim_cpu() if it issues
 * HVC_SET_VECTORS itself; those calls decide on each CPU, and may still
 * refuse (a CPU going offline, the lock engaged in between).
 *
 * Context: any; it reads two values, each on its own, and may be stale at
 * once: the calls above decide on each CPU.
 * Return: true if a hypervisor may install itself on every CPU now.
 */
bool notrace hyp_can_install(void)
{
	if (READ_ONCE(hyp_locked) || atomic_read(&hyp_held))
		return false;
	return is_hyp_mode_available();
}
EXPORT_SYMBOL_GPL(hyp_can_install);

/*
 * Whether HYP is locked, or a hypervisor holds a CPU: kexec and
 * hibernation then restart in SVC (hyp_soft_restart_in_hyp()). Takes no
 * lock. Context: any, a panic's restart included.
 */
bool notrace hyp_api_busy(void)
{
	return READ_ONCE(hyp_locked) || atomic_read(&hyp_held);
}

/*
 * kexec and hibernation restart through HVC_SOFT_RESTART, which a
 * hypervisor holding HYP would get instead of the stub, and the next
 * kernel or the image would not have it: they are refused, with one
 * message, while a hypervisor installed through hyp_set_vectors() or a
 * claim holds a CPU. 0 if none does, else -EBUSY.
 */
static int hyp_refuse_if_held(const char *what)
{
	int held = atomic_read(&hyp_held);

	if (!held)
		return 0;
	pr_err("%s refused: a hypervisor holds HYP on %d CPU(s); hand it back first\n",
	       what, held);
	return -EBUSY;
}

/*
 * Ordinary kexec images loaded, or being loaded, since their
 * hyp_kexec_prepare(), until machine_kexec_cleanup() frees them; the lock
 * and that count change under hyp_kexec_mutex, so a load and the lock
 * never both go ahead.
 */
static DEFINE_MUTEX(hyp_kexec_mutex);
static unsigned int hyp_kexec_images;

/*
 * Whether HYP is locked by the kernel's own stub: its lock word lives in
 * this kernel's memory, which a kexec'd kernel reuses.
 */
static bool hyp_stub_lock_is_the_kernels(void)
{
	return READ_ONCE(hyp_locked) && hyp_any_cpu_stub();
}

/**
 * hyp_kexec_prepare() - refuse a kexec image that HYP's state rules out
 * @crash: the image is a crash kernel (kexec -p)
 * @counted: set if the image is counted as loaded (ordinary, not refused);
 *	     hyp_kexec_cleanup() takes it when the image is freed
 *
 * An ordinary kexec starts the next kernel through HVC_SOFT_RESTART. It is
 * refused while a hypervisor holds a CPU, which would get that call. It
 * is refused while the stub is locked: the locked stub refuses the call,
 * the next kernel starts in SVC, and HVBAR still points into memory that
 * kernel reuses, where the stub it brings is unlocked, or anything else
 * lies. A lock kept by the firmware's layer outlives kexec: no refusal.
 *
 * A crash kernel always loads: it starts in SVC with no HVC
 * (hyp_soft_restart_in_hyp() is false while HYP is held or locked), in
 * memory reserved for it, so this kernel's stub, and its lock, stay where
 * HVBAR points.
 *
 * Context: process context, from machine_kexec_prepare(); takes
 * hyp_kexec_mutex.
 * Return: 0 if the image may load, else -EBUSY, with a message why.
 */
int hyp_kexec_prepare(bool crash, bool *counted)
{
	int ret;

	if (crash)
		return 0;
	mutex_lock(&hyp_kexec_mutex);
	if (hyp_stub_lock_is_the_kernels()) {
		pr_err("kexec refused: the HYP stub is locked, and the next kernel would find it unlocked\n");
		ret = -EBUSY;
	} else {
		ret = hyp_refuse_if_held("kexec");
	}
	if (!ret) {
		hyp_kexec_images++;
		*counted = true;
	}
	mutex_unlock(&hyp_kexec_mutex);
	return ret;
}

/**
 * hyp_kexec_cleanup() - a kexec image is freed
 * @counted: what hyp_kexec_prepare() set for it
 *
 * Context: process context, from machine_kexec_cleanup(); takes
 * hyp_kexec_mutex.
 */
void hyp_kexec_cleanup(bool counted)
{
	if (!counted)
		return;
	mutex_lock(&hyp_kexec_mutex);
	hyp_kexec_images--;
	mutex_unlock(&hyp_kexec_mutex);
}

/* Whether a hypervisor holds this CPU. Context: on this CPU, interrupts off. */
bool hyp_this_cpu_held(void)
{
	return __this_cpu_read(hyp_holder) != HYP_NOT_HELD;
}

/* Whether this CPU has HYP the kernel may call (hyp_cpu_provider()). */
static bool hyp_this_cpu_has_stub(void)
{
	return hyp_cpu_provider(smp_processor_id()) != HYP_PROVIDER_NONE;
}

/* 0 if this CPU's HYP answers the ABI, else why no call may go there. */
static int hyp_stub_here(void)
{
	if (!hyp_this_cpu_has_stub())
		return -ENODEV;
	if (__this_cpu_read(hyp_holder) != HYP_NOT_HELD)
		return -EBUSY;
	return 0;
}

/*
 * Whether what answers HVC on this CPU is a provider of this ABI (its UID
 * and major revision); if so, @info gets its state. Stops at the
 * first answer that is not ours: a hypervisor holding HYP gets one call.
 * Context: on this CPU, interrupts off, where HVC reaches a provider or a
 * hypervisor, never where it is undefined.
 */
bool hyp_provider_answers(struct hyp_stub_info *info)
{
	struct hyp_stub_res res;

	hyp_hvc(HVC_ABI_CALL_UID, 0, 0, 0, &res);
	if (res.a0 != HVC_ABI_UID_0 || res.a1 != HVC_ABI_UID_1 ||
	    res.a2 != HVC_ABI_UID_2 || res.a3 != HVC_ABI_UID_3)
		return false;
	hyp_hvc(HVC_ABI_REVISION, 0, 0, 0, &res);
	if (res.a0 != HVC_ABI_MAJOR)
		return false;
	info->version = res.a0 << 16 | (res.a1 & 0xffff);
	hyp_hvc(HVC_ABI_STATE, 0, 0, 0, &res);
	if (res.a0)
		return false;
	info->features = res.a1;
	info->state = res.a2;
	info->vectors = res.a3;
	return true;
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
 * Context: any that may disable preemption; the call goes to the CPU it
 * runs on.
 * Return: 0 once the HVC was issued (its result is in @res), -ENODEV if
 * this CPU has no HYP the kernel may call (hyp_cpu_provider()): there HVC
 * is undefined, or reaches HYP that is not the kernel's to call.
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

/*
 * Whether some CPU is over the layer: it answered at that CPU's last
 * entry. Context: any.
 */
static bool hyp_layer_on_some_cpu(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (hyp_cpu_provider(cpu) == HYP_PROVIDER_FIRMWARE)
			return true;
	return false;
}

/**
 * hyp_stub_vectors_phys() - where HVBAR goes back to on this CPU
 *
 * What a hypervisor's HVC_RESET_VECTORS handler writes back to HVBAR: the
 * stub's vector table.
 *
 * On a CPU over the firmware's layer, the layer's (which the layer
 * reports).
 *
 * Bit 0 set means they are Thumb code: the hypervisor sets HSCTLR.TE to
 * it and HVBAR to the rest. Call it on the CPU concerned.
 *
 * Context: any; the answer is for the CPU it runs on.
 * Return: the physical address, with bit 0 as above, or 0 when no CPU has
 * HYP the kernel may call.
 */
phys_addr_t hyp_stub_vectors_phys(void)
{
	bool any_stub = hyp_any_cpu_stub();

	if (hyp_layer_present() &&
	    (hyp_cpu_provider(raw_smp_processor_id()) == HYP_PROVIDER_FIRMWARE ||
	     (!any_stub && hyp_layer_on_some_cpu())))
		return hyp_layer_vectors;
	if (!any_stub)
		return 0;
	/*
	 * head.S set HVBAR at the address the kernel was entered at, the
	 * identity map's. After a physical address fix-up (Keystone with
	 * LPAE) __pa() gives another alias of the same memory.
	 */
	return (virt_to_idmap(__hyp_stub_vectors) & ~HVC_VECTORS_THUMB) |
	       (IS_ENABLED(CONFIG_THUMB2_KERNEL) ? HVC_VECTORS_THUMB : 0);
}
EXPORT_SYMBOL_GPL(hyp_stub_vectors_phys);

/*
 * A hypervisor takes this CPU: @holder says how. Installed through the
 * API, the stub is asked to install @vectors; a claim is just noted.
 * Context: on this CPU, preemption disabled; takes interrupts off.
 */
static noinline int hyp_take_cpu(u8 holder, unsigned long vectors)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = __this_cpu_read(hyp_leaving) ? -EAGAIN : hyp_stub_here();
	if (!ret && READ_ONCE(hyp_locked))
		ret = -EPERM;
	else if (!ret && holder == HYP_HELD_VIA_API &&
		 hyp_hvc(HVC_SET_VECTORS, vectors, 0, 0, NULL))
		ret = -EIO;
	if (!ret)
		hyp_set_holder(holder);
	local_irq_restore(flags);
	return ret;
}

/**
 * hyp_set_vectors() - install a hypervisor's vectors on this CPU
 * @vectors: physical address of the HYP vector table, 32-byte aligned,
 *	     plus HVC_VECTORS_THUMB if they are Thumb code
 *
 * HYP runs with its MMU off afterwards: the vectors and everything they
 * reach must be physically contiguous and cleaned to the point of
 * coherency. Call with preemption disabled (on_each_cpu() does).
 *
 * Context: preemption disabled (on_each_cpu() and smp_call_function*()
 * do it); takes interrupts off around the check and the call.
 * Return: 0 on success; -ENODEV if this CPU has no stub; -EINVAL if HVBAR
 * cannot hold @vectors, or @vectors is 0 (no vectors); -EBUSY if a
 * hypervisor holds this CPU (installed through this call, or claimed);
 * -EPERM if the stub is locked; -EAGAIN if this CPU is going offline
 * (it is back with the stub once online again); -EIO if the stub refused
 * anyway. Nothing changes unless it returns 0.
 */
int hyp_set_vectors(phys_addr_t vectors)
{
	if ((vectors & (HVC_VECTORS_ALIGN - 2)) || vectors < HVC_VECTORS_ALIGN ||
	    vectors > U32_MAX)
		return -EINVAL;
	return hyp_take_cpu(HYP_HELD_VIA_API, vectors);
}
EXPORT_SYMBOL_GPL(hyp_set_vectors);

/*
 * The stub's lock, engaged from SVC: its word is the kernel's, one for
 * every CPU, and the stub reads it from memory (HYP's MMU is off). So the
 * lock holds at once wherever HVBAR points at the stub, even when every
 * CPU is held or claimed and none can be sent HVC_ABI_LOCK: a claimed
 * CPU's own HVC_SET_VECTORS is refused, and a held CPU's stub is locked
 * when its hypervisor hands it back. Cleaned to memory for HYP; and so
 * whatever reads it through the caches (hibernation's snapshot of .data)
 * reads the lock too.
 */
static void hyp_stub_lock_word(void)
{
	WRITE_ONCE(__hyp_stub_state, HVC_ABI_STATE_LOCKED);
	sync_cache_w(&__hyp_stub_state);
}

/*
 * Engage the lock: the stub's word, then, from this CPU, the provider's
 * own call, if this CPU's HYP is free. Context: on this CPU (a cross-call,
 * an entry, a hand-back); takes interrupts off.
 */
static void hyp_stub_lock_this_cpu(void *unused)
{
	struct hyp_stub_res res;
	unsigned long flags;

	if (!READ_ONCE(hyp_locked))
		return;
	hyp_stub_lock_word();
	local_irq_save(flags);
	if (!hyp_this_cpu_has_stub() ||
	    __this_cpu_read(hyp_holder) != HYP_NOT_HELD) {
		local_irq_restore(flags);
		return;
	}
	hyp_hvc(HVC_ABI_LOCK, 0, 0, 0, &res);
	/* The layer keeps one lock for every CPU: this CPU took it. */
	if (IS_ENABLED(CONFIG_ARM_HYP_LAYER) && !res.a0 &&
	    hyp_cpu_provider(smp_processor_id()) == HYP_PROVIDER_FIRMWARE)
		WRITE_ONCE(hyp_layer_locked, true);
	local_irq_restore(flags);
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
 * -EBUSY there, and hyp_stub_lock() sends it no HVC_ABI_LOCK (the stub's
 * lock holds there all the same: its word is one for every CPU). Call
 * with preemption disabled.
 *
 * Context: preemption disabled (on_each_cpu() and smp_call_function*()
 * do it); takes interrupts off around the check and the call.
 * Return: 0 if this CPU is now reserved for the caller; -ENODEV if it has
 * no stub; -EBUSY if a hypervisor holds it already; -EPERM if the stub is
 * locked (it would refuse the install); -EAGAIN if this CPU is going
 * offline.
 */
int hyp_claim_cpu(void)
{
	return hyp_take_cpu(HYP_HELD_BY_CLAIM, 0);
}
EXPORT_SYMBOL_GPL(hyp_claim_cpu);

/*
 * Where this CPU's stub has its vectors, or 0 if its provider is not the
 * stub (a layer keeps its own state and gets no such call). Right after a
 * hand-back, HVC_SET_VECTORS there has the stub set up again what it and
 * the kernel rely on in HYP (HSCTLR.EE, no traps, no stage 2, VPIDR and
 * VMPIDR, the physical timer for PL1, CNTVOFF), should the hypervisor
 * have left any of it otherwise: a defence, not a licence (see
 * Documentation/arm/hyp-abi.rst).
 *
 * Context: on this CPU, interrupts off; before the hand-back, so that
 * nothing but hyp_hvc() runs between the two calls.
 */
static phys_addr_t hyp_stub_home(void)
{
	return hyp_cpu_provider(smp_processor_id()) == HYP_PROVIDER_STUB ?
	       hyp_stub_vectors_phys() : 0;
}

/**
 * hyp_release_cpu() - end a claim: HYP is back with the stub
 *
 * The hypervisor that claimed this CPU has written the stub's vectors
 * (hyp_stub_vectors_phys()) back to HVBAR. The kernel checks that the stub
 * answers (its UID), has it set the rest of HYP up again
 * (hyp_stub_home()), then sends this CPU stub calls again and
 * engages the lock here if hyp_stub_lock() was called meanwhile. A claim
 * outlives the CPU going offline and coming back; if it came back in SVC,
 * where no HVC may be issued, the claim just ends. Over the firmware's
 * layer a CPU that came back while claimed got no call then, and is
 * checked first, with the guarded call (hyp_layer_recheck_this_cpu()).
 * Call with preemption disabled.
 *
 * Context: preemption disabled (on_each_cpu() and smp_call_function*()
 * do it); takes interrupts off around the check and the call.
 * Return: 0 on success; -EINVAL if this CPU is not claimed; -EIO if what
 * answers is not the stub or the layer (the CPU stays claimed).
 */
int hyp_release_cpu(void)
{
	unsigned long flags;
	struct hyp_stub_info info;
	phys_addr_t home;
	int ret = 0;

	local_irq_save(flags);
	if (__this_cpu_read(hyp_holder) != HYP_HELD_BY_CLAIM) {
		ret = -EINVAL;
		goto out;
	}
	/* Over the layer: a CPU that came back while claimed was not checked. */
	if (hyp_layer_present() && hyp_layer_recheck_this_cpu()) {
		ret = -EIO;
		goto out;
	}
	if (!hyp_this_cpu_has_stub()) {
		hyp_set_holder(HYP_NOT_HELD);
	} else if (!hyp_provider_answers(&info)) {
		ret = -EIO;
	} else {
		home = hyp_stub_home();
		if (home)
			hyp_hvc(HVC_SET_VECTORS, home, 0, 0, NULL);
		hyp_set_holder(HYP_NOT_HELD);
		hyp_stub_lock_this_cpu(NULL);
	}
out:
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(hyp_release_cpu);

/**
 * hyp_reset_vectors() - hand HYP on this CPU back to the stub
 *
 * Issues HVC_RESET_VECTORS: a hypervisor installed with hyp_set_vectors()
 * must then restore the stub's vectors (hyp_stub_vectors_phys()) and the
 * HYP state Documentation/arm/hyp-abi.rst lists; the stub itself just
 * succeeds. Right after, the stub sets that state up again as a defence
 * (hyp_stub_home()). Allowed when the stub is locked. A claimed CPU is
 * handed back by its hypervisor, then hyp_release_cpu(). Call with
 * preemption disabled.
 *
 * Context: preemption disabled, or interrupts off (hyp_cpu_offline());
 * takes interrupts off around the check and the calls.
 * Return: 0 on success, -ENODEV if this CPU has no stub, -EBUSY if it is
 * claimed, -EIO if HYP refused.
 */
int hyp_reset_vectors(void)
{
	unsigned long flags;
	phys_addr_t home;
	int ret = -ENODEV;

	local_irq_save(flags);
	if (!hyp_this_cpu_has_stub()) {
		ret = -ENODEV;
	} else if (__this_cpu_read(hyp_holder) == HYP_HELD_BY_CLAIM) {
		ret = -EBUSY;
	} else {
		home = hyp_stub_home();
		ret = hyp_hvc(HVC_RESET_VECTORS, 0, 0, 0, NULL) ? -EIO : 0;
		if (!ret) {
			if (home)
				hyp_hvc(HVC_SET_VECTORS, home, 0, 0, NULL);
			hyp_set_holder(HYP_NOT_HELD);
			hyp_stub_lock_this_cpu(NULL);
		}
	}
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(hyp_reset_vectors);

/**
 * hyp_stub_discover() - ask this CPU's HYP provider what it offers
 * @info: filled in with the ABI revision, features, state and the
 *	  vectors HVBAR goes back to
 *
 * Uses the discovery calls (UID, revision, state): any other caller can
 * make them too.
 * HVC_ABI_FEAT_FIRMWARE in the features tells the layer from the
 * kernel's stub.
 *
 * Context: preemption disabled (on_each_cpu() and smp_call_function*()
 * do it); takes interrupts off around the check and the call.
 * Return: 0 on success, -ENODEV if this CPU has no provider, -EBUSY if a
 * hypervisor holds this CPU (installed through hyp_set_vectors(), or
 * claimed), -EIO if what answered is not of this ABI.
 */
int hyp_stub_discover(struct hyp_stub_info *info)
{
	unsigned long flags;
	bool ours = false;
	int ret;

	local_irq_save(flags);	/* no install (an IPI) between check and call */
	ret = hyp_stub_here();
	if (!ret)
		ours = hyp_provider_answers(info);
	local_irq_restore(flags);
	if (ret)
		return ret;
	return ours ? 0 : -EIO;
}
EXPORT_SYMBOL_GPL(hyp_stub_discover);

/**
 * hyp_stub_locked() - whether HVC_SET_VECTORS is refused until reboot
 *
 * Over the firmware's layer the lock is the layer's, which only a call
 * from a CPU over it engages: while hypervisors hold every such CPU, a
 * lock asked for waits for the first one handed back (hyp_can_install()
 * is false meanwhile, but a claimed CPU's own HVC_SET_VECTORS still
 * reaches the layer), and this says false until then.
 *
 * Context: any; reads two flags that only ever become true.
 * Return: true once the lock holds in HYP: hyp_stub_lock() or the
 * hyp_stub_lock parameter engaged it, and a layer, if there is one, has
 * it.
 */
bool hyp_stub_locked(void)
{
	if (!READ_ONCE(hyp_locked))
		return false;
	return !hyp_layer_present() || READ_ONCE(hyp_layer_locked);
}
EXPORT_SYMBOL_GPL(hyp_stub_locked);

/*
 * The layer came locked (an earlier kernel locked it): so is the kernel.
 * Any context: one store, of a lock that is never taken back.
 */
void hyp_stub_lock_adopt(void)
{
	WRITE_ONCE(hyp_locked, true);
}

/*
 * Whether the lock has been asked for; there is no taking it back.
 * Any context.
 */
bool hyp_stub_lock_asked(void)
{
	return READ_ONCE(hyp_locked);
}

/**
 * hyp_stub_lock() - refuse HVC_SET_VECTORS on every CPU until reboot
 *
 * The stub enforces it in HYP, for raw HVCs too, on every CPU at once:
 * the kernel writes the stub's lock word, which HYP reads, so a claimed
 * CPU is locked as well, and so are CPUs that come online later. A
 * hypervisor already installed keeps running and can still hand HYP
 * back; the kernel sends a CPU that a hypervisor holds no call, and the
 * stub it hands back to is locked. A firmware layer's lock is the
 * layer's, engaged by HVC_ABI_LOCK from a CPU over it: while none is free
 * to take it, the lock is pending (hyp_stub_locked() says false) until
 * one is handed back or comes online. After it hyp_can_install() is false
 * and hyp_claim_cpu() fails. There is no unlock. The stub's lock lives in
 * the kernel's memory: while it is engaged kexec is refused
 * (hyp_kexec_prepare()), and it is not engaged while a kexec image is
 * loaded, whose kernel would find HYP unlocked.
 *
 * Context: process context, may sleep (takes hyp_kexec_mutex, then
 * cross-calls every online CPU).
 * Return: 0 once the lock is asked for (engaged, or pending over a layer:
 * hyp_stub_locked() tells), -ENODEV if no CPU has HYP the kernel may
 * call, -EBUSY if a kexec image is loaded (kexec -u unloads it).
 */
int hyp_stub_lock(void)
{
	if (!hyp_stub_vectors_phys())
		return -ENODEV;
	mutex_lock(&hyp_kexec_mutex);
	if (hyp_kexec_images && hyp_any_cpu_stub()) {
		mutex_unlock(&hyp_kexec_mutex);
		pr_err("HYP lock refused: a kexec image is loaded, whose kernel would find HYP unlocked; unload it first\n");
		return -EBUSY;
	}
	/* The stub's word first: hyp_stub_locked() is never ahead of HYP. */
	hyp_stub_lock_word();
	WRITE_ONCE(hyp_locked, true);
	mutex_unlock(&hyp_kexec_mutex);
	on_each_cpu(hyp_stub_lock_this_cpu, NULL, 1);
	if (!hyp_stub_locked())
		pr_info("HYP lock pending: no CPU over the firmware's layer could take it; it locks when one is handed back or comes online\n");
	return 0;
}
EXPORT_SYMBOL_GPL(hyp_stub_lock);

static int __init hyp_stub_lock_param(char *arg)
{
	WRITE_ONCE(hyp_locked, true);
	return 0;
}
early_param("hyp_stub_lock", hyp_stub_lock_param);

/**
 * hyp_cpu_online() - a CPU that was going offline stays online
 * @cpu: the CPU, which runs this
 *
 * A later step of the offline failed, and the hotplug core rolls back: the
 * CPU never left, HYP is its provider's as hyp_cpu_offline() left it, and
 * hypervisors may take it again. A CPU that did come back went through
 * hyp_api_cpu_starting(), which cleared the flag already.
 *
 * Context: CPU hotplug ONLINE_DYN state, on @cpu, from its hotplug thread;
 * one store of a flag only this CPU reads.
 *
 * Return: 0.
 */
static int hyp_cpu_online(unsigned int cpu)
{
	__this_cpu_write(hyp_leaving, false);
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

/**
 * hyp_cpu_offline() - a CPU is going offline: HYP back to the stub
 * @cpu: the CPU, which runs this
 *
 * A hypervisor installed through hyp_set_vectors() is told with
 * HVC_RESET_VECTORS and hands HYP back first: where cpu_die() returns, the
 * CPU goes on without head.S, and HVBAR must then hold what the kernel
 * thinks it holds. If it refuses, the CPU stays online. A claimed CPU is
 * its hypervisor's business (Jailhouse takes CPUs offline for its cells and
 * handles their PSCI calls itself). From here until the CPU is back, or
 * the offline is rolled back, no hypervisor may take it (-EAGAIN).
 *
 * Context: CPU hotplug ONLINE_DYN state, on @cpu, from its hotplug thread;
 * takes interrupts off, since the CPU is still in cpu_online_mask and an
 * install by IPI could otherwise come between the check and the refusal.
 *
 * Return: 0, or -EBUSY if the hypervisor did not hand HYP back.
 */
static int hyp_cpu_offline(unsigned int cpu)
{
	unsigned long flags;
	bool kexec;
	u8 holder;
	int ret = 0;

	local_irq_save(flags);
	holder = __this_cpu_read(hyp_holder);
	if (holder == HYP_HELD_VIA_API)
		ret = hyp_reset_vectors();
	if (!ret)
		__this_cpu_write(hyp_leaving, true);
	local_irq_restore(flags);
	if (ret) {
		/*
		 * kexec takes the secondaries down and stops at BUG_ON() if
		 * one stays: let it go, still counted as held (the restart is
		 * in SVC).
		 */
		kexec = hyp_kexec_in_progress();
		pr_warn("CPU%u: its hypervisor did not hand HYP back (%d)%s\n",
			cpu, ret, kexec ? "" : ": staying online");
		return kexec ? 0 : -EBUSY;
	}
	return 0;
}

/*
 * Late in suspend and hibernation, after the notifiers: still nothing
 * held. Context: syscore suspend, the boot CPU alone, interrupts off.
 */
static int hyp_api_suspend(void)
{
	return atomic_read(&hyp_held) ? -EBUSY : 0;
}

/*
 * Hibernation restarts the boot CPU through HVC_SOFT_RESTART. Suspend to
 * idle takes each CPU's deepest idle state, past the latency limit, and
 * never reaches hyp_api_suspend(): refused at the start, as suspend to RAM is.
 */
static int hyp_pm_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	if (action == PM_HIBERNATION_PREPARE)
		return notifier_from_errno(hyp_refuse_if_held("hibernation"));
	if (action == PM_SUSPEND_PREPARE)
		return notifier_from_errno(hyp_refuse_if_held("suspend"));
	return NOTIFY_DONE;
}

static struct notifier_block hyp_pm_nb = {
	.notifier_call = hyp_pm_notify,
};

/*
 * A power-down idle state resumes through cpu_resume, which puts the stub
 * back in HVBAR: a CPU a hypervisor holds must not enter one, or the
 * kernel would think the hypervisor still there. Governors keep off them
 * while a hypervisor holds the CPU (hyp_idle_sync()); this refusal is
 * the guarantee, for any other way into CPU_PM_ENTER.
 *
 * Context: CPU PM notifier, on the CPU that idles, interrupts off.
 */
static int hyp_api_cpu_pm_notify(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	if (action == CPU_PM_ENTER &&
	    __this_cpu_read(hyp_holder) != HYP_NOT_HELD)
		return notifier_from_errno(-EBUSY);
	return NOTIFY_OK;
}

static struct notifier_block hyp_api_cpu_pm_nb = {
	.notifier_call = hyp_api_cpu_pm_notify,
};

static struct syscore_ops hyp_api_syscore_ops = {
	.suspend = hyp_api_suspend,
};

/**
 * hyp_api_cpu_starting() - a CPU entered the kernel through head.S
 *
 * Its HYP is the stub again (or, entered in SVC, the firmware's layer), so
 * no hypervisor installed through the API holds it; a claim is still in
 * force, and only its hypervisor ends it (hyp_release_cpu()). It is no
 * longer leaving.
 *
 * Context: hyp_cpu_starting(), on this CPU with interrupts off, before it
 * is in cpu_online_mask.
 */
void hyp_api_cpu_starting(void)
{
	if (__this_cpu_read(hyp_holder) != HYP_HELD_BY_CLAIM)
		hyp_set_holder(HYP_NOT_HELD);
	__this_cpu_write(hyp_leaving, false);
}

/*
 * This CPU entered the kernel again and its record was read: the lock is
 * engaged here again if it was asked for. Context: on this CPU, interrupts
 * off (head.S's entry, or the system's resume).
 */
void hyp_api_cpu_entered(void)
{
	hyp_stub_lock_this_cpu(NULL);
}

static int __init hyp_api_init(void)
{
	struct hyp_idle *idle;
	unsigned int cpu;
	int ret;

	/* Before any hypervisor can take a CPU: only the API does. */
	for_each_possible_cpu(cpu) {
		idle = per_cpu_ptr(&hyp_idle, cpu);
		idle->cpu = cpu;
		INIT_WORK(&idle->work, hyp_idle_sync);
	}

	hyp_stub_lock_this_cpu(NULL);
	register_syscore_ops(&hyp_api_syscore_ops);
	register_pm_notifier(&hyp_pm_nb);
	cpu_pm_register_notifier(&hyp_api_cpu_pm_nb);
	/*
	 * Before smp_init() brings the secondaries up. Each is taken in hand
	 * as it starts (hyp_cpu_starting()), before anything can send it a
	 * call, and hands HYP back while still online, where a hypervisor
	 * that will not hand back can keep it online.
	 */
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "arm/hyp-stub:online",
					hyp_cpu_online, hyp_cpu_offline);
	return ret < 0 ? ret : 0;
}
early_initcall(hyp_api_init);
