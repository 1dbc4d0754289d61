// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/gtp_agent/adump: the audio collector's control and
 * status.  Write "start" (arm capture; start a trace run if none is
 * going) or "stop" (disarm; the last pages are collected).  Read: one
 * "key: value" per line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": adump: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "hw/adump_internal.h"

static int adump_status_show(struct seq_file *m, void *unused)
{
	struct adump_stats st;

	adump_get_stats(&st);
	seq_printf(m, "bound: %d\n", st.bound);
	seq_printf(m, "armed: %d\n", st.armed);
	seq_printf(m, "capturing: %d\n", st.capturing);
	seq_printf(m, "tracepoint: %u\n", st.tp);
	seq_printf(m, "policy: %s\n", st.policy);
	seq_printf(m, "ring_address: %#llx\n", st.ring_phys);
	seq_printf(m, "ring_pages: %u\n", st.ring_pages);
	seq_printf(m, "pages: %llu\n", st.pages);
	seq_printf(m, "frames: %llu\n", st.frames);
	seq_printf(m, "lost: %llu\n", st.lost);
	seq_printf(m, "dropped: %llu\n", st.dropped);
	seq_printf(m, "gaps: %llu\n", st.gaps);
	seq_printf(m, "overruns: %llu\n", st.overruns);
	seq_printf(m, "torn: %llu\n", st.torn);
	seq_printf(m, "counter_resets: %llu\n", st.counter_resets);
	seq_printf(m, "block_overflows: %llu\n", st.block_overflows);
	seq_printf(m, "polls: %llu\n", st.polls);
	seq_printf(m, "rate: %llu\n", st.rate);
	seq_printf(m, "cpu_ns: %llu\n", st.cpu_ns);
	seq_printf(m, "error: %s\n", st.error[0] ? st.error : "none");
	return 0;
}

static int adump_open(struct inode *inode, struct file *file)
{
	return single_open(file, adump_status_show, NULL);
}

static ssize_t adump_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	const char *why = NULL;
	char cmd[16];
	int err;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = 0;
	if (sysfs_streq(cmd, "start")) {
		err = adump_arm(&why);
		if (err) {
			pr_info("start: %s\n", why ? why : "failed");
			return err;
		}
	} else if (sysfs_streq(cmd, "stop")) {
		adump_disarm();
	} else {
		return -EINVAL;
	}
	return len;
}

static const struct file_operations adump_fops = {
	.owner = THIS_MODULE,
	.open = adump_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = adump_write,
};

int adump_debugfs_init(struct dentry *dir)
{
	struct dentry *d;

	d = debugfs_create_file("adump", 0600, dir, NULL, &adump_fops);
	return PTR_ERR_OR_ZERO(d);
}
