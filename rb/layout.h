/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte layout of a ring-buffer page (see Documentation/ring-buffer.rst).
 *
 * A page is RB_PAGE_SIZE bytes.  Its first sizeof(size_t) bytes hold the
 * address of the previous page of the ring, its last sizeof(size_t) bytes
 * the address of the next one; entries lie in between.  The first entry of
 * every page is a FID_PAGE_BEGIN saying which page of the ring's history
 * this is, how far it is committed and which frame, if any, it continues.
 *
 * Every entry starts with an 8-byte header and is 8-byte aligned.  The
 * header's check field is derived from the page's sequence number and the
 * entry's offset, so a parser of a raw dump notices an entry that is stale
 * (left from an earlier lap of the ring), misaligned or garbage.
 */
#ifndef GTP_RB_LAYOUT_H
#define GTP_RB_LAYOUT_H

#include "gtp_port.h"

enum rb_fid {
	FID_PAGE_BEGIN	= 1,	/* first entry of every page */
	FID_HEAD	= 2,	/* first entry of a frame */
	FID_REG		= 3,	/* register block, opaque bytes */
	FID_MEM		= 4,	/* memory: address, hole, bytes */
	FID_VAR		= 5,	/* trace state variable: number, value */
};

#define RB_ALIGN		8
#define RB_LINK_SIZE		sizeof(size_t)

struct rb_entry {
	u16 check;		/* rb_entry_check(page seq, offset) */
	u8 type;		/* enum rb_fid */
	u8 flags;		/* reserved, 0 */
	u16 len;		/* payload bytes after this header */
	u16 reserved;		/* 0 */
};

/* Payload of FID_PAGE_BEGIN. */
struct rb_page_begin {
	u64 page_seq;		/* n-th page this CPU's writer filled */
	u64 cont_seq;		/* frame continued here, or RB_SEQ_NONE */
	u32 commit;		/* end offset of the committed entries */
	u16 cpu;
	u16 nr_heads;		/* FID_HEAD entries committed in the page */
};

/* Payload of FID_HEAD. */
struct rb_head {
	u64 seq;		/* per-CPU frame sequence, from 0 */
	u64 time;		/* caller's clock, ns */
	u64 end;		/* ring position just after the frame */
	u32 tp;			/* tracepoint number */
	u32 stream_size;	/* bytes of the frame in the tfile stream */
};

/* Payload of FID_MEM, followed by the collected bytes. */
struct rb_mem {
	u64 addr;
	u16 hole_off;		/* bytes [hole_off, hole_off + hole_len) */
	u16 hole_len;		/* could not be read: zero-filled */
	u32 reserved;
};

/* Payload of FID_VAR. */
struct rb_var {
	u32 num;
	u32 reserved;
	s64 value;
};

#define RB_SEQ_NONE		((u64)~0ULL)

#define RB_ENTRY_HDR		sizeof(struct rb_entry)
#define RB_PAGE_HDR		(RB_LINK_SIZE + RB_ENTRY_HDR + \
				 sizeof(struct rb_page_begin))
#define RB_DATA_START		RB_PAGE_HDR
#define RB_DATA_END		(RB_PAGE_SIZE - RB_LINK_SIZE)
#define RB_DATA_SIZE		(RB_DATA_END - RB_DATA_START)
#define RB_MEM_HDR		(RB_ENTRY_HDR + sizeof(struct rb_mem))
/* Largest FID_MEM segment (a page with nothing else on it). */
#define RB_MEM_MAX_SEG		(RB_DATA_SIZE - RB_MEM_HDR)

#define RB_ENTRY_MAGIC		0xACEDu

static inline u16 rb_entry_check(u64 page_seq, u32 off)
{
	return (u16)(RB_ENTRY_MAGIC ^ (u16)(page_seq << 9) ^ (u16)(off >> 3));
}

static inline u32 rb_align(u32 n)
{
	return (n + RB_ALIGN - 1) & ~(u32)(RB_ALIGN - 1);
}

static inline struct rb_page_begin *rb_page_begin(void *page)
{
	return (struct rb_page_begin *)((u8 *)page + RB_LINK_SIZE +
					RB_ENTRY_HDR);
}

static inline void *rb_page_prev(void *page)
{
	return *(void **)page;
}

static inline void *rb_page_next(void *page)
{
	return *(void **)((u8 *)page + RB_PAGE_SIZE - RB_LINK_SIZE);
}

#endif /* GTP_RB_LAYOUT_H */
