// SPDX-License-Identifier: GPL-2.0
/*
 * The linearised frame stream: the frames of the buffer as the frame
 * section of a GDB trace file, readable at any (offset, length) with no
 * state kept per reader.
 *
 * Per frame: int16 tracepoint number, u32 size of what follows, then
 * blocks: 'R' + the register bytes, 'M' + u64 address + u16 length +
 * bytes, 'V' + int32 number + int64 value; little-endian.  Each FID_MEM
 * entry gives one 'M' block per readable run, so a hole is simply not
 * there and GDB reports those bytes unavailable.  Entries are at most a
 * page, far below the 65535-byte limit of an 'M' block.
 */
#include "rb/internal.h"

/* Writes the part of the encoding that falls in [skip, skip + len). */
struct rb_emit {
	u8 *buf;
	u32 skip;		/* encoding bytes still to skip */
	u32 room;		/* bytes left in buf */
	u32 done;		/* bytes written to buf */
};

static void rb_emit(struct rb_emit *o, const void *src, u32 n)
{
	const u8 *s = src;

	if (o->skip >= n) {
		o->skip -= n;
		return;
	}
	s += o->skip;
	n -= o->skip;
	o->skip = 0;
	if (n > o->room)
		n = o->room;
	memcpy(o->buf + o->done, s, n);
	o->done += n;
	o->room -= n;
}

static void rb_emit_le(struct rb_emit *o, u64 v, u32 bytes)
{
	u8 b[8];
	u32 i;

	for (i = 0; i < bytes; i++, v >>= 8)
		b[i] = (u8)v;
	rb_emit(o, b, bytes);
}

static void rb_emit_mem(struct rb_emit *o, u64 addr, const u8 *data, u32 len)
{
	rb_emit(o, "M", 1);
	rb_emit_le(o, addr, 8);
	rb_emit_le(o, len, 2);
	rb_emit(o, data, len);
}

s64 rb_frame_encode(const struct rb *rb, const struct rb_frame_ref *ref,
		    u32 skip, void *buf, u32 len)
{
	struct rb_emit o = { .buf = buf, .skip = skip, .room = len };
	struct rb_frame_iter it;
	struct rb_entry_view v;
	int ret;

	rb_frame_iter_init(&it, rb, ref);
	rb_emit_le(&o, ref->tp, 2);
	rb_emit_le(&o, ref->stream_size - 6, 4);
	while (o.room && (ret = rb_frame_iter_next(&it, &v)) > 0) {
		const u8 *d = v.data;

		switch (v.type) {
		case FID_REG:
			rb_emit(&o, "R", 1);
			rb_emit(&o, d, v.len);
			break;
		case FID_MEM:
			if (!v.hole_len) {
				rb_emit_mem(&o, v.addr, d, v.len);
				break;
			}
			if (v.hole_off)
				rb_emit_mem(&o, v.addr, d, v.hole_off);
			if (v.hole_off + v.hole_len < v.len) {
				u32 at = v.hole_off + v.hole_len;

				rb_emit_mem(&o, v.addr + at, d + at, v.len - at);
			}
			break;
		case FID_VAR:
			rb_emit(&o, "V", 1);
			rb_emit_le(&o, v.num, 4);
			rb_emit_le(&o, (u64)v.value, 8);
			break;
		}
	}
	/* An overwrite explains any error: report it as such. */
	if (!rb_frame_iter_valid(&it))
		return -ESTALE;
	if (it.err)
		return it.err;
	return o.done;
}

u64 rb_stream_size(const struct rb *rb)
{
	const struct rb_index *ix = &rb->index;

	if (!ix->count)
		return 0;
	return ix->ents[ix->count - 1].stream_off +
	       ix->ents[ix->count - 1].stream_size;
}

u64 rb_stream_offset(const struct rb *rb, u64 n)
{
	if (n >= rb->index.count)
		return rb_stream_size(rb);
	return rb->index.ents[n].stream_off;
}

s64 rb_stream_read(const struct rb *rb, u64 off, void *buf, u64 len)
{
	const struct rb_index *ix = &rb->index;
	u64 lo = 0, hi = ix->count, done = 0;

	/* The frame that holds byte @off: the last one starting at or before. */
	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (ix->ents[mid].stream_off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return 0;
	for (lo--; lo < ix->count && done < len; lo++) {
		const struct rb_index_ent *e = &ix->ents[lo];
		struct rb_frame_ref ref;
		u64 skip = off + done - e->stream_off;
		u64 want = min_t(u64, len - done, e->stream_size - skip);
		s64 n;

		if (skip >= e->stream_size)
			continue;
		rb_index_get(rb, lo, &ref);
		n = rb_frame_encode(rb, &ref, (u32)skip, (u8 *)buf + done,
				    (u32)want);
		if (n < 0)
			return n;
		if ((u64)n != want)
			return -EBADMSG;
		done += n;
	}
	return done;
}
