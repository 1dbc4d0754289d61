// SPDX-License-Identifier: GPL-2.0
/*
 * The frame index: every committed frame of every CPU in one array in time
 * order, for tfind's "frame N", forward and backward, in O(1).
 *
 * A refresh visits only frames committed since the previous one: each CPU
 * remembers the position of the next head to index, and a head records
 * where its frame ends, so indexing costs one head read per frame however
 * large the frame is.  New frames are sorted and merged behind the old
 * ones; a frame committed late (its writer's clock read came before the
 * previous refresh) is merged into place, so the order stays exact.
 * Frames whose pages were overwritten or recycled are dropped from the
 * front of their CPU's share, and frame numbers count from the oldest
 * frame still present, as GDB expects.
 */
#include "rb/internal.h"

static int rb_ent_cmp(const void *a, const void *b)
{
	const struct rb_index_ent *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

static int rb_index_reserve(struct rb_index *ix, u64 more)
{
	struct rb_index_ent *ents;
	u64 cap = ix->cap ? ix->cap : 256;

	if (ix->count + more <= ix->cap)
		return 0;
	while (cap < ix->count + more)
		cap *= 2;
	ents = rb_port_zalloc(cap * sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	if (ix->count)
		memcpy(ents, ix->ents, ix->count * sizeof(*ents));
	rb_port_free(ix->ents);
	ix->ents = ents;
	ix->cap = cap;
	return 0;
}

/* Drop entries whose head page is older than its CPU's oldest page. */
static u64 rb_index_compact(struct rb *rb)
{
	struct rb_index *ix = &rb->index;
	u64 i, j = 0, first_changed = ix->count;

	for (i = 0; i < ix->count; i++) {
		struct rb_index_ent *e = &ix->ents[i];
		const struct rb_cpu *rc = rb->cpus[e->cpu];

		if (rb_pos_page(e->pos) < READ_ONCE(rc->oldest)) {
			if (first_changed == ix->count)
				first_changed = i;
			continue;
		}
		if (j != i)
			ix->ents[j] = *e;
		j++;
	}
	ix->count = j;
	return first_changed;
}

/* Append the frames @cpu committed since the last refresh. */
static int rb_index_scan_cpu(struct rb *rb, u32 cpu, bool *stale)
{
	struct rb_index *ix = &rb->index;
	const struct rb_cpu *rc = rb->cpus[cpu];
	/* Pairs with the writer's release in rb_frame_commit(). */
	u64 commit = smp_load_acquire(&rc->commit);
	u64 pos = ix->cpu[cpu].next;
	u64 oldest = READ_ONCE(rc->oldest);
	int tries = 0, err;

	if (oldest != ix->cpu[cpu].oldest) {
		ix->cpu[cpu].oldest = oldest;
		*stale = true;
	}

	for (;;) {
		struct rb_frame_ref ref;
		struct rb_index_ent *e;
		u64 end;

		if (pos == RB_POS_OLDEST ||
		    rb_pos_page(pos) < READ_ONCE(rc->oldest)) {
			if (pos != RB_POS_OLDEST)
				*stale = true;
			err = rb_first_head(rb, rc, &pos);
			if (err == -ESTALE && ++tries < 8)
				continue;
			if (err)
				return err;
		}
		pos = rb_pos_skip_page_end(rb, rc, pos);
		if (pos >= commit)
			break;
		err = rb_read_head(rb, cpu, pos, &ref, &end);
		if (err == -ESTALE && ++tries < 8) {
			pos = RB_POS_OLDEST;
			*stale = true;
			continue;
		}
		if (err)
			return err;
		err = rb_index_reserve(ix, 1);
		if (err)
			return err;
		e = &ix->ents[ix->count++];
		e->time = ref.time;
		e->pos = pos;
		e->seq = ref.seq;
		e->cpu = cpu;
		e->tp = ref.tp;
		e->stream_size = ref.stream_size;
		e->stream_off = 0;
		pos = end;
	}
	ix->cpu[cpu].next = pos;
	return 0;
}

/*
 * Merge the sorted new entries [@old, count) into the sorted old ones;
 * return the first index whose entry moved.
 */
static int rb_index_merge(struct rb_index *ix, u64 old, u64 *first)
{
	struct rb_index_ent *tmp;
	u64 lo = 0, hi = old, n, i, j, k;

	if (ix->count > old)
		rb_port_sort(ix->ents + old, ix->count - old,
			     sizeof(ix->ents[0]), rb_ent_cmp);
	if (!old || ix->count == old ||
	    rb_ent_cmp(&ix->ents[old - 1], &ix->ents[old]) <= 0) {
		*first = old;
		return 0;
	}
	/* First old entry that sorts after the earliest new one. */
	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (rb_ent_cmp(&ix->ents[mid], &ix->ents[old]) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	n = old - lo;
	tmp = rb_port_zalloc(n * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, ix->ents + lo, n * sizeof(*tmp));
	for (i = 0, j = old, k = lo; i < n; k++) {
		if (j < ix->count && rb_ent_cmp(&ix->ents[j], &tmp[i]) < 0)
			ix->ents[k] = ix->ents[j++];
		else
			ix->ents[k] = tmp[i++];
	}
	rb_port_free(tmp);
	*first = lo;
	return 0;
}

int rb_index_refresh(struct rb *rb)
{
	struct rb_index *ix = &rb->index;
	u64 old, first, i;
	bool stale = false;
	int err = 0;
	u32 cpu;

	old = ix->count;
	for (cpu = 0; cpu < rb->nr_cpus && !err; cpu++)
		if (rb->cpus[cpu])
			err = rb_index_scan_cpu(rb, cpu, &stale);
	if (!err)
		err = rb_index_merge(ix, old, &first);
	if (err) {
		/* Forget everything; the next refresh rebuilds from scratch. */
		for (cpu = 0; cpu < rb->nr_cpus; cpu++)
			ix->cpu[cpu].next = RB_POS_OLDEST;
		ix->count = 0;
		return err;
	}
	if (stale) {
		u64 gone = rb_index_compact(rb);

		if (gone < first)
			first = gone;
	}
	for (i = first; i < ix->count; i++)
		ix->ents[i].stream_off = i ? ix->ents[i - 1].stream_off +
					     ix->ents[i - 1].stream_size : 0;
	return 0;
}

u64 rb_index_count(const struct rb *rb)
{
	return rb->index.count;
}

int rb_index_get(const struct rb *rb, u64 n, struct rb_frame_ref *ref)
{
	const struct rb_index_ent *e;

	if (n >= rb->index.count)
		return -ENOENT;
	e = &rb->index.ents[n];
	ref->pos = e->pos;
	ref->time = e->time;
	ref->seq = e->seq;
	ref->cpu = e->cpu;
	ref->tp = e->tp;
	ref->stream_size = e->stream_size;
	return 0;
}
