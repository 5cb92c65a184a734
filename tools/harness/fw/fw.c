// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of the test firmware (see entry.S): GIC set-up for the
 * Non-secure world, the boot CPU's jump to the kernel, and PSCI 0.2,
 * CPU_SUSPEND included: a power-down state waits for an interrupt and
 * enters the kernel again at its resume entry, in the mode the masks say.
 * In layer mode it also keeps a resident HYP layer (layer.S): every CPU it
 * enters in SVC, at boot, after CPU_ON and after a power-down, has the
 * layer in HYP, and the kernel finds it through the device tree.
 *
 * The harness describes the boot in a parameter block that QEMU's generic
 * loader writes at FW_PARAMS: FW_MAGIC, the kernel's entry, the device
 * tree, a mask of the CPUs that enter in SVC mode, and a mask of those that
 * enter in SVC the first time only (a CPU that comes back after CPU_OFF
 * then enters in HYP); the others enter in HYP. The boot CPU copies the
 * block to secure RAM at reset: the kernel owns that memory once it runs.
 * fw.sh holds the memory layout and passes FW_PARAMS and FW_MAGIC in when it
 * builds this file; it also adds the PSCI node to the tree.
 */
#include <stdint.h>

#include "hyp-abi.h"

#if !defined(FW_PARAMS) || !defined(FW_MAGIC)
#error "FW_PARAMS and FW_MAGIC come from fw.sh"
#endif
#define NR_FW_CPUS	8

#define GICD		0x08000000u
#define GICC		0x08010000u
#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_IGROUPR	0x080
#define GICC_CTLR	0x000
#define GICC_PMR	0x004

#define MODE_HYP	0x1a
#define MODE_SVC	0x13

/* What HYP holds for a CPU entered in SVC: fw_params.layer */
#define FW_LAYER_NONE		0	/* nothing; HVC reaches HVBAR = 0 */
#define FW_LAYER_ON		1	/* the resident layer */
#define FW_LAYER_HVC_UNDEF	2	/* nothing, and HVC is UNDEFINED */
#define FW_LAYER_FIRST_ONLY	5	/* the layer at a CPU's first entry, then 2 */
#define FW_LAYER_EXTERNAL	6	/* as 1, with a layer QEMU loaded at layer_addr */

#define SCR_HCE		(1u << 8)
#define HDCR_HPMN	0x1fu
#define CNTHCTL_PL1PCTEN_PL1PCEN	3u

#define PSCI_VERSION		0x84000000u
#define PSCI_CPU_SUSPEND	0x84000001u
#define PSCI_CPU_OFF		0x84000002u
#define PSCI_CPU_ON		0x84000003u
#define PSCI_AFFINITY_INFO	0x84000004u
#define PSCI_MIGRATE_INFO_TYPE	0x84000006u
#define PSCI_SYSTEM_OFF		0x84000008u
#define PSCI_SYSTEM_RESET	0x84000009u
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON			0
#define PSCI_OFF		1
#define PSCI_ON_PENDING		2
#define PSCI_POWER_DOWN		(1u << 16)	/* power_state: StateType */

struct fw_params {
	uint32_t magic;
	uint32_t kernel;
	uint32_t dtb;
	uint32_t svc_cpus;
	uint32_t svc_once;
	uint32_t layer;
	uint32_t svc_later;	/* SVC at every entry but the first */
	uint32_t layer_addr;	/* FW_LAYER_EXTERNAL: where QEMU loaded it */
	uint32_t aff1_cpus;	/* CPU_ON also takes these with Aff1 = 1 */
};

struct fw_cpu {
	volatile uint32_t state;	/* PSCI_ON, PSCI_OFF, PSCI_ON_PENDING */
	volatile uint32_t entry;
	volatile uint32_t context;
	uint32_t entries;		/* times it entered the kernel */
};

static struct fw_cpu fw_cpus[NR_FW_CPUS];

void enter_ns(uint32_t entry, uint32_t r0, uint32_t r2, uint32_t mode)
	__attribute__((noreturn));
void fw_cpu_init(uint32_t cpu) __attribute__((noreturn));
void fw_ns_hyp(uint32_t mode);
int32_t fw_psci(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);

static inline void wr(uint32_t addr, uint32_t val)
{
	*(volatile uint32_t *)addr = val;
}

static inline uint32_t rd(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

/*
 * The block as QEMU's loader left it, in Non-secure RAM that the kernel
 * owns once it runs: read only at reset, before any CPU has entered it.
 */
static const volatile struct fw_params *loaded_params(void)
{
	return (const volatile struct fw_params *)FW_PARAMS;
}

/*
 * The boot CPU's copy, in secure RAM: every entry reads this one. A CPU_ON
 * or a resume long after boot must not read memory the kernel may have
 * reused (with zeros there, every CPU came back in HYP).
 */
static struct fw_params fw_params;

static const struct fw_params *params(void)
{
	return &fw_params;
}

/* Boot CPU, at reset: keep the block before the kernel can overwrite it. */
static void params_copy(void)
{
	const volatile uint32_t *from = (const volatile uint32_t *)loaded_params();
	uint32_t *to = (uint32_t *)&fw_params;
	unsigned int i;

	for (i = 0; i < sizeof(fw_params) / sizeof(uint32_t); i++)
		to[i] = from[i];
	__asm__ volatile("dsb" : : : "memory");
}

/* The mode this CPU enters the kernel in now; counts the entry. */
static uint32_t entry_mode(uint32_t cpu)
{
	const struct fw_params *p = params();
	uint32_t first = fw_cpus[cpu].entries++ == 0;

	if ((p->svc_cpus >> cpu) & 1)
		return MODE_SVC;
	if (first && ((p->svc_once >> cpu) & 1))
		return MODE_SVC;
	if (!first && ((p->svc_later >> cpu) & 1))
		return MODE_SVC;
	return MODE_HYP;
}

/* Semihosting SYS_EXIT: the only way off for a machine without QEMU PSCI. */
static void __attribute__((noreturn)) fw_exit(uint32_t reason)
{
	register uint32_t r0 __asm__("r0") = 0x18;
	register uint32_t r1 __asm__("r1") = reason;

	for (;;)
		__asm__ volatile("svc 0x123456" : : "r"(r0), "r"(r1) : "memory");
}

/* Interrupts belong to the Non-secure world (group 1), all priorities pass. */
static void gic_init(uint32_t cpu)
{
	uint32_t i, lines;

	if (cpu == 0) {
		lines = ((rd(GICD + GICD_TYPER) & 0x1f) + 1) * 32;
		for (i = 0; i < lines / 32; i++)
			wr(GICD + GICD_IGROUPR + 4 * i, ~0u);
		wr(GICD + GICD_CTLR, 3);
	} else {
		wr(GICD + GICD_IGROUPR, ~0u);	/* banked: SGIs and PPIs */
	}
	wr(GICC + GICC_PMR, 0xff);
	wr(GICC + GICC_CTLR, 3);
}

/* Non-secure access to the FPU and Advanced SIMD (NSACR.CP10/CP11). */
static void nsacr_init(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c1, c1, 2" : "=r"(v));
	v |= 3u << 10;
	__asm__ volatile("mcr p15, 0, %0, c1, c1, 2" : : "r"(v));
}

extern const uint32_t __layer_load[], __layer_start[], __layer_end[];
extern const char layer_vectors[];

/* The layer into the Non-secure RAM reserved for it, state cleared. */
static void layer_copy(void)
{
	const uint32_t *from = __layer_load;
	volatile uint32_t *to = (volatile uint32_t *)__layer_start;

	while (to < __layer_end)
		*to++ = *from++;
	__asm__ volatile("dsb" : : : "memory");
}

#define CP15_WRITE(op1, crn, crm, op2, val) \
	__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
			 : : "r"(val))
#define CP15_READ(op1, crn, crm, op2) ({ \
	uint32_t v_; \
	__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
			 : "=r"(v_)); \
	v_; })

static uint32_t this_cpu(void)
{
	uint32_t mpidr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
	return mpidr & 0xff;
}

/*
 * Runs in Monitor mode with SCR.NS set, which reaches the Non-secure HYP
 * registers, just before this CPU enters the kernel in @mode. In layer
 * mode a CPU entered in SVC gets the layer in HYP, set up as the ABI's
 * boot contract says (what the kernel's stub does for itself): HVBAR at
 * the layer, no traps, no stage 2, HYP's MMU off (enter_ns cleared
 * HSCTLR), the real MIDR and MPIDR
 * for SVC, the physical counter and timer for PL1, CNTVOFF 0.
 */
void fw_ns_hyp(uint32_t mode)
{
	uint32_t layer = params()->layer;
	uint32_t v;

	/*
	 * A CPU that comes back after CPU_OFF or a power-down finds nothing
	 * of before in HYP's thread register, as after a real power-up
	 * (where it is UNKNOWN): a layer may keep nothing per CPU there.
	 */
	CP15_WRITE(4, c13, c0, 2, 0u);			/* HTPIDR */

	/* A firmware that loses its layer: entry_mode() counted this entry. */
	if (layer == FW_LAYER_FIRST_ONLY)
		layer = fw_cpus[this_cpu()].entries > 1 ? FW_LAYER_HVC_UNDEF : FW_LAYER_ON;

	if (layer == FW_LAYER_HVC_UNDEF) {
		v = CP15_READ(0, c1, c1, 0);		/* SCR */
		CP15_WRITE(0, c1, c1, 0, v & ~SCR_HCE);
		__asm__ volatile("isb");
		return;
	}
	if ((layer != FW_LAYER_ON && layer != FW_LAYER_EXTERNAL) || mode != MODE_SVC)
		return;
	/* HVBAR: ours, or the external layer's vectors at its start (ARM). */
	CP15_WRITE(4, c12, c0, 0, layer == FW_LAYER_EXTERNAL ?
		   params()->layer_addr : (uint32_t)layer_vectors);
	CP15_WRITE(4, c1, c1, 0, 0u);			/* HCR */
	CP15_WRITE(4, c1, c1, 2, 0u);			/* HCPTR */
	CP15_WRITE(4, c1, c1, 3, 0u);			/* HSTR */
	v = CP15_READ(4, c1, c1, 1);			/* HDCR */
	CP15_WRITE(4, c1, c1, 1, v & HDCR_HPMN);
	CP15_WRITE(4, c0, c0, 0, CP15_READ(0, c0, c0, 0));	/* VPIDR */
	CP15_WRITE(4, c0, c0, 5, CP15_READ(0, c0, c0, 5));	/* VMPIDR */
	v = CP15_READ(4, c14, c1, 0);			/* CNTHCTL */
	CP15_WRITE(4, c14, c1, 0, v | CNTHCTL_PL1PCTEN_PL1PCEN);
	__asm__ volatile("mcrr p15, 4, %0, %0, c14" : : "r"(0u));	/* CNTVOFF */
	__asm__ volatile("isb");
}

/* A CPU with nothing to run waits here until CPU_ON gives it an entry. */
static void __attribute__((noreturn)) wait_for_on(uint32_t cpu)
{
	struct fw_cpu *c = &fw_cpus[cpu];
	uint32_t entry, context;

	while (c->state != PSCI_ON_PENDING)
		__asm__ volatile("wfe" : : : "memory");
	/* Read what CPU_ON wrote before it published ON_PENDING. */
	__asm__ volatile("dmb" : : : "memory");
	entry = c->entry;
	context = c->context;
	c->state = PSCI_ON;
	__asm__ volatile("dsb" : : : "memory");
	enter_ns(entry, context, 0, entry_mode(cpu));
}

void fw_cpu_init(uint32_t cpu)
{
	const struct fw_params *p = params();

	if (cpu >= NR_FW_CPUS || loaded_params()->magic != FW_MAGIC)
		for (;;)
			__asm__ volatile("wfi");
	gic_init(cpu);
	nsacr_init();
	/* The secondaries read the copy only after CPU_ON, long after this. */
	if (cpu == 0)
		params_copy();
	if (cpu == 0 && (p->layer == FW_LAYER_ON || p->layer == FW_LAYER_FIRST_ONLY))
		layer_copy();
	if (cpu != 0) {
		fw_cpus[cpu].state = PSCI_OFF;
		wait_for_on(cpu);
	}
	fw_cpus[0].state = PSCI_ON;
	enter_ns(p->kernel, 0, p->dtb, entry_mode(0));
}

int32_t fw_psci(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	uint32_t cpu;

	switch (fn) {
	case PSCI_VERSION:
		return 2;			/* 0.2 */
	case PSCI_MIGRATE_INFO_TYPE:
		return 2;			/* no Trusted OS */
	case PSCI_CPU_SUSPEND:
		/*
		 * Wait for an interrupt (WFI wakes on one pending even while
		 * masked). Standby returns; a power-down state loses the CPU's
		 * context, so it comes back at the resume entry point, with
		 * its MMU and caches off, as from CPU_ON.
		 */
		__asm__ volatile("dsb\n\twfi" : : : "memory");
		if (!(a1 & PSCI_POWER_DOWN))
			return PSCI_SUCCESS;
		cpu = this_cpu();
		enter_ns(a2, a3, 0, entry_mode(cpu));
	case PSCI_CPU_ON:
		/* Linux serialises hotplug: no lock against a second caller. */
		cpu = a1 & 0xff;
		if (cpu >= NR_FW_CPUS)
			return PSCI_INVALID_PARAMS;
		/* A device tree that gives a CPU the wrong MPIDR (fw.sh). */
		if ((a1 & ~0xffu) &&
		    ((a1 & ~0xffu) != 0x100 || !((params()->aff1_cpus >> cpu) & 1)))
			return PSCI_INVALID_PARAMS;
		if (fw_cpus[cpu].state != PSCI_OFF)
			return PSCI_ALREADY_ON;
		fw_cpus[cpu].entry = a2;
		fw_cpus[cpu].context = a3;
		__asm__ volatile("dsb" : : : "memory");
		fw_cpus[cpu].state = PSCI_ON_PENDING;
		__asm__ volatile("dsb\n\tsev" : : : "memory");
		return PSCI_SUCCESS;
	case PSCI_AFFINITY_INFO:
		cpu = a1 & 0xff;
		if ((a1 & ~0xffu) || cpu >= NR_FW_CPUS || a2 != 0)
			return PSCI_INVALID_PARAMS;
		return fw_cpus[cpu].state;
	case PSCI_CPU_OFF:
		cpu = this_cpu();
		fw_cpus[cpu].state = PSCI_OFF;
		__asm__ volatile("dsb" : : : "memory");
		wait_for_on(cpu);
	case PSCI_SYSTEM_OFF:
		fw_exit(0x20026);		/* ADP_Stopped_ApplicationExit */
	case PSCI_SYSTEM_RESET:
		fw_exit(0x20023);		/* ADP_Stopped_RunTimeErrorUnknown */
	default:
		return PSCI_NOT_SUPPORTED;
	}
}
