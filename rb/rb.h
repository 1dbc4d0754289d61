/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rb: per-CPU, page-linked ring buffer of trace frames.
 *
 * Writers (rb/write.c) run on the CPU whose ring they fill, with preemption
 * off; a writer that interrupts another on the same CPU is refused and
 * counted, so each ring has exactly one writer at a time and the writer's
 * fast path is plain loads and stores.  Readers (rb/index.c, rb/stream.c,
 * rb/consumer.c) run in process context, serialised by the caller, and
 * may run on any CPU while writers write; they see committed frames only.
 *
 * Documentation/ring-buffer.rst has the layout, the algorithms and the
 * memory-ordering argument.
 */
#ifndef GTP_RB_H
#define GTP_RB_H

#include "gtp_port.h"
#include "rb/layout.h"

#define RB_MAX_CONSUMERS	4
#define RB_MIN_PAGES		3	/* per CPU */

struct rb;

/*
 * Copy len bytes from address src into dst; return how many leading bytes
 * were copied (len when all were).  The kernel passes a nofault copy.
 */
typedef size_t (*rb_copy_fn)(void *dst, u64 src, size_t len, void *ctx);

/* Plain memcpy from a host pointer, for callers that own the source. */
size_t rb_copy_direct(void *dst, u64 src, size_t len, void *ctx);

/*
 * Faults are assumed to be page-granular in the source: after a short
 * copy, the writer retries from the next multiple of this.
 */
#define RB_FAULT_GRANULE	4096

/* --- lifetime (rb/pages.c), process context ------------------------- */

/*
 * Build rings for CPUs 0..nr_cpus-1 (those the port says are possible),
 * @size bytes in total, split evenly, at least RB_MIN_PAGES pages each.
 * Returns 0 and *out, or -ENOMEM/-EINVAL with nothing allocated.
 */
int rb_create(struct rb **out, u32 nr_cpus, u64 size, bool circular);
void rb_destroy(struct rb *rb);
/* Pages per CPU rb_create() gives @size bytes over @nr_cpus CPUs. */
u64 rb_pages_for(u32 nr_cpus, u64 size);
/* Forget every frame and counter; no writer may be running. */
void rb_reset(struct rb *rb, bool circular);
/*
 * A number that changes at every rb_create() and rb_reset() and is never
 * given twice, not even to another buffer at the same address: a reader
 * that kept state across calls (a consumer id) compares it to know that
 * its state still belongs to this buffer.
 */
u64 rb_generation(const struct rb *rb);
u32 rb_nr_cpus(const struct rb *rb);
u32 rb_pages_per_cpu(const struct rb *rb);
bool rb_circular(const struct rb *rb);
/* The page in ring slot @slot of @cpu (for tests and raw dumps). */
void *rb_page(const struct rb *rb, u32 cpu, u32 slot);

/* --- writing a frame (rb/write.c), on @cpu with preemption off ------- */

struct rb_writer {
	struct rb *rb;
	struct rb_cpu *rc;
	struct rb_head *head;
	u8 *page;		/* the page w->pos is in */
	u8 *start_page;		/* the page of the head */
	u64 start;		/* ring position of the frame's head */
	u64 pos;		/* next free ring position */
	u32 start_end;		/* where the frame left its first page */
	u32 stream_size;
	int err;
};

/*
 * Start a frame of tracepoint @tp stamped @time on @cpu.  Returns 0, or
 * -EBUSY when another writer is active on this CPU (the frame is counted
 * as nested), -ENOSPC when the ring is full in stop-when-full mode (counted
 * as dropped).  On error nothing else needs to be called.
 */
int rb_frame_begin(struct rb *rb, struct rb_writer *w, u32 cpu, u32 tp,
		   u64 time);
/* Register block, at most RB_DATA_SIZE - RB_ENTRY_HDR bytes, unsplit. */
int rb_frame_reg(struct rb_writer *w, const void *regs, u32 len);
/*
 * @len bytes at @addr, read through @copy straight into ring memory, split
 * into FID_MEM entries of consecutive addresses across pages.  Bytes the
 * copy could not read are zero-filled and recorded as a hole; that is not
 * an error.
 */
int rb_frame_mem(struct rb_writer *w, u64 addr, u64 len, rb_copy_fn copy,
		 void *ctx);
int rb_frame_var(struct rb_writer *w, u32 num, s64 value);
/*
 * Publish the frame, or, if any step failed, roll it back and count it
 * as dropped.  Returns 0 or the first error.
 */
int rb_frame_commit(struct rb_writer *w);
/*
 * Abandon the frame: nothing is published and nothing is counted, for a
 * writer that found its source invalid after copying it (the audio
 * collector, whose page the block overwrote during the copy) and does
 * its own accounting.  Space reclaimed from older frames stays reclaimed.
 */
void rb_frame_discard(struct rb_writer *w);

/* --- status (rb/status.c), O(1), any context ------------------------ */

struct rb_stats {
	u64 written;		/* frames committed */
	u64 dropped_full;	/* frames refused: no room (stop-when-full) */
	u64 dropped_nested;	/* frames refused: nested writer */
	u64 dropped_big;	/* frames refused: larger than the ring */
	u64 overwritten;	/* frames lost to circular overwrite */
	u64 recycled;		/* frames consumed, their pages reused */
	u64 pages_overwritten;
	u64 wraps;		/* laps of the ring by the writer */
	u64 frames;		/* frames in the buffer now */
	u64 bytes_used;
	u64 bytes_free;
	u64 oldest;		/* ring position of the oldest data */
	u64 next;		/* ring position the next frame starts at */
	bool full;		/* stop-when-full ring refused a frame */
};

void rb_stats_cpu(const struct rb *rb, u32 cpu, struct rb_stats *st);
void rb_stats_total(const struct rb *rb, struct rb_stats *st);

/* --- one frame's entries (rb/frame.c), reader context ----------------- */

/* Where a frame lives; from the index or a consumer. */
struct rb_frame_ref {
	u64 pos;		/* ring position of the FID_HEAD */
	u64 time;
	u64 seq;
	u32 cpu;
	u32 tp;
	u32 stream_size;
};

struct rb_entry_view {
	u8 type;		/* FID_REG, FID_MEM or FID_VAR */
	u32 len;		/* payload bytes (FID_MEM: data bytes) */
	const void *data;	/* payload in ring memory (FID_MEM: bytes) */
	u64 addr;		/* FID_MEM */
	u32 hole_off, hole_len;	/* FID_MEM */
	u32 num;		/* FID_VAR */
	s64 value;		/* FID_VAR */
};

struct rb_frame_iter {
	const struct rb *rb;
	struct rb_frame_ref ref;
	u64 pos;
	u64 end;
	int err;
};

void rb_frame_iter_init(struct rb_frame_iter *it, const struct rb *rb,
			const struct rb_frame_ref *ref);
/*
 * Next entry of the frame: 1 and *e, 0 at the end, or -ESTALE when the
 * writer has overwritten the frame (circular mode).  Data pointed to by
 * e->data may be overwritten at any time: copy it, then call
 * rb_frame_iter_valid() to know whether the copy is good.
 */
int rb_frame_iter_next(struct rb_frame_iter *it, struct rb_entry_view *e);
bool rb_frame_iter_valid(const struct rb_frame_iter *it);

/* --- global order and random access (rb/index.c), reader context ----- */

/*
 * Bring the index up to date with what writers committed since the last
 * call (only new frames are visited) and drop frames that were
 * overwritten.  Returns 0, or -ENOMEM with the index emptied (the next call rebuilds it).
 */
int rb_index_refresh(struct rb *rb);
/* Frames indexed, oldest first in time order across CPUs. */
u64 rb_index_count(const struct rb *rb);
/* Frame @n of the index (0 = oldest): 0 and *ref, or -ENOENT. */
int rb_index_get(const struct rb *rb, u64 n, struct rb_frame_ref *ref);

/* --- linearised tfile frame stream (rb/stream.c), reader context ----- */

/*
 * The GDB trace-file frame section of the indexed frames, oldest first:
 * per frame an int16 tracepoint, a u32 size and 'R', 'M' (at most 65535
 * bytes each) and 'V' blocks, all little-endian.  Bytes [@off, @off+@len)
 * of it go to @buf; returns bytes copied (0 at the end) or -ESTALE when
 * frames were overwritten under the read.  Keeps no per-reader state;
 * call rb_index_refresh() first to include new frames.
 */
s64 rb_stream_read(const struct rb *rb, u64 off, void *buf, u64 len);
u64 rb_stream_size(const struct rb *rb);
/* Where frame @n of the index starts in the stream; the size past the end. */
u64 rb_stream_offset(const struct rb *rb, u64 n);
/* Encode one frame from byte @skip of its encoding; as rb_stream_read. */
s64 rb_frame_encode(const struct rb *rb, const struct rb_frame_ref *ref,
		    u32 skip, void *buf, u32 len);

/* --- consuming readers (rb/consumer.c), reader context --------------- */

/* Returns a consumer id (0..RB_MAX_CONSUMERS-1) or -EBUSY. */
int rb_consumer_attach(struct rb *rb);
void rb_consumer_detach(struct rb *rb, int id);
/*
 * Copy the next bytes of this consumer's tfile frame stream into @buf and
 * hand the pages it has finished with back to the writer.  Returns bytes
 * copied, 0 when nothing is committed yet, or a negative errno.
 */
s64 rb_consumer_read(struct rb *rb, int id, void *buf, u64 len);
/* Frames this consumer lost to circular overwrite. */
u64 rb_consumer_overrun(const struct rb *rb, int id);
/* Frames this consumer has read whole. */
u64 rb_consumer_frames(const struct rb *rb, int id);

/* --- raw dumps (rb/check.c) ----------------------------------------- */

/*
 * Validate a dump of one page: links aside, every entry's check, type,
 * length and alignment up to the page's commit.  Returns 0, or -EBADMSG
 * and the offset of the first bad entry in *bad_off.
 */
int rb_check_page(const void *page, u64 expect_seq, u32 *bad_off);
/*
 * Validate one CPU's whole ring: pages linked both ways, page sequence
 * numbers consecutive from the oldest, frames continued where a page says
 * they are, frame sequence numbers consecutive.  Returns 0 or -EBADMSG
 * with *bad_slot and *bad_off set.
 */
int rb_check_cpu(const struct rb *rb, u32 cpu, u32 *bad_slot, u32 *bad_off);

/* Ring positions are page_seq * RB_PAGE_SIZE + offset in the page. */
static inline u64 rb_pos_page(u64 pos)
{
	return pos / RB_PAGE_SIZE;
}

static inline u32 rb_pos_off(u64 pos)
{
	return (u32)(pos % RB_PAGE_SIZE);
}

#endif /* GTP_RB_H */
