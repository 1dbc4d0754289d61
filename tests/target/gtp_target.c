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
 *
 * For the stress test (tests/stress), without the lock, on every CPU:
 *
 *   echo MS > /sys/kernel/debug/gtp_target/stress    call for MS ms
 *   cat /sys/kernel/debug/gtp_target/stress_counts   calls so far
 *   echo 0 > /sys/kernel/debug/gtp_target/stress_counts   restart them
 *
 * Each iteration n (counted per writer from 0) calls gtpt_hot(n, cpu)
 * and gtpt_cond(n), and gtpt_bulk(n) when n % GTPT_BULK_EVERY == 0;
 * stress_counts says how many calls each had, and for how many of
 * gtpt_cond's n % GTPT_COND_MOD == 0 held: exactly the hits a
 * tracepoint there should count with that condition.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
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

/* ---- stress ---- */

#define GTPT_BULK_EVERY	64
#define GTPT_COND_MOD	8

struct gtpt_stress_counts {
	unsigned long hot, cond, cond_true, bulk;
};

static DEFINE_PER_CPU(struct gtpt_stress_counts, gtpt_stress_counts);

noinline void gtpt_hot(unsigned long n, unsigned int cpu)
{
	asm volatile("" : : "r" (n), "r" (cpu) : "memory");
}

noinline void gtpt_cond(unsigned long n)
{
	asm volatile("" : : "r" (n) : "memory");
}

noinline void gtpt_bulk(unsigned long n)
{
	asm volatile("" : : "r" (n) : "memory");
}

/*
 * The counts are per CPU and bumped with preemption off around the
 * call, so that a migration between the call and the count cannot
 * matter: only the sums are read.
 */
static void gtpt_stress_iter(unsigned long n)
{
	struct gtpt_stress_counts *c;

	preempt_disable();
	c = this_cpu_ptr(&gtpt_stress_counts);
	gtpt_hot(n, smp_processor_id());
	c->hot++;
	gtpt_cond(n);
	c->cond++;
	if (n % GTPT_COND_MOD == 0)
		c->cond_true++;
	if (n % GTPT_BULK_EVERY == 0) {
		gtpt_bulk(n);
		c->bulk++;
	}
	preempt_enable();
}

static ssize_t gtpt_stress_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	unsigned long ms, n, end;
	int err;

	err = kstrtoul_from_user(ubuf, count, 0, &ms);
	if (err)
		return err;
	if (ms > 3600 * MSEC_PER_SEC)
		return -EINVAL;
	end = jiffies + msecs_to_jiffies(ms);
	for (n = 0; time_before(jiffies, end); n++) {
		gtpt_stress_iter(n);
		if (n % 256 == 255) {
			if (fatal_signal_pending(current))
				break;
			/*
			 * A quiescent state for tasks RCU too: without one
			 * the kprobe optimizer, which waits for every task
			 * to pass one, holds kprobe_mutex for as long as
			 * this loop runs, and every probe registration
			 * (tstart) waits behind it.
			 */
			cond_resched_tasks_rcu_qs();
		}
	}
	return count;
}

static int gtpt_stress_counts_show(struct seq_file *m, void *unused)
{
	struct gtpt_stress_counts sum = { 0 }, *c;
	int cpu;

	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(&gtpt_stress_counts, cpu);
		sum.hot += READ_ONCE(c->hot);
		sum.cond += READ_ONCE(c->cond);
		sum.cond_true += READ_ONCE(c->cond_true);
		sum.bulk += READ_ONCE(c->bulk);
	}
	seq_printf(m, "hot: %lu\ncond: %lu\ncond_true: %lu\nbulk: %lu\n",
		   sum.hot, sum.cond, sum.cond_true, sum.bulk);
	return 0;
}

static int gtpt_stress_counts_open(struct inode *inode, struct file *file)
{
	return single_open(file, gtpt_stress_counts_show, NULL);
}

/* Any write restarts the counts; call it only while no writer runs. */
static ssize_t gtpt_stress_counts_write(struct file *file,
					const char __user *ubuf,
					size_t count, loff_t *ppos)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&gtpt_stress_counts, cpu), 0,
		       sizeof(struct gtpt_stress_counts));
	return count;
}

static const struct file_operations gtpt_stress_fops = {
	.owner = THIS_MODULE,
	.write = gtpt_stress_write,
	.llseek = noop_llseek,
};

static const struct file_operations gtpt_stress_counts_fops = {
	.owner = THIS_MODULE,
	.open = gtpt_stress_counts_open,
	.read = seq_read,
	.write = gtpt_stress_counts_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ---- the ticks of the GDB cases ---- */

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
	debugfs_create_file("stress", 0200, gtpt_dir, NULL, &gtpt_stress_fops);
	debugfs_create_file("stress_counts", 0600, gtpt_dir, NULL,
			    &gtpt_stress_counts_fops);
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
