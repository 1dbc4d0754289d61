/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the unit tests of the tracepoint layer (proto/trace.c,
 * trace_packets.c, frames.c, collect.c: tests/host/test_trace_*.c), run
 * over a real rsp session against a fake agent:
 *
 * - gtp_trace_ops: arm() and disarm() append "A<n> " and "D<n> " to a log
 *   (arm can be told to fail for one tracepoint), now_us() returns a value
 *   the test sets, stop_request() appends "S ";
 * - memory: kernel text at TEXT (QTro covers its first page), data at DATA
 *   with an unreadable page in the middle, a stack at STACK; byte values
 *   follow from the address (mem_byte());
 * - hits: gtp_trace_hit() called with a 560-byte x86-64 `g` block whose
 *   rip is the tracepoint address, as the kprobe handler builds it.
 */
#ifndef GTP_TESTS_TRACE_FIXTURE_H
#define GTP_TESTS_TRACE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/rsp.h"
#include "proto/trace.h"
#include "rb/rb.h"
#include "tests/host/rsp_exchange.h"

#define N_CPUS		2
#define DEFAULT_SIZE	(256 * 1024)

#define TP1		0xffffffff81000000ULL
#define TP2		0xffffffff81000010ULL
#define TP3		0xffffffff81000020ULL

#define TEXT		0xffffffff81000000ULL
#define TEXT_SIZE	0x2000
#define DATA		0xffffffff82000000ULL
#define DATA_SIZE	0x8000
#define HOLE		(DATA + 0x3000)		/* one unreadable page */
#define HOLE_SIZE	0x1000
#define STACK		0xffffc90000010000ULL
#define STACK_SIZE	0x2000

#define REG_RBP		6
#define REG_RSP		7
#define RSP_VAL		(STACK + 0x100)
#define RBP_VAL		(STACK + 0x800)
#define G_SIZE		RSP_REG_BLOCK_X86_64
#define PC_OFF		RSP_PC_OFFSET_X86_64

struct fake {
	struct rsp_session s;
	struct rsp_target_ops ops;
	struct gtp_trace t;
	struct gtp_trace_ops tops;
	char log[4096];		/* "A<n> ", "D<n> ", "S " */
	s64 arm_fail;		/* tracepoint whose arm() fails, or -1 */
	int double_arms;	/* arm() of a tracepoint already armed */
	int armed;		/* probes installed and not removed */
	u64 now;		/* now_us() */
	u64 ns;			/* hit time */
	u32 cpu;		/* CPU of the next hit */
	int live_reads;		/* read_memory() calls (live memory) */
	u8 g[G_SIZE];
};

/* ---- the fake kernel's memory ---- */

#define STR		(DATA + 0x6000)		/* a NUL-terminated string */
static const char str_text[] = "hello, kernel";

static inline u8 mem_byte(u64 addr)
{
	if (addr >= STR && addr < STR + sizeof(str_text))
		return (u8)str_text[addr - STR];
	return (u8)(addr ^ (addr >> 8) * 3 ^ (addr >> 16) * 5);
}

static inline bool readable(u64 addr)
{
	if (addr >= TEXT && addr < TEXT + TEXT_SIZE)
		return true;
	if (addr >= HOLE && addr < HOLE + HOLE_SIZE)
		return false;
	if (addr >= DATA && addr < DATA + DATA_SIZE)
		return true;
	return addr >= STACK && addr < STACK + STACK_SIZE;
}

static inline size_t mem_copy(u8 *dst, u64 addr, size_t len)
{
	size_t i;

	for (i = 0; i < len && readable(addr + i); i++)
		dst[i] = mem_byte(addr + i);
	return i;
}

/* rb_copy_fn of a hit. */
static inline size_t hit_copy(void *dst, u64 src, size_t len, void *ctx)
{
	return mem_copy(dst, src, len);
}

/* The session's live memory. */
static inline size_t live_read(void *target, u64 addr, void *buf, size_t len)
{
	struct fake *f = target;

	f->live_reads++;
	return mem_copy(buf, addr, len);
}

static inline void hex_of(char *out, const void *data, size_t n)
{
	const u8 *b = data;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = rsp_hex_digit(b[i] >> 4);
		out[2 * i + 1] = rsp_hex_digit(b[i]);
	}
	out[2 * n] = 0;
}

/* Hex text of @n bytes of the fake memory at @addr. */
static inline char *mem_hex(u64 addr, size_t n)
{
	static char buf[2 * 65536 + 1];
	size_t i;

	assert_true(n <= 65536);
	for (i = 0; i < n; i++) {
		u8 b = mem_byte(addr + i);

		hex_of(buf + 2 * i, &b, 1);
	}
	buf[2 * n] = 0;
	return buf;
}

/* Hex of a string; the last four results stay valid. */
static inline char *text_hex(const char *text)
{
	static char bufs[4][1024];
	static int next;
	char *buf = bufs[next++ % 4];

	assert_true(2 * strlen(text) < sizeof(bufs[0]));
	hex_of(buf, text, strlen(text));
	return buf;
}

static inline void put_le(u8 *dst, u64 val, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++, val >>= 8)
		dst[i] = (u8)val;
}

static inline u64 get_le(const u8 *src, int bytes)
{
	u64 val = 0;
	int i;

	for (i = 0; i < bytes; i++)
		val |= (u64)src[i] << (8 * i);
	return val;
}

/* ---- the fake agent ---- */

static inline void log_event(struct fake *f, const char *fmt, ...)
{
	size_t n = strlen(f->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->log + n, sizeof(f->log) - n, fmt, ap);
	va_end(ap);
}

static inline int fake_arm(void *target, struct gtp_tracepoint *tp)
{
	struct fake *f = target;

	if (tp->probe)
		f->double_arms++;
	if (f->arm_fail == tp->num) {
		log_event(f, "!%u ", tp->num);
		return -EINVAL;
	}
	log_event(f, "A%u ", tp->num);
	tp->probe = f;
	f->armed++;
	return 0;
}

static inline void fake_disarm(void *target, struct gtp_tracepoint *tp)
{
	struct fake *f = target;

	log_event(f, "D%u ", tp->num);
	if (tp->probe)
		f->armed--;
	tp->probe = NULL;
}

static inline u64 fake_now(void *target)
{
	struct fake *f = target;

	return f->now;
}

static inline void fake_stop_request(void *target)
{
	struct fake *f = target;

	log_event(f, "S ");
}

/* The `g` block a hit of the tracepoint at @pc sees. */
static inline void make_g(u8 *g, u64 pc)
{
	int i;

	for (i = 0; i < 16; i++)
		put_le(g + 8 * i, 0x0101010101010101ULL * (i + 1), 8);
	put_le(g + 8 * REG_RBP, RBP_VAL, 8);
	put_le(g + 8 * REG_RSP, RSP_VAL, 8);
	put_le(g + PC_OFF, pc, 8);
	for (i = PC_OFF + 8; i < G_SIZE; i++)
		g[i] = (u8)(i * 7);
}

static inline void set_rax(struct fake *f, u64 val)
{
	put_le(f->g, val, 8);
}

/* Tracepoint @num fires on f->cpu. */
static inline void hit(struct fake *f, u32 num)
{
	struct gtp_tracepoint *tp = gtp_trace_find(&f->t, num);
	struct gtp_hit h = {
		.cpu = f->cpu,
		.task = 0xffff888012345678ULL,
		.pid = 4321,
		.regs = f->g,
		.regs_size = G_SIZE,
		.copy = hit_copy,
		.copy_ctx = f,
	};

	assert_non_null(tp);
	f->ns += 1000;
	h.time = f->ns;
	put_le(f->g + PC_OFF, tp->addr, 8);
	/* Only an armed tracepoint fires. */
	if (tp->probe)
		gtp_trace_hit(&f->t, tp, &h);
}

static inline int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->ops.reg_block_size = G_SIZE;
	f->ops.pc_offset = PC_OFF;
	f->ops.pc_size = RSP_PC_SIZE_X86_64;
	f->ops.read_memory = live_read;
	f->tops.arm = fake_arm;
	f->tops.disarm = fake_disarm;
	f->tops.now_us = fake_now;
	f->tops.stop_request = fake_stop_request;
	f->arm_fail = -1;
	make_g(f->g, 0);
	rsp_session_init(&f->s, &f->ops, f);
	gtp_trace_init(&f->t, &f->tops, f, N_CPUS, DEFAULT_SIZE, false);
	f->s.trace = &f->t;
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fake *f = *state;
	int bad;

	gtp_trace_release(&f->t);
	/* No probe armed twice, none left behind. */
	bad = f->double_arms || f->armed;
	free(f);
	return bad ? -1 : 0;
}

/* ---- exchange helpers ---- */

/* Every packet of these tests gets a reply. */
static inline const char *ask(struct fake *f, const char *payload)
{
	const char *r = rsp_exchange(&f->s, payload, strlen(payload));

	assert_non_null(r);
	return r;
}

static inline const char *askf(struct fake *f, const char *fmt, ...)
{
	static char pkt[RSP_PACKET_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pkt, sizeof(pkt), fmt, ap);
	va_end(ap);
	return ask(f, pkt);
}

/*
 * Trace-file bytes of frames, as qTP counts them: a frame is its 2-byte
 * tracepoint number and 4-byte size, then blocks: 'R' and the `g` block,
 * 'M' with an 8-byte address and 2-byte length before the bytes.
 */
#define FRAME_BYTES		6
#define REG_BLOCK_BYTES		(1 + G_SIZE)
#define MEM_BLOCK_BYTES(n)	(1 + 8 + 2 + (n))

/* qTP for @ref says @hits hits and between @lo and @hi bytes. */
static inline void assert_qtp(struct fake *f, const char *ref, u64 hits, u64 lo,
		       u64 hi)
{
	const char *r = askf(f, "qTP:%s", ref);
	unsigned long long h, b;
	int end = 0;

	if (sscanf(r, "V%llx:%llx%n", &h, &b, &end) != 2 || r[end])
		fail_msg("qTP:%s: reply %s", ref, r);
	assert_int_equal(h, hits);
	if (b < lo || b > hi)
		fail_msg("qTP:%s: %llu bytes, not in [%llu, %llu]", ref, b,
			 (unsigned long long)lo, (unsigned long long)hi);
}

#define assert_reply(f, pkt, expect) \
	assert_string_equal(ask((f), (pkt)), (expect))

/* Every packet answered OK. */
#define ok(f, ...) assert_string_equal(askf((f), __VA_ARGS__), "OK")

/*
 * A refusal: 'E' and two hex digits, or "E." and a reason in words for
 * GDB to show.
 */
static inline void assert_error_reply(const char *r)
{
	size_t i;

	if (r[0] != 'E')
		fail_msg("refusal expected, got \"%s\"", r);
	if (r[1] == '.') {
		assert_true(strlen(r) > 2);
		for (i = 2; r[i]; i++)
			assert_true(r[i] >= ' ' && r[i] < 0x7f);
		return;
	}
	assert_int_equal(strlen(r), 3);
	assert_true(rsp_hex_val(r[1]) >= 0 && rsp_hex_val(r[2]) >= 0);
}

#define refused(f, ...) assert_error_reply(askf((f), __VA_ARGS__))

/* Pieces of qXfer:traceframe-info text. */
#define XML_INFO(body)	"<traceframe-info>" body "</traceframe-info>"
#define XML_MEM(start, len) \
	"<memory start=\"" start "\" length=\"" len "\"/>"
#define XML_TVAR(id)	"<tvar id=\"" id "\"/>"

/* Value of ";key:<hex>" in a qTStatus reply. */
static inline u64 status_u64(const char *r, const char *key)
{
	char pat[64];
	const char *p, *end;
	u64 v;

	snprintf(pat, sizeof(pat), ";%s:", key);
	p = strstr(r, pat);
	assert_non_null(p);
	p += strlen(pat);
	end = p + strcspn(p, ";");
	assert_true(rsp_parse_u64(&p, end, &v));
	assert_ptr_equal(p, end);
	return v;
}

/* Text of ";key:<value>" up to the next ';'. */
static inline const char *status_str(const char *r, const char *key)
{
	static char val[1024];
	char pat[64];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), ";%s:", key);
	p = strstr(r, pat);
	assert_non_null(p);
	p += strlen(pat);
	n = strcspn(p, ";");
	assert_true(n < sizeof(val));
	memcpy(val, p, n);
	val[n] = 0;
	return val;
}

/* QTDPsrc:n:addr:type:0:len:hex, GDB's encode_source_string(). */
static inline void src(struct fake *f, u32 num, u64 addr, const char *type,
		const char *text)
{
	ok(f, "QTDPsrc:%x:%llx:%s:0:%zx:%s", num, (unsigned long long)addr,
	   type, strlen(text), text_hex(text));
}

/* Memory that was not collected, not in QTro: an error, no live read. */
static inline void assert_not_collected(struct fake *f, u64 addr, u64 len)
{
	int reads = f->live_reads;

	assert_string_equal(askf(f, "m%llx,%llx", (unsigned long long)addr,
				 (unsigned long long)len), "E0e");
	assert_int_equal(f->live_reads, reads);
}

/* Shared bytecode: reg 7 (rsp); const8 8; add; const8 16; trace; end */
#define X_RSP_PLUS_8 "X0000000a,26000722080222100c27"

#endif /* GTP_TESTS_TRACE_FIXTURE_H */
