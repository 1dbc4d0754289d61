/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The audio-dump collector (hw/adump_*.c): a platform driver for the FPGA
 * block of hw/adump_regs.h that feeds every page the block dumps into the
 * trace buffer as one frame, while a trace run is going on and capture is
 * armed.  The agent registers it and tells it when runs start and stop;
 * the collector writes frames straight into rb/, and asks the agent
 * through struct adump_host for what only the trace can do.
 *
 * Frames (tracepoint number adump_tp):
 *   page: FID_VAR page_var = the page's number since capture began,
 *         FID_MEM of the page's 4096 bytes at its physical dump address
 *   gap:  FID_VAR page_var = the first page lost, FID_VAR lost_var = how
 *         many pages were lost (skip policy), no FID_MEM
 *
 * Every page the block completes during a capture is either in a frame,
 * counted as lost (lapped by the block before it was read: gap frames,
 * or the stop policy's terror) or counted as dropped (the buffer refused
 * its frame), so pages = frames + lost + dropped, always.
 */
#ifndef GTP_HW_ADUMP_H
#define GTP_HW_ADUMP_H

#include <linux/types.h>

struct dentry;
struct rb;

/* What the agent does for the collector. */
struct adump_host {
	u32 page_var;		/* trace state variable numbers */
	u32 lost_var;
	/*
	 * Start a trace run if none is running (debugfs "start"), under the
	 * agent's locks; 0 or a negative errno and *why.  The agent then
	 * calls adump_run_started() as for any run.
	 */
	int (*start_run)(const char **why);
	/*
	 * Stop the run from the collector's thread, without waiting:
	 * @full (the buffer is full, tfull) or an error @text (terror).
	 */
	void (*stop_run)(bool full, const char *text);
};

/* Figures of the current or last capture, for status and qTStatus. */
struct adump_stats {
	bool bound;		/* a block is bound */
	bool armed;		/* capture follows the trace runs */
	bool capturing;
	u32 tp;			/* the collector's tracepoint number */
	u32 ring_pages;
	u64 ring_phys;		/* physical address of the ring's first page */
	u64 pages;		/* the block completed, since capture began */
	u64 frames;		/* pages written as frames */
	u64 lost;		/* pages lapped before they were read */
	u64 dropped;		/* pages whose frame the buffer refused */
	u64 gaps;		/* gap frames written */
	u64 overruns;		/* times the block lapped the collector */
	u64 torn;		/* pages overwritten while being copied */
	u64 counter_resets;	/* counter moved backwards (block reset) */
	u64 block_overflows;	/* the block's overflow bit was set */
	u64 polls;
	u64 cpu_ns;		/* the collector thread's CPU time */
	u64 rate;		/* pages/s measured during the capture */
	const char *policy;	/* "stop" or "skip" */
	char error[128];	/* why capture stopped, if it failed */
};

int adump_init(const struct adump_host *host, struct dentry *debugfs_dir);
void adump_exit(void);

/*
 * The trace run began with buffer @rb, and its tracepoint numbers are
 * known: capture if armed and a block is bound.  0, or a negative errno
 * and *why, which fail the run's start.
 */
int adump_run_started(struct rb *rb, const char **why);
/* The run is over: collect the last pages, stop the block. */
void adump_run_stopped(void);
/* The collector's tracepoint number: GDB's tracepoints must not use it. */
u32 adump_tracepoint(void);
void adump_get_stats(struct adump_stats *st);

#endif /* GTP_HW_ADUMP_H */
