// SPDX-License-Identifier: GPL-2.0
/*
 * The human-readable status file: one "key: value" per line, so that
 * scripts can grep it and people can read it.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/seq_file.h>

#include "agent/agent.h"
#include "proto/trace.h"

static const char *gtp_lockdown_state(void)
{
	/*
	 * Reading kernel memory is what this agent does; report up front
	 * whether the lockdown LSM would refuse it.
	 */
	/* Confidentiality includes integrity: ask for the stricter first. */
	if (gtp_locked_down(LOCKDOWN_KCORE))
		return "confidentiality";
	if (gtp_locked_down(LOCKDOWN_DEBUGFS))
		return "integrity";
	return "none";
}

static const char *const gtp_state_names[] = {
	[GTP_NOT_RUN] = "idle",
	[GTP_RUNNING] = "running",
	[GTP_STOPPED] = "stopped",
};

static const char *const gtp_stop_names[] = {
	[GTP_STOP_NONE] = "none",
	[GTP_STOP_USER] = "tstop",
	[GTP_STOP_FULL] = "tfull",
	[GTP_STOP_PASSCOUNT] = "tpasscount",
	[GTP_STOP_ERROR] = "terror",
	[GTP_STOP_DISCONNECTED] = "tdisconnected",
};

static void gtp_status_stats(struct seq_file *m, const char *prefix,
			     const struct rb_stats *st)
{
	seq_printf(m, "%sframes: %llu\n", prefix, st->frames);
	seq_printf(m, "%swritten: %llu\n", prefix, st->written);
	seq_printf(m, "%sdropped_full: %llu\n", prefix, st->dropped_full);
	seq_printf(m, "%sdropped_nested: %llu\n", prefix, st->dropped_nested);
	seq_printf(m, "%sdropped_too_big: %llu\n", prefix, st->dropped_big);
	seq_printf(m, "%soverwritten: %llu\n", prefix, st->overwritten);
	seq_printf(m, "%srecycled: %llu\n", prefix, st->recycled);
	seq_printf(m, "%spages_overwritten: %llu\n", prefix,
		   st->pages_overwritten);
	seq_printf(m, "%swraps: %llu\n", prefix, st->wraps);
	seq_printf(m, "%sbytes_used: %llu\n", prefix, st->bytes_used);
	seq_printf(m, "%sbytes_free: %llu\n", prefix, st->bytes_free);
}

/* The trace: run state, tracepoints and their hits, the buffer. */
static void gtp_status_trace(struct seq_file *m, struct gtp_trace *t)
{
	struct gtp_tp_stats tps;
	struct rb_stats st;
	const char *kind;
	char prefix[24];
	u32 i, cpu;
	u64 at;

	seq_printf(m, "state: %s\n", gtp_state_names[t->state]);
	seq_printf(m, "stop_reason: %s\n", gtp_stop_names[t->stop]);
	if (t->error[0])
		seq_printf(m, "last_error: %s\n", t->error);
	seq_printf(m, "trace_circular: %d\n", t->circular);
	seq_printf(m, "disconnected_tracing: %d\n", t->disconnected);
	seq_printf(m, "nested_hits_dropped: %llu\n", gtp_trace_nested_hits());
	seq_printf(m, "tracepoints: %u\n", t->nr_tps);
	for (i = 0; i < t->nr_tps; i++) {
		struct gtp_tracepoint *tp = t->tps[i];

		seq_printf(m, "tp%u_address: 0x%llx\n", tp->num, tp->addr);
		seq_printf(m, "tp%u_enabled: %d\n", tp->num, tp->enabled);
		seq_printf(m, "tp%u_installed: %d\n", tp->num, !!tp->probe);
		kind = gtp_probe_kind(tp, &at);
		if (kind)
			seq_printf(m, "tp%u_probe: %s at 0x%llx\n", tp->num,
				   kind, at);
		gtp_tracepoint_stats(t, tp, &tps);
		seq_printf(m, "tp%u_hits: %llu\n", tp->num, tps.hits);
		seq_printf(m, "tp%u_bytes: %llu\n", tp->num, tps.bytes);
		seq_printf(m, "tp%u_dropped: %llu\n", tp->num, tps.dropped);
		seq_printf(m, "tp%u_read_faults: %llu\n", tp->num,
			   tps.faults);
	}
	if (!t->rb)
		return;
	seq_printf(m, "trace_buffer_pages_per_cpu: %u\n",
		   rb_pages_per_cpu(t->rb));
	rb_stats_total(t->rb, &st);
	gtp_status_stats(m, "", &st);
	for_each_possible_cpu(cpu) {
		if (cpu >= rb_nr_cpus(t->rb))
			break;
		rb_stats_cpu(t->rb, cpu, &st);
		snprintf(prefix, sizeof(prefix), "cpu%u_", cpu);
		gtp_status_stats(m, prefix, &st);
	}
}

/* The gtpframe_pipe readers, one slot per consuming reader of rb/. */
static void gtp_status_pipes(struct seq_file *m)
{
	u64 frames, overrun;
	unsigned int i;
	bool open;

	for (i = 0; i < RB_MAX_CONSUMERS; i++) {
		gtp_pipe_status(i, &open, &frames, &overrun);
		seq_printf(m, "pipe%u_open: %d\n", i, open);
		seq_printf(m, "pipe%u_frames: %llu\n", i, frames);
		seq_printf(m, "pipe%u_overrun: %llu\n", i, overrun);
	}
}

static int gtp_status_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", GTP_VERSION);
	seq_printf(m, "buffer_size: %lu\n", gtp_param_buffer_size);
	seq_printf(m, "circular: %d\n", gtp_param_circular);
	seq_printf(m, "allow_write: %d\n", gtp_param_allow_write);
	seq_printf(m, "lockdown: %s\n", gtp_lockdown_state());
	seq_printf(m, "possible_cpus: %u\n", num_possible_cpus());
	mutex_lock(&gtp_trace_lock);
	if (gtp_the_trace) {
		gtp_status_trace(m, gtp_the_trace);
		gtp_status_pipes(m);
	}
	mutex_unlock(&gtp_trace_lock);
	gtp_audio_status(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gtp_status);

int gtp_status_init(struct dentry *dir)
{
	struct dentry *d;

	d = debugfs_create_file("status", 0400, dir, NULL, &gtp_status_fops);
	return PTR_ERR_OR_ZERO(d);
}
