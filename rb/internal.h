/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by the files of rb/; not for users of the buffer.
 *
 * Who writes what (the memory-ordering argument is in
 * Documentation/ring-buffer.rst):
 *  - struct rb_cpu's writer fields and counters: only the writer of that
 *    CPU, with plain stores; readers load them with READ_ONCE.
 *  - rb_cpu.commit: the writer, with smp_store_release after the frame's
 *    bytes and the page's commit offset; readers smp_load_acquire it.
 *  - rb_cpu.consumed[]: each consumer its own slot, smp_store_release once
 *    it has copied what it needs; the writer smp_load_acquire's them when
 *    it wants to reuse a page in stop-when-full mode.
 *  - everything else in struct rb (index, consumers): readers, serialised
 *    by the caller.
 */
#ifndef GTP_RB_INTERNAL_H
#define GTP_RB_INTERNAL_H

#include "rb/rb.h"

struct rb_cpu {
	/* Writer side. */
	void **pages;		/* ring slot -> page */
	u32 cpu;
	u32 nesting;		/* a writer is between begin and commit */
	u64 next_seq;		/* sequence of the next frame */
	void *commit_page;	/* the page commit is in */
	bool full;

	/* Published to readers. */
	u64 commit;		/* ring position after the last frame */
	u64 oldest;		/* page sequence of the oldest data */

	/* Counters, written by the writer only (but see dropped_nested). */
	u64 written;
	u64 dropped_full;
	u64 dropped_big;
	u64 overwritten;
	u64 recycled;
	u64 pages_overwritten;
	rb_local_t dropped_nested;	/* bumped by the refused writer */

	/* Lowest page sequence each consumer still needs. */
	u64 consumed[RB_MAX_CONSUMERS];
};

struct rb_index_ent {
	u64 time;
	u64 pos;		/* ring position of the FID_HEAD */
	u64 seq;
	u64 stream_off;		/* offset of the frame in the tfile stream */
	u32 cpu;
	u32 tp;
	u32 stream_size;
	u32 reserved;
};

struct rb_index {
	struct rb_index_ent *ents;
	u64 count;
	u64 cap;
	struct rb_index_cpu {
		u64 next;	/* next head position to index */
		u64 oldest;	/* the CPU's oldest page when last seen */
	} *cpu;
};

struct rb_consumer {
	bool used;
	u64 *pos;		/* per CPU: next head position */
	u64 *expect;		/* per CPU: next frame sequence expected */
	u64 overrun;
	u64 frames;
	u8 *bounce;		/* the frame being handed out, encoded */
	u32 bounce_cap;
	u32 bounce_len;
	u32 bounce_off;
};

struct rb {
	u32 nr_cpus;
	u32 nr_pages;		/* per CPU */
	bool circular;
	u64 generation;		/* rb_generation() */
	u32 consumer_mask;	/* readers WRITE_ONCE, writers READ_ONCE */
	struct rb_consumer consumers[RB_MAX_CONSUMERS];
	struct rb_index index;
	struct rb_cpu *cpus[];	/* NULL for CPUs that are not possible */
};

/* A position that means "look for the first frame of the oldest page". */
#define RB_POS_OLDEST		((u64)~0ULL)
/* The writer has not placed the frame's head yet. */
#define RB_POS_NONE		((u64)~0ULL)

static inline void *rb_cpu_page(const struct rb *rb, const struct rb_cpu *rc,
				u64 page_seq)
{
	return rc->pages[page_seq % rb->nr_pages];
}

static inline struct rb_entry *rb_entry_at(void *page, u32 off)
{
	return (struct rb_entry *)((u8 *)page + off);
}

static inline u64 rb_pos(u64 page_seq, u32 off)
{
	return page_seq * RB_PAGE_SIZE + off;
}

/* rb/pages.c */
void rb_page_init(void *page, u64 page_seq, u64 cont_seq, u32 cpu);

/* rb/frame.c: reader helpers shared by index, stream and consumers. */
int rb_first_head(const struct rb *rb, const struct rb_cpu *rc, u64 *pos);
int rb_read_head(const struct rb *rb, u32 cpu, u64 pos,
		 struct rb_frame_ref *ref, u64 *end);
/* Normalise a position left at the end of a page's data to the next page. */
u64 rb_pos_skip_page_end(const struct rb *rb, const struct rb_cpu *rc,
			 u64 pos);
bool rb_page_intact(const struct rb *rb, const struct rb_cpu *rc, u64 page_seq);

#endif /* GTP_RB_INTERNAL_H */
