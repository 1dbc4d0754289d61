// SPDX-License-Identifier: GPL-2.0
/*
 * Consuming readers: up to RB_MAX_CONSUMERS independent cursors over the
 * frames of all CPUs, each handed out as the tfile frame stream in time
 * order, each frame whole.
 *
 * A consumer copies (encodes) the next frame into its own bounce buffer,
 * checks the copy is intact, and only then tells the writer, through its
 * slot in rb_cpu.consumed[], which pages it no longer needs.  In
 * stop-when-full mode the writer reuses a page only once every attached
 * consumer is past it, so the slowest consumer holds the writer back and
 * the writer drops (and counts) frames; in circular mode the writer never
 * waits, and a consumer that finds its next frame overwritten moves to the
 * oldest frame left and adds the frames it missed, known exactly from the
 * per-CPU frame sequence numbers, to its overrun count.
 */
#include "rb/internal.h"

int rb_consumer_attach(struct rb *rb)
{
	struct rb_consumer *c = NULL;
	u32 cpu;
	int id;

	for (id = 0; id < RB_MAX_CONSUMERS; id++) {
		if (!rb->consumers[id].used) {
			c = &rb->consumers[id];
			break;
		}
	}
	if (!c)
		return -EBUSY;
	memset(c, 0, sizeof(*c));
	c->pos = rb_port_zalloc(rb->nr_cpus * sizeof(u64));
	c->expect = rb_port_zalloc(rb->nr_cpus * sizeof(u64));
	if (!c->pos || !c->expect) {
		rb_port_free(c->pos);
		rb_port_free(c->expect);
		c->pos = NULL;
		c->expect = NULL;
		return -ENOMEM;
	}
	for (cpu = 0; cpu < rb->nr_cpus; cpu++) {
		c->pos[cpu] = RB_POS_OLDEST;
		c->expect[cpu] = RB_SEQ_NONE;
		if (!rb->cpus[cpu])
			continue;
		/*
		 * The oldest frame left: frames lost before our first read
		 * count as overrun too.
		 */
		c->expect[cpu] = READ_ONCE(rb->cpus[cpu]->overwritten) +
				 READ_ONCE(rb->cpus[cpu]->recycled);
		WRITE_ONCE(rb->cpus[cpu]->consumed[id],
			   READ_ONCE(rb->cpus[cpu]->oldest));
	}
	c->used = true;
	/* Our claims on pages are visible before the writer looks at them. */
	smp_wmb();
	WRITE_ONCE(rb->consumer_mask, rb->consumer_mask | (1u << id));
	return id;
}

void rb_consumer_detach(struct rb *rb, int id)
{
	struct rb_consumer *c;

	if (id < 0 || id >= RB_MAX_CONSUMERS || !rb->consumers[id].used)
		return;
	c = &rb->consumers[id];
	WRITE_ONCE(rb->consumer_mask, rb->consumer_mask & ~(1u << id));
	rb_port_free(c->pos);
	rb_port_free(c->expect);
	rb_port_free(c->bounce);
	memset(c, 0, sizeof(*c));
}

/* The next frame of @cpu for @c: 1 and *ref, 0 if none, or an error. */
static int rb_consumer_peek(struct rb *rb, struct rb_consumer *c, u32 cpu,
			    struct rb_frame_ref *ref, u64 *end)
{
	const struct rb_cpu *rc = rb->cpus[cpu];
	int tries, err = 0;

	for (tries = 0; tries < 8; tries++) {
		u64 pos = c->pos[cpu];

		if (pos == RB_POS_OLDEST ||
		    rb_pos_page(pos) < READ_ONCE(rc->oldest)) {
			err = rb_first_head(rb, rc, &pos);
			if (err == -ESTALE)
				continue;
			if (err)
				return err;
		}
		pos = rb_pos_skip_page_end(rb, rc, pos);
		c->pos[cpu] = pos;
		/* Pairs with the writer's release in rb_frame_commit(). */
		if (pos >= smp_load_acquire(&rc->commit))
			return 0;
		err = rb_read_head(rb, cpu, pos, ref, end);
		if (err != -ESTALE)
			return err ? err : 1;
		c->pos[cpu] = RB_POS_OLDEST;
	}
	return err;
}

static int rb_consumer_fetch(struct rb *rb, struct rb_consumer *c, int id)
{
	struct rb_frame_ref ref, best;
	u64 end, best_end = 0;
	int tries, found, err;
	u32 cpu;
	s64 n;

	for (tries = 0; tries < 8; tries++) {
		found = 0;
		for (cpu = 0; cpu < rb->nr_cpus; cpu++) {
			if (!rb->cpus[cpu])
				continue;
			err = rb_consumer_peek(rb, c, cpu, &ref, &end);
			if (err < 0)
				return err;
			if (err && (!found || ref.time < best.time)) {
				best = ref;
				best_end = end;
				found = 1;
			}
		}
		if (!found)
			return 0;
		if (best.stream_size > c->bounce_cap) {
			u8 *b = rb_port_zalloc(best.stream_size);

			if (!b)
				return -ENOMEM;
			rb_port_free(c->bounce);
			c->bounce = b;
			c->bounce_cap = best.stream_size;
		}
		n = rb_frame_encode(rb, &best, 0, c->bounce, best.stream_size);
		if (n == -ESTALE) {
			c->pos[best.cpu] = RB_POS_OLDEST;
			continue;
		}
		if (n < 0)
			return (int)n;
		cpu = best.cpu;
		if (c->expect[cpu] != RB_SEQ_NONE && best.seq > c->expect[cpu])
			c->overrun += best.seq - c->expect[cpu];
		c->expect[cpu] = best.seq + 1;
		c->frames++;
		c->bounce_len = (u32)n;
		c->bounce_off = 0;
		c->pos[cpu] = rb_pos_skip_page_end(rb, rb->cpus[cpu], best_end);
		/* The copy is taken: give the pages before it back. */
		smp_store_release(&rb->cpus[cpu]->consumed[id],
				  rb_pos_page(c->pos[cpu]));
		return 1;
	}
	return -ESTALE;
}

s64 rb_consumer_read(struct rb *rb, int id, void *buf, u64 len)
{
	struct rb_consumer *c;
	u64 out = 0;

	if (id < 0 || id >= RB_MAX_CONSUMERS || !rb->consumers[id].used)
		return -EINVAL;
	c = &rb->consumers[id];
	while (out < len) {
		int err;

		if (c->bounce_off < c->bounce_len) {
			u32 n = (u32)min_t(u64, len - out,
					   c->bounce_len - c->bounce_off);

			memcpy((u8 *)buf + out, c->bounce + c->bounce_off, n);
			c->bounce_off += n;
			out += n;
			continue;
		}
		err = rb_consumer_fetch(rb, c, id);
		if (err < 0 && !out)
			return err;
		if (err <= 0)
			break;
	}
	return out;
}

u64 rb_consumer_overrun(const struct rb *rb, int id)
{
	return rb->consumers[id].overrun;
}

u64 rb_consumer_frames(const struct rb *rb, int id)
{
	return rb->consumers[id].frames;
}
