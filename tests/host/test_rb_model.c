// SPDX-License-Identifier: GPL-2.0
/*
 * Randomised test of the ring buffer (rb/) against a reference model.
 *
 * A seeded generator drives rings of 1-4 CPUs and 3-64 pages per CPU, in
 * both modes, with 0-4 consumers, through random frames (random
 * tracepoints and times, REG/MEM/VAR entries of random sizes, memory with
 * unreadable granules, frames too big for the ring), nested writers,
 * frames on other CPUs written while one is open, index refreshes,
 * consumer reads of random sizes, attaches, detaches and resets.
 *
 * The model follows the byte layout and the documented writer rules
 * (Documentation/ring-buffer.rst) on its own: where each entry goes, when
 * a page switch fails with -ENOSPC or -E2BIG, which pages are reused and
 * how many frames that costs.  From that it predicts exactly which frames
 * are present, their tfile encoding, every counter, the index (global time
 * order), the stream, and each consumer's bytes, frame count and overrun.
 * After every batch the real buffer must agree byte for byte, and
 * rb_check_cpu() must pass on every CPU.
 *
 *   RB_MODEL_SEED=n    replay a run (the seed is printed as a TAP comment)
 *   RB_MODEL_ITERS=n   configurations per test (default 8)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "gtp_port.h"
#include "rb/rb.h"

#define PG		RB_PAGE_SIZE
#define MAX_CPUS	4
#define MAX_PAGES	64
#define FAKE_BASE	0x40000000ULL
#define HEAD_PAYLOAD	((u32)sizeof(struct rb_head))
#define REG_MAX		(RB_DATA_SIZE - RB_ENTRY_HDR)
#define POS_NONE	(~0ULL)

/* ---- random numbers ---- */

static u64 base_seed;
static u64 rng;
static u32 cur_config, cur_op;

/* What a run exercised, for RB_MODEL_VERBOSE. */
static struct {
	u64 written, dropped_full, dropped_big, nested, overwritten;
	u64 recycled, wraps, consumer_bytes, overrun, verifies, holes;
	u64 multi_page, resets;
} seen;

static u64 rnd64(void)
{
	u64 z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static u32 rnd(u32 n)
{
	return n ? (u32)(rnd64() % n) : 0;
}

static bool chance(u32 percent)
{
	return rnd(100) < percent;
}

/* Where a failure happened, to replay it. */
static const char *where(void)
{
	static char s[80];

	snprintf(s, sizeof(s), "RB_MODEL_SEED=%#llx config %u op %u",
		 (unsigned long long)base_seed, cur_config, cur_op);
	return s;
}

#define MCHECK(c) do {							\
	if (!(c))							\
		fail_msg("%s:%d: %s (%s)", __FILE__, __LINE__, #c,	\
			 where());					\
} while (0)

#define MEQ(a, b) do {							\
	unsigned long long a_ = (a), b_ = (b);				\
	if (a_ != b_)							\
		fail_msg("%s:%d: %s is %llu, model: %llu (%s)",		\
			 __FILE__, __LINE__, #a, a_, b_, where());	\
} while (0)

/* ---- the source memory ---- */

static u8 pat(u64 a)
{
	return (u8)((a * 0x9E3779B97F4A7C15ULL) >> 56);
}

/* A collection's unreadable granules: about one in four, by salt. */
struct msrc {
	u64 salt;		/* 0: everything readable */
};

static bool refused(const struct msrc *s, u64 addr)
{
	u64 g = addr / RB_FAULT_GRANULE;

	if (!s || !s->salt)
		return false;
	g = (g ^ s->salt) * 0xD6E8FEB86659FD93ULL;
	return (g >> 60) < 4;
}

static size_t model_copy(void *dst, u64 src, size_t len, void *ctx)
{
	u8 *d = dst;
	size_t i;

	for (i = 0; i < len; i++) {
		if (refused(ctx, src + i))
			break;
		d[i] = pat(src + i);
	}
	return i;
}

/* ---- byte vectors ---- */

struct bytes {
	u8 *p;
	u32 len, cap;
};

static void put(struct bytes *b, const void *src, u32 n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void put_le(struct bytes *b, u64 v, u32 n)
{
	u8 t[8];
	u32 i;

	for (i = 0; i < n; i++, v >>= 8)
		t[i] = (u8)v;
	put(b, t, n);
}

static void put_mem(struct bytes *b, u64 addr, u32 len)
{
	u32 i;

	put(b, "M", 1);
	put_le(b, addr, 8);
	put_le(b, len, 2);
	for (i = 0; i < len; i++) {
		u8 c = pat(addr + i);

		put(b, &c, 1);
	}
}

/* ---- the model ---- */

struct mframe {
	u64 time;
	u32 tp;
	u64 start, end;		/* ring positions of the head, of the end */
	u8 *enc;		/* the frame's tfile encoding */
	u32 enc_len;
};

struct mwriter {
	bool open;
	u64 pos, start;
	int err;
	u32 tp;
	u64 time;
	struct bytes enc;
};

struct mcpu {
	u64 commit;		/* ring position */
	u64 oldest;		/* page sequence */
	u64 slot_seq[MAX_PAGES];
	u32 slot_heads[MAX_PAGES];
	u64 written, dropped_full, dropped_big, dropped_nested;
	u64 overwritten, recycled, pages_overwritten;
	bool full;
	struct mframe *f;	/* committed frames; index = sequence */
	u64 nf, capf;
	u64 first;		/* first frame still present */
	u64 consumed[RB_MAX_CONSUMERS];
	struct mwriter w;
	struct rb_writer rw;	/* the real writer of the open frame */
};

struct mcons {
	bool used;
	u64 expect[MAX_CPUS];	/* next sequence wanted */
	u64 base[MAX_CPUS];	/* the first one it could have read */
	u64 frames, overrun;
	const u8 *pend;		/* the frame being handed out */
	u32 pend_len, pend_off;
};

struct model {
	struct rb *rb;
	u32 ncpu, npages;
	bool circular;
	bool tiny;		/* mostly frames of a few bytes */
	u64 clock;
	struct mcpu cpu[MAX_CPUS];
	struct mcons cons[RB_MAX_CONSUMERS];
};

static u64 mpos(u64 page, u32 off)
{
	return page * PG + off;
}

static u64 mpage(u64 pos)
{
	return pos / PG;
}

static u32 moff(u64 pos)
{
	return (u32)(pos % PG);
}

static u32 align8(u32 n)
{
	return (n + 7) & ~7u;
}

static bool any_consumer(const struct model *m)
{
	int i;

	for (i = 0; i < RB_MAX_CONSUMERS; i++)
		if (m->cons[i].used)
			return true;
	return false;
}

/* Frames whose head page was reused are gone. */
static void m_trim(struct model *m, struct mcpu *c)
{
	while (c->first < c->nf && mpage(c->f[c->first].start) < c->oldest)
		c->first++;
}

static void m_fail(struct mwriter *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* The writer moves to the next page; see "Switching pages". */
static int m_switch(struct model *m, struct mcpu *c)
{
	struct mwriter *w = &c->w;
	u64 next = mpage(w->pos) + 1;
	u32 slot = next % m->npages;
	int i;

	if (next >= m->npages) {
		u64 old = next - m->npages;
		bool holds_old = c->slot_seq[slot] == old;

		/* The page the last frame ended in is never reused. */
		if (old >= mpage(c->commit)) {
			m_fail(w, -E2BIG);
			return w->err;
		}
		if (!m->circular) {
			if (!any_consumer(m)) {
				m_fail(w, -ENOSPC);
				return w->err;
			}
			for (i = 0; i < RB_MAX_CONSUMERS; i++) {
				if (m->cons[i].used && c->consumed[i] <= old) {
					m_fail(w, -ENOSPC);
					return w->err;
				}
			}
			if (holds_old)
				c->recycled += c->slot_heads[slot];
		} else if (holds_old) {
			c->overwritten += c->slot_heads[slot];
			c->pages_overwritten++;
		}
		if (c->oldest <= old)
			c->oldest = old + 1;
		m_trim(m, c);
	}
	c->slot_seq[slot] = next;
	c->slot_heads[slot] = 0;
	w->pos = mpos(next, RB_DATA_START);
	return 0;
}

static int m_place(struct model *m, struct mcpu *c, u32 payload)
{
	struct mwriter *w = &c->w;
	u32 need = RB_ENTRY_HDR + align8(payload);

	if (w->err)
		return w->err;
	if (payload > REG_MAX) {
		m_fail(w, -E2BIG);
		return w->err;
	}
	if (moff(w->pos) + need > RB_DATA_END && m_switch(m, c))
		return w->err;
	w->pos += need;
	return 0;
}

static int m_commit(struct model *m, struct mcpu *c)
{
	struct mwriter *w = &c->w;
	struct mframe *f;
	u32 size;

	MCHECK(w->open);
	w->open = false;
	if (w->err) {
		if (w->err == -ENOSPC) {
			c->dropped_full++;
			c->full = true;
		} else {
			c->dropped_big++;
		}
		return w->err;
	}
	if (c->nf == c->capf) {
		c->capf = c->capf ? c->capf * 2 : 64;
		c->f = realloc(c->f, c->capf * sizeof(*c->f));
		assert_non_null(c->f);
	}
	f = &c->f[c->nf++];
	f->time = w->time;
	f->tp = w->tp;
	f->start = w->start;
	f->end = w->pos;
	size = w->enc.len - 6;
	memcpy(w->enc.p + 2, &size, 4);		/* little-endian host */
	f->enc = w->enc.p;
	f->enc_len = w->enc.len;
	memset(&w->enc, 0, sizeof(w->enc));
	c->slot_heads[mpage(w->start) % m->npages]++;
	c->written++;
	seen.multi_page += mpage(w->pos) > mpage(w->start);
	c->commit = w->pos;
	return 0;
}

static int m_begin(struct model *m, u32 cpu, u32 tp, u64 time)
{
	struct mcpu *c = &m->cpu[cpu];
	struct mwriter *w = &c->w;

	if (w->open) {
		c->dropped_nested++;
		return -EBUSY;
	}
	w->open = true;
	w->pos = c->commit;
	w->start = POS_NONE;
	w->err = 0;
	w->tp = tp;
	w->time = time;
	w->enc.len = 0;
	put_le(&w->enc, tp, 2);
	put_le(&w->enc, 0, 4);
	if (m_place(m, c, HEAD_PAYLOAD))
		return m_commit(m, c);
	w->start = w->pos - RB_ENTRY_HDR - HEAD_PAYLOAD;
	return 0;
}

static int m_reg(struct model *m, struct mcpu *c, const u8 *regs, u32 len)
{
	if (m_place(m, c, len))
		return c->w.err;
	put(&c->w.enc, "R", 1);
	put(&c->w.enc, regs, len);
	return 0;
}

static int m_var(struct model *m, struct mcpu *c, u32 num, s64 value)
{
	if (m_place(m, c, sizeof(struct rb_var)))
		return c->w.err;
	put(&c->w.enc, "V", 1);
	put_le(&c->w.enc, num, 4);
	put_le(&c->w.enc, (u64)value, 8);
	return 0;
}

static int m_mem(struct model *m, struct mcpu *c, u64 addr, u64 len,
		 const struct msrc *src)
{
	struct mwriter *w = &c->w;

	do {
		u32 room, seg, i, r0, r1;

		if (w->err)
			return w->err;
		room = RB_DATA_END - moff(w->pos);
		if (room < RB_MEM_HDR + (len ? 8 : 0)) {
			if (m_switch(m, c))
				return w->err;
			room = RB_DATA_END - moff(w->pos);
		}
		seg = (u32)min_t(u64, len, room - RB_MEM_HDR);
		if (m_place(m, c, sizeof(struct rb_mem) + seg))
			return w->err;
		/* The unreadable bytes are one run: the hole. */
		r0 = seg;
		r1 = seg;
		for (i = 0; i < seg; i++) {
			if (refused(src, addr + i)) {
				if (r0 == seg)
					r0 = i;
				r1 = i + 1;
			}
		}
		for (i = r0; i < r1; i++)
			MCHECK(refused(src, addr + i));
		if (r0 == seg) {
			put_mem(&w->enc, addr, seg);
		} else {
			seen.holes++;
			if (r0)
				put_mem(&w->enc, addr, r0);
			if (r1 < seg)
				put_mem(&w->enc, addr + r1, seg - r1);
		}
		addr += seg;
		len -= seg;
	} while (len);
	return 0;
}

static void m_free_frames(struct model *m)
{
	u32 cpu;
	u64 i;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct mcpu *c = &m->cpu[cpu];

		seen.written += c->written;
		seen.dropped_full += c->dropped_full;
		seen.dropped_big += c->dropped_big;
		seen.nested += c->dropped_nested;
		seen.overwritten += c->overwritten;
		seen.recycled += c->recycled;
		seen.wraps += m->npages ? mpage(c->commit) / m->npages : 0;

		for (i = 0; i < c->nf; i++)
			free(c->f[i].enc);
		free(c->f);
		free(c->w.enc.p);
		memset(c, 0, sizeof(*c));
	}
}

/* Both the model and the ring forget everything. */
static void m_reset(struct model *m, bool circular)
{
	u32 cpu;

	rb_reset(m->rb, circular);
	seen.resets++;
	m_free_frames(m);
	memset(m->cons, 0, sizeof(m->cons));
	m->circular = circular;
	for (cpu = 0; cpu < m->ncpu; cpu++) {
		struct mcpu *c = &m->cpu[cpu];
		u32 s;

		for (s = 0; s < MAX_PAGES; s++)
			c->slot_seq[s] = POS_NONE;
		c->slot_seq[0] = 0;
		c->commit = mpos(0, RB_DATA_START);
	}
}

/* ---- consumers ---- */

static int m_attach(struct model *m)
{
	struct mcons *k;
	u32 cpu;
	int id;

	for (id = 0; id < RB_MAX_CONSUMERS; id++)
		if (!m->cons[id].used)
			break;
	if (id == RB_MAX_CONSUMERS)
		return -EBUSY;
	k = &m->cons[id];
	memset(k, 0, sizeof(*k));
	k->used = true;
	for (cpu = 0; cpu < m->ncpu; cpu++) {
		struct mcpu *c = &m->cpu[cpu];

		/* Everything present from now on is read or counted. */
		k->expect[cpu] = c->first;
		k->base[cpu] = c->first;
		c->consumed[id] = c->oldest;
	}
	return id;
}

/* The consumer's next frame: the earliest next frame of any CPU. */
static bool m_fetch(struct model *m, int id)
{
	struct mcons *k = &m->cons[id];
	struct mframe *best = NULL;
	u32 cpu, best_cpu = 0;
	u64 seq = 0, best_seq = 0;

	for (cpu = 0; cpu < m->ncpu; cpu++) {
		struct mcpu *c = &m->cpu[cpu];

		seq = max_t(u64, k->expect[cpu], c->first);
		if (seq >= c->nf)
			continue;
		if (!best || c->f[seq].time < best->time) {
			best = &c->f[seq];
			best_cpu = cpu;
			best_seq = seq;
		}
	}
	if (!best)
		return false;
	k->overrun += best_seq - k->expect[best_cpu];
	k->expect[best_cpu] = best_seq + 1;
	k->frames++;
	k->pend = best->enc;
	k->pend_len = best->enc_len;
	k->pend_off = 0;
	/* Pages below the next frame's are free for this consumer. */
	if (best_seq + 1 < m->cpu[best_cpu].nf)
		m->cpu[best_cpu].consumed[id] =
			mpage(m->cpu[best_cpu].f[best_seq + 1].start);
	else
		m->cpu[best_cpu].consumed[id] = mpage(best->end);
	return true;
}

static u32 m_consume(struct model *m, int id, u8 *out, u32 len)
{
	struct mcons *k = &m->cons[id];
	u32 done = 0;

	while (done < len) {
		if (k->pend_off < k->pend_len) {
			u32 n = min_t(u32, len - done,
				      k->pend_len - k->pend_off);

			memcpy(out + done, k->pend + k->pend_off, n);
			k->pend_off += n;
			done += n;
			continue;
		}
		if (!m_fetch(m, id))
			break;
	}
	return done;
}

static u8 *got_buf, *want_buf;
#define READ_MAX	(256 << 10)

static void op_consumer_read(struct model *m)
{
	int ids[RB_MAX_CONSUMERS], n = 0, id, i;
	u32 len, want;
	s64 got;

	for (i = 0; i < RB_MAX_CONSUMERS; i++)
		if (m->cons[i].used)
			ids[n++] = i;
	if (!n)
		return;
	id = ids[rnd(n)];
	if (chance(30))
		len = 1 + rnd(64);
	else if (chance(60))
		len = rnd(6000);
	else
		len = rnd(READ_MAX);
	want = m_consume(m, id, want_buf, len);
	got = rb_consumer_read(m->rb, id, got_buf, len);
	MEQ(got, want);
	if (memcmp(got_buf, want_buf, want))
		fail_msg("consumer %d: bytes differ (%s)", id, where());
	MEQ(rb_consumer_frames(m->rb, id), m->cons[id].frames);
	MEQ(rb_consumer_overrun(m->rb, id), m->cons[id].overrun);
	seen.consumer_bytes += want;
}

static void op_attach_detach(struct model *m)
{
	int id, i;

	if (chance(50)) {
		id = m_attach(m);
		MEQ(rb_consumer_attach(m->rb), id);
		return;
	}
	i = rnd(RB_MAX_CONSUMERS);
	rb_consumer_detach(m->rb, i);
	m->cons[i].used = false;
	MEQ(rb_consumer_read(m->rb, i, got_buf, 1), -EINVAL);
}

/* ---- checking the whole buffer against the model ---- */

struct ient {
	u64 time, seq;
	u32 cpu;
};

static int ient_cmp(const void *a, const void *b)
{
	const struct ient *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void verify(struct model *m)
{
	struct ient *ix;
	u64 n = 0, i, size = 0, off;
	struct rb_stats st, tot;
	u32 cpu, bad_slot, bad_off;
	int id;
	u8 *all;

	memset(&tot, 0, sizeof(tot));
	for (cpu = 0; cpu < m->ncpu; cpu++) {
		struct mcpu *c = &m->cpu[cpu];
		u64 oldest = min_t(u64, c->oldest, mpage(c->commit));
		int err = rb_check_cpu(m->rb, cpu, &bad_slot, &bad_off);

		if (err)
			fail_msg("rb_check_cpu(%u) = %d, slot %u off %u (%s)",
				 cpu, err, bad_slot, bad_off, where());
		rb_stats_cpu(m->rb, cpu, &st);
		MEQ(st.written, c->written);
		MEQ(st.dropped_full, c->dropped_full);
		MEQ(st.dropped_nested, c->dropped_nested);
		MEQ(st.dropped_big, c->dropped_big);
		MEQ(st.overwritten, c->overwritten);
		MEQ(st.recycled, c->recycled);
		MEQ(st.pages_overwritten, c->pages_overwritten);
		MEQ(st.full, c->full);
		MEQ(st.next, c->commit);
		MEQ(st.oldest, mpos(c->oldest, RB_DATA_START));
		MEQ(st.wraps, mpage(c->commit) / m->npages);
		/* The counters' figure and the frames really there agree. */
		MEQ(st.frames, c->nf - c->first);
		MEQ(c->written - c->overwritten - c->recycled,
		    c->nf - c->first);
		MEQ(st.bytes_used, (mpage(c->commit) - oldest) * PG +
				   moff(c->commit) + RB_LINK_SIZE);
		MEQ(st.bytes_used + st.bytes_free, (u64)m->npages * PG);
		tot.written += st.written;
		tot.dropped_full += st.dropped_full;
		tot.dropped_nested += st.dropped_nested;
		tot.dropped_big += st.dropped_big;
		tot.overwritten += st.overwritten;
		tot.recycled += st.recycled;
		tot.pages_overwritten += st.pages_overwritten;
		tot.wraps += st.wraps;
		tot.frames += st.frames;
		tot.bytes_used += st.bytes_used;
		tot.bytes_free += st.bytes_free;
		tot.full |= st.full;
		n += c->nf - c->first;
	}
	rb_stats_total(m->rb, &st);
	MEQ(st.written, tot.written);
	MEQ(st.dropped_full, tot.dropped_full);
	MEQ(st.dropped_nested, tot.dropped_nested);
	MEQ(st.dropped_big, tot.dropped_big);
	MEQ(st.overwritten, tot.overwritten);
	MEQ(st.recycled, tot.recycled);
	MEQ(st.pages_overwritten, tot.pages_overwritten);
	MEQ(st.wraps, tot.wraps);
	MEQ(st.frames, tot.frames);
	MEQ(st.bytes_used, tot.bytes_used);
	MEQ(st.bytes_free, tot.bytes_free);
	MEQ(st.full, tot.full);

	/* The index: every frame present, in time order. */
	ix = malloc((n + 1) * sizeof(*ix));
	assert_non_null(ix);
	n = 0;
	for (cpu = 0; cpu < m->ncpu; cpu++) {
		struct mcpu *c = &m->cpu[cpu];

		for (i = c->first; i < c->nf; i++) {
			ix[n].time = c->f[i].time;
			ix[n].seq = i;
			ix[n].cpu = cpu;
			size += c->f[i].enc_len;
			n++;
		}
	}
	qsort(ix, n, sizeof(*ix), ient_cmp);
	MEQ(rb_index_refresh(m->rb), 0);
	MEQ(rb_index_count(m->rb), n);
	MEQ(rb_stream_size(m->rb), size);
	all = malloc(size + 1);
	assert_non_null(all);
	MEQ(rb_stream_read(m->rb, 0, all, size + 1), size);
	for (i = 0, off = 0; i < n; i++) {
		const struct mframe *f = &m->cpu[ix[i].cpu].f[ix[i].seq];
		struct rb_frame_ref ref;

		MEQ(rb_index_get(m->rb, i, &ref), 0);
		MEQ(ref.cpu, ix[i].cpu);
		MEQ(ref.seq, ix[i].seq);
		MEQ(ref.time, f->time);
		MEQ(ref.tp, f->tp);
		MEQ(ref.pos, f->start);
		MEQ(ref.stream_size, f->enc_len);
		if (memcmp(all + off, f->enc, f->enc_len))
			fail_msg("frame %llu (cpu %u seq %llu) differs (%s)",
				 (unsigned long long)i, ix[i].cpu,
				 (unsigned long long)ix[i].seq, where());
		off += f->enc_len;
	}
	/* Some frames entry by entry: hole bytes are zero, others right. */
	for (i = 0; i < 6 && n; i++) {
		struct rb_frame_ref ref;
		struct rb_frame_iter it;
		struct rb_entry_view v;
		u32 j;
		int ret;

		MEQ(rb_index_get(m->rb, rnd64() % n, &ref), 0);
		rb_frame_iter_init(&it, m->rb, &ref);
		while ((ret = rb_frame_iter_next(&it, &v)) == 1) {
			const u8 *d = v.data;

			if (v.type != FID_MEM)
				continue;
			MCHECK(v.hole_off + v.hole_len <= v.len);
			for (j = 0; j < v.len; j++) {
				if (j >= v.hole_off &&
				    j < v.hole_off + v.hole_len)
					MEQ(d[j], 0);
				else
					MEQ(d[j], pat(v.addr + j));
			}
		}
		MEQ(ret, 0);
		MCHECK(rb_frame_iter_valid(&it));
	}
	/* Any slice of the stream is the same slice of the whole. */
	for (i = 0; i < 4 && size; i++) {
		u64 at = rnd64() % size, len = rnd((u32)min_t(u64, size,
							      READ_MAX));
		s64 got = rb_stream_read(m->rb, at, got_buf, len);

		MEQ(got, min_t(u64, len, size - at));
		MCHECK(!memcmp(got_buf, all + at, got));
	}
	free(all);
	free(ix);
	seen.verifies++;

	/* Each consumer: read, overrun or still to come, nothing else. */
	for (id = 0; id < RB_MAX_CONSUMERS; id++) {
		struct mcons *k = &m->cons[id];
		u64 avail = 0, ahead = 0;

		if (!k->used)
			continue;
		for (cpu = 0; cpu < m->ncpu; cpu++) {
			avail += m->cpu[cpu].nf - k->base[cpu];
			ahead += m->cpu[cpu].nf - k->expect[cpu];
		}
		MEQ(rb_consumer_frames(m->rb, id) +
		    rb_consumer_overrun(m->rb, id) + ahead, avail);
	}
}

/* ---- writing frames ---- */

struct gitem {
	u8 type;
	u32 len;
	u64 addr;
	struct msrc src;
	u32 num;
	s64 value;
};

static u8 regs_buf[REG_MAX + 256];

static void gen_item(struct model *m, struct gitem *it)
{
	u32 r = rnd(100);

	memset(it, 0, sizeof(*it));
	if (r < 30) {
		it->type = FID_REG;
		if (chance(3))
			it->len = chance(50) ? REG_MAX : REG_MAX + 1 + rnd(200);
		else
			it->len = rnd(300);
	} else if (r < 75) {
		u64 ring = (u64)m->npages * RB_DATA_SIZE;

		it->type = FID_MEM;
		it->addr = FAKE_BASE + rnd(1 << 22);
		if (chance(30))
			it->src.salt = rnd64() | 1;
		r = rnd(100);
		if (r < 45)
			it->len = rnd(200);
		else if (r < 80)
			it->len = rnd(4200);
		else if (r < 97)
			it->len = rnd(20001);
		else
			it->len = (u32)(ring / 2 + rnd64() % ring);
	} else {
		it->type = FID_VAR;
		it->num = (u32)rnd64();
		it->value = (s64)rnd64();
	}
}

static void write_item(struct model *m, u32 cpu, const struct gitem *it)
{
	struct mcpu *c = &m->cpu[cpu];
	int want, got;
	u32 i;

	switch (it->type) {
	case FID_REG:
		for (i = 0; i < it->len && i < sizeof(regs_buf); i++)
			regs_buf[i] = (u8)rnd64();
		want = m_reg(m, c, regs_buf, it->len);
		got = rb_frame_reg(&c->rw, regs_buf, it->len);
		break;
	case FID_MEM:
		want = m_mem(m, c, it->addr, it->len, &it->src);
		got = rb_frame_mem(&c->rw, it->addr, it->len, model_copy,
				   (void *)&it->src);
		break;
	default:
		want = m_var(m, c, it->num, it->value);
		got = rb_frame_var(&c->rw, it->num, it->value);
		break;
	}
	MEQ(got, want);
}

static u64 gen_time(struct model *m)
{
	m->clock += rnd(3);
	if (chance(10))
		return m->clock > 40 ? m->clock - rnd(40) : 0;
	return m->clock;
}

static void write_frame(struct model *m, u32 cpu, int depth);

/* Something that may happen while a frame is open on @cpu. */
static void interleave(struct model *m, u32 cpu, int depth)
{
	u32 r = rnd(100), other;
	u64 time = gen_time(m);
	struct rb_writer w;

	if (r < 35) {
		/* An interrupt on the same CPU tries to write. */
		MEQ(m_begin(m, cpu, 1, time), -EBUSY);
		MEQ(rb_frame_begin(m->rb, &w, cpu, 1, time), -EBUSY);
	} else if (r < 70) {
		other = rnd(m->ncpu);
		if (!m->cpu[other].w.open)
			write_frame(m, other, depth + 1);
	} else if (r < 90) {
		op_consumer_read(m);
	} else {
		verify(m);
	}
}

static void write_frame(struct model *m, u32 cpu, int depth)
{
	struct mcpu *c = &m->cpu[cpu];
	u32 tp = rnd(0x10000), n = rnd(6), i;
	u64 time = gen_time(m);
	struct gitem it;
	int want;

	/* Many heads per page: a head alone, or with one variable. */
	if (m->tiny && chance(80))
		n = 0;

	want = m_begin(m, cpu, tp, time);
	MEQ(rb_frame_begin(m->rb, &c->rw, cpu, tp, time), want);
	if (want)
		return;
	for (i = 0; i < n; i++) {
		if (depth < 2 && chance(8))
			interleave(m, cpu, depth);
		gen_item(m, &it);
		write_item(m, cpu, &it);
	}
	if (m->tiny && !n && chance(50)) {
		it.type = FID_VAR;
		it.num = i;
		it.value = (s64)time;
		write_item(m, cpu, &it);
	}
	if (depth < 2 && chance(5))
		interleave(m, cpu, depth);
	want = m_commit(m, c);
	MEQ(rb_frame_commit(&c->rw), want);
}

/* ---- configurations ---- */

enum {
	MIX_STOP,
	MIX_CIRCULAR,
	MIX_STOP_CONSUMERS,
	MIX_CIRCULAR_CONSUMERS,
	MIX_ANY,
};

static void run_config(int mix)
{
	struct model *m = calloc(1, sizeof(*m));
	u32 ops, op, nr_cons, i;
	bool circular;

	assert_non_null(m);
	m->ncpu = 1 + rnd(MAX_CPUS);
	i = rnd(100);
	if (i < 60)
		m->npages = RB_MIN_PAGES + rnd(4);
	else if (i < 90)
		m->npages = RB_MIN_PAGES + rnd(14);
	else
		m->npages = RB_MIN_PAGES + rnd(MAX_PAGES - RB_MIN_PAGES + 1);
	circular = mix == MIX_CIRCULAR || mix == MIX_CIRCULAR_CONSUMERS ||
		   (mix == MIX_ANY && chance(50));
	nr_cons = (mix == MIX_STOP_CONSUMERS ||
		   mix == MIX_CIRCULAR_CONSUMERS) ? 1 + rnd(4) :
		  mix == MIX_ANY ? rnd(5) : 0;
	m->tiny = chance(25);
	ops = 150 + rnd(250);
	if (m->tiny)
		ops *= 2;
	if (getenv("RB_MODEL_VERBOSE")) {
		printf("# config %u: %u cpus, %u pages, %u consumers, %u ops",
		       cur_config, m->ncpu, m->npages, nr_cons, ops);
		printf(", %s%s\n", circular ? "circular" : "stop-when-full",
		       m->tiny ? ", tiny frames" : "");
	}

	MEQ(rb_create(&m->rb, m->ncpu, (u64)m->ncpu * m->npages * PG,
		      circular), 0);
	MEQ(rb_pages_per_cpu(m->rb), m->npages);
	m_reset(m, circular);
	for (i = 0; i < nr_cons; i++)
		MEQ(rb_consumer_attach(m->rb), m_attach(m));
	verify(m);

	for (op = 0; op < ops; op++) {
		u32 r = rnd(1000);

		cur_op = op;
		if (r < 560) {
			write_frame(m, rnd(m->ncpu), 0);
		} else if (r < 800) {
			op_consumer_read(m);
		} else if (r < 900) {
			MEQ(rb_index_refresh(m->rb), 0);
		} else if (r < 950) {
			verify(m);
		} else if (r < 985 && mix == MIX_ANY) {
			op_attach_detach(m);
		} else if (r < 990 && (mix == MIX_ANY || !any_consumer(m))) {
			/* A stop-when-full ring without readers is done. */
			m_reset(m, mix == MIX_ANY ? chance(50) : m->circular);
			if (mix == MIX_STOP_CONSUMERS ||
			    mix == MIX_CIRCULAR_CONSUMERS)
				for (i = 0; i < nr_cons; i++)
					MEQ(rb_consumer_attach(m->rb),
					    m_attach(m));
		}
		if (op % 25 == 24)
			verify(m);
	}
	/* Drain every consumer, then check once more. */
	for (i = 0; i < RB_MAX_CONSUMERS; i++) {
		u32 want;
		s64 got;

		if (!m->cons[i].used)
			continue;
		seen.overrun += m->cons[i].overrun;
		do {
			want = m_consume(m, i, want_buf, READ_MAX);
			got = rb_consumer_read(m->rb, i, got_buf, READ_MAX);
			MEQ(got, want);
			MCHECK(!memcmp(got_buf, want_buf, want));
		} while (want);
	}
	verify(m);
	rb_destroy(m->rb);
	m_free_frames(m);
	free(m);
}

static void print_seen(void)
{
	const struct {
		const char *name;
		u64 n;
	} v[] = {
		{ "written", seen.written },
		{ "multi-page", seen.multi_page },
		{ "holes", seen.holes },
		{ "full", seen.dropped_full },
		{ "big", seen.dropped_big },
		{ "nested", seen.nested },
		{ "overwritten", seen.overwritten },
		{ "recycled", seen.recycled },
		{ "wraps", seen.wraps },
		{ "consumed-bytes", seen.consumer_bytes },
		{ "overrun", seen.overrun },
		{ "verifies", seen.verifies },
		{ "resets", seen.resets },
	};
	unsigned int i;

	printf("#");
	for (i = 0; i < ARRAY_SIZE(v); i++)
		printf(" %s %llu", v[i].name, (unsigned long long)v[i].n);
	printf("\n");
}

static void run_mix(int mix)
{
	const char *s = getenv("RB_MODEL_ITERS");
	u32 iters = s ? (u32)strtoul(s, NULL, 0) : 8, i;

	rng = base_seed + 0x1000 * (u64)mix;
	memset(&seen, 0, sizeof(seen));
	for (i = 0; i < iters; i++) {
		cur_config = i;
		cur_op = 0;
		run_config(mix);
	}
	if (getenv("RB_MODEL_VERBOSE"))
		print_seen();
}

static void test_model_stop(void **state)
{
	run_mix(MIX_STOP);
}

static void test_model_circular(void **state)
{
	run_mix(MIX_CIRCULAR);
}

static void test_model_stop_consumers(void **state)
{
	run_mix(MIX_STOP_CONSUMERS);
}

static void test_model_circular_consumers(void **state)
{
	run_mix(MIX_CIRCULAR_CONSUMERS);
}

static void test_model_any(void **state)
{
	run_mix(MIX_ANY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_stop),
		cmocka_unit_test(test_model_circular),
		cmocka_unit_test(test_model_stop_consumers),
		cmocka_unit_test(test_model_circular_consumers),
		cmocka_unit_test(test_model_any),
	};
	const char *s = getenv("RB_MODEL_SEED");
	int ret;

	if (s)
		base_seed = strtoull(s, NULL, 0);
	else
		base_seed = (u64)time(NULL) * 1000003u ^ (u64)getpid();
	/* A TAP comment: tests/run shows it. */
	printf("# RB_MODEL_SEED=%#llx\n", (unsigned long long)base_seed);
	fflush(stdout);
	got_buf = malloc(READ_MAX);
	want_buf = malloc(READ_MAX);
	if (!got_buf || !want_buf)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	free(got_buf);
	free(want_buf);
	return ret;
}
