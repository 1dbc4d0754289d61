// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's side of the trace experiment: the one trace GDB sessions
 * share, its probes (kprobes, installed at QTStart, removed at QTStop or
 * unload) and the hit handler that hands each hit to proto/'s hit path
 * with the registers in GDB's layout and nofault memory access.
 *
 * gtp_trace_lock serialises everything that changes the trace (packets,
 * the deferred stop, unload); the hit handler takes no lock.  It runs with
 * interrupts off, so only an NMI can interrupt a hit on the same CPU; such
 * a nested hit is counted and dropped, because the per-CPU scratch space
 * it would need is in use.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ftrace.h>
#include <linux/irq_work.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "agent/agent.h"
#include "proto/packets.h"
#include "proto/trace.h"

DEFINE_MUTEX(gtp_trace_lock);
struct gtp_trace *gtp_the_trace;

struct gtp_probe {
	struct kprobe kp;
	struct gtp_tracepoint *tp;
};

struct gtp_hit_scratch {
	bool busy;
	u8 regs[RSP_REG_BLOCK_X86_64];
};

static DEFINE_PER_CPU(struct gtp_hit_scratch, gtp_scratch);
static DEFINE_PER_CPU(u64, gtp_nested_hits);

u64 gtp_trace_nested_hits(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(gtp_nested_hits, cpu));
	return sum;
}

static void put_le(u8 *dst, u64 val, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++, val >>= 8)
		dst[i] = (u8)val;
}

/*
 * pt_regs into GDB's x86-64 `g` block.  The PC is the probed address, as
 * the user set the tracepoint there, whatever the probe mechanism left in
 * regs->ip.  Floating-point and vector registers are not saved by a
 * kernel probe; they read as zero.
 */
static void gtp_regs_to_g(const struct pt_regs *regs, u64 pc, u8 *g)
{
	const unsigned long gp[16] = {
		regs->ax, regs->bx, regs->cx, regs->dx, regs->si, regs->di,
		regs->bp, regs->sp, regs->r8, regs->r9, regs->r10, regs->r11,
		regs->r12, regs->r13, regs->r14, regs->r15,
	};
	const unsigned long seg[7] = {
		regs->flags, regs->cs, regs->ss, 0, 0, 0, 0,
	};
	int i;

	memset(g, 0, RSP_REG_BLOCK_X86_64);
	for (i = 0; i < 16; i++)
		put_le(g + 8 * i, gp[i], 8);
	put_le(g + RSP_PC_OFFSET_X86_64, pc, 8);
	for (i = 0; i < 7; i++)
		put_le(g + 136 + 4 * i, seg[i], 4);
	put_le(g + 536, regs->orig_ax, 8);
}

static size_t gtp_copy_nofault(void *dst, u64 src, size_t len, void *ctx)
{
	return gtp_memory_read_hit(src, dst, len);
}

static int gtp_probe_hit(struct kprobe *kp, struct pt_regs *regs)
{
	struct gtp_probe *p = container_of(kp, struct gtp_probe, kp);
	struct gtp_hit_scratch *scratch;
	struct gtp_hit hit;
	unsigned long flags;

	local_irq_save(flags);
	scratch = this_cpu_ptr(&gtp_scratch);
	if (scratch->busy) {
		this_cpu_inc(gtp_nested_hits);
		goto out;
	}
	scratch->busy = true;
	barrier();
	hit.cpu = smp_processor_id();
	hit.task = (unsigned long)current;
	hit.pid = task_pid_nr(current);
	hit.time = ktime_get_mono_fast_ns();
	gtp_regs_to_g(regs, p->tp->addr, scratch->regs);
	hit.regs = scratch->regs;
	hit.regs_size = RSP_REG_BLOCK_X86_64;
	hit.copy = gtp_copy_nofault;
	hit.copy_ctx = NULL;
	gtp_trace_hit(gtp_the_trace, p->tp, &hit);
	barrier();
	scratch->busy = false;
out:
	local_irq_restore(flags);
	return 0;
}
NOKPROBE_SYMBOL(gtp_probe_hit);

/*
 * Register a kprobe on @addr, not armed yet: registration alone patches
 * no text, so the caller can still look at how the kernel would probe.
 */
static int gtp_probe_register(struct gtp_probe *p, u64 addr)
{
	memset(&p->kp, 0, sizeof(p->kp));
	p->kp.addr = (kprobe_opcode_t *)(unsigned long)addr;
	p->kp.pre_handler = gtp_probe_hit;
	p->kp.flags = KPROBE_FLAG_DISABLED;
	return register_kprobe(&p->kp);
}

/*
 * A tracepoint on a function's first instruction lands on its ftrace
 * call site, where kprobes would go through ftrace.  On the 6.1 kernels
 * this agent is tested on, arming an ftrace site while other CPUs run
 * through it at full speed crashed the machine: a jump to address 0 from
 * the site, or CPUs stuck on it, with the kernel's own kprobe events and
 * function tracer as well, no gtp loaded (Documentation/reliability.rst,
 * "Arming a probe on a hot function").  So unless the ftrace_probes
 * parameter asks for ftrace, the probe goes on the instruction after the
 * call site: the call site is a no-op while gtp does not use it, so
 * registers and memory there are those of the entry, and frames still
 * carry the tracepoint's address as the PC.
 */
static int gtp_arm(void *target, struct gtp_tracepoint *tp)
{
	struct gtp_probe *p;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->tp = tp;
	err = gtp_probe_register(p, tp->addr);
	if (!err && kprobe_ftrace(&p->kp) && !gtp_param_ftrace_probes) {
		unregister_kprobe(&p->kp);
		err = gtp_probe_register(p, tp->addr + MCOUNT_INSN_SIZE);
		/* Nothing to probe after the site: ftrace it is. */
		if (err)
			err = gtp_probe_register(p, tp->addr);
	}
	if (!err) {
		err = enable_kprobe(&p->kp);
		if (err)
			unregister_kprobe(&p->kp);
	}
	if (err) {
		pr_info("cannot probe %#llx for tracepoint %u: %d\n",
			tp->addr, tp->num, err);
		kfree(p);
		return err;
	}
	tp->probe = p;
	return 0;
}

/*
 * How the kernel probes @tp now and where: "ftrace", "jump" (an optimized
 * kprobe) or "int3", or NULL when it is not installed.  Under
 * gtp_trace_lock; the optimizer may turn "int3" into "jump" at any time.
 */
const char *gtp_probe_kind(const struct gtp_tracepoint *tp, u64 *at)
{
	const struct gtp_probe *p = tp->probe;
	u32 flags;

	if (!p)
		return NULL;
	*at = (unsigned long)p->kp.addr;
	flags = READ_ONCE(p->kp.flags);
	if (flags & KPROBE_FLAG_FTRACE)
		return "ftrace";
	return flags & KPROBE_FLAG_OPTIMIZED ? "jump" : "int3";
}

static void gtp_disarm(void *target, struct gtp_tracepoint *tp)
{
	struct gtp_probe *p = tp->probe;

	if (!p)
		return;
	/* Returns once no handler of this probe is running anywhere. */
	unregister_kprobe(&p->kp);
	kfree(p);
	tp->probe = NULL;
}

static u64 gtp_now_us(void *target)
{
	return ktime_get_real_ns() / NSEC_PER_USEC;
}

/* The hit path stopped the run; remove the probes from process context. */
static void gtp_stop_work_fn(struct work_struct *work)
{
	mutex_lock(&gtp_trace_lock);
	gtp_trace_stop(gtp_the_trace, GTP_STOP_NONE);
	mutex_unlock(&gtp_trace_lock);
}

static DECLARE_WORK(gtp_stop_work, gtp_stop_work_fn);

static void gtp_stop_irq_work_fn(struct irq_work *work)
{
	schedule_work(&gtp_stop_work);
}

static DEFINE_IRQ_WORK(gtp_stop_irq_work, gtp_stop_irq_work_fn);

/*
 * From the hit path, which may run in NMI context (an int3 probe is one,
 * for lockdep as for the CPU) or inside the workqueue's own locks: only
 * irq_work may be queued there; its handler queues the work.
 */
static void gtp_stop_request(void *target)
{
	irq_work_queue(&gtp_stop_irq_work);
}

static int gtp_started(void *target, const char **why)
{
	return gtp_audio_run_started(gtp_the_trace, why);
}

static void gtp_stopped(void *target)
{
	gtp_audio_run_stopped();
}

static void gtp_status_fields(void *target, struct gtp_text *o)
{
	gtp_audio_status_fields(o);
}

static const struct gtp_trace_ops gtp_trace_agent_ops = {
	.arm = gtp_arm,
	.disarm = gtp_disarm,
	.now_us = gtp_now_us,
	.stop_request = gtp_stop_request,
	.started = gtp_started,
	.stopped = gtp_stopped,
	.status_fields = gtp_status_fields,
};

int gtp_trace_agent_init(void)
{
	gtp_the_trace = vzalloc(sizeof(*gtp_the_trace));
	if (!gtp_the_trace)
		return -ENOMEM;
	gtp_trace_init(gtp_the_trace, &gtp_trace_agent_ops, NULL, nr_cpu_ids,
		       gtp_param_buffer_size, gtp_param_circular);
	return 0;
}

void gtp_trace_agent_exit(void)
{
	if (!gtp_the_trace)
		return;
	mutex_lock(&gtp_trace_lock);
	gtp_trace_release(gtp_the_trace);
	mutex_unlock(&gtp_trace_lock);
	/* A stop the hit path asked for may still be queued. */
	irq_work_sync(&gtp_stop_irq_work);
	cancel_work_sync(&gtp_stop_work);
	vfree(gtp_the_trace);
	gtp_the_trace = NULL;
}
