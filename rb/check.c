// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of raw ring memory: what a parser of a dump (gtpframe's raw
 * pages, a crash dump) does to tell a good page from a damaged one.  Every
 * entry carries a check derived from its page's sequence and its offset,
 * a known type and a length that fits; frames are chained by their heads'
 * end positions and consecutive sequence numbers; pages by their links and
 * consecutive page sequence numbers.  Any break is reported, never
 * "parsed" into a frame that was not written.
 */
#include "rb/internal.h"

static int rb_bad(u32 *bad_off, u32 off)
{
	if (bad_off)
		*bad_off = off;
	return -EBADMSG;
}

static bool rb_payload_ok(const struct rb_entry *e)
{
	const struct rb_mem *m = (const void *)(e + 1);

	switch (e->type) {
	case FID_HEAD:
		return e->len == sizeof(struct rb_head);
	case FID_VAR:
		return e->len == sizeof(struct rb_var);
	case FID_REG:
		return true;
	case FID_MEM:
		return e->len >= sizeof(*m) &&
		       (u32)m->hole_off + m->hole_len <= e->len - sizeof(*m);
	default:
		return false;
	}
}

int rb_check_page(const void *page, u64 expect_seq, u32 *bad_off)
{
	const struct rb_entry *e = rb_entry_at((void *)page, RB_LINK_SIZE);
	const struct rb_page_begin *pb = rb_page_begin((void *)page);
	u32 off = RB_DATA_START, heads = 0;

	if (e->type != FID_PAGE_BEGIN || e->len != sizeof(*pb) ||
	    e->check != rb_entry_check(pb->page_seq, RB_LINK_SIZE) ||
	    (expect_seq != RB_SEQ_NONE && pb->page_seq != expect_seq))
		return rb_bad(bad_off, RB_LINK_SIZE);
	if (pb->commit < RB_DATA_START || pb->commit > RB_DATA_END ||
	    pb->commit % RB_ALIGN)
		return rb_bad(bad_off, RB_LINK_SIZE);
	while (off < pb->commit) {
		e = rb_entry_at((void *)page, off);
		if (off + RB_ENTRY_HDR > pb->commit ||
		    e->check != rb_entry_check(pb->page_seq, off) ||
		    e->flags || e->reserved ||
		    off + RB_ENTRY_HDR + rb_align(e->len) > pb->commit ||
		    !rb_payload_ok(e))
			return rb_bad(bad_off, off);
		heads += e->type == FID_HEAD;
		off += RB_ENTRY_HDR + rb_align(e->len);
	}
	if (heads != pb->nr_heads)
		return rb_bad(bad_off, RB_LINK_SIZE);
	return 0;
}

static int rb_check_links(const struct rb *rb, const struct rb_cpu *rc,
			  u32 *bad_slot, u32 *bad_off)
{
	u32 n = rb->nr_pages, i;

	for (i = 0; i < n; i++) {
		void *page = rc->pages[i];

		*bad_slot = i;
		if (rb_page_prev(page) != rc->pages[(i + n - 1) % n])
			return rb_bad(bad_off, 0);
		if (rb_page_next(page) != rc->pages[(i + 1) % n])
			return rb_bad(bad_off, RB_PAGE_SIZE - RB_LINK_SIZE);
	}
	return 0;
}

int rb_check_cpu(const struct rb *rb, u32 cpu, u32 *bad_slot, u32 *bad_off)
{
	const struct rb_cpu *rc = rb->cpus[cpu];
	u64 commit = rc->commit, seq, frame_end = 0, frame_seq = RB_SEQ_NONE;
	u64 next_head_seq = RB_SEQ_NONE;
	void *page;
	int err;

	err = rb_check_links(rb, rc, bad_slot, bad_off);
	if (err)
		return err;
	page = rb_cpu_page(rb, rc, rc->oldest);
	for (seq = rc->oldest; seq <= rb_pos_page(commit); seq++) {
		const struct rb_page_begin *pb = rb_page_begin(page);
		u64 start = rb_pos(seq, RB_DATA_START);
		u32 off = RB_DATA_START;

		*bad_slot = (u32)(seq % rb->nr_pages);
		err = rb_check_page(page, seq, bad_off);
		if (err)
			return err;
		if (seq == rb_pos_page(commit) && pb->commit != rb_pos_off(commit))
			return rb_bad(bad_off, RB_LINK_SIZE);
		/* Which frame runs into this page, if we know. */
		if (frame_seq != RB_SEQ_NONE &&
		    pb->cont_seq != (frame_end > start ? frame_seq : RB_SEQ_NONE))
			return rb_bad(bad_off, RB_LINK_SIZE);
		while (off < pb->commit) {
			const struct rb_entry *e = rb_entry_at(page, off);
			u64 pos = rb_pos(seq, off);

			if (e->type == FID_HEAD) {
				const struct rb_head *h = (const void *)(e + 1);

				if ((frame_seq != RB_SEQ_NONE && pos < frame_end) ||
				    (next_head_seq != RB_SEQ_NONE &&
				     h->seq != next_head_seq) ||
				    h->end <= pos || h->end > commit)
					return rb_bad(bad_off, off);
				frame_seq = h->seq;
				frame_end = h->end;
				next_head_seq = h->seq + 1;
			} else if (frame_seq != RB_SEQ_NONE && pos >= frame_end) {
				/* An entry that belongs to no frame. */
				return rb_bad(bad_off, off);
			}
			off += RB_ENTRY_HDR + rb_align(e->len);
		}
		page = rb_page_next(page);
	}
	return 0;
}
