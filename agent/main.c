// SPDX-License-Identifier: GPL-2.0
/*
 * gtp: a GDB tracepoint agent for the running kernel.
 *
 * Module entry and exit.  This file owns the module parameters and the
 * debugfs directory; each concern of the agent registers its own files
 * from its own source file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "agent/agent.h"

unsigned long gtp_param_buffer_size = 4UL << 20;
module_param_named(buffer_size, gtp_param_buffer_size, ulong, 0444);
MODULE_PARM_DESC(buffer_size,
		 "default trace buffer size in bytes, all CPUs together");

bool gtp_param_circular;
module_param_named(circular, gtp_param_circular, bool, 0444);
MODULE_PARM_DESC(circular,
		 "default buffer mode: 1 = overwrite oldest, 0 = stop when full");

bool gtp_param_allow_write;
module_param_named(allow_write, gtp_param_allow_write, bool, 0444);
MODULE_PARM_DESC(allow_write,
		 "allow GDB to write kernel memory (M/X packets); off by default");

bool gtp_param_ftrace_probes;
module_param_named(ftrace_probes, gtp_param_ftrace_probes, bool, 0444);
MODULE_PARM_DESC(ftrace_probes,
		 "probe a function's entry through ftrace; off: the next instruction (see agent/trace.c)");

struct dentry *gtp_debugfs_dir;

static int __init gtp_init(void)
{
	int err;

	if (!gtp_param_buffer_size) {
		pr_err("buffer_size must not be 0\n");
		return -EINVAL;
	}

	gtp_debugfs_dir = debugfs_create_dir("gtp_agent", NULL);
	if (IS_ERR(gtp_debugfs_dir)) {
		err = PTR_ERR(gtp_debugfs_dir);
		pr_err("cannot create debugfs directory: %d\n", err);
		return err;
	}

	err = gtp_status_init(gtp_debugfs_dir);
	if (err)
		goto out_remove;

	err = gtp_trace_agent_init();
	if (err)
		goto out_remove;

	err = gtp_frame_files_init();
	if (err)
		goto out_trace;

	err = gtp_endpoint_init();
	if (err)
		goto out_frames;

	err = gtp_audio_init();
	if (err)
		goto out_endpoint;

	pr_info("version %s loaded\n", GTP_VERSION);
	return 0;

out_endpoint:
	gtp_endpoint_exit();
out_frames:
	gtp_frame_files_exit();
out_trace:
	gtp_trace_agent_exit();
out_remove:
	debugfs_remove_recursive(gtp_debugfs_dir);
	return err;
}

static void __exit gtp_exit(void)
{
	/*
	 * Removing the files first waits for every reader inside them, so
	 * nothing below can be reached once this returns.
	 */
	gtp_endpoint_exit();
	gtp_frame_files_exit();
	debugfs_remove_recursive(gtp_debugfs_dir);
	/* Probes go last: no file can reach the trace any more. */
	gtp_trace_agent_exit();
	/* The run is over, so is any capture: the block can go. */
	gtp_audio_exit();
	pr_info("unloaded\n");
}

module_init(gtp_init);
module_exit(gtp_exit);

MODULE_DESCRIPTION("GDB tracepoint agent for the running kernel");
MODULE_LICENSE("GPL");
MODULE_VERSION(GTP_VERSION);
