// SPDX-License-Identifier: GPL-2.0
/*
 * The human-readable status file: one "key: value" per line, so that
 * scripts can grep it and people can read it.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/security.h>
#include <linux/seq_file.h>

#include "agent/agent.h"

static const char *gtp_lockdown_state(void)
{
	/*
	 * Reading kernel memory is what this agent does; report up front
	 * whether the lockdown LSM would refuse it.
	 */
	if (security_locked_down(LOCKDOWN_DEBUGFS))
		return "debugfs";
	if (security_locked_down(LOCKDOWN_KCORE))
		return "confidentiality";
	return "none";
}

static int gtp_status_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", GTP_VERSION);
	seq_puts(m, "state: idle\n");
	seq_printf(m, "buffer_size: %lu\n", gtp_param_buffer_size);
	seq_printf(m, "circular: %d\n", gtp_param_circular);
	seq_printf(m, "allow_write: %d\n", gtp_param_allow_write);
	seq_printf(m, "lockdown: %s\n", gtp_lockdown_state());
	seq_printf(m, "possible_cpus: %u\n", num_possible_cpus());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gtp_status);

int gtp_status_init(struct dentry *dir)
{
	struct dentry *d;

	d = debugfs_create_file("status", 0400, dir, NULL, &gtp_status_fops);
	return PTR_ERR_OR_ZERO(d);
}
