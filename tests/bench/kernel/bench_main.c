// SPDX-License-Identifier: GPL-2.0
/*
 * gtp_bench.ko: the guest half of `make bench` (the scripts in tests/bench).
 *
 * /sys/kernel/debug/gtp_bench/buffers (root, read-write): write
 *
 *	WRITER SIZE MS [reader]
 *
 * with WRITER one of ftrace, rb, rb-nofault (or clock-local, clock-mono:
 * the cost of a clock read alone, SIZE ignored); the write returns when the
 * run is over (bench_buffers.c says what it does), and a read gives its
 * result as "key=value" words, or the write fails with the error.
 *
 * /sys/kernel/debug/gtp_bench/blob (root, read-only): blob_bytes bytes of
 * a fixed pattern, a plain debugfs blob to set gtpframe's read speed
 * beside (bench_reader.sh); absent when blob_bytes is 0.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "bench.h"

static unsigned long blob_bytes;
module_param(blob_bytes, ulong, 0444);
MODULE_PARM_DESC(blob_bytes, "size of the debugfs blob gtp_bench/blob (0: none)");

static struct dentry *bench_dir;
static struct debugfs_blob_wrapper bench_blob;
static DEFINE_MUTEX(bench_lock);
static char bench_last[256];

static const char *const writer_names[] = {
	[BENCH_FTRACE] = "ftrace",
	[BENCH_RB] = "rb",
	[BENCH_RB_NOFAULT] = "rb-nofault",
	[BENCH_CLOCK_LOCAL] = "clock-local",
	[BENCH_CLOCK_MONO] = "clock-mono",
};

static int parse_cmd(char *line, struct bench_params *p)
{
	char *word[4];
	int n = 0, i;

	while (n < ARRAY_SIZE(word) && (word[n] = strsep(&line, " \t\n")))
		if (*word[n])
			n++;
	if (n < 3 || (line && *skip_spaces(line)))
		return -EINVAL;
	i = match_string(writer_names, ARRAY_SIZE(writer_names), word[0]);
	if (i < 0)
		return -EINVAL;
	p->writer = i;
	if (kstrtou32(word[1], 0, &p->size) || kstrtou32(word[2], 0, &p->ms))
		return -EINVAL;
	if (!p->ms || p->ms > 10000)
		return -ERANGE;
	p->reader = false;
	if (n == 4) {
		if (strcmp(word[3], "reader"))
			return -EINVAL;
		p->reader = true;
	}
	return 0;
}

static ssize_t buffers_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct bench_params p;
	struct bench_result r;
	char line[64];
	int err;

	if (len >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, ubuf, len))
		return -EFAULT;
	line[len] = '\0';
	err = parse_cmd(line, &p);
	if (err)
		return err;

	mutex_lock(&bench_lock);
	err = bench_buffers_run(&p, &r);
	if (err)
		bench_last[0] = '\0';
	else
		scnprintf(bench_last, sizeof(bench_last),
			  "writer=%s size=%u reader=%d events=%llu ns=%llu refused=%llu warm_events=%llu read_events=%llu read_bytes=%llu ring_bytes=%llu writer_cpu=%u\n",
			  writer_names[p.writer], p.size, r.reader_cpu,
			  r.events, r.ns, r.refused, r.warm_events,
			  r.read_events, r.read_bytes, r.ring_bytes,
			  r.writer_cpu);
	mutex_unlock(&bench_lock);
	return err ? err : len;
}

static ssize_t buffers_read(struct file *file, char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bench_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, bench_last,
				      strlen(bench_last));
	mutex_unlock(&bench_lock);
	return ret;
}

static const struct file_operations buffers_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = buffers_read,
	.write = buffers_write,
	.llseek = default_llseek,
};

static int __init bench_init(void)
{
	unsigned long i;
	u8 *data;
	int err;

	err = bench_buffers_init();
	if (err)
		return err;
	bench_dir = debugfs_create_dir("gtp_bench", NULL);
	debugfs_create_file("buffers", 0600, bench_dir, NULL, &buffers_fops);
	if (blob_bytes) {
		data = vmalloc(blob_bytes);
		if (!data) {
			debugfs_remove_recursive(bench_dir);
			bench_buffers_exit();
			return -ENOMEM;
		}
		for (i = 0; i < blob_bytes; i++)
			data[i] = (u8)(i * 13 + 5);
		bench_blob.data = data;
		bench_blob.size = blob_bytes;
		debugfs_create_blob("blob", 0400, bench_dir, &bench_blob);
	}
	return 0;
}

static void __exit bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	vfree(bench_blob.data);
	bench_buffers_exit();
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gtp benchmarks: ftrace ring buffer against rb/, debugfs blob");
