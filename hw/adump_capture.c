// SPDX-License-Identifier: GPL-2.0
/*
 * The collector's polling thread: every adump_period_us it reads the
 * block's page counter, turns it into pages ready, lost or impossible
 * (hw/adump_count.c) and writes each ready page into the trace buffer as
 * one frame, on whatever CPU the thread runs, with interrupts off for the
 * frame so a tracepoint hit on this CPU waits instead of being refused.
 *
 * A page is read while the block keeps writing: the block writes page L
 * into the slot of page L - ring_pages while its counter reads L, so page
 * p is whole as long as the counter is below p + ring_pages.  The counter
 * is read again after each copy; a page the block reached during the
 * copy is discarded (rb_frame_discard) and counted as lost, like any
 * page the block lapped before the collector came to it.  The head is
 * taken from the counter's movement since the poll, modulo 65536, which
 * holds while a poll's pages take less than 65536 / rate seconds to copy
 * (1.7 s at 100 times the board's rate).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": adump: " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/timekeeping.h>

#include "rb/rb.h"
#include "hw/adump_internal.h"
#include "hw/adump_regs.h"

static u32 read_counter(struct adump_collector *c)
{
	return readl(c->block->regs + ADUMP_REG_PAGE_COUNT) & (ADUMP_COUNT_WRAP - 1);
}

/* The page the block is writing now, from the counter's move since the poll. */
static u64 block_head(struct adump_collector *c)
{
	u32 moved = (read_counter(c) - c->count.phys) & (ADUMP_COUNT_WRAP - 1);

	return c->count.logical + moved;
}

static u64 page_phys(struct adump_collector *c, u64 page)
{
	return c->ring_phys + (page % c->ring_pages) * (u64)ADUMP_PAGE_SIZE;
}

/*
 * rb_copy_fn over the mapped ring; addresses are physical dump addresses.
 * The copy is a loop of 64-bit loads and stores rather than memcpy():
 * x86's memcpy is "rep movsb" on CPUs with ERMS, fast in silicon but a
 * byte-at-a-time loop under emulation, where it was most of a page's
 * cost; whole words are right for memory a device writes in any case.
 * Pieces come at 8-byte aligned offsets of a page except the last one.
 */
static size_t ring_copy(void *dst, u64 src, size_t len, void *ctx)
{
	struct adump_collector *c = ctx;
	const u8 *from = c->ring + (src - c->ring_phys);
	size_t i = 0;

	if (IS_ALIGNED((unsigned long)from | (unsigned long)dst, 8))
		for (; i + 8 <= len; i += 8)
			*(u64 *)(dst + i) = *(const u64 *)(from + i);
	memcpy(dst + i, from + i, len - i);
	return len;
}

/* The buffer refused a frame: in stop-when-full mode the run ends (tfull). */
static void refused(struct adump_collector *c, u64 pages, int err)
{
	c->dropped += pages;
	if (err == -ENOSPC && !c->halted) {
		c->halted = true;
		c->host->stop_run(true, NULL);
	}
}

/*
 * Pages [@first, @first + @n) were lost: a gap frame (skip policy), or
 * the end of the run with the reason (stop policy).
 */
static void lost(struct adump_collector *c, u64 first, u64 n, const char *how)
{
	struct rb_writer w;
	unsigned long flags;
	int err;

	c->lost += n;
	c->overruns++;
	if (c->policy == ADUMP_POLICY_STOP) {
		if (!c->halted) {
			snprintf(c->error, sizeof(c->error),
				 "audio overrun: pages %llu..%llu (%llu) %s",
				 c->base + first, c->base + first + n - 1, n, how);
			c->halted = true;
			c->host->stop_run(false, c->error);
		}
		return;
	}
	pr_warn_ratelimited("pages %llu..%llu (%llu) %s: gap frame written\n",
			    c->base + first, c->base + first + n - 1, n, how);
	local_irq_save(flags);
	err = rb_frame_begin(c->rb, &w, smp_processor_id(), c->tp,
			     ktime_get_mono_fast_ns());
	if (!err) {
		rb_frame_var(&w, c->host->page_var, (s64)(c->base + first));
		rb_frame_var(&w, c->host->lost_var, (s64)n);
		err = rb_frame_commit(&w);
	}
	local_irq_restore(flags);
	if (err)
		refused(c, 0, err);
	else
		c->gaps++;
}

/*
 * Page @page as one frame.  0, -ESTALE when the block overwrote it during
 * the copy (nothing written), or the buffer's refusal.
 */
static int write_page(struct adump_collector *c, u64 page)
{
	struct rb_writer w;
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = rb_frame_begin(c->rb, &w, smp_processor_id(), c->tp,
			     ktime_get_mono_fast_ns());
	if (err)
		goto out;
	rb_frame_var(&w, c->host->page_var, (s64)(c->base + page));
	rb_frame_mem(&w, page_phys(c, page), ADUMP_PAGE_SIZE, ring_copy, c);
	/* The bytes are in; was the slot rewritten meanwhile? */
	rmb();
	if (block_head(c) >= page + c->ring_pages) {
		rb_frame_discard(&w);
		err = -ESTALE;
		goto out;
	}
	err = rb_frame_commit(&w);
out:
	local_irq_restore(flags);
	return err;
}

/* Collect pages [@first, @end), or account for each one that cannot be. */
static void collect(struct adump_collector *c, u64 first, u64 end)
{
	bool torn = false;
	u64 page = first;
	int err;

	while (page < end) {
		u64 head;

		if (c->halted) {
			/* Nothing more goes in: the run is ending. */
			c->dropped += end - page;
			return;
		}
		head = block_head(c);
		if (head >= page + c->ring_pages) {
			u64 upto = min(head - c->ring_pages + 1, end);

			c->torn += torn;
			lost(c, page, upto - page, torn ?
			     "overwritten by the block while being copied" :
			     "lapped by the block before collection");
			torn = false;
			page = upto;
			continue;
		}
		err = write_page(c, page);
		if (err == -ESTALE) {
			torn = true;	/* the head check accounts for it */
			continue;
		}
		if (err)
			refused(c, 1, err);
		else
			c->frames++;
		page++;
		cond_resched();
	}
}

void adump_poll(struct adump_collector *c)
{
	struct adump_step s;
	u32 phys;
	int err;

	c->polls++;
	if (!c->overflow_seen &&
	    (readl(c->block->regs + ADUMP_REG_OVERFLOW) & ADUMP_OVERFLOW_BIT)) {
		/* Audio the block lost before it reached memory: no count. */
		c->overflow_seen = true;
		c->block_overflows++;
		pr_warn("the block reports an overflow: it lost audio it could not dump\n");
		if (c->policy == ADUMP_POLICY_STOP && !c->halted) {
			snprintf(c->error, sizeof(c->error),
				 "audio block overflow: audio lost before the dump");
			c->halted = true;
			c->host->stop_run(false, c->error);
		}
	}
	phys = read_counter(c);
	err = adump_count_poll(&c->count, phys, ktime_get_ns(), &s);
	if (err) {
		/*
		 * The counter moved further than the block can: it went
		 * backwards, so the block was reset under the collector.
		 * What it dumped since cannot be told apart from what it
		 * dumped before: say so and count again from here.
		 */
		c->counter_resets++;
		if (c->policy == ADUMP_POLICY_STOP && !c->halted) {
			snprintf(c->error, sizeof(c->error),
				 "audio page counter went backwards (%u after %u): block reset",
				 phys, c->count.phys);
			c->halted = true;
			c->host->stop_run(false, c->error);
		}
		pr_warn_ratelimited("page counter went backwards (%u after %u): counting from here\n",
				    phys, c->count.phys);
		/* Page numbers go on from where they were. */
		c->base += c->count.logical;
		adump_count_start(&c->count, c->ring_pages, c->count.max_rate,
				  phys, ktime_get_ns());
		return;
	}
	if (s.lost)
		lost(c, s.first - s.lost, s.lost, s.extra_wraps ?
		     "lapped by the block (counter wraps inferred from its rate)" :
		     "lapped by the block before collection");
	collect(c, s.first, s.first + s.count);
}

int adump_thread_fn(void *data)
{
	struct adump_collector *c = data;
	u64 before = c->cpu_ns;		/* earlier captures of the run */

	while (!kthread_should_stop()) {
		/* Read each time: a changed period applies at once. */
		u64 period = clamp_t(u64, READ_ONCE(adump_param_period_us),
				     ADUMP_PERIOD_MIN_US, ADUMP_PERIOD_MAX_US);

		ktime_t wait = ns_to_ktime(period * NSEC_PER_USEC);

		adump_poll(c);
		c->cpu_ns = before + current->se.sum_exec_runtime;
		/* Interruptible: kthread_stop() ends the wait, not the period. */
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule_hrtimeout_range(&wait, period * NSEC_PER_USEC / 8,
						 HRTIMER_MODE_REL);
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}
