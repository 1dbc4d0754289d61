// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated audio-dump block at work: a thread that plays the FPGA.
 *
 * Like the board, it reads its registers and nothing else: the collector
 * programs start, end and loop and sets run, through its own mapping of
 * the same memory; the thread sees the change at its next tick (1 ms),
 * as hardware sees a register write when it next looks.
 *
 * During a run, page p (counted from 0 at the run's start) is due once
 * rate * (now - t0) > p.  It is written into ring slot p mod ring_pages
 * with the audio of hw/adump_pattern.h for page p, and only then is the
 * counter set to (start_count + p + 1) mod 65536: a page the counter
 * covers is whole.  Without loop the block makes one pass of the ring.
 *
 * Injections (debugfs "inject") bend the schedule the way the board and
 * its surroundings can: a stall stops the pages and lets the schedule run
 * on, so they all come out when it ends; a burst or an overrun makes
 * pages now, beyond the schedule, which then moves on by as many pages
 * so they are not made twice.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "hw/adump_pattern.h"
#include "hw/adump_regs.h"
#include "hw/adump_sim.h"

/* How often the block looks at its registers, when it has nothing due. */
#define ADUMP_SIM_TICK_US	1000

/*
 * Pages made in a row before the block looks at its registers again.
 * Behind schedule it then sleeps a little all the same: a thread that
 * only ever calls cond_resched() holds up RCU-tasks grace periods
 * (kprobes and ftrace wait for them), which need a voluntary sleep.
 */
#define ADUMP_SIM_BATCH		64
#define ADUMP_SIM_YIELD_US	20

static void block_set_overflow(struct adump_sim *sim)
{
	void __iomem *reg = sim->regs + ADUMP_REG_OVERFLOW;

	writel(readl(reg) | ADUMP_OVERFLOW_BIT, reg);
}

void adump_sim_reset(struct adump_sim *sim)
{
	/*
	 * The memory is the host's and outlives this module (and a reset
	 * of the guest): a new instance must not find a run going.
	 */
	memset_io(sim->regs, 0, ADUMP_SIM_REG_SPACE);
	/* Where the first run will start counting (see block_stop()). */
	writel(READ_ONCE(adump_sim_start_count) % ADUMP_COUNT_WRAP,
	       sim->regs + ADUMP_REG_PAGE_COUNT);
}

/* Idle: the counter follows the start_count parameter (block_stop()). */
static void block_rest(struct adump_sim *sim)
{
	u32 rest = READ_ONCE(adump_sim_start_count) % ADUMP_COUNT_WRAP;

	if (readl(sim->regs + ADUMP_REG_PAGE_COUNT) != rest)
		writel(rest, sim->regs + ADUMP_REG_PAGE_COUNT);
}

/* Run set: take the ring from the registers, or refuse it as invalid. */
static void block_start(struct adump_sim *sim)
{
	u32 start = readl(sim->regs + ADUMP_REG_START);
	u32 end = readl(sim->regs + ADUMP_REG_END);
	u32 loop = readl(sim->regs + ADUMP_REG_LOOP);
	u32 rate = READ_ONCE(adump_sim_rate);
	u32 start_count = READ_ONCE(adump_sim_start_count);
	const char *why = NULL;

	if (start % ADUMP_PAGE_SIZE || end % ADUMP_PAGE_SIZE)
		why = "start and end must be 4 KiB aligned";
	else if (start >= end)
		why = "start must be below end";
	else if (end > sim->dump_size)
		why = "end is beyond the dump area";
	if (why) {
		dev_warn(&sim->pdev->dev,
			 "run refused, overflow set: %s (start %#x, end %#x, dump area %#llx bytes)\n",
			 why, start, end, sim->dump_size);
		spin_lock(&sim->lock);
		block_set_overflow(sim);
		spin_unlock(&sim->lock);
		return;
	}

	spin_lock(&sim->lock);
	/* The board restarts its counter when run is set. */
	writel(start_count % ADUMP_COUNT_WRAP,
	       sim->regs + ADUMP_REG_PAGE_COUNT);
	writel(0, sim->regs + ADUMP_REG_OVERFLOW);
	sim->start = start;
	sim->ring_pages = (end - start) / ADUMP_PAGE_SIZE;
	sim->loop = loop & 1;
	sim->rate = rate;
	sim->start_count = start_count;
	sim->t0_ns = ktime_get_ns();
	sim->produced = 0;
	sim->extra = 0;
	sim->forced_until = 0;
	sim->running = true;
	spin_unlock(&sim->lock);
}

/* Run cleared: the registers keep their values, pending pages go. */
/*
 * The counter rests at the value the next run starts from.  The board
 * resets it the instant run is set; this block sees the register up to a
 * tick later, so a collector that sets run and reads the counter right
 * away must already find the start value there.
 */
static void block_stop(struct adump_sim *sim)
{
	spin_lock(&sim->lock);
	sim->running = false;
	sim->burst_req = 0;
	sim->overrun_req = 0;
	writel(READ_ONCE(adump_sim_start_count) % ADUMP_COUNT_WRAP,
	       sim->regs + ADUMP_REG_PAGE_COUNT);
	spin_unlock(&sim->lock);
}

/*
 * Turn the pending bursts and overruns into pages to make now (forced),
 * moving the schedule on by as many.  An overrun is a burst meant to lap
 * the ring: its pages too are written and counted one by one, as the
 * board's DMA would, only faster than a collector polls.  (Skipping the
 * pages a lap overwrites anyway would let the counter claim pages whose
 * slots still hold older audio.)  Without loop, nothing goes past the
 * one pass.  Called with the lock held.
 */
static void block_take_requests(struct adump_sim *sim)
{
	u64 base = max(sim->produced, sim->forced_until);
	u64 room = U64_MAX, n;

	if (!sim->loop)
		room = sim->ring_pages - min_t(u64, base, sim->ring_pages);

	n = min(sim->burst_req, room);
	base += n;
	sim->extra += n;
	room -= n;

	n = min(sim->overrun_req, room);
	base += n;
	sim->extra += n;

	sim->forced_until = base;
	sim->burst_req = 0;
	sim->overrun_req = 0;
}

/* Pages that should be made by @now, all told.  Called with the lock. */
static u64 block_target(struct adump_sim *sim, u64 now)
{
	u64 t = sim->forced_until;

	if (now >= sim->stall_until_ns)
		t = max(t, mul_u64_u32_div(now - sim->t0_ns, sim->rate,
					   NSEC_PER_SEC) + sim->extra);
	if (!sim->loop)
		t = min_t(u64, t, sim->ring_pages);
	return t;
}

static void block_write_page(struct adump_sim *sim, u64 p)
{
	u32 slot;

	div_u64_rem(p, sim->ring_pages, &slot);
	adump_pattern_page(p, sim->dump + sim->start +
			      (size_t)slot * ADUMP_PAGE_SIZE);
	/*
	 * The counter publishes the page, as the board's counter follows
	 * its DMA: every byte of it before the count that covers it.  The
	 * lock keeps the counter and produced in step for the status file.
	 */
	wmb();
	spin_lock(&sim->lock);
	writel((sim->start_count + p + 1) % ADUMP_COUNT_WRAP,
	       sim->regs + ADUMP_REG_PAGE_COUNT);
	sim->produced = p + 1;
	spin_unlock(&sim->lock);
}

/* Make what is due, a batch at most; true when more is due already. */
static bool block_produce(struct adump_sim *sim)
{
	unsigned int n;
	u64 target, p;

	spin_lock(&sim->lock);
	block_take_requests(sim);
	target = block_target(sim, ktime_get_ns());
	p = sim->produced;
	spin_unlock(&sim->lock);

	for (n = 0; p < target && n < ADUMP_SIM_BATCH; n++, p++) {
		block_write_page(sim, p);
		cond_resched();
	}
	return p < target;
}

int adump_sim_thread(void *data)
{
	struct adump_sim *sim = data;
	bool run_seen = false;

	while (!kthread_should_stop()) {
		u32 control = readl(sim->regs + ADUMP_REG_CONTROL);
		bool run = control & ADUMP_CONTROL_RUN;
		bool behind = false;

		if (run && !run_seen)
			block_start(sim);
		else if (!run && run_seen)
			block_stop(sim);
		else if (!run)
			block_rest(sim);
		run_seen = run;

		if (sim->running)
			behind = block_produce(sim);
		if (behind)
			usleep_range(ADUMP_SIM_YIELD_US, 2 * ADUMP_SIM_YIELD_US);
		else
			usleep_range(ADUMP_SIM_TICK_US,
				     ADUMP_SIM_TICK_US + ADUMP_SIM_TICK_US / 10);
	}
	return 0;
}

/* The longest stall the inject file takes: an hour. */
#define ADUMP_SIM_STALL_MAX_MS	(3600u * MSEC_PER_SEC)

int adump_sim_inject(struct adump_sim *sim, enum adump_sim_inject what,
		     u64 arg)
{
	switch (what) {
	case ADUMP_SIM_STALL:
		if (arg > ADUMP_SIM_STALL_MAX_MS)
			return -EINVAL;
		break;
	case ADUMP_SIM_BURST:
	case ADUMP_SIM_OVERRUN:
		if (!arg || arg > U32_MAX)
			return -EINVAL;
		break;
	case ADUMP_SIM_OVERFLOW:
		break;
	default:
		return -EINVAL;
	}

	spin_lock(&sim->lock);
	switch (what) {
	case ADUMP_SIM_STALL:
		/* From now: a stall of 0 ends the one going on. */
		sim->stall_until_ns = ktime_get_ns() + arg * NSEC_PER_MSEC;
		break;
	case ADUMP_SIM_BURST:
		sim->burst_req += arg;
		break;
	case ADUMP_SIM_OVERRUN:
		sim->overrun_req += arg;
		break;
	case ADUMP_SIM_OVERFLOW:
		block_set_overflow(sim);
		break;
	}
	spin_unlock(&sim->lock);
	return 0;
}

void adump_sim_show(struct adump_sim *sim, struct seq_file *m)
{
	u64 now = ktime_get_ns(), produced, due = 0, elapsed_ms = 0;
	u32 rate, start_count, ring_pages = 0, counter, overflow;
	bool running, stalled;

	spin_lock(&sim->lock);
	running = sim->running;
	stalled = now < sim->stall_until_ns;
	produced = sim->produced;
	if (running) {
		rate = sim->rate;
		start_count = sim->start_count;
		ring_pages = sim->ring_pages;
		due = max(block_target(sim, now), produced);
		elapsed_ms = div_u64(now - sim->t0_ns, NSEC_PER_MSEC);
	} else {
		rate = READ_ONCE(adump_sim_rate);
		start_count = READ_ONCE(adump_sim_start_count);
	}
	counter = readl(sim->regs + ADUMP_REG_PAGE_COUNT);
	spin_unlock(&sim->lock);
	overflow = readl(sim->regs + ADUMP_REG_OVERFLOW) & ADUMP_OVERFLOW_BIT;

	seq_printf(m, "running: %d\n", running);
	seq_printf(m, "rate: %u\n", rate);
	seq_printf(m, "start_count: %u\n", start_count);
	seq_printf(m, "ring_pages: %u\n", ring_pages);
	seq_printf(m, "produced: %llu\n", produced);
	seq_printf(m, "counter: %u\n", counter);
	seq_printf(m, "overflow: %u\n", overflow);
	seq_printf(m, "stalled: %d\n", stalled);
	seq_printf(m, "due: %llu\n", due);
	seq_printf(m, "elapsed_ms: %llu\n", elapsed_ms);
}
