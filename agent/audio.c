// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's side of the audio collector (hw/): registering it, telling
 * it when trace runs start and stop, doing for it what only the trace
 * can (start a run, stop one with tfull or terror) and showing its
 * figures in the status file and qTStatus.
 */
#include <linux/seq_file.h>

#include "agent/agent.h"
#include "hw/adump.h"
#include "proto/tfile.h"
#include "proto/trace.h"

/* debugfs "start" with no run going: start one, as tstart would. */
static int gtp_audio_start_run(const char **why)
{
	struct gtp_trace *t = gtp_the_trace;
	int err;

	mutex_lock(&gtp_trace_lock);
	if (t->state == GTP_RUNNING) {
		err = adump_run_started(t->rb, why);
	} else {
		/*
		 * No GDB started this run, so none ends it by going away:
		 * a GDB that connects and detaches later leaves it running.
		 */
		t->disconnected = true;
		err = gtp_trace_start(t, why);
	}
	mutex_unlock(&gtp_trace_lock);
	return err;
}

static void gtp_audio_stop_run(bool full, const char *text)
{
	gtp_trace_stop_async(gtp_the_trace,
			     full ? GTP_STOP_FULL : GTP_STOP_ERROR,
			     adump_tracepoint(), text);
}

static const struct adump_host gtp_audio_host = {
	.page_var = GTP_SPECIAL_TSV_BASE + GTP_TSV_ADUMP_PAGE,
	.lost_var = GTP_SPECIAL_TSV_BASE + GTP_TSV_ADUMP_LOST,
	.start_run = gtp_audio_start_run,
	.stop_run = gtp_audio_stop_run,
};

int gtp_audio_init(void)
{
	gtp_the_trace->reserved_tp = adump_tracepoint();
	gtp_the_trace->reserved_why =
		"tracepoint number taken by the audio collector (gtp.adump_tp)";
	return adump_init(&gtp_audio_host, gtp_debugfs_dir);
}

void gtp_audio_exit(void)
{
	adump_exit();
}

/* Trace-op hooks (agent/trace.c), under gtp_trace_lock. */
int gtp_audio_run_started(struct gtp_trace *t, const char **why)
{
	return adump_run_started(t->rb, why);
}

void gtp_audio_run_stopped(void)
{
	adump_run_stopped();
}

/* qTStatus: GDB skips fields it does not know; `maint packet` shows them. */
void gtp_audio_status_fields(struct gtp_text *o)
{
	struct adump_stats st;

	adump_get_stats(&st);
	if (!st.bound && !st.pages)
		return;
	gtp_text_str(o, ";adump_pages:");
	gtp_text_u64(o, st.pages);
	gtp_text_str(o, ";adump_frames:");
	gtp_text_u64(o, st.frames);
	gtp_text_str(o, ";adump_lost:");
	gtp_text_u64(o, st.lost);
	gtp_text_str(o, ";adump_gaps:");
	gtp_text_u64(o, st.gaps);
	gtp_text_str(o, ";adump_overruns:");
	gtp_text_u64(o, st.overruns);
	gtp_text_str(o, ";adump_dropped:");
	gtp_text_u64(o, st.dropped);
}

void gtp_audio_status(struct seq_file *m)
{
	struct adump_stats st;

	adump_get_stats(&st);
	seq_printf(m, "adump_bound: %d\n", st.bound);
	seq_printf(m, "adump_capturing: %d\n", st.capturing);
	seq_printf(m, "adump_pages: %llu\n", st.pages);
	seq_printf(m, "adump_frames: %llu\n", st.frames);
	seq_printf(m, "adump_lost: %llu\n", st.lost);
	seq_printf(m, "adump_gaps: %llu\n", st.gaps);
	seq_printf(m, "adump_overruns: %llu\n", st.overruns);
	seq_printf(m, "adump_dropped: %llu\n", st.dropped);
}
