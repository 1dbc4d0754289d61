// SPDX-License-Identifier: GPL-2.0
/*
 * The writer: one frame at a time per CPU, entries placed one after the
 * other, a FID_MEM collection split across as many pages as it needs.
 *
 * Only one writer fills a ring at a time.  rb_frame_begin() claims the
 * ring with a plain per-CPU flag: a writer on the same CPU can only
 * interrupt us, run to completion and return, so reading the flag and then
 * setting it needs no atomic instruction; a writer that finds the flag set
 * is itself the interrupting one and is refused and counted.  Everything
 * the frame writes lies past rb_cpu.commit, invisible to readers, until
 * rb_frame_commit() moves commit with a release store.  A frame that fails
 * part-way is rolled back by not moving commit.
 */
#include "rb/internal.h"

size_t rb_copy_direct(void *dst, u64 src, size_t len, void *ctx)
{
	memcpy(dst, (const void *)(uintptr_t)src, len);
	return len;
}

static int rb_fail(struct rb_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/*
 * The page after the current one is about to take frame data.  Decide
 * whether its slot may be reused, account for what it held, and give it
 * its FID_PAGE_BEGIN.
 */
static int rb_switch_page(struct rb_writer *w)
{
	struct rb *rb = w->rb;
	struct rb_cpu *rc = w->rc;
	u64 cur = rb_pos_page(w->pos);
	u64 next = cur + 1;
	struct rb_page_begin *pb;
	u64 cont = RB_SEQ_NONE;
	void *page;

	/* Pages are found by their links: no division on the hot path. */
	page = rb_page_next(w->page);
	pb = rb_page_begin(page);
	if (next >= rb->nr_pages) {
		u64 old = next - rb->nr_pages;
		bool holds_old = READ_ONCE(pb->page_seq) == old;

		/*
		 * Never reuse the page the last frame ended in, nor the one
		 * this frame began in: the frame is larger than the ring.
		 */
		if (old >= rb_pos_page(rc->commit))
			return rb_fail(w, -E2BIG);
		if (!rb->circular) {
			/* Pairs with smp_wmb() in rb_consumer_attach(). */
			u32 mask = smp_load_acquire(&rb->consumer_mask);
			int i;

			if (!mask)
				return rb_fail(w, -ENOSPC);
			for (i = 0; i < RB_MAX_CONSUMERS; i++)
				if ((mask & (1u << i)) &&
				    /* Pairs with the consumer's release. */
				    smp_load_acquire(&rc->consumed[i]) <= old)
					return rb_fail(w, -ENOSPC);
			if (holds_old)
				rc->recycled += pb->nr_heads;
		} else if (holds_old) {
			rc->overwritten += pb->nr_heads;
			rc->pages_overwritten++;
		}
		/* Readers stop trusting the old page before it changes. */
		if (READ_ONCE(rc->oldest) <= old)
			WRITE_ONCE(rc->oldest, old + 1);
	}

	/* The page we leave: its final length, unless the frame began there. */
	if (w->start_page == w->page) {
		w->start_end = rb_pos_off(w->pos);
		cont = w->head->seq;
	} else {
		WRITE_ONCE(rb_page_begin(w->page)->commit, rb_pos_off(w->pos));
		if (w->start != RB_POS_NONE)
			cont = w->head->seq;
	}
	rb_page_init(page, next, cont, rc->cpu);
	w->page = page;
	w->pos = rb_pos(next, RB_DATA_START);
	return 0;
}

/* Room for an entry of @payload bytes; its payload, or NULL. */
static void *rb_place(struct rb_writer *w, u8 type, u32 payload)
{
	u32 need = RB_ENTRY_HDR + rb_align(payload);
	struct rb_entry *e;
	u32 off;

	if (w->err)
		return NULL;
	/* On the payload: rounding a huge one up wraps @need. */
	if (payload > RB_DATA_SIZE - RB_ENTRY_HDR) {
		rb_fail(w, -E2BIG);
		return NULL;
	}
	if (rb_pos_off(w->pos) + need > RB_DATA_END && rb_switch_page(w))
		return NULL;
	off = rb_pos_off(w->pos);
	e = rb_entry_at(w->page, off);
	e->check = rb_entry_check(rb_pos_page(w->pos), off);
	e->type = type;
	e->flags = 0;
	e->len = (u16)payload;
	e->reserved = 0;
	w->pos += need;
	return e + 1;
}

int rb_frame_begin(struct rb *rb, struct rb_writer *w, u32 cpu, u32 tp,
		   u64 time)
{
	struct rb_cpu *rc = rb->cpus[cpu];
	struct rb_head *h;

	if (READ_ONCE(rc->nesting)) {
		rb_local_inc(&rc->dropped_nested);
		return -EBUSY;
	}
	WRITE_ONCE(rc->nesting, 1);
	barrier();

	w->rb = rb;
	w->rc = rc;
	w->pos = rc->commit;
	w->page = rc->commit_page;
	w->start_page = NULL;
	w->start = RB_POS_NONE;
	w->start_end = 0;
	w->err = 0;
	w->stream_size = 2 + 4;		/* int16 tracepoint, u32 size */
	w->head = NULL;
	h = rb_place(w, FID_HEAD, sizeof(*h));
	if (!h)
		return rb_frame_commit(w);
	w->head = h;
	w->start = w->pos - RB_ENTRY_HDR - sizeof(*h);
	w->start_page = w->page;
	h->seq = rc->next_seq;
	h->time = time;
	h->end = 0;
	h->tp = tp;
	h->stream_size = 0;
	return 0;
}

int rb_frame_reg(struct rb_writer *w, const void *regs, u32 len)
{
	void *p = rb_place(w, FID_REG, len);

	if (!p)
		return w->err;
	memcpy(p, regs, len);
	w->stream_size += 1 + len;
	return 0;
}

int rb_frame_var(struct rb_writer *w, u32 num, s64 value)
{
	struct rb_var *v = rb_place(w, FID_VAR, sizeof(*v));

	if (!v)
		return w->err;
	v->num = num;
	v->reserved = 0;
	v->value = value;
	w->stream_size += 1 + 4 + 8;
	return 0;
}

/*
 * Copy one segment, recording what could not be read.  A segment is
 * shorter than RB_FAULT_GRANULE, so it touches at most two granules of the
 * source and what fails is one run: a prefix, a suffix or all of it.  If
 * a copy misbehaves beyond that, the hole is widened to cover it: bytes
 * may be reported missing that were readable, never the reverse.
 */
static void rb_copy_segment(struct rb_mem *m, u8 *dst, u32 len,
			    rb_copy_fn copy, void *ctx)
{
	u64 addr = m->addr;
	u32 done, resume;

	m->hole_off = 0;
	m->hole_len = 0;
	if (!len)
		return;
	/* Copying from memory the caller owns needs no indirect call. */
	if (copy == rb_copy_direct) {
		memcpy(dst, (const void *)(uintptr_t)addr, len);
		return;
	}
	done = (u32)copy(dst, addr, len, ctx);
	if (done >= len)
		return;
	resume = (u32)(((addr + done) / RB_FAULT_GRANULE + 1) *
		       RB_FAULT_GRANULE - addr);
	if (resume < len &&
	    copy(dst + resume, addr + resume, len - resume, ctx) == len - resume) {
		memset(dst + done, 0, resume - done);
		m->hole_off = (u16)done;
		m->hole_len = (u16)(resume - done);
		return;
	}
	memset(dst + done, 0, len - done);
	m->hole_off = (u16)done;
	m->hole_len = (u16)(len - done);
}

/* tfile bytes of one FID_MEM entry: an 'M' block per readable run. */
static u32 rb_mem_stream_size(u32 len, u32 hole_off, u32 hole_len)
{
	u32 size = 0;

	if (!hole_len)
		return 1 + 8 + 2 + len;
	if (hole_off)
		size += 1 + 8 + 2 + hole_off;
	if (hole_off + hole_len < len)
		size += 1 + 8 + 2 + len - hole_off - hole_len;
	return size;
}

int rb_frame_mem(struct rb_writer *w, u64 addr, u64 len, rb_copy_fn copy,
		 void *ctx)
{
	do {
		u32 room = RB_DATA_END - rb_pos_off(w->pos);
		struct rb_mem *m;
		u32 seg;

		if (w->err)
			return w->err;
		/* Fill the page first, but never with an empty piece. */
		if (room < RB_MEM_HDR + (len ? RB_ALIGN : 0)) {
			if (rb_switch_page(w))
				return w->err;
			room = RB_DATA_END - rb_pos_off(w->pos);
		}
		seg = (u32)min_t(u64, len, room - RB_MEM_HDR);
		m = rb_place(w, FID_MEM, sizeof(*m) + seg);
		if (!m)
			return w->err;
		m->addr = addr;
		m->reserved = 0;
		rb_copy_segment(m, (u8 *)(m + 1), seg, copy, ctx);
		w->stream_size += rb_mem_stream_size(seg, m->hole_off,
						     m->hole_len);
		addr += seg;
		len -= seg;
	} while (len);
	return 0;
}

int rb_frame_commit(struct rb_writer *w)
{
	struct rb_cpu *rc = w->rc;
	int err = w->err;

	if (err) {
		if (err == -ENOSPC) {
			rc->dropped_full++;
			WRITE_ONCE(rc->full, true);
		} else {
			rc->dropped_big++;
		}
		barrier();
		WRITE_ONCE(rc->nesting, 0);
		return err;
	}

	w->head->end = w->pos;
	w->head->stream_size = w->stream_size;
	rb_page_begin(w->start_page)->nr_heads++;
	if (w->start_page != w->page)
		WRITE_ONCE(rb_page_begin(w->start_page)->commit, w->start_end);
	WRITE_ONCE(rb_page_begin(w->page)->commit, rb_pos_off(w->pos));
	rc->commit_page = w->page;
	rc->next_seq++;
	WRITE_ONCE(rc->written, rc->written + 1);
	/* Frame bytes and page commit offsets before the new commit. */
	smp_store_release(&rc->commit, w->pos);
	barrier();
	WRITE_ONCE(rc->nesting, 0);
	return 0;
}

void rb_frame_discard(struct rb_writer *w)
{
	barrier();
	WRITE_ONCE(w->rc->nesting, 0);
}
