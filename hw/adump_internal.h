/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collector's internals, shared by its files:
 *   adump_driver.c   the platform driver, parameters, capture start/stop
 *   adump_capture.c  the polling thread: counts, overruns, frames
 *   adump_debugfs.c  gtp_agent/adump: control and status
 */
#ifndef GTP_HW_ADUMP_INTERNAL_H
#define GTP_HW_ADUMP_INTERNAL_H

#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sched.h>

#include "hw/adump.h"
#include "hw/adump_count.h"

enum adump_policy {
	ADUMP_POLICY_SKIP,	/* gap frame, go on with the newest pages */
	ADUMP_POLICY_STOP,	/* stop the run with terror */
};

/* The bound block. */
struct adump_block {
	struct platform_device *pdev;
	void __iomem *regs;
	struct resource *dump;	/* the dump area; registers are offsets */
};

struct adump_collector {
	/* Serialises arming, capture start/stop and binding. */
	struct mutex lock;
	const struct adump_host *host;
	struct adump_block *block;
	bool armed;

	/* One capture; set up under lock before the thread starts. */
	bool capturing;
	struct rb *rb;
	u64 rb_generation;	/* of rb when the capture began */
	struct task_struct *thread;
	void *ring;		/* the ring, mapped */
	u64 ring_phys;
	u32 ring_pages;
	u32 tp;
	enum adump_policy policy;
	struct adump_count count;
	/* Pages counted before the block was last reset under us. */
	u64 base;
	/* Set once the capture may write no more frames (stop, full). */
	bool halted;

	/* Figures; written by whoever polls (one at a time). */
	u64 frames, lost, dropped, gaps, overruns, torn;
	u64 counter_resets, block_overflows, polls, cpu_ns;
	bool overflow_seen;
	char error[128];
};

extern struct adump_collector adump;

/* Parameters (adump_driver.c). */
extern unsigned int adump_param_period_us;
#define ADUMP_PERIOD_MIN_US	100
#define ADUMP_PERIOD_MAX_US	10000000	/* 10 s */

/*
 * One poll: read the counter, account for what the block did since the
 * last poll and write the ready pages as frames.  Called by the thread,
 * and once more by the stopper after the thread is gone (@final).
 */
void adump_poll(struct adump_collector *c);
int adump_thread_fn(void *data);

int adump_debugfs_init(struct dentry *dir);
/* debugfs "start"/"stop" (adump_driver.c). */
int adump_arm(const char **why);
void adump_disarm(void);

#endif /* GTP_HW_ADUMP_INTERNAL_H */
