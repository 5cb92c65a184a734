// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HYP stub's sysfs files: each CPU's entry mode and HYP provider in
 * /sys/devices/system/cpu/cpuN/hyp/, the system's entry mode and, with
 * CONFIG_ARM_HYP_API, the lock in /sys/devices/system/cpu/hyp/.
 *
 * See Documentation/ABI/testing/sysfs-devices-system-cpu-hyp.
 */

#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>
#include <asm/virt.h>

#include "hyp.h"

static const char *const hyp_provider_names[] = {
	[HYP_PROVIDER_NONE]	= "none",
	[HYP_PROVIDER_STUB]	= "stub",
	[HYP_PROVIDER_FIRMWARE]	= "firmware",
};

static ssize_t hyp_show(struct device *dev, struct device_attribute *attr,
			char *buf);

/* Each CPU's, in /sys/devices/system/cpu/cpuN/hyp. */
static struct device_attribute dev_attr_last_entry_mode =
	__ATTR(last_entry_mode, 0444, hyp_show, NULL);
static struct device_attribute dev_attr_hyp_provider =
	__ATTR(provider, 0444, hyp_show, NULL);

/* The system's, in /sys/devices/system/cpu/hyp: its summary, and the lock. */
static struct device_attribute dev_attr_system_last_entry_mode =
	__ATTR(last_entry_mode, 0444, hyp_show, NULL);

/* One show routine for the four files: each is one word. */
static ssize_t hyp_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	const char *word;
	int provider;

	if (attr == &dev_attr_last_entry_mode) {
		word = hyp_mode_name(hyp_cpu_last_entry_mode(dev->id));
	} else if (attr == &dev_attr_hyp_provider) {
		provider = hyp_cpu_provider(dev->id);
		if (provider < 0)
			return provider;
		word = hyp_provider_names[provider];
	} else if (attr == &dev_attr_system_last_entry_mode) {
		word = hyp_system_mode_name();
	} else {
		word = hyp_stub_locked() ? "1" : "0";
	}
	return sysfs_emit(buf, "%s\n", word);
}

#ifdef CONFIG_ARM_HYP_API
static ssize_t hyp_stub_lock_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	bool lock;
	int ret;

	ret = kstrtobool(buf, &lock);
	if (ret)
		return ret;
	/* Asked for is enough: a pending lock cannot be taken back either. */
	if (!lock)
		return hyp_stub_lock_asked() ? -EPERM : count;
	ret = hyp_stub_lock();
	return ret ? ret : count;
}

static struct device_attribute dev_attr_hyp_stub_lock =
	__ATTR(lock, 0644, hyp_show, hyp_stub_lock_store);
#endif

static struct attribute *hyp_cpu_attrs[] = {
	&dev_attr_last_entry_mode.attr,
	&dev_attr_hyp_provider.attr,
	NULL
};

static const struct attribute_group hyp_cpu_group = {
	.name = "hyp",
	.attrs = hyp_cpu_attrs,
};

static struct attribute *hyp_system_attrs[] = {
	&dev_attr_system_last_entry_mode.attr,
#ifdef CONFIG_ARM_HYP_API
	&dev_attr_hyp_stub_lock.attr,
#endif
	NULL
};

static const struct attribute_group hyp_system_group = {
	.name = "hyp",
	.attrs = hyp_system_attrs,
};

static int __init hyp_stub_sysfs_init(void)
{
	struct device *dev;
	unsigned int cpu;
	int ret;

	/*
	 * The cpu subsystem's root device, /sys/devices/system/cpu, is where
	 * it puts every CPU's device: the boot CPU's parent is that root.
	 * register_cpu() sets a CPU device's groups itself, and takes none
	 * from the architecture: ours are added right after the CPU devices
	 * are registered (topology_init() or cpu_dev_init(), which on ARM
	 * register every possible CPU once, hotplug or not), and before
	 * rootfs_initcall: until then no user space exists and no uevent
	 * helper may run, so nothing that heard a CPU device's "add" can look
	 * for these files before they are there.
	 */
	dev = get_cpu_device(0);
	if (!dev)
		return -ENODEV;
	ret = sysfs_create_group(dev->kobj.parent, &hyp_system_group);
	if (ret)
		return ret;
	for_each_possible_cpu(cpu) {
		dev = get_cpu_device(cpu);
		if (dev) {
			ret = sysfs_create_group(&dev->kobj, &hyp_cpu_group);
			if (ret)
				goto undo;
		}
	}
	return 0;
undo:
	/* No half set of files: remove the groups made so far, and the root's. */
	while (cpu--) {
		dev = get_cpu_device(cpu);
		if (dev)
			sysfs_remove_group(&dev->kobj, &hyp_cpu_group);
	}
	sysfs_remove_group(get_cpu_device(0)->kobj.parent, &hyp_system_group);
	return ret;
}
subsys_initcall_sync(hyp_stub_sysfs_init);
