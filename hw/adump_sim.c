// SPDX-License-Identifier: GPL-2.0
/*
 * gtp_adump_sim: a simulated FPGA audio-dump block, for the collector
 * (hw/adump_driver.c) to run against in a QEMU guest, unchanged.
 *
 * The collector maps the block's registers with ioremap and its dump
 * area with memremap, as on the board, and x86 refuses to ioremap System
 * RAM; so the simulated block lives in memory that is not the guest's
 * RAM: BAR 2 of QEMU's ivshmem-plain PCI device (scripts/vm adds one to
 * every guest), plain memory on the host.  Its first 4 KiB are the
 * register window of hw/adump_regs.h, the rest is the dump area, and this
 * driver shows them as the platform device "gtp-adump" with the memory
 * resources "regs" and "dump", the PCI device its parent.  The block's
 * thread (hw/adump_sim_block.c) writes registers and pages through a
 * mapping of its own, as the board's logic writes them from its side.
 *
 * debugfs gtp_adump_sim/ (root only):
 *   inject  write "stall MS", "burst N", "overrun N" or "overflow"
 *   status  "key: value" lines: running, rate, start_count, ring_pages,
 *           produced, counter, overflow, stalled, due, elapsed_ms
 *
 * One block at a time: a second ivshmem device is left alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hw/adump_regs.h"
#include "hw/adump_sim.h"

unsigned int adump_sim_rate = ADUMP_BOARD_PAGES_PER_S;
module_param_named(rate, adump_sim_rate, uint, 0644);
MODULE_PARM_DESC(rate,
		 "pages per second, read at each run's start (board: 375; 0: injected pages only)");

unsigned int adump_sim_start_count;
module_param_named(start_count, adump_sim_start_count, uint, 0644);
MODULE_PARM_DESC(start_count,
		 "the page counter when run is set (board: 0), mod 65536");

/* QEMU's ivshmem; BAR 2 is its memory (BAR 0 the doorbell registers). */
#define ADUMP_SIM_VENDOR	0x1af4
#define ADUMP_SIM_DEVICE	0x1110
#define ADUMP_SIM_BAR		2

struct adump_sim_dev {
	struct adump_sim sim;
	struct platform_device *block;
	struct dentry *debugfs;
};

static atomic_t adump_sim_bound = ATOMIC_INIT(0);

/* ---------------------------------------------------------------- debugfs */

#define ADUMP_SIM_INJECT_MAX	64

static ssize_t inject_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	static const char * const verbs[] = {
		[ADUMP_SIM_STALL] = "stall",
		[ADUMP_SIM_BURST] = "burst",
		[ADUMP_SIM_OVERRUN] = "overrun",
		[ADUMP_SIM_OVERFLOW] = "overflow",
	};
	struct adump_sim *sim = file->private_data;
	char buf[ADUMP_SIM_INJECT_MAX], *line, *verb;
	u64 arg = 0;
	int what, err;

	if (*ppos || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	line = strim(buf);
	verb = strsep(&line, " \t");
	what = match_string(verbs, ARRAY_SIZE(verbs), verb);
	if (what < 0)
		return -EINVAL;
	if (what == ADUMP_SIM_OVERFLOW) {
		if (line)
			return -EINVAL;
	} else if (!line || kstrtou64(skip_spaces(line), 0, &arg)) {
		return -EINVAL;
	}
	err = adump_sim_inject(sim, what, arg);
	if (err)
		return err;
	*ppos += len;
	return len;
}

static const struct file_operations inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = inject_write,
	.llseek = noop_llseek,
};

static int status_show(struct seq_file *m, void *unused)
{
	adump_sim_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/* -------------------------------------------------------------------- PCI */

/*
 * The thread writes the block's side through mappings of its own, with
 * the memory types the collector asks for: x86 PAT keeps one type per
 * physical range and refuses an uncached ioremap where a write-back
 * mapping exists (and demotes a write-back one to uncached the other way
 * round), so the registers are ioremapped (uncached, as device registers
 * should be) and the dump area memremapped write-back, as the collector
 * does.
 *
 * No request_mem_region here: a busy region over the BAR would make the
 * collector's requests of the same ranges fail.  The platform device's
 * resources, inserted into the resource tree under the BAR, are the
 * block's claim, and the collector's requests nest under them.
 */
static int adump_sim_map(struct adump_sim *sim, resource_size_t base,
			 resource_size_t len)
{
	struct device *dev = &sim->pdev->dev;

	sim->regs = devm_ioremap(dev, base, ADUMP_SIM_REG_SPACE);
	if (!sim->regs)
		return -ENOMEM;
	sim->dump_size = len - ADUMP_SIM_REG_SPACE;
	sim->dump = devm_memremap(dev, base + ADUMP_SIM_REG_SPACE,
				  sim->dump_size, MEMREMAP_WB);
	return PTR_ERR_OR_ZERO(sim->dump);
}

/* The block as the collector sees it; platform_device_add() claims it. */
static struct platform_device *adump_sim_add_block(struct adump_sim *sim,
						   resource_size_t base)
{
	struct resource res[] = {
		DEFINE_RES_MEM_NAMED(base, ADUMP_REG_WINDOW, "regs"),
		DEFINE_RES_MEM_NAMED(base + ADUMP_SIM_REG_SPACE,
				     sim->dump_size, "dump"),
	};
	struct platform_device_info info = {
		.parent = &sim->pdev->dev,
		.name = "gtp-adump",
		.id = PLATFORM_DEVID_NONE,
		.res = res,
		.num_res = ARRAY_SIZE(res),
	};

	dev_info(&sim->pdev->dev,
		 "simulated audio-dump block: registers %pR, dump area %pR\n",
		 &res[0], &res[1]);
	return platform_device_register_full(&info);
}

static int adump_sim_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	resource_size_t base, len;
	struct adump_sim_dev *sd;
	struct adump_sim *sim;
	int err;

	/* Two would both be "gtp-adump", and the collector takes one. */
	if (atomic_cmpxchg(&adump_sim_bound, 0, 1)) {
		dev_info(&pdev->dev, "a block is simulated already, not here\n");
		return -EBUSY;
	}

	err = pcim_enable_device(pdev);
	if (err)
		goto out_unbound;
	base = pci_resource_start(pdev, ADUMP_SIM_BAR);
	len = pci_resource_len(pdev, ADUMP_SIM_BAR);
	if (!(pci_resource_flags(pdev, ADUMP_SIM_BAR) & IORESOURCE_MEM) ||
	    len < 2 * ADUMP_SIM_REG_SPACE) {
		dev_err(&pdev->dev, "BAR %d is no memory to simulate a block in\n",
			ADUMP_SIM_BAR);
		err = -ENODEV;
		goto out_unbound;
	}

	sd = devm_kzalloc(&pdev->dev, sizeof(*sd), GFP_KERNEL);
	if (!sd) {
		err = -ENOMEM;
		goto out_unbound;
	}
	sim = &sd->sim;
	sim->pdev = pdev;
	spin_lock_init(&sim->lock);
	err = adump_sim_map(sim, base, len);
	if (err) {
		dev_err(&pdev->dev, "cannot map BAR %d: %d\n", ADUMP_SIM_BAR, err);
		goto out_unbound;
	}
	adump_sim_reset(sim);

	sim->thread = kthread_run(adump_sim_thread, sim, "gtp_adump_sim");
	if (IS_ERR(sim->thread)) {
		err = PTR_ERR(sim->thread);
		goto out_unbound;
	}

	sd->debugfs = debugfs_create_dir("gtp_adump_sim", NULL);
	debugfs_create_file("inject", 0200, sd->debugfs, sim, &inject_fops);
	debugfs_create_file("status", 0400, sd->debugfs, sim, &status_fops);

	sd->block = adump_sim_add_block(sim, base);
	if (IS_ERR(sd->block)) {
		err = PTR_ERR(sd->block);
		dev_err(&pdev->dev, "cannot register the gtp-adump device: %d\n",
			err);
		goto out_thread;
	}

	pci_set_drvdata(pdev, sd);
	return 0;

out_thread:
	debugfs_remove_recursive(sd->debugfs);
	kthread_stop(sim->thread);
out_unbound:
	atomic_set(&adump_sim_bound, 0);
	return err;
}

static void adump_sim_remove(struct pci_dev *pdev)
{
	struct adump_sim_dev *sd = pci_get_drvdata(pdev);

	/*
	 * The collector first: it unbinds and stops the block while the
	 * memory is mapped and the block still answers.
	 */
	platform_device_unregister(sd->block);
	debugfs_remove_recursive(sd->debugfs);
	kthread_stop(sd->sim.thread);
	atomic_set(&adump_sim_bound, 0);
}

static const struct pci_device_id adump_sim_ids[] = {
	{ PCI_DEVICE(ADUMP_SIM_VENDOR, ADUMP_SIM_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, adump_sim_ids);

static struct pci_driver adump_sim_driver = {
	.name = "gtp_adump_sim",
	.id_table = adump_sim_ids,
	.probe = adump_sim_probe,
	.remove = adump_sim_remove,
};
module_pci_driver(adump_sim_driver);

MODULE_DESCRIPTION("gtp: a simulated FPGA audio-dump block on QEMU ivshmem");
MODULE_LICENSE("GPL");
