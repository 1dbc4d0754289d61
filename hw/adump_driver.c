// SPDX-License-Identifier: GPL-2.0
/*
 * The audio-dump collector as a platform driver, and its captures.
 *
 * The block is described by two memory resources: "regs", the register
 * window of hw/adump_regs.h (device memory, ioremap), and "dump", the
 * memory the block dumps into, which its start and end registers are
 * offsets into (memremap, write-back: the CPU reads what the block's
 * writes left in memory).  A device tree node or a board file gives them
 * on real hardware; the simulated block (hw/adump_sim.c) registers the
 * same device over QEMU device memory.  One block at a time.
 *
 * A capture follows the trace run while capture is armed (debugfs
 * gtp_agent/adump: "start" arms it, and starts a run if none is going;
 * "stop" disarms it).  At each run start the collector programs the ring
 * (adump_ring_offset, adump_ring_pages), sets run, takes the counter as
 * its origin and starts its polling thread; at each run stop it stops the
 * thread, polls once more so the pages completed up to then are in the
 * buffer, and clears run.
 *
 * Locking: adump.lock serialises arming, capture start and stop, binding
 * and unbinding.  The agent calls adump_run_started()/stopped() with its
 * trace lock held, so the order is trace lock, then adump.lock; nothing
 * here takes the trace lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": adump: " fmt

#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/timekeeping.h>

#include "agent/compat.h"
#include "rb/rb.h"
#include "hw/adump_internal.h"
#include "hw/adump_regs.h"

struct adump_collector adump = {
	.lock = __MUTEX_INITIALIZER(adump.lock),
};

unsigned int adump_param_period_us = 10000;
module_param_named(adump_period_us, adump_param_period_us, uint, 0644);
MODULE_PARM_DESC(adump_period_us,
		 "audio collector: poll period in microseconds (100..10000000), applies at once");

static unsigned int adump_param_tp = 1000;
module_param_named(adump_tp, adump_param_tp, uint, 0444);
MODULE_PARM_DESC(adump_tp, "audio collector: tracepoint number of its frames");

static char *adump_param_policy = "skip";
module_param_named(adump_policy, adump_param_policy, charp, 0644);
MODULE_PARM_DESC(adump_policy,
		 "audio collector on overrun: skip (gap frame) or stop (terror)");

static unsigned long adump_param_ring_offset;
module_param_named(adump_ring_offset, adump_param_ring_offset, ulong, 0644);
MODULE_PARM_DESC(adump_ring_offset,
		 "audio collector: ring start, bytes into the dump area (4 KiB aligned)");

static unsigned int adump_param_ring_pages = 8192;
module_param_named(adump_ring_pages, adump_param_ring_pages, uint, 0644);
MODULE_PARM_DESC(adump_ring_pages,
		 "audio collector: ring size in 4 KiB pages (2..32768; capped by the dump area)");

static unsigned long adump_param_max_rate = 1000000;
module_param_named(adump_max_rate, adump_param_max_rate, ulong, 0644);
MODULE_PARM_DESC(adump_max_rate,
		 "audio collector: pages/s the block cannot exceed (counter sanity check)");

u32 adump_tracepoint(void)
{
	return adump_param_tp;
}

static int parse_policy(enum adump_policy *p)
{
	if (sysfs_streq(adump_param_policy, "skip"))
		*p = ADUMP_POLICY_SKIP;
	else if (sysfs_streq(adump_param_policy, "stop"))
		*p = ADUMP_POLICY_STOP;
	else
		return -EINVAL;
	return 0;
}

/* Check the parameters and map the ring; under adump.lock. */
static int capture_setup(struct adump_collector *c, const char **why)
{
	struct adump_block *b = c->block;
	u64 area = resource_size(b->dump);
	u64 off = adump_param_ring_offset;
	u64 pages = adump_param_ring_pages;

	if (parse_policy(&c->policy)) {
		*why = "audio collector: adump_policy must be skip or stop";
		return -EINVAL;
	}
	if (adump_param_period_us < ADUMP_PERIOD_MIN_US ||
	    adump_param_period_us > ADUMP_PERIOD_MAX_US) {
		*why = "audio collector: adump_period_us must be 100..10000000";
		return -EINVAL;
	}
	if (off % ADUMP_PAGE_SIZE || off >= area) {
		*why = "audio collector: adump_ring_offset is not a page inside the dump area";
		return -EINVAL;
	}
	/* 32768 pages keep a poll's reach unambiguous in a 16-bit counter. */
	pages = min3(pages, (area - off) / ADUMP_PAGE_SIZE, (u64)32768);
	if (pages < 2) {
		*why = "audio collector: the ring needs at least 2 pages";
		return -EINVAL;
	}
	c->ring_pages = pages;
	c->ring_phys = b->dump->start + off;
	c->ring = memremap(c->ring_phys, pages * ADUMP_PAGE_SIZE, MEMREMAP_WB);
	if (!c->ring) {
		*why = "audio collector: cannot map the ring";
		return -ENOMEM;
	}
	return 0;
}

static void block_start(struct adump_collector *c)
{
	void __iomem *regs = c->block->regs;
	u64 off = c->ring_phys - c->block->dump->start;
	unsigned long flags;
	u32 phys;

	writel(0, regs + ADUMP_REG_CONTROL);
	writel(off, regs + ADUMP_REG_START);
	writel(off + (u64)c->ring_pages * ADUMP_PAGE_SIZE, regs + ADUMP_REG_END);
	writel(1, regs + ADUMP_REG_LOOP);
	/* Run, and the counter's origin right after, before a page can end. */
	local_irq_save(flags);
	writel(ADUMP_CONTROL_RUN, regs + ADUMP_REG_CONTROL);
	phys = readl(regs + ADUMP_REG_PAGE_COUNT) & (ADUMP_COUNT_WRAP - 1);
	local_irq_restore(flags);
	adump_count_start(&c->count, c->ring_pages, adump_param_max_rate, phys,
			  ktime_get_ns());
}

/* Under adump.lock, with a block, armed, not capturing. */
static int capture_start(struct adump_collector *c, struct rb *rb,
			 const char **why)
{
	struct task_struct *t;
	int err;

	err = capture_setup(c, why);
	if (err)
		return err;
	if (rb == c->rb && rb_generation(rb) == c->rb_generation) {
		/*
		 * Another capture into the same run's buffer: page numbers
		 * and figures go on from the last one, so no number is used
		 * twice in a buffer.  The pages the block made in between
		 * were never asked for; they are not counted.
		 */
		c->base += c->count.logical;
	} else {
		c->rb = rb;
		c->rb_generation = rb_generation(rb);
		c->base = 0;
		c->frames = c->lost = c->dropped = c->gaps = 0;
		c->overruns = c->torn = c->counter_resets = 0;
		c->block_overflows = c->polls = c->cpu_ns = 0;
		c->error[0] = 0;
	}
	c->tp = adump_param_tp;
	c->overflow_seen = false;
	c->halted = false;
	block_start(c);
	t = kthread_run(adump_thread_fn, c, "gtp_adump");
	if (IS_ERR(t)) {
		writel(0, c->block->regs + ADUMP_REG_CONTROL);
		memunmap(c->ring);
		*why = "audio collector: cannot start its thread";
		return PTR_ERR(t);
	}
	c->thread = t;
	c->capturing = true;
	return 0;
}

/* Under adump.lock: the thread's last poll, then the block stops. */
static void capture_stop(struct adump_collector *c)
{
	if (!c->capturing)
		return;
	kthread_stop(c->thread);
	c->thread = NULL;
	adump_poll(c);
	c->halted = true;
	writel(0, c->block->regs + ADUMP_REG_CONTROL);
	memunmap(c->ring);
	c->ring = NULL;
	c->capturing = false;
	pr_info("capture stopped: %llu pages, %llu in frames, %llu lost, %llu dropped\n",
		c->base + c->count.logical, c->frames, c->lost, c->dropped);
}

int adump_run_started(struct rb *rb, const char **why)
{
	int err = 0;

	mutex_lock(&adump.lock);
	if (adump.armed && adump.block && !adump.capturing)
		err = capture_start(&adump, rb, why);
	mutex_unlock(&adump.lock);
	return err;
}

void adump_run_stopped(void)
{
	mutex_lock(&adump.lock);
	capture_stop(&adump);
	mutex_unlock(&adump.lock);
}

int adump_arm(const char **why)
{
	int err;

	mutex_lock(&adump.lock);
	if (!adump.block) {
		mutex_unlock(&adump.lock);
		*why = "no audio-dump block is bound";
		return -ENODEV;
	}
	adump.armed = true;
	mutex_unlock(&adump.lock);
	/* The agent starts a run if none is going; that starts capture. */
	err = adump.host->start_run(why);
	if (err) {
		mutex_lock(&adump.lock);
		adump.armed = false;
		mutex_unlock(&adump.lock);
	}
	return err;
}

void adump_disarm(void)
{
	mutex_lock(&adump.lock);
	adump.armed = false;
	capture_stop(&adump);
	mutex_unlock(&adump.lock);
}

void adump_get_stats(struct adump_stats *st)
{
	struct adump_collector *c = &adump;
	u64 ns;

	memset(st, 0, sizeof(*st));
	mutex_lock(&c->lock);
	st->bound = c->block;
	st->armed = c->armed;
	st->capturing = c->capturing;
	st->tp = c->capturing ? c->tp : adump_param_tp;
	st->ring_pages = c->ring_pages;
	st->ring_phys = c->ring_phys;
	st->pages = c->base + c->count.logical;
	st->frames = c->frames;
	st->lost = c->lost;
	st->dropped = c->dropped;
	st->gaps = c->gaps;
	st->overruns = c->overruns;
	st->torn = c->torn;
	st->counter_resets = c->counter_resets;
	st->block_overflows = c->block_overflows;
	st->polls = c->polls;
	st->cpu_ns = c->cpu_ns;
	ns = c->count.time_ns - c->count.start_ns;
	st->rate = ns ? div64_u64(c->count.logical * NSEC_PER_SEC, ns) : 0;
	st->policy = c->policy == ADUMP_POLICY_STOP ? "stop" : "skip";
	strscpy(st->error, c->error, sizeof(st->error));
	mutex_unlock(&c->lock);
}

static int adump_probe(struct platform_device *pdev)
{
	struct adump_block *b;
	struct resource *dump;
	int err = 0;

	b = devm_kzalloc(&pdev->dev, sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->pdev = pdev;
	b->regs = devm_platform_ioremap_resource_byname(pdev, "regs");
	if (IS_ERR(b->regs))
		return dev_err_probe(&pdev->dev, PTR_ERR(b->regs),
				     "no \"regs\" resource to map\n");
	dump = platform_get_resource_byname(pdev, IORESOURCE_MEM, "dump");
	if (!dump)
		return dev_err_probe(&pdev->dev, -EINVAL,
				     "no \"dump\" memory resource\n");
	if (!devm_request_mem_region(&pdev->dev, dump->start,
				     resource_size(dump), dev_name(&pdev->dev)))
		return dev_err_probe(&pdev->dev, -EBUSY,
				     "dump area %pR is in use\n", dump);
	b->dump = dump;

	mutex_lock(&adump.lock);
	if (adump.block)
		err = -EBUSY;
	else
		adump.block = b;
	mutex_unlock(&adump.lock);
	if (err)
		return dev_err_probe(&pdev->dev, err,
				     "one audio-dump block at a time: %s is bound\n",
				     dev_name(&adump.block->pdev->dev));
	platform_set_drvdata(pdev, b);
	dev_info(&pdev->dev, "audio-dump block: registers %pR, dump area %pR\n",
		 platform_get_resource_byname(pdev, IORESOURCE_MEM, "regs"), dump);
	return 0;
}

static gtp_remove_t adump_remove(struct platform_device *pdev)
{
	struct adump_block *b = platform_get_drvdata(pdev);

	mutex_lock(&adump.lock);
	if (adump.block == b) {
		if (adump.capturing) {
			/* The run goes on; its audio ends here, and says so. */
			capture_stop(&adump);
			snprintf(adump.error, sizeof(adump.error),
				 "audio-dump block removed during capture");
		}
		adump.block = NULL;
		adump.armed = false;
	}
	mutex_unlock(&adump.lock);
	return GTP_REMOVED;
}

static const struct of_device_id adump_of_match[] = {
	{ .compatible = "gtp,audio-dump" },
	{ }
};
MODULE_DEVICE_TABLE(of, adump_of_match);

static const struct platform_device_id adump_ids[] = {
	{ .name = "gtp-adump" },
	{ }
};
MODULE_DEVICE_TABLE(platform, adump_ids);

static struct platform_driver adump_driver = {
	.probe = adump_probe,
	.remove = adump_remove,
	.id_table = adump_ids,
	.driver = {
		.name = "gtp-adump",
		.of_match_table = adump_of_match,
	},
};

int adump_init(const struct adump_host *host, struct dentry *debugfs_dir)
{
	int err;

	adump.host = host;
	err = adump_debugfs_init(debugfs_dir);
	if (err)
		return err;
	return platform_driver_register(&adump_driver);
}

void adump_exit(void)
{
	/* The trace run, and so any capture, is over by now. */
	platform_driver_unregister(&adump_driver);
}
