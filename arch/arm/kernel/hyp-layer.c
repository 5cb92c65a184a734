// SPDX-License-Identifier: GPL-2.0-only
/*
 * The firmware's HYP layer: scenario 2 of the HYP stub's ABI, where
 * firmware enters the kernel in SVC and keeps a HYP layer of its own that
 * answers the stub's calls. Found through the device tree, trusted once
 * the boot CPU has checked that it answers, and checked again on each CPU
 * that enters over it; hyp-api.c then sends it the same calls as the stub.
 *
 * See Documentation/arm/hyp-abi.rst and
 * Documentation/devicetree/bindings/firmware/linux,arm-hyp-layer.yaml.
 */

#define pr_fmt(fmt) "CPU: " fmt

#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/ioport.h>
#include <linux/memblock.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/opcodes-virt.h>
#include <asm/traps.h>
#include <asm/virt.h>

#include "hyp.h"

/*
 * The layer's state: found by the boot CPU (hyp_layer_probe()), then, for
 * each CPU, whether it answered at that CPU's last entry.
 */
bool hyp_layer_found __ro_after_init;
bool hyp_layer_locked;
phys_addr_t hyp_layer_vectors __ro_after_init;
DEFINE_PER_CPU(bool, hyp_layer_here);

/*
 * A CPU that entered in SVC while a hypervisor held it: it got no call
 * then, so it is over no layer the kernel knows of until the claim ends
 * (hyp_layer_recheck_this_cpu()).
 */
static DEFINE_PER_CPU(bool, hyp_layer_unchecked);

/*
 * The first HVC on a CPU entered in SVC goes where the device tree says a
 * layer is. If there is none, HVC may be UNDEFINED (SCR.HCE clear): this
 * hook, on while the CPU probes, turns that into a failed call. It runs
 * from the undefined-instruction exception, on the CPU that probes, with
 * interrupts off (hyp_layer_answers()).
 */
enum { HYP_PROBE_OFF, HYP_PROBE_ON, HYP_PROBE_UNDEFINED };
static DEFINE_PER_CPU(u8, hyp_hvc_probe);

static int hyp_hvc_undef(struct pt_regs *regs, u32 instr)
{
	if (__this_cpu_read(hyp_hvc_probe) != HYP_PROBE_ON)
		return 1;
	__this_cpu_write(hyp_hvc_probe, HYP_PROBE_UNDEFINED);
	regs->ARM_r0 = SMCCC_RET_NOT_SUPPORTED;
	regs->ARM_pc += 4;			/* HVC is 32-bit in both sets */
	return 0;
}

static struct undef_hook hyp_hvc_hook = {
#ifdef CONFIG_THUMB2_KERNEL
	.instr_mask	= 0xfff0f000,		/* HVC (T1), any immediate */
	.instr_val	= 0xf7e08000,
	.cpsr_mask	= MODE_MASK | PSR_T_BIT,
	.cpsr_val	= SVC_MODE | PSR_T_BIT,
#else
	.instr_mask	= 0xfff000f0,		/* HVC (A1), any immediate */
	.instr_val	= 0xe1400070,
	.cpsr_mask	= MODE_MASK | PSR_T_BIT,
	.cpsr_val	= SVC_MODE,
#endif
	.fn		= hyp_hvc_undef,
};

/*
 * Where the device tree says the layer lives (the node's memory-region),
 * once hyp_layer_memory() has checked it.
 */
static struct resource hyp_layer_mem __ro_after_init;

/*
 * Whether the layer's vector table at @vectors lies in its memory.
 * Any context: the memory is known before any CPU asks.
 */
static bool hyp_layer_in_memory(phys_addr_t vectors)
{
	phys_addr_t start = vectors & ~(phys_addr_t)HVC_VECTORS_THUMB;

	return start >= hyp_layer_mem.start &&
	       start + HVC_VECTORS_ALIGN - 1 <= hyp_layer_mem.end;
}

/*
 * Whether the firmware's layer answers on this CPU, which entered in SVC,
 * with vectors HVBAR can hold, in the memory the device tree gives it, and
 * @vectors if not 0 (the boot CPU's). If so, the CPU is over the layer,
 * takes in its lock, and @info gets its state. -ENODEV: HVC is undefined
 * here; -EIO: what answers is not a layer of this ABI; -EINVAL: a layer
 * of this ABI, but with vectors HVBAR cannot hold, or not the boot CPU's;
 * -ERANGE: its vectors lie outside its memory.
 *
 * Context: on the CPU concerned, interrupts off (no install, an IPI, comes
 * between the checks and the calls); writes only this CPU's state, and
 * the lock, which is never taken back.
 */
static int hyp_layer_answers(struct hyp_stub_info *info, phys_addr_t vectors)
{
	struct hyp_stub_res res;
	bool undefined;

	__this_cpu_write(hyp_hvc_probe, HYP_PROBE_ON);
	hyp_hvc(ARM_SMCCC_VERSION_FUNC_ID, 0, 0, 0, &res);
	undefined = __this_cpu_read(hyp_hvc_probe) == HYP_PROBE_UNDEFINED;
	__this_cpu_write(hyp_hvc_probe, HYP_PROBE_OFF);
	if (undefined)
		return -ENODEV;
	if ((res.a0 & BIT(31)) || res.a0 < ARM_SMCCC_VERSION_1_1 ||
	    !hyp_provider_answers(info) ||
	    !(info->features & HVC_ABI_FEAT_FIRMWARE))
		return -EIO;
	if ((info->vectors & (HVC_VECTORS_ALIGN - 2)) ||
	    !(info->vectors & ~HVC_VECTORS_THUMB) ||
	    (vectors && info->vectors != vectors))
		return -EINVAL;
	if (!hyp_layer_in_memory(info->vectors))
		return -ERANGE;
	WRITE_ONCE(*this_cpu_ptr(&hyp_layer_here), true);
	/* Only ever set here: hyp_resume() clears it when the layer may be new. */
	if (info->state & HVC_ABI_STATE_LOCKED) {
		hyp_stub_lock_adopt();
		WRITE_ONCE(hyp_layer_locked, true);
	}
	return 0;
}

/* What the check of this CPU found, if not the layer. */
static void hyp_layer_not_here(unsigned int cpu, int ret)
{
	pr_warn("CPU%u: the HYP layer does not answer here (%d): no HYP on this CPU\n",
		cpu, ret);
}

/*
 * A CPU has just entered: if it entered in SVC and the boot CPU found the
 * layer, check it is here too. A CPU a hypervisor holds gets no call: it
 * is over no layer the kernel knows of until its claim ends, and is
 * checked then (hyp_layer_recheck_this_cpu()). The check and the calls
 * run with interrupts off, so that no install (an IPI) comes between
 * them. A CPU over the layer stays so for other CPUs' readers until the
 * answer says otherwise: a check that confirms it changes nothing they
 * read.
 *
 * Context: on the CPU that entered, before it is in cpu_online_mask
 * (hyp_cpu_starting()), the boot CPU on resume, or a CPU back from a
 * power-down (hyp_layer_pm_exit_this_cpu()); takes interrupts off.
 */
void hyp_layer_check_this_cpu(void)
{
	unsigned int cpu = smp_processor_id();
	struct hyp_stub_info info;
	unsigned long flags;
	int ret;

	if (!READ_ONCE(hyp_layer_found))
		return;
	local_irq_save(flags);
	if (hyp_this_cpu_held()) {
		WRITE_ONCE(*this_cpu_ptr(&hyp_layer_here), false);
		__this_cpu_write(hyp_layer_unchecked,
				 hyp_cpu_last_entry_mode(cpu) == SVC_MODE);
		goto out;
	}
	__this_cpu_write(hyp_layer_unchecked, false);
	ret = -EPERM;
	if (hyp_cpu_last_entry_mode(cpu) == SVC_MODE) {
		ret = hyp_layer_answers(&info, hyp_layer_vectors);
		if (ret)
			hyp_layer_not_here(cpu, ret);
	}
	if (ret)
		WRITE_ONCE(*this_cpu_ptr(&hyp_layer_here), false);
out:
	local_irq_restore(flags);
}

/*
 * A claimed CPU is handed back. If it entered in SVC while claimed, it got
 * no call then: check it now, with the guarded call, before any other goes
 * there (the layer it had before may be gone, and HVC undefined). A CPU
 * that did not enter meanwhile keeps what its last check found, and gets
 * no call here.
 *
 * Context: hyp_release_cpu(), on this CPU with interrupts off, its claim
 * still in force (no install comes in between).
 * Return: 0 once the kernel knows whether the layer is here (it answers;
 * or HVC is undefined, or another layer answers: then the CPU is over
 * none, with a warning); -EIO if what answers is not a layer of this ABI
 * (the hypervisor has not handed HYP back), and the CPU stays unchecked.
 */
int hyp_layer_recheck_this_cpu(void)
{
	unsigned int cpu = smp_processor_id();
	struct hyp_stub_info info;
	int ret;

	if (!__this_cpu_read(hyp_layer_unchecked))
		return 0;
	ret = hyp_layer_answers(&info, hyp_layer_vectors);
	if (ret == -EIO)
		return ret;
	__this_cpu_write(hyp_layer_unchecked, false);
	if (ret)
		hyp_layer_not_here(cpu, ret);
	hyp_refresh();
	return 0;
}

/*
 * This CPU came back from a power-down (CPU_PM_EXIT), through cpu_resume.
 * In another mode than before (@moved) it is checked as at any entry. In
 * SVC over the layer again, the firmware was to put the layer back: that
 * is checked too, with the guarded call, before anything else is sent
 * there (a firmware that lost it would leave HVC undefined, or HVBAR
 * anywhere). A CPU over no layer before, in the same mode, gets no call;
 * nor does one a hypervisor holds, in the same mode: it should not have
 * powered down (hyp-api.c refuses CPU_PM_ENTER there), but some idle
 * drivers go ahead anyway, and it keeps what it had, so that its
 * hypervisor can still hand back. The check costs a CPU over the layer
 * four HVCs at each such exit.
 *
 * Context: the CPU PM notifier, on this CPU with interrupts off.
 * Return: whether the layer's answer here changed (the records then need
 * reading again).
 */
bool hyp_layer_pm_exit_this_cpu(bool moved)
{
	bool here = __this_cpu_read(hyp_layer_here);

	if (!READ_ONCE(hyp_layer_found) ||
	    (!moved && (!here || hyp_this_cpu_held())))
		return false;
	hyp_layer_check_this_cpu();
	return __this_cpu_read(hyp_layer_here) != here;
}

/*
 * The layer's memory, from the node's memory-region: a reserved-memory
 * node marked no-map, which the kernel has indeed left out of its linear
 * map (memory it maps may be handed out, and the layer overwritten).
 *
 * Context: early boot, the boot CPU alone (init_IRQ()), memblock still
 * there.
 */
static int __init hyp_layer_memory(struct device_node *np)
{
	struct device_node *mem;
	int ret = -EINVAL;

	mem = of_parse_phandle(np, "memory-region", 0);
	if (!mem)
		return -EINVAL;
	if (of_property_read_bool(mem, "no-map") &&
	    !of_address_to_resource(mem, 0, &hyp_layer_mem) &&
	    !memblock_is_map_memory(hyp_layer_mem.start) &&
	    !memblock_is_map_memory(hyp_layer_mem.end))
		ret = 0;
	of_node_put(mem);
	return ret;
}

/*
 * Scenario 2 of hyp-abi.rst: firmware entered the kernel in SVC and keeps a
 * HYP layer, which the device tree describes: a child of /firmware, found
 * by its compatible string, as firmware interfaces are. Trust it only once
 * its memory is known to be out of the kernel's reach and the boot CPU has
 * checked it answers. A tree that lies costs a warning where HVC is
 * undefined (SCR.HCE clear); with HCE set, the HVC goes wherever HVBAR
 * points, which nothing here can check: the node is the firmware's
 * promise that an HVC returns.
 *
 * Context: early boot, the boot CPU alone (init_IRQ()), interrupts off
 * around the HVCs.
 */
static void __init hyp_layer_probe(void)
{
	int mode = hyp_cpu_last_entry_mode(smp_processor_id());
	struct device_node *fw, *np;
	struct hyp_stub_info info;
	unsigned long flags;
	int ret;

	/* /firmware's children only: no search of the whole tree at boot. */
	fw = of_find_node_by_path("/firmware");
	np = of_get_compatible_child(fw, "linux,arm-hyp-layer");
	of_node_put(fw);
	if (!np)
		return;
	if (!of_device_is_available(np))
		goto out;
	if (mode != SVC_MODE) {
		pr_info("HYP layer: entered in %s mode, not over the layer: ignored\n",
			hyp_mode_name(mode));
		goto out;
	}
	if (hyp_layer_memory(np)) {
		pr_warn("HYP layer: no memory-region reserved no-map for it: booting without it\n");
		goto out;
	}
	register_undef_hook(&hyp_hvc_hook);
	local_irq_save(flags);
	ret = hyp_layer_answers(&info, 0);
	local_irq_restore(flags);
	if (ret == -ERANGE) {
		pr_warn("HYP layer: its vectors at %pa lie outside its memory-region: booting without it\n",
			&info.vectors);
		goto out;
	}
	if (ret) {
		pr_warn("HYP layer: in the device tree, but %s: booting without it\n",
			ret == -ENODEV ? "HVC is undefined" :
			"what answers HVC is not one");
		goto out;
	}
	hyp_layer_vectors = info.vectors;
	WRITE_ONCE(hyp_layer_found, true);
	pr_info("HYP layer: ABI %u.%u, vectors at %pa%s\n", info.version >> 16,
		info.version & 0xffff, &hyp_layer_vectors,
		info.state & HVC_ABI_STATE_LOCKED ? ", locked" : "");
out:
	of_node_put(np);
}

/**
 * hyp_layer_init() - find the firmware's HYP layer before IRQs and timers
 *
 * Called by init_IRQ(), after the per-CPU areas exist and before the GIC
 * and timer drivers ask is_hyp_mode_available(): over a layer they are set
 * up as in a HYP boot (split EOI, the physical timer), which is what a
 * hypervisor installing later expects of the kernel it hosts.
 */
void __init hyp_layer_init(void)
{
	hyp_layer_probe();
	hyp_refresh();
}
