/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace experiment: tracepoint definitions GDB downloads (QTDP...),
 * trace state variables, buffer settings, run state and stop reason, and
 * the hit path that turns a tracepoint hit into one frame of rb/.
 *
 * One trace outlives GDB connections (disconnected tracing): the agent
 * owns it, sessions point at it.  Definitions change only while the trace
 * is not running; the hit path reads them without locks while it runs.
 */
#ifndef GTP_PROTO_TRACE_H
#define GTP_PROTO_TRACE_H

#include "gtp_port.h"
#include "rb/rb.h"

#define GTP_MAX_TRACEPOINTS	256
#define GTP_TP_NUM_MAX		0xffff	/* numbers 1..0xffff */
#define GTP_MAX_ACTIONS		1024	/* per tracepoint */
#define GTP_MAX_TSVS		256
#define GTP_MAX_SRC		1024	/* QTDPsrc pieces per tracepoint */
#define GTP_MAX_RO		16	/* QTro ranges */
#define GTP_NOTE_MAX		256

struct gtp_action {
	char kind;		/* 'R', 'M' or 'X' */
	s32 basereg;		/* M: -1 for an absolute address */
	u64 offset;		/* M */
	u64 len;		/* M */
	u8 *code;		/* X */
	u32 code_len;
	char *text;		/* as GDB sent it, for the upload (qTfP) */
};

/*
 * What happened at one tracepoint on one CPU.  Each CPU writes only its
 * own slot; gtp_tracepoint_stats() sums them for qTP, the trace file and
 * the status file.
 */
struct gtp_tp_stats {
	u64 hits;	/* the condition held (or there is none) */
	u64 bytes;	/* trace-file bytes of the frames written (qTP) */
	u64 dropped;	/* hits whose frame was not written (full, nested) */
	u64 faults;	/* reads that failed in conditions and expressions */
};

struct gtp_tracepoint {
	u32 num;
	u64 addr;
	bool enabled;
	u64 step;
	u64 pass;		/* stop after this many hits; 0: never */
	u8 *cond;
	u32 cond_len;
	/* Grown as QTDP packets come: one per GDB action line or more. */
	struct gtp_action *actions;
	u32 nr_actions, max_actions;
	char **src;		/* QTDPsrc payloads, as GDB sent them */
	u32 nr_src, max_src;

	/* Defined during a run (InstallInTrace): armed once complete. */
	bool pending;

	/* Run time. */
	struct gtp_tp_stats *stats;	/* per CPU */
	atomic64_t pass_hits;	/* only when pass is set */
	void *probe;		/* the agent's handle */
};

/*
 * Trace state variables the agent defines itself, under the names KGTP
 * users know; GDB learns them from the qTfV upload and `collect $cpu_id`
 * records the value at the hit.  Numbered from GTP_SPECIAL_TSV_BASE, far
 * above the numbers GDB gives its own variables (1, 2, ...), and below
 * the 16 bits an agent expression can name.
 */
enum gtp_special_tsv {
	GTP_TSV_PLAIN,
	GTP_TSV_CPU_ID,			/* $cpu_id */
	GTP_TSV_CURRENT_TASK,		/* $current_task: task_struct address */
	GTP_TSV_CURRENT_TASK_PID,	/* $current_task_pid */
	GTP_TSV_CLOCK,			/* $clock: the hit's time, ns */
	/*
	 * Values only in the frames of the audio collector (hw/): the
	 * logical number of the page a frame holds, or of the first page
	 * of a gap, and how many pages the gap lost.  A tracepoint hit
	 * has neither.
	 */
	GTP_TSV_ADUMP_PAGE,		/* $adump_page */
	GTP_TSV_ADUMP_LOST,		/* $adump_lost */
	GTP_NR_SPECIAL_TSVS
};

#define GTP_SPECIAL_TSV_BASE	0x7f00

struct gtp_tsv {
	u32 num;
	s64 init;
	s64 value;
	bool builtin;
	enum gtp_special_tsv special;
	char *name;		/* hex, as GDB sent it (specials: static) */
};

enum gtp_state {
	GTP_NOT_RUN,
	GTP_RUNNING,
	GTP_STOPPED,
};

enum gtp_stop {
	GTP_STOP_NONE,
	GTP_STOP_USER,		/* QTStop: tstop */
	GTP_STOP_FULL,		/* tfull */
	GTP_STOP_PASSCOUNT,	/* tpasscount */
	GTP_STOP_ERROR,		/* terror */
	GTP_STOP_DISCONNECTED,	/* tdisconnected */
};

struct gtp_trace;
struct gtp_text;

/* What the agent does for the trace; all run in process context. */
struct gtp_trace_ops {
	/* Install the probe of @tp; 0 or a negative errno. */
	int (*arm)(void *target, struct gtp_tracepoint *tp);
	/* Remove it; when this returns no hit of @tp is running. */
	void (*disarm)(void *target, struct gtp_tracepoint *tp);
	/* Wall-clock time in microseconds, for starttime/stoptime. */
	u64 (*now_us)(void *target);
	/* The hit path stopped the run (full, passcount): disarm soon. */
	void (*stop_request)(void *target);
	/*
	 * Optional.  The run began, its probes armed and t->rb ready: start
	 * other sources of frames.  A negative errno (and *why) fails
	 * QTStart.  Called under the same serialisation as the packets.
	 */
	int (*started)(void *target, const char **why);
	/*
	 * Optional.  The run is over and its probes are gone: other sources
	 * write their last frames now and stop.  The buffer stays.
	 */
	void (*stopped)(void *target);
	/* Optional: ";name:value" fields appended to qTStatus. */
	void (*status_fields)(void *target, struct gtp_text *o);
};

struct gtp_trace {
	const struct gtp_trace_ops *ops;
	void *target;
	u32 nr_cpus;

	struct gtp_tracepoint *tps[GTP_MAX_TRACEPOINTS];
	u32 nr_tps;
	struct gtp_tsv tsvs[GTP_MAX_TSVS];
	u32 nr_tsvs;
	struct { u64 lo, hi; } ro[GTP_MAX_RO];
	u32 nr_ro;

	struct rb *rb;
	u64 buffer_size;	/* QTBuffer:size, bytes */
	u64 default_size;
	bool circular;
	bool disconnected;	/* keep running when GDB goes away */

	enum gtp_state state;	/* READ_ONCE on the hit path */
	/* Written last by whoever stops the run; acquire before error[]. */
	enum gtp_stop stop;
	/* Set by the one hit that stops the run (cmpxchg 0 -> 1). */
	u32 hit_stopping;
	u32 stop_tp;
	char stop_note[GTP_NOTE_MAX];
	char user[GTP_NOTE_MAX];
	char notes[GTP_NOTE_MAX];
	char error[GTP_NOTE_MAX];
	u64 start_us, stop_us;

	/*
	 * A tracepoint number another source of frames writes under (the
	 * audio collector), refused at QTDP with @reserved_why; 0: none.
	 */
	u32 reserved_tp;
	const char *reserved_why;
};

/* One hit, as the agent saw it. */
struct gtp_hit {
	u32 cpu;
	u64 time;		/* ns, one clock read per hit */
	const u8 *regs;		/* GDB `g` block */
	u32 regs_size;
	u64 task;		/* current task_struct, for $current_task */
	s64 pid;		/* its pid, for $current_task_pid */
	/* Nofault memory copy, for collections and expressions alike. */
	rb_copy_fn copy;
	void *copy_ctx;
};

void gtp_trace_init(struct gtp_trace *t, const struct gtp_trace_ops *ops,
		    void *target, u32 nr_cpus, u64 default_size,
		    bool circular);
/* Stop (if running), free definitions and buffer. */
void gtp_trace_release(struct gtp_trace *t);

/* Packet-level operations; each returns 0 or a negative errno. */
int gtp_trace_clear(struct gtp_trace *t);			/* QTinit */
int gtp_trace_define(struct gtp_trace *t, const char *args, size_t len,
		     const char **why);				/* QTDP */
int gtp_trace_add_src(struct gtp_trace *t, const char *args, size_t len);
int gtp_trace_define_tsv(struct gtp_trace *t, const char *args, size_t len);
int gtp_trace_start(struct gtp_trace *t, const char **why);
int gtp_trace_stop(struct gtp_trace *t, enum gtp_stop why);
/* QTEnable/QTDisable: also installs or removes the probe while running. */
int gtp_trace_enable(struct gtp_trace *t, u32 num, u64 addr, bool on,
		     const char **why);
struct gtp_tracepoint *gtp_trace_find(struct gtp_trace *t, u32 num);
struct gtp_tsv *gtp_trace_find_tsv(struct gtp_trace *t, u32 num);
void gtp_tracepoint_stats(const struct gtp_trace *t,
			  const struct gtp_tracepoint *tp,
			  struct gtp_tp_stats *sum);

/*
 * The hit path: run @tp's condition and actions and write one frame.
 * Runs in the probe handler: no sleeping, no locks.
 */
void gtp_trace_hit(struct gtp_trace *t, struct gtp_tracepoint *tp,
		   const struct gtp_hit *hit);

/*
 * Stop the run from any context, without sleeping: the hit path does,
 * and so may another source of frames (@tp: its tracepoint number).
 * The first caller wins; it records @why (with @what, a text for
 * GTP_STOP_ERROR) and asks the agent (stop_request) to finish the stop.
 */
void gtp_trace_stop_async(struct gtp_trace *t, enum gtp_stop why, u32 tp,
			  const char *what);

/* Whether @regnum is a register of the `g` block a hit supplies. */
bool gtp_g_reg_known(u32 regnum);
/* Value of register @regnum of a `g` block (x86-64 layout). */
bool gtp_g_reg(const u8 *block, u32 size, u32 regnum, u64 *val);

#endif /* GTP_PROTO_TRACE_H */
