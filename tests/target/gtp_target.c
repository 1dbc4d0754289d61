// SPDX-License-Identifier: GPL-2.0
/*
 * gtp_target: kernel code for the VM tests to trace, with the names of
 * the host simulator's program (tests/host/sim_program.c) and the same
 * data (gtpt_data.h), so the same GDB sessions run against both: functions with arguments and
 * a local, globals of every C type an expression can touch, a struct, a
 * string, a 64 KiB and a 1 MiB array.
 *
 *   echo N > /sys/kernel/debug/gtp_target/run     N ticks, now
 *   echo 0 > /sys/kernel/debug/gtp_target/run     the counter restarts
 *
 * A tick calls gtpt_loop(counter), gtpt_args(counter, counter * 1000,
 * &gtpt_origin) and, every tenth tick, gtpt_rare(gtpt_string, length).
 * The line marked gtpt-args-site is where the tests trace arguments and
 * the local together (at the entry, the local does not exist yet).
 * Tests load the symbols with add-symbol-file and the section addresses
 * of /sys/module/gtp_target/sections.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "gtpt_data.h"

/*
 * The traced functions.  noinline and a side effect each, so that every
 * call is a real call with its arguments in their registers; the empty
 * asm keeps the compiler from proving the calls away.
 */
noinline int gtpt_args(int a, long b, struct gtpt_point *p)
{
	int local = a * 2 + 1;

	/* Everything live here, in registers: the tests trace this line. */
	asm volatile("" : : "r" (a), "r" (b), "r" (p), "r" (local)
		     : "memory");	/* gtpt-args-site */
	return local + p->x;
}

noinline void gtpt_loop(long n)
{
	WRITE_ONCE(gtpt_sum, gtpt_sum + n);
	asm volatile("" : : "r" (n) : "memory");
}

noinline void gtpt_rare(const char *s, unsigned long len)
{
	asm volatile("" : : "r" (s), "r" (len) : "memory");
}

static void gtpt_tick(void)
{
	gtpt_counter++;
	gtpt_loop(gtpt_counter);
	gtpt_args((int)gtpt_counter, gtpt_counter * 1000, &gtpt_origin);
	if (gtpt_counter % 10 == 0)
		gtpt_rare(gtpt_string, strlen(gtpt_string));
}

static DEFINE_MUTEX(gtpt_lock);
static struct dentry *gtpt_dir;

static ssize_t gtpt_run_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	unsigned long n;
	int err;

	err = kstrtoul_from_user(ubuf, count, 0, &n);
	if (err)
		return err;
	mutex_lock(&gtpt_lock);
	if (!n) {
		gtpt_counter = 0;
		gtpt_sum = 0;
	}
	while (n--) {
		gtpt_tick();
		cond_resched();
	}
	mutex_unlock(&gtpt_lock);
	return count;
}

static const struct file_operations gtpt_run_fops = {
	.owner = THIS_MODULE,
	.write = gtpt_run_write,
	.llseek = noop_llseek,
};

static int __init gtpt_init(void)
{
	gtpt_fill();
	gtpt_dir = debugfs_create_dir("gtp_target", NULL);
	debugfs_create_file("run", 0200, gtpt_dir, NULL, &gtpt_run_fops);
	return 0;
}

static void __exit gtpt_exit(void)
{
	debugfs_remove_recursive(gtpt_dir);
}

module_init(gtpt_init);
module_exit(gtpt_exit);
MODULE_DESCRIPTION("Code and data for the gtp VM tests to trace");
MODULE_LICENSE("GPL");
