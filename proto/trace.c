// SPDX-License-Identifier: GPL-2.0
/*
 * The trace experiment's definitions and life cycle: what QTinit, QTDP,
 * QTDPsrc, QTDV, QTStart and QTStop do to the trace, independent of how
 * the packets are spelled on the wire (proto/trace_packets.c).
 *
 * A definition that does not parse or verify is refused whole: the
 * tracepoint table is left as it was, and the reason goes back to GDB.
 */
#include "gtp_port.h"
#include "proto/ax.h"
#include "proto/hex.h"
#include "proto/trace.h"

/* Names are hex, as GDB sends and expects them: "cpu_id" and so on. */
static const char *const special_names[GTP_NR_SPECIAL_TSVS] = {
	[GTP_TSV_CPU_ID] = "6370755f6964",
	[GTP_TSV_CURRENT_TASK] = "63757272656e745f7461736b",
	[GTP_TSV_CURRENT_TASK_PID] = "63757272656e745f7461736b5f706964",
	[GTP_TSV_CLOCK] = "636c6f636b",
	[GTP_TSV_ADUMP_PAGE] = "6164756d705f70616765",
	[GTP_TSV_ADUMP_LOST] = "6164756d705f6c6f7374",
};

static void add_special_tsvs(struct gtp_trace *t)
{
	int i;

	for (i = GTP_TSV_CPU_ID; i < GTP_NR_SPECIAL_TSVS; i++) {
		struct gtp_tsv *v = &t->tsvs[t->nr_tsvs++];

		memset(v, 0, sizeof(*v));
		v->num = GTP_SPECIAL_TSV_BASE + i;
		v->builtin = true;
		v->special = i;
		v->name = (char *)special_names[i];
	}
}

void gtp_trace_init(struct gtp_trace *t, const struct gtp_trace_ops *ops,
		    void *target, u32 nr_cpus, u64 default_size,
		    bool circular)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->target = target;
	t->nr_cpus = nr_cpus;
	t->default_size = default_size;
	t->circular = circular;
	t->state = GTP_NOT_RUN;
	add_special_tsvs(t);
}

static void tp_free(struct gtp_tracepoint *tp)
{
	u32 i;

	if (!tp)
		return;
	for (i = 0; i < tp->nr_actions; i++) {
		rb_port_free(tp->actions[i].code);
		rb_port_free(tp->actions[i].text);
	}
	for (i = 0; i < tp->nr_src; i++)
		rb_port_free(tp->src[i]);
	rb_port_free(tp->actions);
	rb_port_free(tp->src);
	rb_port_free(tp->cond);
	rb_port_free(tp->stats);
	rb_port_free(tp);
}

/* Forget GDB's variables; the agent's own stay. */
static void tsvs_free(struct gtp_trace *t)
{
	u32 i;

	for (i = 0; i < t->nr_tsvs; i++)
		if (!t->tsvs[i].special)
			rb_port_free(t->tsvs[i].name);
	t->nr_tsvs = 0;
	add_special_tsvs(t);
}

int gtp_trace_clear(struct gtp_trace *t)
{
	u32 i;

	if (t->state == GTP_RUNNING)
		return -EBUSY;
	for (i = 0; i < t->nr_tps; i++)
		tp_free(t->tps[i]);
	t->nr_tps = 0;
	tsvs_free(t);
	t->nr_ro = 0;
	return 0;
}

void gtp_trace_release(struct gtp_trace *t)
{
	gtp_trace_stop(t, GTP_STOP_USER);
	gtp_trace_clear(t);
	rb_destroy(t->rb);
	t->rb = NULL;
}

struct gtp_tracepoint *gtp_trace_find(struct gtp_trace *t, u32 num)
{
	u32 i;

	for (i = 0; i < t->nr_tps; i++)
		if (t->tps[i]->num == num)
			return t->tps[i];
	return NULL;
}

struct gtp_tsv *gtp_trace_find_tsv(struct gtp_trace *t, u32 num)
{
	/* Pairs with the release in gtp_trace_define_tsv(). */
	u32 n = smp_load_acquire(&t->nr_tsvs);
	u32 i;

	for (i = 0; i < n; i++)
		if (t->tsvs[i].num == num)
			return &t->tsvs[i];
	return NULL;
}

/* ---- parsing helpers ---- */

struct cursor {
	const char *p, *end;
	char *msg;		/* GTP_NOTE_MAX bytes for a formatted reason */
};

static bool cur_hex(struct cursor *c, u64 *val)
{
	return rsp_parse_u64(&c->p, c->end, val);
}

static bool cur_char(struct cursor *c, char ch)
{
	if (c->p == c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/* A hex number that may be negative ("-1" for an absolute M action). */
static bool cur_signed(struct cursor *c, s64 *val)
{
	bool neg = cur_char(c, '-');
	u64 v;

	if (!cur_hex(c, &v))
		return false;
	*val = neg ? -(s64)v : (s64)v;
	return true;
}

/* @n bytes of hex into a fresh buffer. */
static u8 *cur_bytes(struct cursor *c, u64 n)
{
	u8 *buf;

	if (!n || n > AX_CODE_MAX || (u64)(c->end - c->p) < 2 * n)
		return NULL;
	buf = rb_port_zalloc(n);
	if (!buf)
		return NULL;
	if (!rsp_hex_decode(buf, c->p, n)) {
		rb_port_free(buf);
		return NULL;
	}
	c->p += 2 * n;
	return buf;
}

/* The verifier's refusal, with where, for GDB to show the user. */
static int verify(struct cursor *c, const u8 *code, u32 len, bool condition,
		  const char **why)
{
	struct ax_info info;
	const char *reason;
	s32 r;
	int err;

	err = ax_verify(code, len, &info, &reason);
	if (err == -EINVAL) {
		snprintf(c->msg, GTP_NOTE_MAX,
			 "%s bytecode refused at offset %u: %s",
			 condition ? "condition" : "action", info.error_pc,
			 reason);
		*why = c->msg;
	} else if (err) {
		*why = reason;
	}
	if (err)
		return err;
	/* A register the hit cannot supply would stop the run at a hit. */
	for (r = 0; r <= info.max_reg; r++) {
		if ((r < 64 && !(info.regs & (1ULL << r))) || gtp_g_reg_known(r))
			continue;
		snprintf(c->msg, GTP_NOTE_MAX,
			 "%s bytecode reads register %u, which this agent does not collect",
			 condition ? "condition" : "action", r);
		*why = c->msg;
		return -EINVAL;
	}
	if (condition && !info.value) {
		*why = "condition leaves no value";
		return -EINVAL;
	}
	return 0;
}

static int tp_alloc_stats(struct gtp_trace *t, struct gtp_tracepoint *tp)
{
	rb_port_free(tp->stats);
	tp->stats = rb_port_zalloc(t->nr_cpus * sizeof(*tp->stats));
	if (!tp->stats)
		return -ENOMEM;
	atomic64_set(&tp->pass_hits, 0);
	return 0;
}

/*
 * A tracepoint downloaded during a run is complete: install it.  The hit
 * path reads a tracepoint only through its probe, so arming it last
 * publishes the finished definition.
 */
static int install_in_trace(struct gtp_trace *t, struct gtp_tracepoint *tp,
			    const char **why)
{
	int err;

	tp->pending = false;
	/*
	 * The run may have stopped since the first packet (passcount, full,
	 * QTStop): then nothing would ever remove the probe.  The next
	 * QTStart arms it with the others.
	 */
	if (!tp->enabled || t->state != GTP_RUNNING)
		return 0;
	err = tp_alloc_stats(t, tp);
	if (!err)
		err = t->ops->arm(t->target, tp);
	if (err)
		*why = "cannot install a probe at the tracepoint address";
	return err;
}

/* ---- QTDP ---- */

/* "n:addr:E|D:step:pass[:Fflen][:Xlen,hex][-]" */
static int define_new(struct gtp_trace *t, struct cursor *c, const char **why)
{
	struct gtp_tracepoint *tp, *old;
	u64 num, addr, step, pass, n;
	bool more;
	u32 i;
	int err = -EINVAL;

	*why = "malformed QTDP";
	if (!cur_hex(c, &num) || !cur_char(c, ':') || !cur_hex(c, &addr) ||
	    !cur_char(c, ':') || c->p == c->end)
		return -EINVAL;
	/* The trace file has 16 bits for it, and 0 ends its frames. */
	if (!num || num > GTP_TP_NUM_MAX) {
		*why = "tracepoint number out of range";
		return -EINVAL;
	}
	/* Frames of that number would be taken for the other source's. */
	if (num == t->reserved_tp && t->reserved_why) {
		*why = t->reserved_why;
		return -EINVAL;
	}
	tp = rb_port_zalloc(sizeof(*tp));
	if (!tp) {
		*why = "out of memory";
		return -ENOMEM;
	}
	tp->num = (u32)num;
	tp->addr = addr;
	tp->enabled = *c->p == 'E';
	if ((*c->p != 'E' && *c->p != 'D') || (c->p++, !cur_char(c, ':')) ||
	    !cur_hex(c, &step) || !cur_char(c, ':') || !cur_hex(c, &pass))
		goto fail;
	tp->step = step;
	tp->pass = pass;
	if (step) {
		*why = "while-stepping is not supported";
		goto fail;
	}
	while (cur_char(c, ':')) {
		if (cur_char(c, 'F')) {
			*why = "fast tracepoints are not supported";
			goto fail;
		}
		/* One condition at most. */
		if (tp->cond || !cur_char(c, 'X') || !cur_hex(c, &n) ||
		    !cur_char(c, ',')) {
			*why = "malformed QTDP condition";
			goto fail;
		}
		tp->cond = cur_bytes(c, n);
		if (!tp->cond) {
			*why = "malformed QTDP condition";
			goto fail;
		}
		tp->cond_len = (u32)n;
		err = verify(c, tp->cond, tp->cond_len, true, why);
		if (err)
			goto fail;
		err = -EINVAL;
	}
	more = cur_char(c, '-');
	if (c->p != c->end)
		goto fail;

	old = gtp_trace_find(t, tp->num);
	if (t->state == GTP_RUNNING) {
		if (old) {
			*why = "a tracepoint in use cannot be redefined";
			err = -EBUSY;
			goto fail;
		}
		tp->pending = true;
	}
	if (old) {
		for (i = 0; i < t->nr_tps; i++)
			if (t->tps[i] == old)
				t->tps[i] = tp;
		tp_free(old);
		return 0;
	}
	if (t->nr_tps == GTP_MAX_TRACEPOINTS) {
		*why = "too many tracepoints";
		err = -ENOSPC;
		goto fail;
	}
	t->tps[t->nr_tps++] = tp;
	if (tp->pending && !more)
		return install_in_trace(t, tp, why);
	return 0;
fail:
	tp_free(tp);
	return err;
}

static int parse_action_body(struct cursor *c, struct gtp_action *a,
			     const char **why);

static int parse_action(struct cursor *c, struct gtp_action *a,
			const char **why)
{
	const char *start = c->p;
	int err;

	*why = "malformed QTDP action";
	err = parse_action_body(c, a, why);
	if (err)
		return err;
	a->text = rb_port_zalloc(c->p - start + 1);
	if (!a->text)
		return -ENOMEM;
	memcpy(a->text, start, c->p - start);
	return 0;
}

static int parse_action_body(struct cursor *c, struct gtp_action *a,
			     const char **why)
{
	u64 mask, off, len;
	s64 reg;

	a->kind = *c->p++;
	switch (a->kind) {
	case 'R':
		/* Any mask: the whole register block is collected. */
		return cur_hex(c, &mask) ? 0 : -EINVAL;
	case 'M':
		if (!cur_signed(c, &reg) || !cur_char(c, ',') ||
		    !cur_hex(c, &off) || !cur_char(c, ',') || !cur_hex(c, &len))
			return -EINVAL;
		if (reg >= 0 && !gtp_g_reg_known((u32)reg)) {
			*why = "M action based on a register this agent does not collect";
			return -EINVAL;
		}
		a->basereg = (s32)reg;
		a->offset = off;
		a->len = len;
		return 0;
	case 'X':
		if (!cur_hex(c, &len) || !cur_char(c, ','))
			return -EINVAL;
		a->code = cur_bytes(c, len);
		if (!a->code)
			return -EINVAL;
		a->code_len = (u32)len;
		return verify(c, a->code, a->code_len, false, why);
	case 'S':
		*why = "while-stepping is not supported";
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

/*
 * Make room for @need elements in the array at *@arr of *@max elements of
 * @size bytes, doubling.  Only for a tracepoint no probe can see.
 */
static int grow(void **arr, u32 *max, u32 need, size_t size)
{
	u32 n = *max ? *max : 8;
	void *p;

	if (need <= *max)
		return 0;
	while (n < need)
		n *= 2;
	p = rb_port_zalloc((size_t)n * size);
	if (!p)
		return -ENOMEM;
	if (*arr)
		memcpy(p, *arr, (size_t)*max * size);
	rb_port_free(*arr);
	*arr = p;
	*max = n;
	return 0;
}

/* "-n:addr:actions[-]": actions of a tracepoint already defined. */
static int define_more(struct gtp_trace *t, struct cursor *c,
		       const char **why)
{
	struct gtp_action acts[8];
	struct gtp_tracepoint *tp;
	bool more;
	u32 n = 0, i;
	u64 num, addr;
	int err = -EINVAL;

	*why = "malformed QTDP";
	if (!cur_hex(c, &num) || !cur_char(c, ':') || !cur_hex(c, &addr) ||
	    !cur_char(c, ':'))
		return -EINVAL;
	tp = gtp_trace_find(t, (u32)num);
	if (!tp || tp->addr != addr) {
		*why = "QTDP continues an unknown tracepoint";
		return -ENOENT;
	}
	if (t->state == GTP_RUNNING && !tp->pending) {
		*why = "a tracepoint in use cannot be changed";
		return -EBUSY;
	}
	memset(acts, 0, sizeof(acts));
	while (c->p != c->end && *c->p != '-') {
		if (n == ARRAY_SIZE(acts) ||
		    tp->nr_actions + n >= GTP_MAX_ACTIONS) {
			*why = "too many actions";
			err = -ENOSPC;
			goto fail;
		}
		err = parse_action(c, &acts[n], why);
		n++;
		if (err)
			goto fail;
	}
	more = cur_char(c, '-');
	if (c->p != c->end) {
		err = -EINVAL;
		goto fail;
	}
	err = grow((void **)&tp->actions, &tp->max_actions,
		   tp->nr_actions + n, sizeof(*tp->actions));
	if (err) {
		*why = "out of memory";
		goto fail;
	}
	for (i = 0; i < n; i++)
		tp->actions[tp->nr_actions++] = acts[i];
	if (tp->pending && !more)
		return install_in_trace(t, tp, why);
	return 0;
fail:
	for (i = 0; i < n; i++) {
		rb_port_free(acts[i].code);
		rb_port_free(acts[i].text);
	}
	return err;
}

int gtp_trace_define(struct gtp_trace *t, const char *args, size_t len,
		     const char **why)
{
	struct cursor c = { args, args + len, t->error };

	/*
	 * During a run only a new tracepoint may be defined (InstallInTrace):
	 * define_new() and define_more() refuse to change one in use.
	 */
	if (cur_char(&c, '-'))
		return define_more(t, &c, why);
	return define_new(t, &c, why);
}

/*
 * Text kept for the trace-file header and the uploads must not break
 * their lines: GDB sends only printable ASCII without spaces there.
 */
static bool plain_text(const char *p, size_t len)
{
	while (len--) {
		if (*p <= ' ' || *p > '~')
			return false;
		p++;
	}
	return true;
}

/* Text as GDB sends it: hex, two digits a character, not empty. */
static bool hex_text(const char *p, size_t len)
{
	if (!len || len % 2)
		return false;
	while (len--)
		if (rsp_hex_val(*p++) < 0)
			return false;
	return true;
}

/* "n:addr:type:start:slen:hex", kept verbatim for the upload. */
int gtp_trace_add_src(struct gtp_trace *t, const char *args, size_t len)
{
	struct cursor c = { args, args + len, NULL };
	struct gtp_tracepoint *tp;
	u64 num, addr, start, slen;
	char *s;

	if (!cur_hex(&c, &num) || !cur_char(&c, ':') || !cur_hex(&c, &addr) ||
	    !cur_char(&c, ':') || !plain_text(args, len))
		return -EINVAL;
	/* The type ("at", "cond", "cmd"), then where this piece goes. */
	while (c.p < c.end && *c.p != ':')
		c.p++;
	if (!cur_char(&c, ':') || !cur_hex(&c, &start) || !cur_char(&c, ':') ||
	    !cur_hex(&c, &slen) || !cur_char(&c, ':') ||
	    !hex_text(c.p, c.end - c.p))
		return -EINVAL;
	tp = gtp_trace_find(t, (u32)num);
	if (!tp || tp->addr != addr)
		return -ENOENT;
	if (tp->nr_src == GTP_MAX_SRC)
		return -ENOSPC;
	if (grow((void **)&tp->src, &tp->max_src, tp->nr_src + 1,
		 sizeof(*tp->src)))
		return -ENOMEM;
	s = rb_port_zalloc(len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, args, len);
	tp->src[tp->nr_src++] = s;
	return 0;
}

/*
 * "n:init:builtin:hexname".  Bytecode names a variable in 16 bits
 * (getv, setv, tracev), so a larger number could never be used: and
 * truncated, it would alias another.
 */
int gtp_trace_define_tsv(struct gtp_trace *t, const char *args, size_t len)
{
	struct cursor c = { args, args + len, NULL };
	struct gtp_tsv *v;
	u64 num, builtin;
	s64 init;
	char *name;

	if (!cur_hex(&c, &num) || !cur_char(&c, ':') ||
	    !cur_signed(&c, &init) || !cur_char(&c, ':') ||
	    !cur_hex(&c, &builtin) || !cur_char(&c, ':') ||
	    !hex_text(c.p, c.end - c.p) || !num || num > 0xffff)
		return -EINVAL;
	name = rb_port_zalloc(c.end - c.p + 1);
	if (!name)
		return -ENOMEM;
	memcpy(name, c.p, c.end - c.p);
	v = gtp_trace_find_tsv(t, (u32)num);
	if (v && v->special) {
		/* GDB hands the agent's own variables back at tstart. */
		rb_port_free(name);
		return 0;
	}
	if (v) {
		rb_port_free(v->name);
		v->init = init;
		v->value = init;
		v->builtin = builtin;
		v->name = name;
		return 0;
	}
	if (t->nr_tsvs == GTP_MAX_TSVS) {
		rb_port_free(name);
		return -ENOSPC;
	}
	/* The hit path may be searching the table: fill in, then publish. */
	v = &t->tsvs[t->nr_tsvs];
	v->num = (u32)num;
	v->init = init;
	v->value = init;
	v->builtin = builtin;
	v->special = GTP_TSV_PLAIN;
	v->name = name;
	/* The entry is complete before a hit can find it. */
	smp_store_release(&t->nr_tsvs, t->nr_tsvs + 1);
	return 0;
}

/* ---- run ---- */

void gtp_tracepoint_stats(const struct gtp_trace *t,
			  const struct gtp_tracepoint *tp,
			  struct gtp_tp_stats *sum)
{
	const struct gtp_tp_stats *st = tp->stats;
	u32 cpu;

	memset(sum, 0, sizeof(*sum));
	if (!st)
		return;
	for (cpu = 0; cpu < t->nr_cpus; cpu++) {
		sum->hits += READ_ONCE(st[cpu].hits);
		sum->bytes += READ_ONCE(st[cpu].bytes);
		sum->dropped += READ_ONCE(st[cpu].dropped);
		sum->faults += READ_ONCE(st[cpu].faults);
	}
}

/* Why @tp's probe could not be installed, in the error note. */
static const char *arm_failed(struct gtp_trace *t,
			      const struct gtp_tracepoint *tp, int err)
{
	snprintf(t->error, sizeof(t->error),
		 "tracepoint %u at 0x%llx: cannot install a probe (error %d)",
		 tp->num, (unsigned long long)tp->addr, err);
	return t->error;
}

static void disarm_all(struct gtp_trace *t)
{
	u32 i;

	for (i = 0; i < t->nr_tps; i++) {
		if (t->tps[i]->probe)
			t->ops->disarm(t->target, t->tps[i]);
		t->tps[i]->probe = NULL;
	}
}

/* A fresh buffer of the size asked for, reusing the old one if it fits. */
static int prepare_buffer(struct gtp_trace *t)
{
	u64 size = t->buffer_size ? t->buffer_size : t->default_size;
	struct rb *rb;
	int err;

	if (t->rb && rb_pages_per_cpu(t->rb) == rb_pages_for(t->nr_cpus, size)) {
		rb_reset(t->rb, t->circular);
		return 0;
	}
	err = rb_create(&rb, t->nr_cpus, size, t->circular);
	if (err)
		return err;
	rb_destroy(t->rb);
	t->rb = rb;
	return 0;
}

/* A run that could not start never ran: no probes, no start time. */
static int start_failed(struct gtp_trace *t, int err)
{
	WRITE_ONCE(t->state, GTP_NOT_RUN);
	disarm_all(t);
	t->start_us = 0;
	return err;
}

int gtp_trace_start(struct gtp_trace *t, const char **why)
{
	u32 i;
	int err;

	*why = NULL;
	/* Also removes the probes of a run the hit path stopped. */
	if (t->state != GTP_NOT_RUN)
		gtp_trace_stop(t, GTP_STOP_USER);
	err = prepare_buffer(t);
	if (err) {
		*why = "cannot allocate the trace buffer";
		return err;
	}
	for (i = 0; i < t->nr_tsvs; i++)
		t->tsvs[i].value = t->tsvs[i].init;
	for (i = 0; i < t->nr_tps; i++) {
		struct gtp_tracepoint *tp = t->tps[i];

		if (tp_alloc_stats(t, tp)) {
			*why = "out of memory";
			return -ENOMEM;
		}
		tp->pending = false;
	}
	t->stop = GTP_STOP_NONE;
	t->hit_stopping = 0;
	t->stop_note[0] = 0;
	t->error[0] = 0;
	t->start_us = t->ops->now_us(t->target);
	t->stop_us = 0;
	/*
	 * Arm every probe, then open the run to all of them at once, as
	 * gdbserver does: until the state says running, the hit path
	 * ignores the probes armed so far.  Arming one probe can take
	 * milliseconds (text patching, RCU); opening each as it is armed
	 * let a busy first tracepoint fill a stop-when-full buffer before
	 * the others had started (tests/stress found it).
	 */
	for (i = 0; i < t->nr_tps; i++) {
		struct gtp_tracepoint *tp = t->tps[i];

		if (!tp->enabled)
			continue;
		err = t->ops->arm(t->target, tp);
		if (err) {
			*why = arm_failed(t, tp, err);
			return start_failed(t, err);
		}
	}
	/* Pairs with the acquire in gtp_trace_hit(): definitions first. */
	smp_store_release(&t->state, GTP_RUNNING);
	if (t->ops->started) {
		err = t->ops->started(t->target, why);
		if (err)
			return start_failed(t, err);
	}
	return 0;
}

int gtp_trace_stop(struct gtp_trace *t, enum gtp_stop why)
{
	if (t->state == GTP_NOT_RUN)
		return 0;
	/*
	 * GTP_STOP_NONE finishes a stop the hit path began; if a new run
	 * started since, there is nothing left to finish.
	 */
	if (why == GTP_STOP_NONE && t->state == GTP_RUNNING)
		return 0;
	WRITE_ONCE(t->state, GTP_STOPPED);
	if (!t->stop_us)
		t->stop_us = t->ops->now_us(t->target);
	/* A stop from the hit path recorded its own reason first. */
	if (t->stop == GTP_STOP_NONE)
		t->stop = why;
	disarm_all(t);
	if (t->ops->stopped)
		t->ops->stopped(t->target);
	return 0;
}

int gtp_trace_enable(struct gtp_trace *t, u32 num, u64 addr, bool on,
		     const char **why)
{
	struct gtp_tracepoint *tp = gtp_trace_find(t, num);
	int err;

	if (!tp || tp->addr != addr) {
		*why = "QTEnable/QTDisable of an unknown tracepoint";
		return -ENOENT;
	}
	if (tp->enabled == on)
		return 0;
	tp->enabled = on;
	if (t->state != GTP_RUNNING || tp->pending)
		return 0;
	if (!on) {
		t->ops->disarm(t->target, tp);
		tp->probe = NULL;
		return 0;
	}
	/* Hit counts carry on from before the tracepoint was disabled. */
	if (!tp->stats && tp_alloc_stats(t, tp)) {
		*why = "out of memory";
		tp->enabled = false;
		return -ENOMEM;
	}
	err = t->ops->arm(t->target, tp);
	if (err) {
		*why = arm_failed(t, tp, err);
		tp->enabled = false;
		return err;
	}
	return 0;
}
