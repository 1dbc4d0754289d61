// SPDX-License-Identifier: GPL-2.0
/*
 * Reading committed frames in place: the walk over one frame's entries,
 * and the helpers the index, the stream and the consumers share.
 *
 * A reader may run while the writer of a circular ring overwrites the
 * oldest pages.  Pages are overwritten in ring order and a frame's head
 * lies in the oldest of its pages, so a frame is intact exactly while its
 * head page still carries the sequence number it had: readers copy first
 * and check that afterwards (rb_frame_iter_valid), as with a seqcount.
 */
#include "rb/internal.h"

bool rb_page_intact(const struct rb *rb, const struct rb_cpu *rc, u64 page_seq)
{
	const struct rb_page_begin *pb =
		rb_page_begin(rb_cpu_page(rb, rc, page_seq));

	/* Pairs with smp_wmb() in rb_page_init(): the copy, then the recheck. */
	smp_rmb();
	return READ_ONCE(pb->page_seq) == page_seq;
}

u64 rb_pos_skip_page_end(const struct rb *rb, const struct rb_cpu *rc,
			 u64 pos)
{
	/* Pairs with the writer's release in rb_frame_commit(). */
	u64 commit = smp_load_acquire(&rc->commit);

	while (rb_pos_page(pos) < rb_pos_page(commit)) {
		void *page = rb_cpu_page(rb, rc, rb_pos_page(pos));

		if (rb_pos_off(pos) < READ_ONCE(rb_page_begin(page)->commit))
			break;
		/* A reused page: stay, the caller's read will say -ESTALE. */
		if (!rb_page_intact(rb, rc, rb_pos_page(pos)))
			break;
		pos = rb_pos(rb_pos_page(pos) + 1, RB_DATA_START);
	}
	return pos;
}

/*
 * Copy the header at @off of page @seq into @hdr if it is sane and its
 * entry ends by @limit.  Callers use the copy, never the ring's header
 * again: a writer overwriting the page could change it after the check.
 */
static bool rb_entry_ok(void *page, u64 seq, u32 off, u32 limit,
			struct rb_entry *hdr)
{
	const struct rb_entry *e = rb_entry_at(page, off);

	if (off + RB_ENTRY_HDR > limit)
		return false;
	hdr->check = READ_ONCE(e->check);
	hdr->type = READ_ONCE(e->type);
	hdr->len = READ_ONCE(e->len);
	return hdr->check == rb_entry_check(seq, off) &&
	       off + RB_ENTRY_HDR + rb_align(hdr->len) <= limit;
}

int rb_first_head(const struct rb *rb, const struct rb_cpu *rc, u64 *pos)
{
	/* Pairs with the writer's release in rb_frame_commit(). */
	u64 commit = smp_load_acquire(&rc->commit);
	u64 seq = READ_ONCE(rc->oldest);

	for (; seq <= rb_pos_page(commit); seq++) {
		void *page = rb_cpu_page(rb, rc, seq);
		u32 limit = READ_ONCE(rb_page_begin(page)->commit);
		u32 off = RB_DATA_START;

		if (seq == rb_pos_page(commit))
			limit = rb_pos_off(commit);
		/* The page's commit and entries read before its sequence is checked. */
		smp_rmb();
		if (READ_ONCE(rb_page_begin(page)->page_seq) != seq)
			return -ESTALE;
		while (off < limit) {
			struct rb_entry e;

			if (!rb_entry_ok(page, seq, off, limit, &e))
				return rb_page_intact(rb, rc, seq) ? -EBADMSG :
								     -ESTALE;
			if (e.type == FID_HEAD) {
				*pos = rb_pos(seq, off);
				return rb_page_intact(rb, rc, seq) ? 0 : -ESTALE;
			}
			off += RB_ENTRY_HDR + rb_align(e.len);
		}
	}
	*pos = commit;
	return 0;
}

int rb_read_head(const struct rb *rb, u32 cpu, u64 pos,
		 struct rb_frame_ref *ref, u64 *end)
{
	const struct rb_cpu *rc = rb->cpus[cpu];
	u64 seq = rb_pos_page(pos);
	void *page = rb_cpu_page(rb, rc, seq);
	const struct rb_head *h;
	struct rb_entry e;

	/* A page sequence checked before the head is read, and after. */
	smp_rmb();
	if (READ_ONCE(rb_page_begin(page)->page_seq) != seq)
		return -ESTALE;
	/* The head is read only after its page proved current. */
	smp_rmb();
	if (!rb_entry_ok(page, seq, rb_pos_off(pos), RB_DATA_END, &e) ||
	    e.type != FID_HEAD || e.len != sizeof(*h))
		return rb_page_intact(rb, rc, seq) ? -EBADMSG : -ESTALE;
	h = (const struct rb_head *)(rb_entry_at(page, rb_pos_off(pos)) + 1);
	ref->pos = pos;
	ref->cpu = cpu;
	ref->time = READ_ONCE(h->time);
	ref->seq = READ_ONCE(h->seq);
	ref->tp = READ_ONCE(h->tp);
	ref->stream_size = READ_ONCE(h->stream_size);
	*end = READ_ONCE(h->end);
	return rb_page_intact(rb, rc, seq) ? 0 : -ESTALE;
}

void rb_frame_iter_init(struct rb_frame_iter *it, const struct rb *rb,
			const struct rb_frame_ref *ref)
{
	struct rb_frame_ref again;

	it->rb = rb;
	it->ref = *ref;
	it->err = rb_read_head(rb, ref->cpu, ref->pos, &again, &it->end);
	if (!it->err && again.seq != ref->seq)
		it->err = -ESTALE;
	it->pos = ref->pos + RB_ENTRY_HDR + sizeof(struct rb_head);
}

int rb_frame_iter_next(struct rb_frame_iter *it, struct rb_entry_view *v)
{
	const struct rb_cpu *rc = it->rb->cpus[it->ref.cpu];
	const void *payload;
	struct rb_entry e;
	struct rb_mem m;
	u64 seq;
	void *page;
	u32 limit;

	if (it->err)
		return it->err;
	for (;;) {
		if (it->pos >= it->end)
			return 0;
		seq = rb_pos_page(it->pos);
		page = rb_cpu_page(it->rb, rc, seq);
		limit = READ_ONCE(rb_page_begin(page)->commit);
		/* The commit offset read before the sequence that vouches for it. */
		smp_rmb();
		if (READ_ONCE(rb_page_begin(page)->page_seq) != seq)
			return it->err = -ESTALE;
		if (rb_pos_off(it->pos) < limit)
			break;
		it->pos = rb_pos(seq + 1, RB_DATA_START);
	}
	if (!rb_entry_ok(page, seq, rb_pos_off(it->pos), limit, &e) ||
	    e.type < FID_REG || e.type > FID_VAR)
		goto bad;
	payload = rb_entry_at(page, rb_pos_off(it->pos)) + 1;
	memset(v, 0, sizeof(*v));
	v->type = e.type;
	v->len = e.len;
	v->data = payload;
	if (e.type == FID_MEM) {
		/* One copy of the header, checked and then used. */
		memcpy(&m, payload, min_t(u32, e.len, sizeof(m)));
		if (e.len < sizeof(m) ||
		    (u32)m.hole_off + m.hole_len > e.len - sizeof(m))
			goto bad;
		v->addr = m.addr;
		v->hole_off = m.hole_off;
		v->hole_len = m.hole_len;
		v->len = e.len - sizeof(m);
		v->data = (const u8 *)payload + sizeof(m);
	} else if (e.type == FID_VAR) {
		const struct rb_var *var = payload;

		if (e.len != sizeof(*var))
			goto bad;
		v->num = READ_ONCE(var->num);
		v->value = READ_ONCE(var->value);
	}
	it->pos += RB_ENTRY_HDR + rb_align(e.len);
	return 1;
bad:
	/* Damage, or a page the writer took back while we looked. */
	return it->err = rb_page_intact(it->rb, rc, seq) ? -EBADMSG : -ESTALE;
}

bool rb_frame_iter_valid(const struct rb_frame_iter *it)
{
	if (it->err && it->err != -EBADMSG)
		return false;
	return rb_page_intact(it->rb, it->rb->cpus[it->ref.cpu],
			      rb_pos_page(it->ref.pos));
}
