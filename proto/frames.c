// SPDX-License-Identifier: GPL-2.0
/*
 * Trace frames as GDB sees them: selecting one (QTFrame in all its forms),
 * and, while one is selected, answering `m` from its FID_MEM entries
 * (reassembled across split entries and pages), `g` from its FID_REG,
 * qTV from its FID_VAR, and qXfer:traceframe-info with exactly what was
 * collected, so GDB prints <unavailable> for the rest instead of reading
 * live memory.  Also qTBuffer: the raw frame stream that tsave copies.
 *
 * Frames are read in place and checked afterwards (rb_frame_iter_valid):
 * a frame a circular run overwrote while we copied it gives an error,
 * never a mix of two frames.
 */
#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/trace.h"

/* The address GDB should see as the frame's PC: its tracepoint's. */
static u64 frame_pc(struct rsp_session *s, const struct rb_frame_ref *ref)
{
	struct gtp_tracepoint *tp = gtp_trace_find(s->trace, ref->tp);

	return tp ? tp->addr : 0;
}

static void reply_frame(struct rsp_session *s, s64 n)
{
	/*
	 * No such frame: the selection stays, as GDB assumes (it does not
	 * update its idea of the remote frame on F-1).
	 */
	if (n < 0) {
		rsp_reply_str(&s->conn, "F-1");
		return;
	}
	s->frame = n;
	rb_index_get(s->trace->rb, (u64)n, &s->fref);
	rsp_reply_char(&s->conn, 'F');
	rsp_reply_u64(&s->conn, (u64)n);
	rsp_reply_char(&s->conn, 'T');
	rsp_reply_u64(&s->conn, s->fref.tp);
}

enum find_kind { FIND_PC, FIND_TDP, FIND_RANGE, FIND_OUTSIDE };

static s64 find_frame(struct rsp_session *s, enum find_kind kind, u64 a,
		      u64 b)
{
	struct rb *rb = s->trace->rb;
	u64 n = s->frame < 0 ? 0 : (u64)s->frame + 1;
	struct rb_frame_ref ref;

	for (; !rb_index_get(rb, n, &ref); n++) {
		u64 pc = frame_pc(s, &ref);
		bool hit = false;

		switch (kind) {
		case FIND_PC:
			hit = pc == a;
			break;
		case FIND_TDP:
			hit = ref.tp == a;
			break;
		case FIND_RANGE:
			hit = pc >= a && pc <= b;
			break;
		case FIND_OUTSIDE:
			hit = pc < a || pc > b;
			break;
		}
		if (hit)
			return (s64)n;
	}
	return -1;
}

static bool parse_two(const char *p, const char *end, u64 *a, u64 *b)
{
	return rsp_parse_u64(&p, end, a) && p < end && *p++ == ':' &&
	       rsp_parse_u64(&p, end, b) && p == end;
}

/* QTFrame:N | pc:A | tdp:T | range:LO:HI | outside:LO:HI | ffffffff */
static void pkt_qtframe(struct rsp_session *s, char *args, size_t len)
{
	const char *p = args + 1, *end = args + len;
	u64 a, b;

	if (!s->trace || !len || *args != ':') {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	/* `tfind none` works with or without a buffer. */
	if (end - p == 8 && !memcmp(p, "ffffffff", 8)) {
		s->frame = -1;
		rsp_reply_ok(&s->conn);
		return;
	}
	if (!s->trace->rb) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	if (rb_index_refresh(s->trace->rb)) {
		rsp_reply_error(&s->conn, RSP_E2BIG);
		return;
	}
	if (end - p > 3 && !memcmp(p, "pc:", 3)) {
		p += 3;
		if (!rsp_parse_u64(&p, end, &a) || p != end)
			goto bad;
		reply_frame(s, find_frame(s, FIND_PC, a, 0));
	} else if (end - p > 4 && !memcmp(p, "tdp:", 4)) {
		p += 4;
		if (!rsp_parse_u64(&p, end, &a) || p != end)
			goto bad;
		reply_frame(s, find_frame(s, FIND_TDP, a, 0));
	} else if (end - p > 6 && !memcmp(p, "range:", 6)) {
		if (!parse_two(p + 6, end, &a, &b))
			goto bad;
		reply_frame(s, find_frame(s, FIND_RANGE, a, b));
	} else if (end - p > 8 && !memcmp(p, "outside:", 8)) {
		if (!parse_two(p + 8, end, &a, &b))
			goto bad;
		reply_frame(s, find_frame(s, FIND_OUTSIDE, a, b));
	} else {
		if (!rsp_parse_u64(&p, end, &a) || p != end)
			goto bad;
		reply_frame(s, a < rb_index_count(s->trace->rb) ? (s64)a : -1);
	}
	return;
bad:
	rsp_reply_error(&s->conn, RSP_EINVAL);
}

static void mark(u8 *bits, u64 from, u64 to)
{
	for (; from < to; from++)
		bits[from / 8] |= 1 << (from % 8);
}

/* Overlay one readable run [@at, @at + @n) of an entry onto the request. */
static void overlay(struct rsp_session *s, u64 addr, u64 count, u64 at,
		    const u8 *data, u64 n)
{
	u64 lo = max_t(u64, addr, at), hi = min_t(u64, addr + count, at + n);

	if (lo >= hi)
		return;
	memcpy(s->mem + (lo - addr), data + (lo - at), hi - lo);
	mark(s->mem_valid, lo - addr, hi - addr);
}

bool rsp_frame_read_memory(struct rsp_session *s, u64 addr, u64 count)
{
	struct rb_frame_iter it;
	struct rb_entry_view v;
	u64 n = 0;
	u32 i;

	if (s->frame < 0 || !s->trace || !s->trace->rb)
		return false;
	count = min_t(u64, count, sizeof(s->mem_valid) * 8);
	memset(s->mem_valid, 0, sizeof(s->mem_valid));
	rb_frame_iter_init(&it, s->trace->rb, &s->fref);
	while (rb_frame_iter_next(&it, &v) > 0) {
		const u8 *d = v.data;

		if (v.type != FID_MEM)
			continue;
		if (!v.hole_len) {
			overlay(s, addr, count, v.addr, d, v.len);
			continue;
		}
		overlay(s, addr, count, v.addr, d, v.hole_off);
		i = v.hole_off + v.hole_len;
		overlay(s, addr, count, v.addr + i, d + i, v.len - i);
	}
	if (it.err || !rb_frame_iter_valid(&it)) {
		rsp_reply_error(&s->conn, RSP_EFAULT);
		return true;
	}
	while (n < count && (s->mem_valid[n / 8] & (1 << (n % 8))))
		n++;
	/*
	 * Read-only sections (QTro) may come from live memory, and so may
	 * what the target knows to be read-only: GDB sends QTro only for
	 * its executable, not for symbol files such as a kernel module's.
	 */
	if (!n && s->ops->read_memory) {
		u64 ro = 0;

		for (i = 0; i < s->trace->nr_ro; i++) {
			if (addr < s->trace->ro[i].lo || addr >= s->trace->ro[i].hi)
				continue;
			ro = min_t(u64, count, s->trace->ro[i].hi - addr);
			break;
		}
		if (!ro && s->ops->readonly_size)
			ro = s->ops->readonly_size(s->target, addr, count);
		if (ro)
			n = s->ops->read_memory(s->target, addr, s->mem, ro);
	}
	if (!n)
		rsp_reply_error(&s->conn, RSP_EFAULT);
	else
		rsp_reply_hex(&s->conn, s->mem, n);
	return true;
}

bool rsp_frame_read_registers(struct rsp_session *s, size_t size)
{
	struct rb_frame_iter it;
	struct rb_entry_view v;
	bool found = false;
	u64 pc;
	size_t i;

	if (s->frame < 0 || !s->trace || !s->trace->rb)
		return false;
	memset(s->regs_valid, 0, size);
	rb_frame_iter_init(&it, s->trace->rb, &s->fref);
	while (!found && rb_frame_iter_next(&it, &v) > 0) {
		if (v.type != FID_REG)
			continue;
		memcpy(s->regs, v.data, min_t(size_t, size, v.len));
		memset(s->regs_valid, 1, min_t(size_t, size, v.len));
		found = true;
	}
	if (it.err || !rb_frame_iter_valid(&it)) {
		rsp_reply_error(&s->conn, RSP_EFAULT);
		return true;
	}
	if (!found && s->ops->pc_size == 8 &&
	    s->ops->pc_offset + 8 <= size) {
		/* Registers not collected: the PC is still known. */
		pc = frame_pc(s, &s->fref);
		for (i = 0; i < 8; i++)
			s->regs[s->ops->pc_offset + i] = (u8)(pc >> (8 * i));
		memset(s->regs_valid + s->ops->pc_offset, 1, 8);
	}
	for (i = 0; i < size; i++) {
		if (s->regs_valid[i])
			rsp_reply_hex(&s->conn, &s->regs[i], 1);
		else
			rsp_reply_str(&s->conn, "xx");
	}
	return true;
}

/* qTV:n -> V<value> or U */
static void pkt_qtv(struct rsp_session *s, char *args, size_t len)
{
	const char *p = args + 1, *end = args + len;
	struct rb_frame_iter it;
	struct rb_entry_view v;
	struct gtp_tsv *tsv;
	u64 num;

	if (!s->trace || !len || *args != ':' ||
	    !rsp_parse_u64(&p, end, &num) || p != end) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	if (s->frame >= 0) {
		rb_frame_iter_init(&it, s->trace->rb, &s->fref);
		while (rb_frame_iter_next(&it, &v) > 0) {
			if (v.type == FID_VAR && v.num == num &&
			    rb_frame_iter_valid(&it)) {
				rsp_reply_char(&s->conn, 'V');
				rsp_reply_u64(&s->conn, (u64)v.value);
				return;
			}
		}
		rsp_reply_char(&s->conn, 'U');
		return;
	}
	tsv = gtp_trace_find_tsv(s->trace, (u32)num);
	/* The agent's own variables only have values at a hit. */
	if (!tsv || tsv->special) {
		rsp_reply_char(&s->conn, 'U');
		return;
	}
	rsp_reply_char(&s->conn, 'V');
	rsp_reply_u64(&s->conn, (u64)READ_ONCE(tsv->value));
}

/* Emits the window [skip, skip + room) of a generated text. */
struct text_win {
	struct rsp_conn *c;
	u64 skip;
	u64 room;
	u64 total;
};

static void win_str(struct text_win *w, const char *str)
{
	size_t n = strlen(str), i;

	for (i = 0; i < n; i++, w->total++) {
		if (w->skip) {
			w->skip--;
		} else if (w->room) {
			rsp_reply_bin(w->c, &str[i], 1);
			w->room--;
		}
	}
}

static void win_hex(struct text_win *w, u64 val)
{
	char buf[20], *p = buf + sizeof(buf);

	*--p = 0;
	do {
		*--p = "0123456789abcdef"[val & 15];
		val >>= 4;
	} while (val);
	*--p = 'x';
	*--p = '0';
	win_str(w, p);
}

static void win_range(struct text_win *w, u64 start, u64 len)
{
	if (!len)
		return;
	win_str(w, "<memory start=\"");
	win_hex(w, start);
	win_str(w, "\" length=\"");
	win_hex(w, len);
	win_str(w, "\"/>");
}

/* Adds a readable run, merging it with the previous one when adjacent. */
static void add_run(struct text_win *w, u64 *start, u64 *len, u64 at, u64 n)
{
	if (!n)
		return;
	if (*len && *start + *len == at) {
		*len += n;
		return;
	}
	win_range(w, *start, *len);
	*start = at;
	*len = n;
}

/* qXfer:traceframe-info:read::off,len */
static void pkt_traceframe_info(struct rsp_session *s, char *args, size_t len)
{
	const char *p = args, *end = args + len;
	struct text_win w = { .c = &s->conn };
	u64 room;
	struct rb_frame_iter it;
	struct rb_entry_view v;
	u64 off, count, start = 0, run = 0;
	char num[12];

	if (end - p < 3 || memcmp(p, "::", 2)) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	p += 2;
	if (!rsp_parse_u64(&p, end, &off) || p == end || *p++ != ',' ||
	    !rsp_parse_u64(&p, end, &count) || p != end) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	if (s->frame < 0 || !s->trace || !s->trace->rb) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	/* The marker goes first; fix it up once the length is known. */
	rsp_reply_char(&s->conn, 'm');
	w.skip = off;
	w.room = min_t(u64, count, rsp_reply_room(&s->conn) / 2);
	room = w.room;
	win_str(&w, "<traceframe-info>");
	rb_frame_iter_init(&it, s->trace->rb, &s->fref);
	while (rb_frame_iter_next(&it, &v) > 0) {
		if (v.type == FID_MEM) {
			u32 after = v.hole_off + v.hole_len;

			if (!v.hole_len) {
				add_run(&w, &start, &run, v.addr, v.len);
				continue;
			}
			add_run(&w, &start, &run, v.addr, v.hole_off);
			add_run(&w, &start, &run, v.addr + after,
				v.len - after);
		} else if (v.type == FID_VAR) {
			u32 i = sizeof(num);

			num[--i] = 0;
			do {
				num[--i] = '0' + v.num % 10;
				v.num /= 10;
			} while (v.num);
			win_str(&w, "<tvar id=\"");
			win_str(&w, num + i);
			win_str(&w, "\"/>");
		}
	}
	win_range(&w, start, run);
	win_str(&w, "</traceframe-info>");
	if (it.err || !rb_frame_iter_valid(&it)) {
		rsp_reply_reset(&s->conn);
		rsp_reply_error(&s->conn, RSP_EFAULT);
		return;
	}
	/* The reply was empty: the marker is its first byte. */
	if (off + room - w.room >= w.total)
		s->conn.reply[0] = 'l';
}

/* qTBuffer:off,len -> hex bytes of the frame stream, or l at its end */
static void pkt_qtbuffer_read(struct rsp_session *s, char *args, size_t len)
{
	const char *p = args + 1, *end = args + len;
	u64 off, count;
	s64 n;

	if (!s->trace || !s->trace->rb || !len || *args != ':' ||
	    !rsp_parse_u64(&p, end, &off) || p == end || *p++ != ',' ||
	    !rsp_parse_u64(&p, end, &count) || p != end) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	if (rb_index_refresh(s->trace->rb)) {
		rsp_reply_error(&s->conn, RSP_E2BIG);
		return;
	}
	count = min_t(u64, count, sizeof(s->mem));
	count = min_t(u64, count, rsp_reply_room(&s->conn) / 2);
	n = rb_stream_read(s->trace->rb, off, s->mem, count);
	if (n < 0) {
		rsp_reply_error(&s->conn, RSP_EFAULT);
		return;
	}
	if (!n) {
		rsp_reply_char(&s->conn, 'l');
		return;
	}
	rsp_reply_hex(&s->conn, s->mem, (size_t)n);
}

const struct rsp_packet_def rsp_frame_packets[] = {
	{ "QTFrame",		RSP_MATCH_NAME,	pkt_qtframe },
	{ "qTV",		RSP_MATCH_NAME,	pkt_qtv },
	{ "qTBuffer",		RSP_MATCH_NAME,	pkt_qtbuffer_read },
	{ "qXfer:traceframe-info:read", RSP_MATCH_NAME, pkt_traceframe_info },
};

const size_t rsp_nr_frame_packets = ARRAY_SIZE(rsp_frame_packets);
