// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the trace experiment (proto/trace.c, collect.c,
 * frames.c, tfile.c) driven through its own operations, as the QT packet
 * handlers drive it, with hits in between.
 *
 * The input is a list of operations, each an opcode byte and its fields:
 * QTDP, QTDPsrc and QTDV arguments either as raw text or built from
 * fields the way GDB writes them (tracepoint numbers and addresses drawn
 * from a few, so that redefinitions and continuations meet; bytecode
 * either from the input or one of a few canned expressions), QTStart,
 * QTStop, QTinit, QTEnable/QTDisable, register changes, hits on either
 * CPU, and packets to a session sharing the trace (QTFrame, m, g, qTV,
 * qXfer:traceframe-info, qTBuffer, qTP, QTro...).
 *
 * Checked along the way and at the end:
 *
 * - a refused QTDP leaves the tracepoint table as it was (its upload text
 *   is unchanged) and always gives a reason;
 * - the upload (qTfP pieces, qTfV variables) reads back: defining a fresh
 *   trace from it gives the same upload;
 * - every frame reads back whole: a register block of the hit's size,
 *   memory blocks whose bytes are the fake kernel's (zeros in holes, and
 *   only unreadable bytes reported missing), the frame's stream size the
 *   sum of its blocks and rb_frame_encode() of it that long; the stream
 *   is as long as its frames;
 * - every byte an `m` reply returns, from a frame or from live QTro
 *   memory, is the fake kernel's;
 * - the trace file header is as long as gtp_tfile_header_size() says and
 *   has no line longer than GDB reads;
 * - no probe is armed twice or left armed, nothing leaks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "gtp_port.h"
#include "proto/ax.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/rsp.h"
#include "proto/tfile.h"
#include "proto/trace.h"
#include "rb/rb.h"
#include "tests/fuzz/fuzz.h"

#define RB_DEFAULT	(32 * 1024)
#define TEXT_MAX	(1024 * 1024)
#define ARGS_MAX	8192
#define NR_NUMS		6	/* tracepoint numbers the templates use */
#define OPS_MAX		256

struct state {
	struct fz_agent a;
	struct rsp_session s;
	struct rsp_target_ops ops;
	size_t reply_len;
	/* Buffers from here on are written before they are read. */
	char args[ARGS_MAX];
	char text[TEXT_MAX];
	char text2[TEXT_MAX];
	u8 out[RSP_OUTQ_SIZE];
	char reply[RSP_REPLY_MAX + 1];
	u8 frame_buf[64 * 1024];
};

/* ---- text helpers ---- */

struct buf {
	char *p;
	size_t len, size;
};

static void b_init(struct buf *b, char *p, size_t size)
{
	b->p = p;
	b->len = 0;
	b->size = size;
	p[0] = 0;
}

static void __attribute__((format(printf, 2, 3)))
b_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len + 1 >= b->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = min_t(size_t, b->len + n, b->size - 1);
}

static void b_hex(struct buf *b, const u8 *data, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b_printf(b, "%02x", data[i]);
}

/* ---- canned bytecode: what GDB emits for common expressions ---- */

static const char *const canned[] = {
	"220127",			/* 1 */
	"220027",			/* 0 */
	"2600002501010101010101011327",	/* $rax == 0x0101010101010101 */
	"25ffffffff8200600022202f27",	/* collect/s of a string */
	"260007220802220c0c27",		/* *(char (*)[12])($rsp + 8) */
	"2c00012201022d00012927",	/* $v1 = $v1 + 1 */
	"2e00012e7f012e7f0427",		/* $v1, $cpu_id, $clock */
	"220122000527",			/* 1 / 0: terror */
	"210000",			/* loops for ever: terror */
	"25ffffffff820030001927",	/* reads the unreadable page */
	"2c009927",			/* undefined variable */
	"25ffffffff82002ff022400c27",	/* collects across the hole */
	"2600070d081927",		/* trace_quick 8 */
	"2c7f0322001527",		/* $current_task_pid < 0 */
};

/* Bytecode, hex-encoded into @b: canned, or raw from the input. */
static size_t put_code(struct buf *b, struct fz *in)
{
	const u8 *raw;
	size_t n;
	u8 pick = fz_u8(in);

	if (pick < 2 * ARRAY_SIZE(canned)) {
		const char *hex = canned[pick % ARRAY_SIZE(canned)];

		b_printf(b, "%s", hex);
		return strlen(hex) / 2;
	}
	n = fz_bytes(in, &raw, 255);
	b_hex(b, raw, n);
	return n;
}

static u32 pick_num(struct fz *in)
{
	return 1 + fz_u8(in) % NR_NUMS;
}

static u64 num_addr(u32 num)
{
	return FZ_TEXT + 0x10 * num;
}

/* Addresses to collect from: mostly the fake kernel's, near its edges. */
static u64 pick_addr(struct fz *in)
{
	static const u64 bases[] = {
		FZ_LOW, FZ_TEXT, FZ_DATA, FZ_HOLE - 0x20, FZ_STR,
		FZ_STACK, 0, FZ_DATA + FZ_DATA_SIZE - 0x10,
	};
	u8 k = fz_u8(in);

	return bases[k % ARRAY_SIZE(bases)] + fz_u16(in) - (k & 8 ? 0x100 : 0);
}

/* "n:addr:E|D:0:pass[:Xlen,code][-]" */
static void template_define(struct buf *b, struct fz *in)
{
	u8 flags = fz_u8(in);
	u32 num = pick_num(in);
	struct buf code;
	char hex[2 * 256 + 1];
	size_t n;

	b_printf(b, "%x:%llx:%c:0:%x", num, (unsigned long long)num_addr(num),
		 flags & 1 ? 'D' : 'E', flags & 6 ? 0 : fz_u8(in) % 4);
	if (flags & 8) {
		b_init(&code, hex, sizeof(hex));
		n = put_code(&code, in);
		b_printf(b, ":X%zx,%s", n, hex);
	}
	if (flags & 16)
		b_printf(b, "-");
}

/* "-n:addr:actions[-]" */
static void template_actions(struct buf *b, struct fz *in)
{
	u8 flags = fz_u8(in);
	u32 num = pick_num(in), i, k, reg, len;
	struct buf code;
	u64 addr;
	char hex[2 * 256 + 1];
	size_t n;

	b_printf(b, "-%x:%llx:", num, (unsigned long long)num_addr(num));
	for (i = 0; i < 1 + (flags & 3); i++) {
		k = fz_u8(in);
		switch (k & 3) {
		case 0:
			b_printf(b, "R%x", fz_u8(in));
			break;
		case 1:
			reg = fz_u8(in) % 20;
			addr = pick_addr(in);
			len = fz_u16(in);
			if (k & 4)
				b_printf(b, "M-1,%llx,%x",
					 (unsigned long long)addr,
					 len % 0x3000);
			else
				b_printf(b, "M%x,%llx,%x", reg,
					 (unsigned long long)(s64)(s16)addr,
					 len % 0x1000);
			break;
		default:
			b_init(&code, hex, sizeof(hex));
			n = put_code(&code, in);
			b_printf(b, "X%08zx,%s", n, hex);
			break;
		}
	}
	if (flags & 4)
		b_printf(b, "-");
}

/* Raw text from the input, NULs made '0' (GDB sends text). */
static size_t raw_text(struct state *st, struct fz *in)
{
	const u8 *raw;
	size_t n = fz_u16(in) % ARGS_MAX, i;

	if (n > in->left)
		n = in->left;
	raw = in->p;
	in->p += n;
	in->left -= n;
	for (i = 0; i < n; i++)
		st->args[i] = raw[i] ? (char)raw[i] : '0';
	st->args[n] = 0;
	return n;
}

/* ---- the trace's text ---- */

/*
 * All upload pieces (definitions, then variables), each ended by a NUL:
 * raw text may hold newlines, never NULs (see raw_text()).  SIZE_MAX if
 * they do not fit.
 */
static size_t upload_text(struct gtp_trace *t, char *out, size_t size)
{
	struct gtp_text o;
	u32 tp = 0, piece = 0, i;

	gtp_text_init(&o, out, size);
	while (gtp_upload_piece_text(&o, t, &tp, &piece))
		gtp_text_char(&o, 0);
	for (i = 0; i < t->nr_tsvs; i++) {
		gtp_tsv_text(&o, &t->tsvs[i]);
		gtp_text_char(&o, 0);
	}
	return gtp_text_overflow(&o) ? SIZE_MAX : o.len;
}

/*
 * Define a fresh trace from the upload, as GDB would from qTfP/qTfV on
 * reconnecting: the same pieces must come back.
 */
static void check_upload_roundtrip(struct state *st)
{
	static struct fz_agent upload_agent;
	struct fz_agent *b = &upload_agent;
	size_t n1, n2;
	char *line, *end;
	const char *why;
	int err;

	fz_agent_init(b, RB_DEFAULT, false);
	n1 = upload_text(&st->a.t, st->text, sizeof(st->text));
	if (n1 == SIZE_MAX)
		goto out;
	for (line = st->text; line < st->text + n1; line = end + 1) {
		end = memchr(line, 0, st->text + n1 - line);
		FZ_CHECK(end, "upload line without end");
		why = NULL;
		switch (line[0]) {
		case 'T':
			err = gtp_trace_define(&b->t, line + 1, end - line - 1,
					       &why);
			break;
		case 'A':
			/* "A<n>:..." continues as "-<n>:...". */
			line[0] = '-';
			err = gtp_trace_define(&b->t, line, end - line, &why);
			line[0] = 'A';
			break;
		case 'Z':
			err = gtp_trace_add_src(&b->t, line + 1,
						end - line - 1);
			break;
		default:
			err = gtp_trace_define_tsv(&b->t, line, end - line);
			break;
		}
		FZ_CHECK(!err,
			 "upload piece \"%.*s\" does not read back: %d %s",
			 (int)(end - line), line, err, why ? why : "");
	}
	n2 = upload_text(&b->t, st->text2, sizeof(st->text2));
	FZ_CHECK(n1 == n2 && !memcmp(st->text, st->text2, n1),
		 "upload differs once read back:\n%.*s\n--- vs ---\n%.*s",
		 (int)n1, st->text, (int)n2, st->text2);
out:
	fz_agent_release(b);
}

static void check_header(struct state *st)
{
	struct gtp_trace *t = &st->a.t;
	size_t need, line = 0, i;
	s64 len;

	need = gtp_tfile_header_size(t, FZ_G_SIZE,
				     rsp_target_xml_x86_64_linux);
	len = gtp_tfile_header(t, FZ_G_SIZE, rsp_target_xml_x86_64_linux,
			       st->text, sizeof(st->text));
	if (need > sizeof(st->text)) {
		FZ_CHECK(len == -E2BIG, "header of %zu bytes fit %zu", need,
			 sizeof(st->text));
		return;
	}
	FZ_CHECK(len == (s64)need, "header is %lld bytes, size said %zu",
		 (long long)len, need);
	FZ_CHECK(len > GTP_TFILE_MAGIC_LEN + 2 &&
		 !memcmp(st->text, GTP_TFILE_MAGIC, GTP_TFILE_MAGIC_LEN) &&
		 st->text[len - 1] == '\n' && st->text[len - 2] == '\n',
		 "header does not start with the magic and end empty");
	for (i = GTP_TFILE_MAGIC_LEN; i < (size_t)len; i++) {
		if (st->text[i] != '\n') {
			line++;
			continue;
		}
		FZ_CHECK(line <= GTP_TFILE_LINE_MAX,
			 "header line of %zu bytes", line);
		line = 0;
	}
}

/* ---- frames ---- */

static FZ_NO_COVERAGE void check_mem(const u8 *d, u64 addr, u32 len,
				     u32 hole_off, u32 hole_len)
{
	u32 i;

	for (i = 0; i < len; i++) {
		bool in_hole = i >= hole_off && i < hole_off + hole_len;

		if (in_hole) {
			FZ_CHECK(!d[i], "hole byte %llx not zero",
				 (unsigned long long)(addr + i));
			continue;
		}
		FZ_CHECK(fz_readable(addr + i),
			 "unreadable byte %llx collected",
			 (unsigned long long)(addr + i));
		FZ_CHECK(d[i] == fz_mem_byte(addr + i),
			 "byte %llx collected as %02x, is %02x",
			 (unsigned long long)(addr + i), d[i],
			 fz_mem_byte(addr + i));
	}
}

/* tfile bytes of a FID_MEM entry: an 'M' block per readable run. */
static u32 mem_stream(u32 len, u32 hole_off, u32 hole_len)
{
	u32 n = 0;

	if (!hole_len)
		return 11 + len;
	if (hole_off)
		n += 11 + hole_off;
	if (hole_off + hole_len < len)
		n += 11 + len - hole_off - hole_len;
	return n;
}

static void walk_frames(struct state *st)
{
	struct rb *rb = st->a.t.rb;
	struct rb_frame_ref ref;
	struct rb_frame_iter it;
	struct rb_entry_view v;
	u64 n, total = 0;
	u32 size;
	s64 got;
	int ret;

	if (!rb || rb_index_refresh(rb))
		return;
	for (n = 0; !rb_index_get(rb, n, &ref); n++) {
		size = 6;
		rb_frame_iter_init(&it, rb, &ref);
		while ((ret = rb_frame_iter_next(&it, &v)) > 0) {
			switch (v.type) {
			case FID_REG:
				FZ_CHECK(v.len == FZ_G_SIZE,
					 "register block of %u bytes", v.len);
				size += 1 + v.len;
				break;
			case FID_MEM:
				check_mem(v.data, v.addr, v.len, v.hole_off,
					  v.hole_len);
				size += mem_stream(v.len, v.hole_off,
						   v.hole_len);
				break;
			case FID_VAR:
				size += 13;
				break;
			default:
				fz_fail("entry of type %u", v.type);
			}
		}
		/* Nothing overwrites while we look: no hit runs now. */
		FZ_CHECK(!ret && rb_frame_iter_valid(&it),
			 "frame %llu does not read: %d",
			 (unsigned long long)n, ret);
		FZ_CHECK(size == ref.stream_size,
			 "frame %llu: blocks make %u bytes, head says %u",
			 (unsigned long long)n, size, ref.stream_size);
		if (size <= sizeof(st->frame_buf)) {
			got = rb_frame_encode(rb, &ref, 0, st->frame_buf, size);
			FZ_CHECK(got == size, "frame %llu encodes to %lld",
				 (unsigned long long)n, (long long)got);
			FZ_CHECK(fz_get_le(st->frame_buf, 2) == (u16)ref.tp &&
				 fz_get_le(st->frame_buf + 2, 4) == size - 6,
				 "frame %llu: bad tfile frame header",
				 (unsigned long long)n);
		}
		total += ref.stream_size;
	}
	FZ_CHECK(total == rb_stream_size(rb),
		 "stream of %llu bytes, frames %llu",
		 (unsigned long long)rb_stream_size(rb),
		 (unsigned long long)total);
}

/* ---- a session on the same trace ---- */

static size_t target_read(void *target, u64 addr, void *buf, size_t len)
{
	return fz_mem_copy(buf, addr, len);
}

/* Send one packet; the reply's payload lands in st->reply. */
static void exchange(struct state *st, const char *pkt)
{
	static char in[ARGS_MAX + 8];
	size_t len = strlen(pkt), n, i = 0, done = 0;
	bool esc = false;
	u8 sum = 0;

	for (n = 0; n < len; n++)
		sum += (u8)pkt[n];
	n = (size_t)snprintf(in, sizeof(in), "$%s#%02x", pkt, sum);
	while (done < n)
		done += rsp_input(&st->s.conn, (u8 *)in + done, n - done);
	n = rsp_output(&st->s.conn, st->out, sizeof(st->out));
	FZ_CHECK(!rsp_output_pending(&st->s.conn), "output left over");
	st->reply_len = 0;
	while (i < n && st->out[i] != '$')
		i++;
	for (i++; i < n && st->out[i] != '#'; i++) {
		if (esc || st->out[i] != '}')
			st->reply[st->reply_len++] = esc ? st->out[i] ^ 0x20 :
							   st->out[i];
		esc = !esc && st->out[i] == '}';
	}
	st->reply[st->reply_len] = 0;
}

/* An `m` reply: whatever bytes come back are the fake kernel's. */
static FZ_NO_COVERAGE void check_m_reply(struct state *st, u64 addr)
{
	u8 byte;
	size_t i;

	if (!st->reply_len || st->reply[0] == 'E')
		return;
	FZ_CHECK(st->reply_len % 2 == 0, "odd m reply \"%s\"", st->reply);
	for (i = 0; i < st->reply_len / 2; i++) {
		FZ_CHECK(rsp_hex_decode(&byte, st->reply + 2 * i, 1),
			 "m reply not hex: \"%s\"", st->reply);
		FZ_CHECK(fz_readable(addr + i) &&
			 byte == fz_mem_byte(addr + i),
			 "m reply byte %llx is %02x, memory %02x",
			 (unsigned long long)(addr + i), byte,
			 fz_mem_byte(addr + i));
	}
}

/* A packet to the session: a kind byte, then fields of fixed size. */
static void session_op(struct state *st, struct fz *in)
{
	struct buf b;
	u8 k = fz_u8(in);
	u32 n1 = pick_num(in), n2 = pick_num(in);
	u64 addr = pick_addr(in);
	u16 x = fz_u16(in), y = fz_u16(in);

	b_init(&b, st->args, sizeof(st->args));
	switch (k & 15) {
	case 0:
		b_printf(&b, "QTFrame:%x", x % 16);
		break;
	case 1:
		b_printf(&b, "QTFrame:pc:%llx",
			 (unsigned long long)num_addr(n1));
		break;
	case 2:
		b_printf(&b, "QTFrame:tdp:%x", n1);
		break;
	case 3:
		b_printf(&b, "QTFrame:%s:%llx:%llx",
			 k & 16 ? "range" : "outside",
			 (unsigned long long)num_addr(n1),
			 (unsigned long long)num_addr(n2));
		break;
	case 4:
		b_printf(&b, "QTFrame:ffffffff");
		break;
	case 5:
		b_printf(&b, "m%llx,%x", (unsigned long long)addr, x % 0x2000);
		exchange(st, st->args);
		check_m_reply(st, addr);
		return;
	case 6:
		b_printf(&b, "g");
		break;
	case 7:
		b_printf(&b, "qTV:%x", k & 16 ? x % 8 :
			 GTP_SPECIAL_TSV_BASE + x % 6);
		break;
	case 8:
		b_printf(&b, "qXfer:traceframe-info:read::%x,%x", x % 0x400,
			 y);
		break;
	case 9:
		b_printf(&b, "qTBuffer:%x,%x", x, y);
		break;
	case 10:
		b_printf(&b, "qTP:%x:%llx", n1,
			 (unsigned long long)num_addr(n2));
		break;
	default:
		b_printf(&b, "QTro:%llx,%llx", (unsigned long long)addr,
			 (unsigned long long)(addr + x));
		break;
	}
	exchange(st, st->args);
}

/* ---- operations ---- */

static void op_define(struct state *st, const char *args, size_t len)
{
	struct gtp_trace *t = &st->a.t;
	int arms = st->a.arm_calls, err;
	const char *why = NULL;
	size_t n1, n2;

	n1 = upload_text(t, st->text, sizeof(st->text));
	err = gtp_trace_define(t, args, len, &why);
	if (!err || n1 == SIZE_MAX)
		return;
	FZ_CHECK(why, "QTDP refused (%d) without a reason", err);
	/* A probe that would not install: defined, but refused. */
	if (st->a.arm_calls != arms)
		return;
	n2 = upload_text(t, st->text2, sizeof(st->text2));
	FZ_CHECK(n1 == n2 && !memcmp(st->text, st->text2, n1),
		 "refused QTDP \"%.*s\" (%s) changed the tracepoints",
		 (int)len, args, why);
}

static void op_hit(struct state *st, struct fz *in)
{
	struct gtp_trace *t = &st->a.t;
	u8 k = fz_u8(in), times = 1 + (k >> 5);
	u32 i;

	if (!t->nr_tps)
		return;
	while (times--) {
		if (k & 16) {
			for (i = 0; i < t->nr_tps; i++)
				fz_hit(&st->a, t->tps[i], i + times);
		} else {
			fz_hit(&st->a, t->tps[k % t->nr_tps], times);
		}
		fz_agent_poll(&st->a);
	}
}

static void op_set_reg(struct state *st, struct fz *in)
{
	u8 reg = fz_u8(in) % 17;

	/* Not rip: a hit sets it to the tracepoint's address. */
	if (reg != 16)
		fz_put_le(st->a.g + 8 * reg, pick_addr(in), 8);
}

static void run_op(struct state *st, struct fz *in)
{
	struct gtp_trace *t = &st->a.t;
	struct buf b;
	const char *why;
	size_t n;
	u8 op = fz_u8(in);
	int err;

	b_init(&b, st->args, sizeof(st->args));
	switch (op % 16) {
	case 0:
		template_define(&b, in);
		op_define(st, b.p, b.len);
		break;
	case 1:
		template_actions(&b, in);
		op_define(st, b.p, b.len);
		break;
	case 2:
		n = raw_text(st, in);
		op_define(st, st->args, n);
		break;
	case 3:
		/* QTDPsrc as GDB writes it, or raw. */
		if (op & 16) {
			n = raw_text(st, in);
		} else {
			u32 num = pick_num(in);
			const u8 *s;
			size_t slen = fz_bytes(in, &s, 64);

			b_printf(&b, "%x:%llx:%s:0:%zx:", num,
				 (unsigned long long)num_addr(num),
				 op & 32 ? "cond" : "cmd", slen);
			b_hex(&b, s, slen);
			n = b.len;
		}
		gtp_trace_add_src(t, st->args, n);
		break;
	case 4:
		/* QTDV as GDB writes it, or raw. */
		if (op & 16) {
			n = raw_text(st, in);
		} else {
			const u8 *s;
			size_t slen;
			u32 num = fz_u8(in) % 8;
			s64 init = (s8)fz_u8(in);

			b_printf(&b, "%x:%016llx:%x:", op & 32 ?
				 GTP_SPECIAL_TSV_BASE + num % 6 : num,
				 (unsigned long long)init, (op >> 6) & 1);
			slen = fz_bytes(in, &s, 16);
			b_hex(&b, s, slen);
			n = b.len;
		}
		gtp_trace_define_tsv(t, st->args, n);
		break;
	case 5:
		err = gtp_trace_start(t, &why);
		FZ_CHECK(!err || why, "QTStart refused (%d) without a reason",
			 err);
		FZ_CHECK(err || t->state == GTP_RUNNING,
			 "QTStart accepted, not running");
		break;
	case 6:
		gtp_trace_stop(t, GTP_STOP_USER);
		FZ_CHECK(t->state != GTP_RUNNING, "QTStop: still running");
		break;
	case 7:
		err = gtp_trace_clear(t);
		FZ_CHECK(err || t->nr_tps == 0, "QTinit left tracepoints");
		break;
	case 8: {
		u32 num = pick_num(in);

		why = NULL;
		err = gtp_trace_enable(t, num, num_addr(num), op & 16, &why);
		FZ_CHECK(!err || why, "QTEnable refused (%d) without a reason",
			 err);
		break;
	}
	case 9:
	case 10:
		op_hit(st, in);
		break;
	case 11:
		op_set_reg(st, in);
		break;
	case 12:
	case 13:
		session_op(st, in);
		break;
	case 14:
		/* QTBuffer:circular, QTBuffer:size, arm failures. */
		t->circular = op & 16;
		t->buffer_size = op & 32 ? 0x1000 * (1 + fz_u8(in) % 32) : 0;
		st->a.arm_fail_mask = op & 64 ? 1u << pick_num(in) : 0;
		break;
	default:
		walk_frames(st);
		break;
	}
}

/*
 * Static, and only its head cleared per input: a fresh 4 MiB state for
 * every input (mapped and unmapped under ASan) cost more than the code
 * under test.
 */
static struct state the_state;

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct state *st = &the_state;
	struct fz in;
	int ops = 0;

	memset(st, 0, offsetof(struct state, args));
	fz_init(&in, data, size);
	fz_agent_init(&st->a, RB_DEFAULT, false);
	st->ops.reg_block_size = FZ_G_SIZE;
	st->ops.pc_offset = FZ_PC_OFF;
	st->ops.pc_size = RSP_PC_SIZE_X86_64;
	st->ops.read_memory = target_read;
	rsp_session_init(&st->s, &st->ops, st);
	st->s.trace = &st->a.t;

	while (in.left && ops++ < OPS_MAX)
		run_op(st, &in);

	walk_frames(st);
	check_header(st);
	check_upload_roundtrip(st);
	fz_agent_release(&st->a);
	return 0;
}
