// SPDX-License-Identifier: GPL-2.0
/*
 * Status of the buffer in O(1): every figure is a counter the writer keeps
 * or follows from the oldest and commit positions.  Counters are written
 * by one writer and read here with READ_ONCE; a figure may be a frame
 * behind a running writer, never torn on a 64-bit machine.
 */
#include "rb/internal.h"

void rb_stats_cpu(const struct rb *rb, u32 cpu, struct rb_stats *st)
{
	const struct rb_cpu *rc = cpu < rb->nr_cpus ? rb->cpus[cpu] : NULL;
	u64 commit, oldest, total;

	memset(st, 0, sizeof(*st));
	if (!rc)
		return;
	/* Pairs with the writer's release in rb_frame_commit(). */
	commit = smp_load_acquire(&rc->commit);
	oldest = READ_ONCE(rc->oldest);
	total = (u64)rb->nr_pages * RB_PAGE_SIZE;
	st->written = READ_ONCE(rc->written);
	st->dropped_full = READ_ONCE(rc->dropped_full);
	st->dropped_nested = rb_local_read(&rc->dropped_nested);
	st->dropped_big = READ_ONCE(rc->dropped_big);
	st->overwritten = READ_ONCE(rc->overwritten);
	st->recycled = READ_ONCE(rc->recycled);
	st->pages_overwritten = READ_ONCE(rc->pages_overwritten);
	st->wraps = rb_pos_page(commit) / rb->nr_pages;
	st->frames = st->written - st->overwritten - st->recycled;
	st->oldest = rb_pos(oldest, RB_DATA_START);
	st->next = commit;
	if (oldest > rb_pos_page(commit))
		oldest = rb_pos_page(commit);
	st->bytes_used = (rb_pos_page(commit) - oldest) * RB_PAGE_SIZE +
			 rb_pos_off(commit) + RB_LINK_SIZE;
	st->bytes_free = total - st->bytes_used;
	st->full = READ_ONCE(rc->full);
}

void rb_stats_total(const struct rb *rb, struct rb_stats *st)
{
	struct rb_stats one;
	u32 cpu;

	memset(st, 0, sizeof(*st));
	for (cpu = 0; cpu < rb->nr_cpus; cpu++) {
		if (!rb->cpus[cpu])
			continue;
		rb_stats_cpu(rb, cpu, &one);
		st->written += one.written;
		st->dropped_full += one.dropped_full;
		st->dropped_nested += one.dropped_nested;
		st->dropped_big += one.dropped_big;
		st->overwritten += one.overwritten;
		st->recycled += one.recycled;
		st->pages_overwritten += one.pages_overwritten;
		st->wraps += one.wraps;
		st->frames += one.frames;
		st->bytes_used += one.bytes_used;
		st->bytes_free += one.bytes_free;
		st->full |= one.full;
	}
	/* Positions are per CPU; the total has none. */
}
