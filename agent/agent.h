/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared state of the gtp kernel agent: the module's parameters and the
 * debugfs nodes every part of the agent hangs its files on.
 */
#ifndef GTP_AGENT_H
#define GTP_AGENT_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "agent/compat.h"

struct dentry;
struct gtp_trace;

#define GTP_VERSION	"0.1"

/* Module parameters (agent/main.c); read-only after load. */
extern unsigned long gtp_param_buffer_size;
extern bool gtp_param_circular;
extern bool gtp_param_allow_write;
extern bool gtp_param_ftrace_probes;

/* debugfs directory for the agent's own files (status, ...). */
extern struct dentry *gtp_debugfs_dir;

int gtp_status_init(struct dentry *dir);

/*
 * The buffer as GDB trace files, /sys/kernel/debug/gtpframe and
 * gtpframe_pipe (agent/frame_files.c).
 */
int gtp_frame_files_init(void);
void gtp_frame_files_exit(void);
/*
 * Figures of gtpframe_pipe reader slot @i (0 .. RB_MAX_CONSUMERS - 1):
 * whether it is open, frames read and frames lost to circular overwrite,
 * of its reader or, when closed, of the last one.  Under gtp_trace_lock.
 */
void gtp_pipe_status(unsigned int i, bool *open, u64 *frames, u64 *overrun);

/* The RSP endpoint, /sys/kernel/debug/gtp (agent/endpoint.c). */
int gtp_endpoint_init(void);
void gtp_endpoint_exit(void);

/* Live kernel memory (agent/memory.c): bytes readable from @addr. */
size_t gtp_memory_read(u64 addr, void *buf, size_t len);
/* At a hit: kernel memory, or the current task's user memory. */
size_t gtp_memory_read_hit(u64 addr, void *buf, size_t len);
bool gtp_memory_locked_down(void);
/* How much of [addr, addr + len) is kernel code (read-only, exec). */
u64 gtp_memory_code_size(u64 addr, u64 len);
/* Nofault write; the caller checks the allow_write parameter. */
int gtp_memory_write(u64 addr, const void *buf, size_t len);

/*
 * The trace experiment all sessions share (agent/trace.c), and the lock
 * that serialises every change to it.
 */
extern struct mutex gtp_trace_lock;
extern struct gtp_trace *gtp_the_trace;
int gtp_trace_agent_init(void);
void gtp_trace_agent_exit(void);
u64 gtp_trace_nested_hits(void);
struct gtp_tracepoint;
const char *gtp_probe_kind(const struct gtp_tracepoint *tp, u64 *at);

/* The audio collector's registration and hooks (agent/audio.c). */
struct gtp_text;
struct seq_file;
int gtp_audio_init(void);
void gtp_audio_exit(void);
int gtp_audio_run_started(struct gtp_trace *t, const char **why);
void gtp_audio_run_stopped(void);
void gtp_audio_status_fields(struct gtp_text *o);
void gtp_audio_status(struct seq_file *m);

#endif /* GTP_AGENT_H */
