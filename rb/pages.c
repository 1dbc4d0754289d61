// SPDX-License-Identifier: GPL-2.0
/*
 * Building and tearing down the rings: one circle of order-0 pages per
 * possible CPU, each page linked to its neighbours through its first and
 * last sizeof(size_t) bytes.  Allocation is all or nothing.
 */
#include "rb/internal.h"

void rb_page_init(void *page, u64 page_seq, u64 cont_seq, u32 cpu)
{
	struct rb_entry *e = rb_entry_at(page, RB_LINK_SIZE);
	struct rb_page_begin *pb = rb_page_begin(page);

	/*
	 * The sequence goes first and is ordered before everything else a
	 * writer puts in the page, so a reader that finds it unchanged after
	 * copying knows the copy is not a mix of two laps.
	 */
	WRITE_ONCE(pb->page_seq, page_seq);
	/* Sequence first: pairs with the readers' smp_rmb() rechecks. */
	smp_wmb();
	e->check = rb_entry_check(page_seq, RB_LINK_SIZE);
	e->type = FID_PAGE_BEGIN;
	e->flags = 0;
	e->len = sizeof(*pb);
	e->reserved = 0;
	pb->cont_seq = cont_seq;
	WRITE_ONCE(pb->commit, RB_DATA_START);
	pb->cpu = (u16)cpu;
	pb->nr_heads = 0;
}

static void rb_cpu_free(struct rb_cpu *rc, u32 nr_pages)
{
	u32 i;

	if (!rc)
		return;
	if (rc->pages) {
		for (i = 0; i < nr_pages; i++)
			if (rc->pages[i])
				rb_port_page_free(rc->pages[i]);
		rb_port_free(rc->pages);
	}
	rb_port_free(rc);
}

static struct rb_cpu *rb_cpu_alloc(u32 cpu, u32 nr_pages)
{
	struct rb_cpu *rc;
	u32 i;

	rc = rb_port_zalloc(sizeof(*rc));
	if (!rc)
		return NULL;
	rc->cpu = cpu;
	rc->pages = rb_port_zalloc(nr_pages * sizeof(void *));
	if (!rc->pages)
		goto fail;
	for (i = 0; i < nr_pages; i++) {
		rc->pages[i] = rb_port_page_alloc(cpu);
		if (!rc->pages[i])
			goto fail;
	}
	for (i = 0; i < nr_pages; i++) {
		u8 *page = rc->pages[i];

		*(void **)page = rc->pages[(i + nr_pages - 1) % nr_pages];
		*(void **)(page + RB_PAGE_SIZE - RB_LINK_SIZE) =
			rc->pages[(i + 1) % nr_pages];
	}
	return rc;
fail:
	rb_cpu_free(rc, nr_pages);
	return NULL;
}

static void rb_cpu_reset(struct rb *rb, struct rb_cpu *rc)
{
	u32 i;

	for (i = 1; i < rb->nr_pages; i++)
		rb_page_begin(rc->pages[i])->page_seq = RB_SEQ_NONE;
	rb_page_init(rc->pages[0], 0, RB_SEQ_NONE, rc->cpu);
	rc->nesting = 0;
	rc->next_seq = 0;
	rc->full = false;
	rc->written = 0;
	rc->dropped_full = 0;
	rc->dropped_big = 0;
	rc->overwritten = 0;
	rc->recycled = 0;
	rc->pages_overwritten = 0;
	rb_local_set(&rc->dropped_nested, 0);
	for (i = 0; i < RB_MAX_CONSUMERS; i++)
		rc->consumed[i] = 0;
	rc->oldest = 0;
	rc->commit_page = rc->pages[0];
	/* Pairs with the readers' smp_load_acquire() of commit. */
	smp_store_release(&rc->commit, rb_pos(0, RB_DATA_START));
}

static void rb_readers_free(struct rb *rb)
{
	int i;

	for (i = 0; i < RB_MAX_CONSUMERS; i++)
		rb_consumer_detach(rb, i);
	rb_port_free(rb->index.ents);
	rb->index.ents = NULL;
	rb->index.count = 0;
	rb->index.cap = 0;
}

/*
 * One count for all buffers, so that a generation names one buffer's one
 * life even when a freed buffer's memory comes back as a new buffer.
 */
static atomic64_t rb_generations;

void rb_reset(struct rb *rb, bool circular)
{
	u32 cpu;

	rb_readers_free(rb);
	rb->generation = (u64)atomic64_inc_return(&rb_generations);
	rb->circular = circular;
	for (cpu = 0; cpu < rb->nr_cpus; cpu++) {
		rb->index.cpu[cpu].next = RB_POS_OLDEST;
		rb->index.cpu[cpu].oldest = 0;
		if (rb->cpus[cpu])
			rb_cpu_reset(rb, rb->cpus[cpu]);
	}
}

u64 rb_pages_for(u32 nr_cpus, u64 size)
{
	u64 per_cpu = nr_cpus ? size / nr_cpus : 0;
	/* Rounded up without overflowing for a huge @size. */
	u64 pages = per_cpu / RB_PAGE_SIZE + !!(per_cpu % RB_PAGE_SIZE);

	return pages < RB_MIN_PAGES ? RB_MIN_PAGES : pages;
}

int rb_create(struct rb **out, u32 nr_cpus, u64 size, bool circular)
{
	struct rb *rb;
	u64 pages;
	u32 cpu;

	*out = NULL;
	if (!nr_cpus || !size || RB_PAGE_SIZE > 65536)
		return -EINVAL;
	pages = rb_pages_for(nr_cpus, size);
	/* Positions are page_seq * RB_PAGE_SIZE: keep slots in a u32. */
	if (pages > 0x7fffffff)
		return -EINVAL;

	rb = rb_port_zalloc(sizeof(*rb) + nr_cpus * sizeof(rb->cpus[0]));
	if (!rb)
		return -ENOMEM;
	rb->nr_cpus = nr_cpus;
	rb->nr_pages = (u32)pages;
	rb->index.cpu = rb_port_zalloc(nr_cpus * sizeof(rb->index.cpu[0]));
	if (!rb->index.cpu)
		goto fail;
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!rb_port_cpu_possible(cpu))
			continue;
		rb->cpus[cpu] = rb_cpu_alloc(cpu, rb->nr_pages);
		if (!rb->cpus[cpu])
			goto fail;
	}
	rb_reset(rb, circular);
	*out = rb;
	return 0;
fail:
	rb_destroy(rb);
	return -ENOMEM;
}

void rb_destroy(struct rb *rb)
{
	u32 cpu;

	if (!rb)
		return;
	if (rb->index.cpu)
		rb_readers_free(rb);
	for (cpu = 0; cpu < rb->nr_cpus; cpu++)
		rb_cpu_free(rb->cpus[cpu], rb->nr_pages);
	rb_port_free(rb->index.cpu);
	rb_port_free(rb);
}

u64 rb_generation(const struct rb *rb)
{
	return rb->generation;
}

u32 rb_nr_cpus(const struct rb *rb)
{
	return rb->nr_cpus;
}

u32 rb_pages_per_cpu(const struct rb *rb)
{
	return rb->nr_pages;
}

bool rb_circular(const struct rb *rb)
{
	return rb->circular;
}

void *rb_page(const struct rb *rb, u32 cpu, u32 slot)
{
	if (cpu >= rb->nr_cpus || !rb->cpus[cpu] || slot >= rb->nr_pages)
		return NULL;
	return rb->cpus[cpu]->pages[slot];
}
