// SPDX-License-Identifier: GPL-2.0
/*
 * The hit path: a tracepoint fired; run its condition, then its actions,
 * writing one frame.  Runs in the probe handler on the CPU that hit, so
 * nothing here sleeps, locks or allocates; memory is read only through
 * the agent's nofault callbacks, and a read that fails marks bytes
 * unavailable in the frame instead of ending the run.
 *
 * Hit counts are per CPU; only a tracepoint with a passcount pays for a
 * shared atomic counter.
 */
#include "gtp_port.h"
#include "proto/ax.h"
#include "proto/trace.h"

struct hit_ctx {
	struct gtp_trace *t;
	const struct gtp_hit *hit;
	struct rb_writer *w;	/* NULL while evaluating the condition */
	struct gtp_tp_stats *st;	/* the tracepoint's, this CPU's */
	u64 stack[AX_STACK_MAX];
};

/* Offsets and sizes of GDB's x86-64 GNU/Linux `g` registers. */
static bool g_reg_slot(u32 regnum, u32 *off, u32 *size)
{
	if (regnum <= 16) {		/* rax..r15, rip */
		*off = regnum * 8;
		*size = 8;
	} else if (regnum <= 23) {	/* eflags, cs, ss, ds, es, fs, gs */
		*off = 136 + (regnum - 17) * 4;
		*size = 4;
	} else if (regnum >= 57 && regnum <= 59) { /* orig_rax, fs/gs_base */
		*off = 536 + (regnum - 57) * 8;
		*size = 8;
	} else {
		return false;
	}
	return true;
}

bool gtp_g_reg_known(u32 regnum)
{
	u32 off, size;

	return g_reg_slot(regnum, &off, &size);
}

bool gtp_g_reg(const u8 *block, u32 size, u32 regnum, u64 *val)
{
	u32 off, n, i;

	if (!g_reg_slot(regnum, &off, &n) || off + n > size)
		return false;
	*val = 0;
	for (i = 0; i < n; i++)
		*val |= (u64)block[off + i] << (8 * i);
	return true;
}

static size_t ax_read(void *target, u64 addr, void *buf, size_t len)
{
	struct hit_ctx *h = target;

	return h->hit->copy(buf, addr, len, h->hit->copy_ctx);
}

static bool ax_reg(void *target, u32 regnum, u64 *val)
{
	struct hit_ctx *h = target;

	return gtp_g_reg(h->hit->regs, h->hit->regs_size, regnum, val);
}

static bool ax_getv(void *target, u32 num, s64 *val)
{
	struct hit_ctx *h = target;
	struct gtp_tsv *v = gtp_trace_find_tsv(h->t, num);

	if (!v)
		return false;
	switch (v->special) {
	case GTP_TSV_PLAIN:
		*val = READ_ONCE(v->value);
		break;
	case GTP_TSV_CPU_ID:
		*val = h->hit->cpu;
		break;
	case GTP_TSV_CURRENT_TASK:
		*val = (s64)h->hit->task;
		break;
	case GTP_TSV_CURRENT_TASK_PID:
		*val = h->hit->pid;
		break;
	case GTP_TSV_CLOCK:
		*val = (s64)h->hit->time;
		break;
	default:
		return false;
	}
	return true;
}

/* The agent's own variables are read-only. */
static bool ax_setv(void *target, u32 num, s64 val)
{
	struct hit_ctx *h = target;
	struct gtp_tsv *v = gtp_trace_find_tsv(h->t, num);

	if (!v || v->special)
		return false;
	WRITE_ONCE(v->value, val);
	return true;
}

static int ax_trace_mem(void *target, u64 addr, u64 len)
{
	struct hit_ctx *h = target;

	if (!h->w)
		return 0;
	return rb_frame_mem(h->w, addr, len, h->hit->copy, h->hit->copy_ctx);
}

static int ax_trace_var(void *target, u32 num)
{
	struct hit_ctx *h = target;
	s64 val;

	if (!h->w || !ax_getv(target, num, &val))
		return 0;
	return rb_frame_var(h->w, num, val);
}

static void env_init(struct ax_env *env, struct hit_ctx *h)
{
	env->target = h;
	env->stack = h->stack;
	env->read_memory = ax_read;
	env->read_reg = ax_reg;
	env->getv = ax_getv;
	env->setv = ax_setv;
	env->trace_mem = ax_trace_mem;
	env->trace_var = ax_trace_var;
}

/*
 * Several CPUs may stop the run at once: the first one records why,
 * publishes the reason with a release store of t->stop (readers acquire
 * it before reading error[]) and asks the agent to finish the stop.
 */
void gtp_trace_stop_async(struct gtp_trace *t, enum gtp_stop why, u32 tp,
			  const char *what)
{
	if (READ_ONCE(t->state) != GTP_RUNNING ||
	    cmpxchg(&t->hit_stopping, 0, 1) != 0)
		return;
	WRITE_ONCE(t->stop_tp, tp);
	if (why == GTP_STOP_ERROR)
		snprintf(t->error, sizeof(t->error), "%s", what);
	/* Publishes stop_tp and error[]: readers acquire t->stop first. */
	smp_store_release(&t->stop, why);
	WRITE_ONCE(t->state, GTP_STOPPED);
	t->ops->stop_request(t->target);
}

static void stop_from_hit(struct gtp_trace *t, enum gtp_stop why, u32 tp,
			  const char *what, int err)
{
	char text[GTP_NOTE_MAX];

	/* Hits after the stop have nothing to record: skip the text. */
	if (READ_ONCE(t->state) != GTP_RUNNING)
		return;
	if (why == GTP_STOP_ERROR)
		snprintf(text, sizeof(text), "%s: %s", what, ax_strerror(err));
	else
		text[0] = 0;
	gtp_trace_stop_async(t, why, tp, text);
}

/*
 * An expression failed.  A read that failed is the traced code's data
 * (a NULL pointer at this hit, say): count it and go on.  Anything else
 * is a fault of the expression itself that every later hit would repeat,
 * so the run stops with terror naming it, as gdbserver does.
 */
static void eval_failed(struct hit_ctx *h, struct gtp_tracepoint *tp,
			const char *what, int err)
{
	switch (err) {
	case -EFAULT:
		h->st->faults++;
		return;
	case -EDOM:
	case -ELOOP:
	case -EINVAL:
	case -EOVERFLOW:
	case -ENOENT:
		stop_from_hit(h->t, GTP_STOP_ERROR, tp->num, what, err);
		return;
	default:
		/* The ring's: the frame is dropped and counted at commit. */
		return;
	}
}

static void run_actions(struct hit_ctx *h, struct gtp_tracepoint *tp,
			struct ax_env *env)
{
	const struct gtp_hit *hit = h->hit;
	u32 i;
	int err;

	for (i = 0; i < tp->nr_actions; i++) {
		const struct gtp_action *a = &tp->actions[i];
		u64 base = 0, res;

		switch (a->kind) {
		case 'R':
			rb_frame_reg(h->w, hit->regs, hit->regs_size);
			break;
		case 'M':
			if (a->basereg >= 0 &&
			    !gtp_g_reg(hit->regs, hit->regs_size, a->basereg,
				       &base))
				break;
			rb_frame_mem(h->w, base + a->offset, a->len, hit->copy,
				     hit->copy_ctx);
			break;
		case 'X':
			/* A failed expression collects what it reached. */
			err = ax_eval(a->code, a->code_len, env, &res);
			if (err)
				eval_failed(h, tp, "collection expression",
					    err);
			break;
		}
	}
}

void gtp_trace_hit(struct gtp_trace *t, struct gtp_tracepoint *tp,
		   const struct gtp_hit *hit)
{
	struct rb_writer w;
	struct hit_ctx h;
	struct ax_env env;
	u64 res;
	int err;

	/* Pairs with the release in gtp_trace_start(): definitions first. */
	if (smp_load_acquire(&t->state) != GTP_RUNNING)
		return;
	h.t = t;
	h.hit = hit;
	h.w = NULL;
	h.st = &tp->stats[hit->cpu];
	env_init(&env, &h);
	if (tp->cond) {
		err = ax_eval(tp->cond, tp->cond_len, &env, &res);
		if (err)
			eval_failed(&h, tp, "condition", err);
		if (err || !res)
			return;
	}

	h.st->hits++;
	err = rb_frame_begin(t->rb, &w, hit->cpu, tp->num, hit->time);
	if (!err) {
		h.w = &w;
		run_actions(&h, tp, &env);
		err = rb_frame_commit(&w);
	}
	if (err)
		h.st->dropped++;
	else
		h.st->bytes += w.stream_size;
	if (err == -ENOSPC)
		stop_from_hit(t, GTP_STOP_FULL, tp->num, NULL, 0);
	if (tp->pass &&
	    (u64)atomic64_inc_return(&tp->pass_hits) >= tp->pass)
		stop_from_hit(t, GTP_STOP_PASSCOUNT, tp->num, NULL, 0);
}
