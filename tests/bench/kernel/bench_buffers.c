// SPDX-License-Identifier: GPL-2.0
/*
 * Buffer against buffer, in one kernel: the ftrace ring buffer
 * (kernel/trace/ring_buffer.c, driven as its ring_buffer_benchmark.c
 * drives it: reserve, write the payload in place, commit) and rb/'s
 * writer (frame begin, one FID_MEM of the payload, commit: what a
 * tracepoint hit collecting one memory range stores).
 *
 * Both are driven the same way.  A kthread bound to the first online CPU
 * writes events of one size back to back, preemption off for a batch of
 * events at a time, into a circular (overwrite) ring of ring_bytes() per
 * CPU, the same for both.  It first writes the ring twice over (at most WARM_NS), so the
 * timed part runs in the steady state where every event overwrites older
 * ones, then writes for the time asked, timing only the batches, so time
 * spent preempted between batches is not counted.  Each event reads one
 * clock, the same for both: the ftrace buffer reads trace_clock_local()
 * itself (its default; ring_buffer_set_clock() is not exported), so rb's
 * writer is given trace_clock_local() too.  The agent stamps frames with
 * ktime_get_mono_fast_ns() instead; clock-local and clock-mono time one
 * read of each alone, to tell what that choice costs.  The payload is memcpy()'d from the same source by both;
 * BENCH_RB_NOFAULT copies it with copy_from_kernel_nofault(), as the
 * agent copies collected memory.
 *
 * With a reader, a kthread on the next online CPU reads as fast as it
 * can while the writer writes: ring_buffer_read_page() for ftrace (the
 * page swap behind trace_pipe_raw and splice, its fastest reader) and
 * rb_consumer_read() for rb (what gtpframe_pipe reads with).
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/trace_clock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "rb/rb.h"
#include "bench.h"

#define WARM_NS		(3ULL * NSEC_PER_SEC)
#define READ_BUF_SIZE	(64u << 10)

struct bench_run {
	const struct bench_params *p;
	struct bench_result *r;
	struct trace_buffer *ftrace;
	struct rb *rb;
	int consumer;
	int reader_err;
	u64 ring_bytes;		/* per CPU */
	struct completion written;
};

/* The payload every writer copies, BENCH_MAX_SIZE bytes. */
static u8 *bench_src;
/* Where the rb reader decodes frames to. */
static u8 *bench_read_buf;

static size_t copy_nofault(void *dst, u64 src, size_t len, void *ctx)
{
	if (copy_from_kernel_nofault(dst, (const void *)(uintptr_t)src, len))
		return 0;
	return len;
}

static __always_inline bool write_ftrace(struct trace_buffer *buf, u32 size)
{
	struct ring_buffer_event *ev;

	ev = ring_buffer_lock_reserve(buf, size);
	if (!ev)
		return false;
	memcpy(ring_buffer_event_data(ev), bench_src, size);
	ring_buffer_unlock_commit(buf, ev);
	return true;
}

static __always_inline bool write_rb(struct rb *rb, u32 cpu, u32 size,
				     rb_copy_fn copy)
{
	struct rb_writer w;

	if (rb_frame_begin(rb, &w, cpu, 1, trace_clock_local()))
		return false;
	rb_frame_mem(&w, (u64)(uintptr_t)bench_src, size, copy, NULL);
	return rb_frame_commit(&w) == 0;
}

/*
 * @n events on @cpu, preemption off; returns how many were stored.  One
 * loop per writer, so that no indirect call sits in any of them.
 */
static u32 write_batch(struct bench_run *b, u32 cpu, u32 n)
{
	u32 size = b->p->size, i, ok = 0;
	u64 sink = 0;

	switch (b->p->writer) {
	case BENCH_FTRACE:
		for (i = 0; i < n; i++)
			ok += write_ftrace(b->ftrace, size);
		break;
	case BENCH_RB:
		for (i = 0; i < n; i++)
			ok += write_rb(b->rb, cpu, size, rb_copy_direct);
		break;
	case BENCH_RB_NOFAULT:
		for (i = 0; i < n; i++)
			ok += write_rb(b->rb, cpu, size, copy_nofault);
		break;
	case BENCH_CLOCK_LOCAL:
		for (i = 0; i < n; i++, ok++)
			sink += trace_clock_local();
		break;
	case BENCH_CLOCK_MONO:
		for (i = 0; i < n; i++, ok++)
			sink += ktime_get_mono_fast_ns();
		break;
	}
	WRITE_ONCE(b->r->sink, sink);
	return ok;
}

/* 1 MiB per CPU, or four events' worth for the largest. */
static u64 ring_bytes(u32 size)
{
	return max_t(u64, BENCH_RING_MIN, 4ULL * size);
}

/* Events per preemption-off batch: about 64 KiB of payload, 1 to 256. */
static u32 batch_for(u32 size)
{
	return clamp_t(u32, (64u << 10) / size, 1, 256);
}

/* Sleep until kthread_stop(): the thread must outlive its work. */
static void wait_for_stop(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

static int writer_fn(void *data)
{
	struct bench_run *b = data;
	struct bench_result *r = b->r;
	u32 batch = batch_for(b->p->size), cpu, ok;
	u64 warm_bytes = 0, end, t0, t1;

	cpu = raw_smp_processor_id();
	r->writer_cpu = cpu;
	end = ktime_get_ns() + WARM_NS;
	while (warm_bytes < 2 * b->ring_bytes && ktime_get_ns() < end) {
		preempt_disable();
		ok = write_batch(b, cpu, batch);
		preempt_enable();
		r->warm_events += ok;
		warm_bytes += (u64)ok * b->p->size;
		cond_resched();
	}

	end = ktime_get_ns() + (u64)b->p->ms * NSEC_PER_MSEC;
	while (ktime_get_ns() < end) {
		preempt_disable();
		t0 = ktime_get_ns();
		ok = write_batch(b, cpu, batch);
		t1 = ktime_get_ns();
		preempt_enable();
		r->events += ok;
		r->refused += batch - ok;
		r->ns += t1 - t0;
		cond_resched();
	}
	complete(&b->written);
	wait_for_stop();
	return 0;
}

static void read_ftrace(struct bench_run *b)
{
	struct bench_result *r = b->r;
	void *page;

	page = ring_buffer_alloc_read_page(b->ftrace, r->writer_cpu);
	if (IS_ERR(page)) {
		b->reader_err = PTR_ERR(page);
		return;
	}
	while (!kthread_should_stop()) {
		if (ring_buffer_read_page(b->ftrace, &page, PAGE_SIZE,
					  r->writer_cpu, 0) >= 0) {
			r->read_events++;
			r->read_bytes += PAGE_SIZE;
		}
		cond_resched();
	}
	ring_buffer_free_read_page(b->ftrace, r->writer_cpu, page);
}

static void read_rb(struct bench_run *b)
{
	struct bench_result *r = b->r;
	s64 n;

	while (!kthread_should_stop()) {
		n = rb_consumer_read(b->rb, b->consumer, bench_read_buf,
				     READ_BUF_SIZE);
		if (n > 0)
			r->read_bytes += n;
		else if (n == -ENOMEM || n == -EINVAL)
			b->reader_err = (int)n;	/* not the lapped -ESTALE */
		cond_resched();
	}
}

static int reader_fn(void *data)
{
	struct bench_run *b = data;

	if (b->ftrace)
		read_ftrace(b);
	else
		read_rb(b);
	wait_for_stop();
	return 0;
}

static struct task_struct *start_on(int (*fn)(void *), struct bench_run *b,
				    u32 cpu, const char *what)
{
	struct task_struct *t;

	t = kthread_create(fn, b, "gtp_bench_%s", what);
	if (IS_ERR(t))
		return t;
	kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

static int buffers_create(struct bench_run *b)
{
	const struct bench_params *p = b->p;
	int err;

	if (p->writer == BENCH_CLOCK_LOCAL || p->writer == BENCH_CLOCK_MONO)
		return 0;
	if (p->writer == BENCH_FTRACE) {
		b->ftrace = ring_buffer_alloc(b->ring_bytes, RB_FL_OVERWRITE);
		return b->ftrace ? 0 : -ENOMEM;
	}
	err = rb_create(&b->rb, nr_cpu_ids, b->ring_bytes * nr_cpu_ids, true);
	if (err)
		return err;
	if (p->reader) {
		b->consumer = rb_consumer_attach(b->rb);
		if (b->consumer < 0) {
			err = b->consumer;
			rb_destroy(b->rb);
			return err;
		}
	}
	return 0;
}

static void buffers_destroy(struct bench_run *b)
{
	if (b->ftrace) {
		ring_buffer_free(b->ftrace);
		return;
	}
	if (!b->rb)
		return;
	if (b->consumer >= 0) {
		b->r->read_events = rb_consumer_frames(b->rb, b->consumer);
		rb_consumer_detach(b->rb, b->consumer);
	}
	rb_destroy(b->rb);
}

int bench_buffers_run(const struct bench_params *p, struct bench_result *r)
{
	struct bench_run b = { .p = p, .r = r, .consumer = -1 };
	struct task_struct *writer, *reader = NULL;
	u32 wcpu = cpumask_first(cpu_online_mask), rcpu;
	int err;

	if (!p->size || p->size > BENCH_MAX_SIZE ||
	    (p->writer == BENCH_FTRACE && p->size > BENCH_FTRACE_MAX))
		return -E2BIG;
	rcpu = cpumask_next(wcpu, cpu_online_mask);
	if (p->reader && rcpu >= nr_cpu_ids)
		return -ENODEV;
	if (p->reader && p->writer >= BENCH_CLOCK_LOCAL)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->writer_cpu = wcpu;
	r->reader_cpu = p->reader ? (int)rcpu : -1;
	r->ring_bytes = b.ring_bytes = ring_bytes(p->size);
	init_completion(&b.written);

	err = buffers_create(&b);
	if (err)
		return err;
	if (p->reader) {
		reader = start_on(reader_fn, &b, rcpu, "reader");
		if (IS_ERR(reader)) {
			err = PTR_ERR(reader);
			goto out;
		}
	}
	writer = start_on(writer_fn, &b, wcpu, "writer");
	if (IS_ERR(writer)) {
		err = PTR_ERR(writer);
		goto stop_reader;
	}
	wait_for_completion(&b.written);
	kthread_stop(writer);
stop_reader:
	if (reader) {
		kthread_stop(reader);
		if (!err)
			err = b.reader_err;
	}
out:
	buffers_destroy(&b);
	return err;
}

int bench_buffers_init(void)
{
	u32 i;

	bench_src = vmalloc(BENCH_MAX_SIZE);
	bench_read_buf = vmalloc(READ_BUF_SIZE);
	if (!bench_src || !bench_read_buf) {
		bench_buffers_exit();
		return -ENOMEM;
	}
	for (i = 0; i < BENCH_MAX_SIZE; i++)
		bench_src[i] = (u8)(i * 7 + 1);
	return 0;
}

void bench_buffers_exit(void)
{
	vfree(bench_src);
	vfree(bench_read_buf);
	bench_src = NULL;
	bench_read_buf = NULL;
}
