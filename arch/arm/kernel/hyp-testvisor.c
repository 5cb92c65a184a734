// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of the reference test hypervisor (the "testvisor"): it makes
 * the copies of the HYP half (hyp-testvisor-hyp.S) that a test installs,
 * finds their entry points and reads what HYP counted. The KUnit suites in
 * hyp-stub-test.c drive it; it holds no test of its own.
 */

#include <linux/cacheflush.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/virt.h>
#include "hyp-testvisor.h"

/**
 * hyp_testvisor_create() - copy the test hypervisor to a page of its own
 * @tv: filled in: the page, its physical address and the vectors to install
 *
 * The copy goes back to the home of the CPU that runs this (the stub's or
 * the layer's vectors, hyp_stub_vectors_phys()) when it is handed HYP back:
 * make it on the CPU it is for (work_on_cpu() with
 * hyp_testvisor_create_on_cpu()). Its address is virt_to_phys()'s: on a
 * platform whose RAM HYP reaches through another alias (Keystone with
 * LPAE) it may not fit HVBAR, and installs are refused.
 *
 * Context: process context, may sleep.
 * Return: 0, -ENOMEM, or -ERANGE if that home does not fit in HVBAR.
 */
int hyp_testvisor_create(struct testvisor *tv)
{
	size_t size = hyp_testvisor_end - hyp_testvisor_start;
	size_t stub = hyp_testvisor_stub_vectors - hyp_testvisor_start;
	phys_addr_t back = hyp_stub_vectors_phys();
	u32 vectors = back;

	/* HVBAR holds 32 bits: where it goes back to must fit. */
	if (vectors != back)
		return -ERANGE;
	tv->page = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!tv->page)
		return -ENOMEM;
	memcpy(tv->page, hyp_testvisor_start, size);
	memcpy(tv->page + stub, &vectors, sizeof(vectors));
	/* HYP reads it with the MMU and caches off. */
	__sync_cache_range_w(tv->page, PAGE_SIZE);
	flush_icache_range((unsigned long)tv->page,
			   (unsigned long)tv->page + PAGE_SIZE);
	tv->phys = virt_to_phys(tv->page);
	tv->vectors = tv->phys |
		      (IS_ENABLED(CONFIG_THUMB2_KERNEL) ? HVC_VECTORS_THUMB : 0);
	return 0;
}

/**
 * hyp_testvisor_probe_entry() - where HVC_SOFT_RESTART jumps to reach the probe
 * @tv: a test hypervisor made by hyp_testvisor_create()
 *
 * Context: any.
 * Return: the probe's physical address, bit 0 set in a Thumb-2 kernel.
 */
unsigned long hyp_testvisor_probe_entry(struct testvisor *tv)
{
	return tv->phys + (hyp_testvisor_probe - hyp_testvisor_start) +
	       IS_ENABLED(CONFIG_THUMB2_KERNEL);
}

/**
 * hyp_testvisor_reset_count() - how many HVC_RESET_VECTORS it has taken
 * @tv: a test hypervisor made by hyp_testvisor_create()
 *
 * HYP writes the count with its MMU and caches off: the line is invalidated
 * before the read.
 *
 * Context: any.
 * Return: the count, summed over every CPU it was installed on.
 */
u32 hyp_testvisor_reset_count(struct testvisor *tv)
{
	u32 *count = tv->page + (hyp_testvisor_resets - hyp_testvisor_start);

	sync_cache_r(count);
	return READ_ONCE(*count);
}

/**
 * hyp_testvisor_destroy() - free a test hypervisor's page
 * @tv: a test hypervisor made by hyp_testvisor_create(), installed nowhere
 *
 * Context: process context.
 */
void hyp_testvisor_destroy(struct testvisor *tv)
{
	/* Drop lines that went stale while HYP wrote the page uncached. */
	__cpuc_flush_dcache_area(tv->page, PAGE_SIZE);
	free_page((unsigned long)tv->page);
}

/**
 * hyp_testvisor_create_on_cpu() - hyp_testvisor_create() for work_on_cpu()
 * @tv: the struct testvisor to fill in
 *
 * Context: as hyp_testvisor_create(), on the CPU the copy is for.
 * Return: as hyp_testvisor_create().
 */
long hyp_testvisor_create_on_cpu(void *tv)
{
	return hyp_testvisor_create(tv);
}
