// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the trace file, as the agent's gtpframe serves it
 * (proto/tfile.c for the header, rb/stream.c and rb/consumer.c for the
 * frames), read back by a parser written here after GDB's
 * tracefile-tfile.c.
 *
 * The input gives the buffer's shape (circular or not, pages per CPU,
 * register block size), then operations: frames written straight into
 * the buffer with rb/write.c (register blocks, memory of the fake kernel
 * with its unreadable page, variables; per-CPU clocks that only go
 * forward, the two CPUs interleaved), index refreshes, tracepoint and
 * variable definitions for the header, and at the end the offsets and
 * lengths to read the stream at.  A model keeps what each committed frame
 * should hold.  Checked:
 *
 * - the index: frames in (time, CPU, sequence) order, each CPU's a run of
 *   consecutive sequence numbers, all of them when nothing can be
 *   overwritten; the counters agree (frames written, frames left);
 * - the stream: reading [a, b) in pieces of any size gives the bytes of
 *   reading it at once, reads past the end give nothing, and a consumer
 *   reading in pieces gets the same stream;
 * - the whole file (header, frame section, tracepoint 0) reads back as
 *   GDB's tfile target reads it: the register block size from "R", then
 *   frames (int16 tracepoint, u32 size, 'R', 'M', 'V' blocks) holding what
 *   the model wrote: register bytes, exactly the readable bytes of each
 *   collection in order, variables;
 * - the header: the magic, then "R <size>", tdesc, status, tsv and tp
 *   lines in that order, no line too long for GDB, every variable and
 *   tracepoint there, tframes as the buffer says, and an empty line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/tfile.h"
#include "proto/trace.h"
#include "rb/rb.h"
#include "tests/fuzz/fuzz.h"

#define OPS_MAX		512
#define BLOCKS_MAX	7
#define FRAMES_MAX	OPS_MAX
#define REG_MAX		1024
#define HEADER_MAX	(256 * 1024)

struct block {
	char kind;		/* 'R', 'M', 'V' */
	u8 seed;		/* R: register bytes are seed + i */
	u64 addr, len;		/* M */
	u32 num;		/* V */
	s64 value;		/* V */
};

struct mframe {
	u32 tp;
	u64 time;
	u32 nr_blocks;
	struct block blocks[BLOCKS_MAX];
};

struct state {
	struct fz_agent a;
	struct rb *rb;
	u32 reg_size;
	bool circular;
	u64 clock[FZ_NR_CPUS];
	/* Committed frames per CPU, by sequence number. */
	struct mframe frames[FZ_NR_CPUS][FRAMES_MAX];
	u32 committed[FZ_NR_CPUS];
	u8 regs[REG_MAX];
	char args[512];
	char header[HEADER_MAX];
};

/* ---- writing ---- */

static u64 pick_addr(struct fz *in)
{
	static const u64 bases[] = {
		FZ_LOW, FZ_TEXT, FZ_DATA, FZ_HOLE - 0x800, FZ_STR,
		FZ_STACK, 0, ~0ULL - 0x800,
	};
	u8 k = fz_u8(in);

	return bases[k % ARRAY_SIZE(bases)] + fz_u16(in) % 0x2000;
}

static void fill_regs(struct state *st, u8 seed)
{
	u32 i;

	for (i = 0; i < st->reg_size; i++)
		st->regs[i] = (u8)(seed + i);
}

static void op_frame(struct state *st, struct fz *in)
{
	u8 k = fz_u8(in);
	u32 cpu = k % FZ_NR_CPUS, nb = (k >> 1) & 7, i;
	struct mframe *f;
	struct rb_writer w;
	int err;

	if (st->committed[cpu] == FRAMES_MAX)
		return;
	f = &st->frames[cpu][st->committed[cpu]];
	memset(f, 0, sizeof(*f));
	/* GDB numbers tracepoints from 1; the stream has 16 bits for it. */
	f->tp = 1 + fz_u16(in) % 0xfffe;
	st->clock[cpu] += k & 0x80 ? fz_u8(in) : 0;
	f->time = st->clock[cpu];
	if (rb_frame_begin(st->rb, &w, cpu, f->tp, f->time))
		return;
	for (i = 0; i < nb; i++) {
		struct block *b = &f->blocks[f->nr_blocks++];

		switch (fz_u8(in) & 3) {
		case 0:
			b->kind = 'R';
			b->seed = fz_u8(in);
			fill_regs(st, b->seed);
			rb_frame_reg(&w, st->regs, st->reg_size);
			break;
		case 1:
			b->kind = 'M';
			b->addr = pick_addr(in);
			b->len = fz_u16(in) % 0x3000;
			rb_frame_mem(&w, b->addr, b->len, fz_copy, NULL);
			break;
		default:
			b->kind = 'V';
			b->num = fz_u32(in);
			b->value = (s64)fz_u64(in);
			rb_frame_var(&w, b->num, b->value);
			break;
		}
	}
	err = rb_frame_commit(&w);
	if (!err)
		st->committed[cpu]++;
	else
		FZ_CHECK(err == -E2BIG || err == -ENOSPC,
			 "frame refused with %d", err);
}

/* ---- definitions, for the header ---- */

static void op_define(struct state *st, struct fz *in)
{
	struct gtp_trace *t = &st->a.t;
	u8 k = fz_u8(in);
	u32 num = 1 + k % 8;
	u64 addr = FZ_TEXT + 0x10 * num;
	const char *why;
	const u8 *s;
	size_t n, i;
	int len;

	switch ((k >> 3) & 7) {
	case 0:
		len = snprintf(st->args, sizeof(st->args),
			       "%x:%llx:%c:0:%x%s", num,
			       (unsigned long long)addr, k & 0x80 ? 'D' : 'E',
			       fz_u8(in) % 3, k & 0x40 ? ":X3,220127" : "");
		gtp_trace_define(t, st->args, len, &why);
		break;
	case 1:
		len = snprintf(st->args, sizeof(st->args),
			       "-%x:%llx:R3ffffffff%s", num,
			       (unsigned long long)addr,
			       k & 0x40 ? "M-1,ffffffff82000000,40" : "");
		gtp_trace_define(t, st->args, len, &why);
		break;
	case 2:
		/* QTDPsrc: n:addr:type:start:len:hex */
		n = fz_bytes(in, &s, 200);
		len = snprintf(st->args, sizeof(st->args),
			       "%x:%llx:cmd:0:%zx:", num,
			       (unsigned long long)addr, n);
		for (i = 0; i < n; i++)
			len += snprintf(st->args + len, sizeof(st->args) - len,
					"%02x", s[i]);
		gtp_trace_add_src(t, st->args, len);
		break;
	case 3:
		/* QTDV: n:init:builtin:hexname */
		n = fz_bytes(in, &s, 32);
		i = fz_u8(in);
		len = snprintf(st->args, sizeof(st->args), "%zx:%llx:0:", i,
			       (unsigned long long)fz_u64(in));
		for (i = 0; i < n; i++)
			len += snprintf(st->args + len, sizeof(st->args) - len,
					"%02x", s[i]);
		gtp_trace_define_tsv(t, st->args, len);
		break;
	default:
		/* Notes: any text but NUL, hex-encoded by the writer. */
		n = fz_bytes(in, &s, GTP_NOTE_MAX - 1);
		for (i = 0; i < n; i++)
			st->args[i] = s[i] ? (char)s[i] : '?';
		st->args[n] = 0;
		strscpy(k & 0x40 ? t->user : t->notes, st->args,
			GTP_NOTE_MAX);
		break;
	}
}

/* ---- reading the stream back ---- */

/*
 * What a frame holds, as a list comparable between the model and the
 * stream: 'R' and 'V' blocks as they are, memory as runs of readable
 * bytes, merged when one run continues the one before it (how a
 * collection is cut into 'M' blocks is the writer's business).
 */
struct item {
	char kind;
	u8 seed;		/* R */
	u32 num;		/* V */
	s64 value;		/* V */
	u64 addr, len;		/* M */
};

#define ITEMS_MAX	(BLOCKS_MAX * 8)

struct items {
	struct item v[ITEMS_MAX];
	u32 n;
};

static struct item *item_new(struct items *l, char kind)
{
	struct item *it;

	FZ_CHECK(l->n < ITEMS_MAX, "more than %d items in a frame",
		 ITEMS_MAX);
	it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

static void item_mem(struct items *l, u64 addr, u64 len)
{
	struct item *last = l->n ? &l->v[l->n - 1] : NULL;

	if (!len)
		return;
	if (last && last->kind == 'M' && last->addr + last->len == addr) {
		last->len += len;
		return;
	}
	last = item_new(l, 'M');
	last->addr = addr;
	last->len = len;
}

/* The readable runs of a collection. */
static FZ_NO_COVERAGE void model_mem(struct items *l, const struct block *b)
{
	u64 i, start = 0;
	bool in = false;

	for (i = 0; i < b->len; i++) {
		bool ok = fz_readable(b->addr + i);

		if (ok && !in)
			start = i;
		if (!ok && in)
			item_mem(l, b->addr + start, i - start);
		in = ok;
	}
	if (in)
		item_mem(l, b->addr + start, b->len - start);
}

static void model_items(const struct mframe *f, struct items *l)
{
	const struct block *b;
	struct item *it;
	u32 k;

	l->n = 0;
	for (k = 0; k < f->nr_blocks; k++) {
		b = &f->blocks[k];
		if (b->kind == 'M') {
			model_mem(l, b);
			continue;
		}
		it = item_new(l, b->kind);
		it->seed = b->seed;
		it->num = b->num;
		it->value = b->value;
	}
}

/* Bytes of a block: what the fake kernel holds, or seed + i. */
static FZ_NO_COVERAGE void check_bytes(const u8 *p, u32 len, u64 addr,
				       bool mem)
{
	u32 j;

	for (j = 0; j < len; j++) {
		if (!mem) {
			FZ_CHECK(p[j] == (u8)(p[0] + j),
				 "R block byte %u wrong", j);
			continue;
		}
		FZ_CHECK(fz_readable(addr + j) &&
			 p[j] == fz_mem_byte(addr + j),
			 "M block byte %llx wrong",
			 (unsigned long long)(addr + j));
	}
}

/* Parse @size bytes of blocks at @p; their bytes checked on the way. */
static void parse_items(struct state *st, const u8 *p, u32 size,
			struct items *l)
{
	const u8 *end = p + size;
	struct item *it;
	u64 addr;
	u32 len;

	l->n = 0;
	while (p < end) {
		switch (*p) {
		case 'R':
			FZ_CHECK((u32)(end - p - 1) >= st->reg_size,
				 "R block past the frame");
			it = item_new(l, 'R');
			it->seed = p[1];
			check_bytes(p + 1, st->reg_size, 0, false);
			p += 1 + st->reg_size;
			break;
		case 'M':
			FZ_CHECK(end - p >= 11, "truncated M block");
			addr = fz_get_le(p + 1, 8);
			len = (u32)fz_get_le(p + 9, 2);
			FZ_CHECK((u64)(end - p - 11) >= len,
				 "M block past the frame");
			check_bytes(p + 11, len, addr, true);
			item_mem(l, addr, len);
			p += 11 + len;
			break;
		case 'V':
			FZ_CHECK(end - p >= 13, "truncated V block");
			it = item_new(l, 'V');
			it->num = (u32)fz_get_le(p + 1, 4);
			it->value = (s64)fz_get_le(p + 5, 8);
			p += 13;
			break;
		default:
			fz_fail("block type 0x%02x", *p);
		}
	}
}

static void check_frame(struct state *st, const struct mframe *f,
			const u8 *p, u32 size)
{
	static struct items want, got;
	u32 k;

	model_items(f, &want);
	parse_items(st, p, size, &got);
	FZ_CHECK(want.n == got.n, "frame has %u items, want %u", got.n,
		 want.n);
	for (k = 0; k < want.n; k++)
		FZ_CHECK(!memcmp(&want.v[k], &got.v[k], sizeof(want.v[k])),
			 "item %u is '%c' %llx+%llx, want '%c' %llx+%llx", k,
			 got.v[k].kind, (unsigned long long)got.v[k].addr,
			 (unsigned long long)got.v[k].len, want.v[k].kind,
			 (unsigned long long)want.v[k].addr,
			 (unsigned long long)want.v[k].len);
}

/* The frame section of a file, @size bytes, ended by tracepoint 0. */
static void check_frames(struct state *st, const u8 *s, u64 size)
{
	struct rb_frame_ref ref;
	u64 n, off = 0;
	u32 fsize, tp;

	for (n = 0;; n++) {
		FZ_CHECK(size - off >= 2, "frames end without tracepoint 0");
		tp = (u32)fz_get_le(s + off, 2);
		if (!tp) {
			FZ_CHECK(off + 2 == size, "bytes after tracepoint 0");
			break;
		}
		FZ_CHECK(!rb_index_get(st->rb, n, &ref),
			 "file has more frames than the index");
		FZ_CHECK(size - off >= 6, "truncated frame header");
		FZ_CHECK(tp == ref.tp, "frame %llu: tracepoint %u, want %u",
			 (unsigned long long)n, tp, ref.tp);
		fsize = (u32)fz_get_le(s + off + 2, 4);
		FZ_CHECK(fsize + 6 == ref.stream_size &&
			 size - off - 6 >= fsize,
			 "frame %llu: size %u", (unsigned long long)n, fsize);
		FZ_CHECK(ref.cpu < FZ_NR_CPUS &&
			 ref.seq < st->committed[ref.cpu],
			 "frame %llu: CPU %u sequence %llu never committed",
			 (unsigned long long)n, ref.cpu,
			 (unsigned long long)ref.seq);
		check_frame(st, &st->frames[ref.cpu][ref.seq], s + off + 6,
			    fsize);
		off += 6 + fsize;
	}
	FZ_CHECK(n == rb_index_count(st->rb), "file has %llu frames of %llu",
		 (unsigned long long)n,
		 (unsigned long long)rb_index_count(st->rb));
}

/*
 * A whole trace file, read as GDB's tfile target does: the magic, header
 * lines up to the empty one (the register block size from "R"), frames.
 */
static void check_file(struct state *st, const u8 *f, u64 len)
{
	const u8 *p = f + GTP_TFILE_MAGIC_LEN, *end = f + len, *nl;
	bool first = true;
	u64 reg = 0;

	FZ_CHECK(len > GTP_TFILE_MAGIC_LEN &&
		 !memcmp(f, GTP_TFILE_MAGIC, GTP_TFILE_MAGIC_LEN),
		 "file without the magic");
	for (;; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		FZ_CHECK(nl, "file ends in its header");
		if (nl == p)
			break;
		if (first) {
			const char *q = (const char *)p + 2;

			FZ_CHECK(nl - p > 2 && p[0] == 'R' && p[1] == ' ' &&
				 rsp_parse_u64(&q, (const char *)nl, &reg) &&
				 q == (const char *)nl,
				 "first header line is not R <size>");
			first = false;
		}
	}
	FZ_CHECK(reg == st->reg_size, "file says R %llx, registers are %x",
		 (unsigned long long)reg, st->reg_size);
	p++;
	check_frames(st, p, end - p);
}

static void check_index(struct state *st)
{
	struct rb_frame_ref ref, prev;
	u64 n, count[FZ_NR_CPUS] = { 0 }, last[FZ_NR_CPUS];
	struct rb_stats cs;
	u32 cpu;

	for (n = 0; !rb_index_get(st->rb, n, &ref); n++) {
		FZ_CHECK(ref.cpu < FZ_NR_CPUS, "frame on CPU %u", ref.cpu);
		FZ_CHECK(ref.seq < st->committed[ref.cpu],
			 "frame %llu was never committed",
			 (unsigned long long)ref.seq);
		FZ_CHECK(ref.time == st->frames[ref.cpu][ref.seq].time &&
			 ref.tp == st->frames[ref.cpu][ref.seq].tp,
			 "frame %llu: time or tracepoint wrong",
			 (unsigned long long)n);
		if (n)
			FZ_CHECK(prev.time < ref.time ||
				 (prev.time == ref.time &&
				  (prev.cpu < ref.cpu ||
				   (prev.cpu == ref.cpu &&
				    prev.seq < ref.seq))),
				 "index out of order at %llu",
				 (unsigned long long)n);
		if (count[ref.cpu])
			FZ_CHECK(ref.seq == last[ref.cpu] + 1,
				 "CPU %u: sequence %llu after %llu", ref.cpu,
				 (unsigned long long)ref.seq,
				 (unsigned long long)last[ref.cpu]);
		last[ref.cpu] = ref.seq;
		count[ref.cpu]++;
		prev = ref;
	}
	for (cpu = 0; cpu < FZ_NR_CPUS; cpu++) {
		rb_stats_cpu(st->rb, cpu, &cs);
		FZ_CHECK(cs.written == st->committed[cpu],
			 "CPU %u: %llu written, %u committed", cpu,
			 (unsigned long long)cs.written, st->committed[cpu]);
		FZ_CHECK(cs.frames == count[cpu],
			 "CPU %u: stats say %llu frames, index has %llu", cpu,
			 (unsigned long long)cs.frames,
			 (unsigned long long)count[cpu]);
		if (!st->circular)
			FZ_CHECK(count[cpu] == st->committed[cpu],
				 "CPU %u lost frames without overwriting",
				 cpu);
	}
}

/* [a, b) in pieces the input chooses must be [a, b) read at once. */
static void check_pieces(struct state *st, struct fz *in, const u8 *whole,
			 u64 size, u8 *buf)
{
	u64 a, b, off, len;
	s64 n;
	int rounds;

	for (rounds = 0; rounds < 8 && in->left; rounds++) {
		a = size ? fz_u32(in) % (size + 1) : 0;
		b = a + (size - a ? fz_u32(in) % (size - a + 1) : 0);
		for (off = a; off < b; off += n) {
			u8 small = fz_u8(in) & 1;

			/* Out of input: the rest at once. */
			len = in->left ? 1 + fz_u16(in) % (small ? 16 : 8192) :
					 min_t(u64, b - off, 8192);
			n = rb_stream_read(st->rb, off, buf, len);
			FZ_CHECK(n == (s64)min_t(u64, len, size - off),
				 "read of %llu at %llu gave %lld",
				 (unsigned long long)len,
				 (unsigned long long)off, (long long)n);
			FZ_CHECK(!memcmp(buf, whole + off, n),
				 "read of %llu at %llu differs from the whole",
				 (unsigned long long)len,
				 (unsigned long long)off);
		}
	}
	FZ_CHECK(rb_stream_read(st->rb, size, buf, 16) == 0 &&
		 rb_stream_read(st->rb, size + 1000, buf, 16) == 0,
		 "read past the end of the stream");
}

/* A consumer reading in pieces gets the same stream. */
static void check_consumer(struct state *st, struct fz *in, const u8 *whole,
			   u64 size, u8 *buf)
{
	int id = rb_consumer_attach(st->rb);
	u64 off = 0, len;
	s64 n;

	FZ_CHECK(id >= 0, "consumer attach: %d", id);
	for (;;) {
		len = in->left ? 1 + fz_u16(in) % 4096 : 4096;
		n = rb_consumer_read(st->rb, id, buf, len);
		FZ_CHECK(n >= 0 && (u64)n <= len, "consumer read gave %lld",
			 (long long)n);
		if (!n)
			break;
		FZ_CHECK(off + n <= size && !memcmp(buf, whole + off, n),
			 "consumer stream differs at %llu",
			 (unsigned long long)off);
		off += n;
	}
	FZ_CHECK(off == size, "consumer read %llu bytes of %llu",
		 (unsigned long long)off, (unsigned long long)size);
	FZ_CHECK(rb_consumer_overrun(st->rb, id) == 0 ||
		 st->circular, "consumer overran a stop-when-full buffer");
	rb_consumer_detach(st->rb, id);
}

/* ---- the header ---- */

static bool starts(const char *line, size_t len, const char *what)
{
	size_t n = strlen(what);

	return len >= n && !memcmp(line, what, n);
}

static bool contains(const char *text, size_t len, const char *what)
{
	size_t n = strlen(what), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(text + i, what, n))
			return true;
	return false;
}

/* Checks the header in st->header; its length, or 0 if too long. */
static size_t check_header(struct state *st, bool tdesc)
{
	struct gtp_trace *t = &st->a.t;
	const char *xml = tdesc ? rsp_target_xml_x86_64_linux : NULL;
	char *h = st->header, *line, *end;
	enum { H_R, H_TDESC, H_STATUS, H_TSV, H_TP, H_END } at = H_R;
	u32 tsvs = 0, tps_t = 0, tps_v = 0;
	struct rb_stats total;
	size_t need, len;
	char want[64];
	s64 got;

	need = gtp_tfile_header_size(t, st->reg_size, xml);
	got = gtp_tfile_header(t, st->reg_size, xml, h, HEADER_MAX);
	if (need > HEADER_MAX) {
		FZ_CHECK(got == -E2BIG, "header over its buffer");
		return 0;
	}
	FZ_CHECK(got == (s64)need, "header %lld bytes, size said %zu",
		 (long long)got, need);
	FZ_CHECK(need < 2 || gtp_tfile_header(t, st->reg_size, xml, h,
					      need - 1) == -E2BIG,
		 "header fit a buffer too small for it");
	got = gtp_tfile_header(t, st->reg_size, xml, h, HEADER_MAX);
	FZ_CHECK(got > GTP_TFILE_MAGIC_LEN &&
		 !memcmp(h, GTP_TFILE_MAGIC, GTP_TFILE_MAGIC_LEN),
		 "no trace file magic");
	rb_stats_total(st->rb, &total);

	for (line = h + GTP_TFILE_MAGIC_LEN; line < h + got; line = end + 1) {
		end = memchr(line, '\n', h + got - line);
		FZ_CHECK(end, "header ends inside a line");
		len = end - line;
		FZ_CHECK(len <= GTP_TFILE_LINE_MAX, "header line of %zu bytes",
			 len);
		FZ_CHECK(at != H_END, "text after the header's empty line");
		if (!len) {
			at = H_END;
			continue;
		}
		if (at == H_R) {
			snprintf(want, sizeof(want), "R %x", st->reg_size);
			FZ_CHECK(len == strlen(want) && starts(line, len, want),
				 "first line is not \"%s\"", want);
			at = H_TDESC;
		} else if (at == H_TDESC && starts(line, len, "tdesc ")) {
			FZ_CHECK(tdesc, "tdesc line without a description");
		} else if (at <= H_STATUS && starts(line, len, "status ")) {
			snprintf(want, sizeof(want), ";tframes:%llx;",
				 (unsigned long long)total.frames);
			FZ_CHECK(contains(line, len, want),
				 "status without \"%s\"", want);
			at = H_TSV;
		} else if (at == H_TSV && starts(line, len, "tsv ")) {
			tsvs++;
		} else if (at >= H_TSV && starts(line, len, "tp ")) {
			at = H_TP;
			tps_t += line[3] == 'T';
			tps_v += line[3] == 'V';
		} else {
			fz_fail("unexpected header line \"%.*s\"", (int)len,
				line);
		}
	}
	FZ_CHECK(at == H_END, "header without its empty line");
	FZ_CHECK(tsvs == t->nr_tsvs, "%u tsv lines for %u variables", tsvs,
		 t->nr_tsvs);
	FZ_CHECK(tps_t == t->nr_tps && tps_v == t->nr_tps,
		 "%u tp T and %u tp V lines for %u tracepoints", tps_t, tps_v,
		 t->nr_tps);
	return got;
}

/* ---- the whole ---- */

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct state *st = calloc(1, sizeof(*st));
	u8 *whole, *buf, *file;
	struct fz in;
	size_t hlen;
	u64 ssize;
	s64 n;
	int ops = 0;
	u8 cfg;

	FZ_CHECK(st, "out of memory");
	fz_init(&in, data, size);
	cfg = fz_u8(&in);
	st->circular = cfg & 1;
	st->reg_size = cfg & 2 ? FZ_G_SIZE : 1 + fz_u16(&in) % REG_MAX;
	fz_agent_init(&st->a, 0, st->circular);
	FZ_CHECK(!rb_create(&st->rb, FZ_NR_CPUS,
			    (RB_MIN_PAGES + (cfg >> 3) % 8) * RB_PAGE_SIZE *
			    FZ_NR_CPUS, st->circular),
		 "rb_create");
	/* The trace owns the buffer from here: released with it. */
	st->a.t.rb = st->rb;

	while (in.left && ops++ < OPS_MAX) {
		u8 op = fz_u8(&in);

		if (op < 0xc0)
			op_frame(st, &in);
		else if (op < 0xe0)
			op_define(st, &in);
		else if (op < 0xf0)
			FZ_CHECK(!rb_index_refresh(st->rb), "index refresh");
		else
			break;	/* the rest says how to read */
	}

	FZ_CHECK(!rb_index_refresh(st->rb), "index refresh");
	check_index(st);
	ssize = rb_stream_size(st->rb);
	whole = malloc(ssize + 1);
	buf = malloc(8192);
	FZ_CHECK(whole && buf, "out of memory");
	n = rb_stream_read(st->rb, 0, whole, ssize + 1);
	FZ_CHECK(n == (s64)ssize, "stream of %llu bytes read as %lld",
		 (unsigned long long)ssize, (long long)n);
	check_pieces(st, &in, whole, ssize, buf);
	hlen = check_header(st, cfg & 4);
	if (hlen) {
		/* Header, frames as one read gave them, tracepoint 0. */
		file = malloc(hlen + ssize + GTP_TFILE_END_LEN);
		FZ_CHECK(file, "out of memory");
		memcpy(file, st->header, hlen);
		memcpy(file + hlen, whole, ssize);
		memset(file + hlen + ssize, 0, GTP_TFILE_END_LEN);
		check_file(st, file, hlen + ssize + GTP_TFILE_END_LEN);
		free(file);
	}
	check_consumer(st, &in, whole, ssize, buf);

	free(whole);
	free(buf);
	fz_agent_release(&st->a);
	free(st);
	return 0;
}
