/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gtp_bench.ko: what bench_main.c (debugfs control) asks bench_buffers.c
 * (the writers and readers) to run.
 */
#ifndef GTP_BENCH_H
#define GTP_BENCH_H

#include <linux/types.h>

enum bench_writer {
	BENCH_FTRACE,		/* the kernel's ring buffer, memcpy payload */
	BENCH_RB,		/* rb/, rb_copy_direct (memcpy) */
	BENCH_RB_NOFAULT,	/* rb/, copy_from_kernel_nofault, as the agent */
	BENCH_CLOCK_LOCAL,	/* no buffer: a trace_clock_local() read */
	BENCH_CLOCK_MONO,	/* no buffer: a ktime_get_mono_fast_ns() read */
};

struct bench_params {
	enum bench_writer writer;
	u32 size;		/* payload bytes per event */
	u32 ms;			/* timed writing, after the warm-up */
	bool reader;		/* a reader on another CPU, as fast as it can */
};

struct bench_result {
	u64 events;		/* written in the timed part */
	u64 ns;			/* writer's time in the timed part */
	u64 refused;		/* events the buffer refused (none expected) */
	u64 warm_events;	/* written in the warm-up */
	u64 read_bytes;		/* what the reader got, whole run */
	u64 read_events;	/* frames (rb) or pages (ftrace) read */
	u64 ring_bytes;		/* per CPU */
	u64 sink;		/* clock reads summed, so they are made */
	u32 writer_cpu;
	int reader_cpu;		/* -1: no reader */
};

/* Per-CPU ring bytes of both buffers, at least. */
#define BENCH_RING_MIN		(1u << 20)
#define BENCH_MAX_SIZE		(1u << 20)
/* The largest payload the ftrace buffer takes on 4 KiB pages. */
#define BENCH_FTRACE_MAX	4000u

int bench_buffers_run(const struct bench_params *p, struct bench_result *r);
int bench_buffers_init(void);
void bench_buffers_exit(void);

#endif /* GTP_BENCH_H */
