/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared state of the gtp kernel agent: the module's parameters and the
 * debugfs nodes every part of the agent hangs its files on.
 */
#ifndef GTP_AGENT_H
#define GTP_AGENT_H

#include <linux/types.h>

struct dentry;

#define GTP_VERSION	"0.1"

/* Module parameters (agent/main.c); read-only after load. */
extern unsigned long gtp_param_buffer_size;
extern bool gtp_param_circular;
extern bool gtp_param_allow_write;

/* debugfs directory for the agent's own files (status, ...). */
extern struct dentry *gtp_debugfs_dir;

int gtp_status_init(struct dentry *dir);

/* Live kernel memory (agent/memory.c): bytes readable from @addr. */
size_t gtp_memory_read(u64 addr, void *buf, size_t len);
bool gtp_memory_locked_down(void);

#endif /* GTP_AGENT_H */
