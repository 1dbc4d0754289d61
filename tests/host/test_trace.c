// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the tracepoint layer (proto/trace.c, trace_packets.c,
 * frames.c, collect.c) over a real rsp session, against a fake agent:
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

static u8 mem_byte(u64 addr)
{
	if (addr >= STR && addr < STR + sizeof(str_text))
		return (u8)str_text[addr - STR];
	return (u8)(addr ^ (addr >> 8) * 3 ^ (addr >> 16) * 5);
}

static bool readable(u64 addr)
{
	if (addr >= TEXT && addr < TEXT + TEXT_SIZE)
		return true;
	if (addr >= HOLE && addr < HOLE + HOLE_SIZE)
		return false;
	if (addr >= DATA && addr < DATA + DATA_SIZE)
		return true;
	return addr >= STACK && addr < STACK + STACK_SIZE;
}

static size_t mem_copy(u8 *dst, u64 addr, size_t len)
{
	size_t i;

	for (i = 0; i < len && readable(addr + i); i++)
		dst[i] = mem_byte(addr + i);
	return i;
}

/* rb_copy_fn of a hit. */
static size_t hit_copy(void *dst, u64 src, size_t len, void *ctx)
{
	return mem_copy(dst, src, len);
}

/* The session's live memory. */
static size_t live_read(void *target, u64 addr, void *buf, size_t len)
{
	struct fake *f = target;

	f->live_reads++;
	return mem_copy(buf, addr, len);
}

static void hex_of(char *out, const void *data, size_t n)
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
static char *mem_hex(u64 addr, size_t n)
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
static char *text_hex(const char *text)
{
	static char bufs[4][1024];
	static int next;
	char *buf = bufs[next++ % 4];

	assert_true(2 * strlen(text) < sizeof(bufs[0]));
	hex_of(buf, text, strlen(text));
	return buf;
}

static void put_le(u8 *dst, u64 val, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++, val >>= 8)
		dst[i] = (u8)val;
}

static u64 get_le(const u8 *src, int bytes)
{
	u64 val = 0;
	int i;

	for (i = 0; i < bytes; i++)
		val |= (u64)src[i] << (8 * i);
	return val;
}

/* ---- the fake agent ---- */

static void log_event(struct fake *f, const char *fmt, ...)
{
	size_t n = strlen(f->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->log + n, sizeof(f->log) - n, fmt, ap);
	va_end(ap);
}

static int fake_arm(void *target, struct gtp_tracepoint *tp)
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

static void fake_disarm(void *target, struct gtp_tracepoint *tp)
{
	struct fake *f = target;

	log_event(f, "D%u ", tp->num);
	if (tp->probe)
		f->armed--;
	tp->probe = NULL;
}

static u64 fake_now(void *target)
{
	struct fake *f = target;

	return f->now;
}

static void fake_stop_request(void *target)
{
	struct fake *f = target;

	log_event(f, "S ");
}

/* The `g` block a hit of the tracepoint at @pc sees. */
static void make_g(u8 *g, u64 pc)
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

static void set_rax(struct fake *f, u64 val)
{
	put_le(f->g, val, 8);
}

/* Tracepoint @num fires on f->cpu. */
static void hit(struct fake *f, u32 num)
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

static int setup(void **state)
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

static int teardown(void **state)
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
static const char *ask(struct fake *f, const char *payload)
{
	const char *r = rsp_exchange(&f->s, payload, strlen(payload));

	assert_non_null(r);
	return r;
}

static const char *askf(struct fake *f, const char *fmt, ...)
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
static void assert_qtp(struct fake *f, const char *ref, u64 hits, u64 lo,
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
static void assert_error_reply(const char *r)
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
static u64 status_u64(const char *r, const char *key)
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
static const char *status_str(const char *r, const char *key)
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
static void src(struct fake *f, u32 num, u64 addr, const char *type,
		const char *text)
{
	ok(f, "QTDPsrc:%x:%llx:%s:0:%zx:%s", num, (unsigned long long)addr,
	   type, strlen(text), text_hex(text));
}

/* ---- qSupported ---- */

static void test_qsupported_trace_features(void **state)
{
	struct fake *f = *state;

	assert_reply(f, "qSupported:multiprocess+;swbreak+;hwbreak+;"
		     "qRelocInsn+;fork-events+;vfork-events+;exec-events+;"
		     "vContSupported+;QThreadEvents+;no-resumed+;"
		     "memory-tagging+;xmlRegisters=i386",
		     "PacketSize=4000;QStartNoAckMode+;"
		     "ConditionalTracepoints+;TracepointSource+;"
		     "DisconnectedTracing+;QTBuffer:size+;"
		     "qXfer:traceframe-info:read+;InstallInTrace+;"
		     "EnableDisableTracepoints+;tracenz+");
	/* And nothing of it without a trace. */
	f->s.trace = NULL;
	assert_reply(f, "qSupported", "PacketSize=4000;QStartNoAckMode+");
}

/* ---- definitions: the tstart sequence ---- */

/*
 * What GDB 13 sends for `trace *0xffffffff81000000`, `actions` /
 * `collect $regs, *(char (*)[64])0xffffffff82000000` / `end`, a trace
 * state variable, `tstart`.
 */
static void gdb_tstart(struct fake *f)
{
	assert_reply(f, "QTinit", "OK");
	assert_reply(f, "QTDP:1:ffffffff81000000:E:0:0-", "OK");
	assert_reply(f, "QTDP:-1:ffffffff81000000:R3ffffffff-", "OK");
	assert_reply(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,40",
		     "OK");
	src(f, 1, TP1, "at", "*0xffffffff81000000");
	src(f, 1, TP1, "cmd",
	    "collect $regs, *(char (*)[64])0xffffffff82000000");
	ok(f, "QTDV:1:0000000000000007:0:%s", text_hex("counter"));
	assert_reply(f, "QTro:ffffffff81000000,ffffffff81001000", "OK");
	assert_reply(f, "QTDisconnected:0", "OK");
	assert_reply(f, "QTBuffer:circular:0", "OK");
	assert_reply(f, "QTBuffer:size:-1", "OK");
	ok(f, "QTNotes:user:%s;", text_hex("joe"));
	/* Nothing is armed before QTStart. */
	assert_string_equal(f->log, "");
	assert_int_equal(f->t.state, GTP_NOT_RUN);
	assert_reply(f, "QTStart", "OK");
}

static void test_tstart_sequence(void **state)
{
	struct fake *f = *state;
	struct gtp_tracepoint *tp;
	struct rb_stats st;
	char expect[256];
	struct gtp_tsv *v;

	f->now = 0x1234;
	gdb_tstart(f);
	assert_string_equal(f->log, "A1 ");
	assert_int_equal(f->t.state, GTP_RUNNING);
	assert_int_equal(f->t.nr_tps, 1);
	tp = gtp_trace_find(&f->t, 1);
	assert_non_null(tp);
	assert_true(tp->addr == TP1);
	assert_true(tp->enabled);
	assert_false(tp->pending);
	assert_null(tp->cond);
	assert_int_equal(tp->nr_actions, 2);
	assert_int_equal(tp->actions[0].kind, 'R');
	assert_int_equal(tp->actions[1].kind, 'M');
	assert_int_equal(tp->actions[1].basereg, -1);
	assert_true(tp->actions[1].offset == DATA);
	assert_int_equal(tp->actions[1].len, 0x40);
	assert_int_equal(tp->nr_src, 2);
	v = gtp_trace_find_tsv(&f->t, 1);
	assert_non_null(v);
	assert_int_equal(v->init, 7);
	assert_int_equal(f->t.nr_ro, 1);
	assert_true(f->t.ro[0].lo == TEXT && f->t.ro[0].hi == TEXT + 0x1000);
	assert_false(f->t.circular);
	assert_false(f->t.disconnected);
	assert_int_equal(f->t.buffer_size, 0);
	assert_string_equal(f->t.user, "joe");
	assert_true(f->t.start_us == 0x1234);
	rb_stats_total(f->t.rb, &st);
	assert_int_equal(st.bytes_used + st.bytes_free, DEFAULT_SIZE);
	snprintf(expect, sizeof(expect),
		 "T1;tnotrun:0;tframes:0;tcreated:0;tsize:%x;tfree:%llx;"
		 "circular:0;disconn:0;starttime:1234;stoptime:0;"
		 "username:6a6f65;notes:", DEFAULT_SIZE,
		 (unsigned long long)st.bytes_free);
	assert_reply(f, "qTStatus", expect);
}

/* No arm before QTStart, however the definitions arrive. */
static void test_definitions_do_not_arm(void **state)
{
	struct fake *f = *state;

	ok(f, "QTinit");
	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	ok(f, "QTDP:2:ffffffff81000010:D:0:0-");
	ok(f, "QTDP:-2:ffffffff81000010:R1");
	assert_string_equal(f->log, "");
	ok(f, "QTStart");
	/* The disabled one is not armed. */
	assert_string_equal(f->log, "A1 ");
	ok(f, "QTStop");
	assert_string_equal(f->log, "A1 D1 ");
}

static void test_condition_and_redefinition(void **state)
{
	struct fake *f = *state;
	struct gtp_tracepoint *tp;

	/* Condition: const8 1; end (plain hex length). */
	ok(f, "QTDP:2:ffffffff81000010:E:0:5:X3,220127");
	tp = gtp_trace_find(&f->t, 2);
	assert_non_null(tp);
	assert_int_equal(tp->cond_len, 3);
	assert_memory_equal(tp->cond, "\x22\x01\x27", 3);
	assert_int_equal(tp->pass, 5);
	/* Redefined before a run: replaced, not added. */
	ok(f, "QTDP:2:ffffffff81000010:D:0:0");
	assert_int_equal(f->t.nr_tps, 1);
	tp = gtp_trace_find(&f->t, 2);
	assert_null(tp->cond);
	assert_false(tp->enabled);
	/* QTinit forgets everything. */
	ok(f, "QTDV:1:0:0:%s", text_hex("v"));
	ok(f, "QTro:ffffffff81000000,ffffffff81001000");
	ok(f, "QTinit");
	assert_int_equal(f->t.nr_tps, 0);
	/* ... but the agent's own variables. */
	assert_int_equal(f->t.nr_tsvs, GTP_NR_SPECIAL_TSVS - 1);
	assert_int_equal(f->t.nr_ro, 0);
}

/* Snapshot of tracepoint 1 to check that a refused packet changed nothing. */
struct tp_snap {
	u32 nr_tps;
	struct gtp_tracepoint *tp;
	u32 nr_actions;
	u32 nr_src;
	u8 *cond;
};

static void snap(struct fake *f, struct tp_snap *s)
{
	s->nr_tps = f->t.nr_tps;
	s->tp = gtp_trace_find(&f->t, 1);
	assert_non_null(s->tp);
	s->nr_actions = s->tp->nr_actions;
	s->nr_src = s->tp->nr_src;
	s->cond = s->tp->cond;
}

static void assert_unchanged(struct fake *f, const struct tp_snap *s)
{
	assert_int_equal(f->t.nr_tps, s->nr_tps);
	assert_ptr_equal(gtp_trace_find(&f->t, 1), s->tp);
	assert_int_equal(s->tp->nr_actions, s->nr_actions);
	assert_int_equal(s->tp->nr_src, s->nr_src);
	assert_ptr_equal(s->tp->cond, s->cond);
	assert_null(gtp_trace_find(&f->t, 2));
}

static void test_qtdp_malformed(void **state)
{
	struct fake *f = *state;
	static const char *const bad[] = {
		"QTDP", "QTDP:", "QTDP:2", "QTDP:2:", "QTDP:2:zz:E:0:0",
		"QTDP:2:ffffffff81000010", "QTDP:2:ffffffff81000010:E",
		"QTDP:2:ffffffff81000010:Q:0:0",
		"QTDP:2:ffffffff81000010:E:0:0junk",
		"QTDP:2:ffffffff81000010:E:0:0--",
		"QTDP:2:ffffffff81000010:E:0:0:",
		/* Conditions: short, bad hex, no length, not verifiable. */
		"QTDP:2:ffffffff81000010:E:0:0:X3,2201",
		"QTDP:2:ffffffff81000010:E:0:0:X3,22zz27",
		"QTDP:2:ffffffff81000010:E:0:0:X,220127",
		"QTDP:2:ffffffff81000010:E:0:0:X0,",
		"QTDP:2:ffffffff81000010:E:0:0:Xzz,27",
		/* add on an empty stack */
		"QTDP:2:ffffffff81000010:E:0:0:X2,0227",
		/* an empty stack at end: no value for a condition */
		"QTDP:2:ffffffff81000010:E:0:0:X1,27",
		/* runs off the end */
		"QTDP:2:ffffffff81000010:E:0:0:X2,2201",
		/* unknown opcode, float op */
		"QTDP:2:ffffffff81000010:E:0:0:X3,2201ff",
		"QTDP:2:ffffffff81000010:E:0:0:X3,22011b",
		/* while-stepping, fast tracepoints */
		"QTDP:2:ffffffff81000010:E:1:0",
		"QTDP:2:ffffffff81000010:E:5:0-",
		"QTDP:2:ffffffff81000010:E:0:0:F5",
		"QTDP:2:ffffffff81000010:E:0:0:F5:X3,220127",
		/* two conditions */
		"QTDP:2:ffffffff81000010:E:0:0:X3,220127:X3,220127",
		/* Actions. */
		"QTDP:-1:ffffffff81000000:SR1",
		"QTDP:-1:ffffffff81000000:S",
		"QTDP:-1:ffffffff81000000:SM-1,ffffffff82000000,8-",
		"QTDP:-1:ffffffff81000000:Rzz",
		"QTDP:-1:ffffffff81000000:R",
		"QTDP:-1:ffffffff81000000:M-1,zz,8",
		"QTDP:-1:ffffffff81000000:M-1,ffffffff82000000",
		"QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,",
		"QTDP:-1:ffffffff81000000:M,ffffffff82000000,8",
		"QTDP:-1:ffffffff81000000:Q1",
		"QTDP:-1:ffffffff81000000:X00000002,0227",
		"QTDP:-1:ffffffff81000000:X00000003,2227",
		"QTDP:-1:ffffffff81000000:X00000002,zz27",
		"QTDP:-1:ffffffff81000000:X00000000,",
		"QTDP:-1:ffffffff81000000:X00000001,ff",
		/* A good action, then a bad one: none is taken. */
		"QTDP:-1:ffffffff81000000:R1M-1,ffffffff82000000,zz",
		"QTDP:-1:ffffffff81000000:R1S",
		"QTDP:-1:ffffffff81000000:R1-junk",
		/* Unknown tracepoint, or the wrong address for it. */
		"QTDP:-2:ffffffff81000010:R1",
		"QTDP:-1:ffffffff81000010:R1",
		"QTDP:-zz:ffffffff81000000:R1",
		"QTDP:-1",
	};
	struct tp_snap s;
	size_t i;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0:X3,220127-");
	ok(f, "QTDP:-1:ffffffff81000000:R3ffffffff-");
	src(f, 1, TP1, "at", "*0xffffffff81000000");
	snap(f, &s);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_error_reply(ask(f, bad[i]));
		assert_unchanged(f, &s);
	}
	/* Redefinition of 1 that fails leaves the old one. */
	refused(f, "QTDP:1:ffffffff81000000:E:0:0:X2,0227");
	assert_unchanged(f, &s);
	/* QTDPsrc for an unknown tracepoint, malformed. */
	refused(f, "QTDPsrc:7:ffffffff81000000:at:0:1:41");
	refused(f, "QTDPsrc");
	refused(f, "QTDPsrc:zz");
	assert_unchanged(f, &s);
	assert_string_equal(f->log, "");
	/* Still usable. */
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,8");
	assert_int_equal(s.tp->nr_actions, 2);
}

static void test_qtdp_while_running(void **state)
{
	struct fake *f = *state;
	struct tp_snap s;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTStart");
	snap(f, &s);
	/* A tracepoint in use is neither redefined nor extended. */
	refused(f, "QTDP:1:ffffffff81000000:E:0:0");
	refused(f, "QTDP:1:ffffffff81000000:D:0:0-");
	refused(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,8");
	assert_unchanged(f, &s);
	/* Nor is the trace cleared. */
	refused(f, "QTinit");
	assert_unchanged(f, &s);
	assert_string_equal(f->log, "A1 ");
	assert_int_equal(f->t.state, GTP_RUNNING);
}

/* InstallInTrace: a tracepoint created during the run. */
static void test_install_in_trace(void **state)
{
	struct fake *f = *state;
	struct gtp_tracepoint *tp;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTStart");
	assert_string_equal(f->log, "A1 ");

	/* Armed only once its last packet (no trailing '-') arrived. */
	ok(f, "QTDP:3:ffffffff81000020:E:0:0-");
	tp = gtp_trace_find(&f->t, 3);
	assert_non_null(tp);
	assert_true(tp->pending);
	src(f, 3, TP3, "at", "*0xffffffff81000020");
	ok(f, "QTDP:-3:ffffffff81000020:R1-");
	assert_string_equal(f->log, "A1 ");
	assert_null(tp->probe);
	ok(f, "QTDP:-3:ffffffff81000020:M-1,ffffffff82000000,10");
	assert_string_equal(f->log, "A1 A3 ");
	assert_false(tp->pending);
	assert_int_equal(tp->nr_actions, 2);
	/* Complete now: no more changes. */
	refused(f, "QTDP:-3:ffffffff81000020:R1");
	assert_int_equal(tp->nr_actions, 2);

	/* One packet only: armed at once; a disabled one not at all. */
	ok(f, "QTDP:4:ffffffff81000030:E:0:0");
	assert_string_equal(f->log, "A1 A3 A4 ");
	ok(f, "QTDP:5:ffffffff81000040:D:0:0");
	assert_string_equal(f->log, "A1 A3 A4 ");

	/* The new tracepoint collects. */
	hit(f, 3);
	assert_reply(f, "QTFrame:0", "F0T3");
	assert_reply(f, "mffffffff82000000,10", mem_hex(DATA, 0x10));
	assert_qtp(f, "3:ffffffff81000020", 1,
		   FRAME_BYTES + REG_BLOCK_BYTES + MEM_BLOCK_BYTES(0x10),
		   FRAME_BYTES + REG_BLOCK_BYTES + MEM_BLOCK_BYTES(0x10));

	/* A probe that cannot be installed is an error. */
	f->arm_fail = 6;
	refused(f, "QTDP:6:ffffffff81000050:E:0:0");
	assert_string_equal(f->log, "A1 A3 A4 !6 ");

	ok(f, "QTStop");
	assert_string_equal(f->log, "A1 A3 A4 !6 D1 D3 D4 ");
}

static void test_start_arm_failure(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	ok(f, "QTDP:2:ffffffff81000010:E:0:0");
	f->arm_fail = 2;
	/* GDB shows the reason: which tracepoint, where, why. */
	assert_reply(f, "QTStart",
		     "E.tracepoint 2 at 0xffffffff81000010: cannot install a probe (error -22)");
	/* What was armed is removed again; the trace does not run. */
	assert_string_equal(f->log, "A1 !2 D1 ");
	assert_int_equal(f->t.state, GTP_NOT_RUN);
	assert_memory_equal(ask(f, "qTStatus"), "T0;", 3);
	f->arm_fail = -1;
	ok(f, "QTStart");
	assert_string_equal(f->log, "A1 !2 D1 A1 A2 ");
}

/*
 * Bytecode the verifier refuses: the reply says which bytecode, where
 * and why, and the tracepoint is not defined.
 */
static void test_verifier_reason_in_reply(void **state)
{
	struct fake *f = *state;

	/* goto 5 in three bytes of code */
	assert_reply(f, "QTDP:1:ffffffff81000000:E:0:0:X3,210005",
		     "E.condition bytecode refused at offset 0: jump target out of range");
	assert_null(gtp_trace_find(&f->t, 1));
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	/* const8 1, then opcode 0xff */
	assert_reply(f, "QTDP:-1:ffffffff81000000:X3,2201ff",
		     "E.action bytecode refused at offset 2: bad opcode");
	assert_int_equal(gtp_trace_find(&f->t, 1)->nr_actions, 0);
	/* pop on an empty stack */
	assert_reply(f, "QTDP:-1:ffffffff81000000:X2,2927",
		     "E.action bytecode refused at offset 0: stack underflow");
}

/* Fixes found by reviewing the support matrix against the code. */
static void test_tfind_none_before_any_run(void **state)
{
	struct fake *f = *state;

	assert_reply(f, "QTFrame:ffffffff", "OK");
	refused(f, "QTFrame:0");
}

static void test_enable_failure_reason(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:D:0:0");
	ok(f, "QTStart");
	f->arm_fail = 1;
	assert_reply(f, "QTEnable:1:ffffffff81000000",
		     "E.tracepoint 1 at 0xffffffff81000000: cannot install a probe (error -22)");
	assert_false(gtp_trace_find(&f->t, 1)->enabled);
	assert_reply(f, "QTEnable:2:ffffffff81000000",
		     "E.QTEnable/QTDisable of an unknown tracepoint");
}

static void test_qtdpsrc_checks_address(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	refused(f, "QTDPsrc:1:ffffffff81000010:at:0:1:41");
	assert_int_equal(gtp_trace_find(&f->t, 1)->nr_src, 0);
	ok(f, "QTDPsrc:1:ffffffff81000000:at:0:1:41");
	assert_int_equal(gtp_trace_find(&f->t, 1)->nr_src, 1);
}

/* Registers a hit cannot supply are refused when GDB defines them. */
static void test_unknown_registers_refused(void **state)
{
	struct fake *f = *state;

	/* reg 30 (an xmm register), end */
	assert_reply(f, "QTDP:1:ffffffff81000000:E:0:0:X4,26001e27",
		     "E.condition bytecode reads register 30, which this agent does not collect");
	assert_null(gtp_trace_find(&f->t, 1));
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	assert_reply(f, "QTDP:-1:ffffffff81000000:M1e,10,8",
		     "E.M action based on a register this agent does not collect");
	/* rsp (7) and fs_base (58) are fine. */
	ok(f, "QTDP:-1:ffffffff81000000:M7,10,8-");
	ok(f, "QTDP:-1:ffffffff81000000:X00000004,26003a27");
}

static int live_write(void *target, u64 addr, const void *buf, size_t len)
{
	return 0;
}

/* Writes go to the live target, never "into" a selected frame. */
static void test_write_refused_in_frame(void **state)
{
	struct fake *f = *state;

	f->ops.write_memory = live_write;
	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	ok(f, "QTStart");
	hit(f, 1);
	ok(f, "Mffffffff82000000,1:55");
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "Mffffffff82000000,1:55", "E0e");
	ok(f, "QTFrame:ffffffff");
	ok(f, "Mffffffff82000000,1:55");
}

/* Found by fuzz_rsp: a tracepoint completed after the run stopped. */
static void test_install_after_stop_not_armed(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	ok(f, "QTStart");
	ok(f, "QTDP:3:ffffffff81000020:E:0:0-");
	ok(f, "QTStop");
	ok(f, "QTDP:-3:ffffffff81000020:R1");
	assert_null(gtp_trace_find(&f->t, 3)->probe);
	assert_string_equal(f->log, "A1 D1 ");
	/* The next run arms it with the others. */
	ok(f, "QTStart");
	assert_string_equal(f->log, "A1 D1 A1 A3 ");
}

/* Found reading the fuzz targets: what the trace file cannot hold. */
static void test_definitions_the_file_can_hold(void **state)
{
	struct fake *f = *state;

	assert_reply(f, "QTDP:0:ffffffff81000000:E:0:0",
		     "E.tracepoint number out of range");
	assert_reply(f, "QTDP:10000:ffffffff81000000:E:0:0",
		     "E.tracepoint number out of range");
	ok(f, "QTDP:ffff:ffffffff81000000:E:0:0");
	refused(f, "QTDPsrc:ffff:ffffffff81000000:at:0:1:4\n1");
	refused(f, "QTDV:5:0:0:41 42");
	assert_null(gtp_trace_find_tsv(&f->t, 5));
}

/*
 * GDB detaching stops a run it did not ask to outlive it, even though a
 * bridge keeps the endpoint open for the next GDB.
 */
static void test_detach_stops_run(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	ok(f, "QTStart");
	ok(f, "D");
	assert_int_equal(f->t.state, GTP_STOPPED);
	assert_int_equal(f->t.stop, GTP_STOP_DISCONNECTED);
	assert_string_equal(f->log, "A1 D1 ");
}

static void test_detach_keeps_disconnected_run(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDisconnected:1");
	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	ok(f, "QTStart");
	ok(f, "D");
	assert_int_equal(f->t.state, GTP_RUNNING);
	assert_string_equal(f->log, "A1 ");
}

/* ---- hits ---- */

static void test_hit_registers(void **state)
{
	struct fake *f = *state;
	char expect[2 * G_SIZE + 1];

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R3ffffffff");
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	make_g(f->g, TP1);
	hex_of(expect, f->g, G_SIZE);
	assert_reply(f, "g", expect);
	assert_int_equal(get_le(f->g + PC_OFF, 8), TP1);
}

/* Memory that was not collected, not in QTro: an error, no live read. */
static void assert_not_collected(struct fake *f, u64 addr, u64 len)
{
	int reads = f->live_reads;

	assert_string_equal(askf(f, "m%llx,%llx", (unsigned long long)addr,
				 (unsigned long long)len), "E0e");
	assert_int_equal(f->live_reads, reads);
}

static void test_hit_mem_absolute(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000100,40");
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "mffffffff82000100,40", mem_hex(DATA + 0x100, 0x40));
	assert_reply(f, "mffffffff82000110,8", mem_hex(DATA + 0x110, 8));
	/* A partial reply where the collection ends. */
	assert_reply(f, "mffffffff82000138,10", mem_hex(DATA + 0x138, 8));
	assert_not_collected(f, DATA + 0x140, 1);
	assert_not_collected(f, DATA + 0xff, 1);
	assert_int_equal(f->live_reads, 0);
}

static void test_hit_mem_basereg(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	/* $rsp - 0x20, 0x20 bytes; the offset as 64-bit two's complement. */
	ok(f, "QTDP:-1:ffffffff81000000:M7,ffffffffffffffe0,20-");
	/* $rbp + 0x10, 8 bytes. */
	ok(f, "QTDP:-1:ffffffff81000000:M6,10,8");
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_string_equal(askf(f, "m%llx,20",
				 (unsigned long long)(RSP_VAL - 0x20)),
			    mem_hex(RSP_VAL - 0x20, 0x20));
	assert_string_equal(askf(f, "m%llx,8",
				 (unsigned long long)(RBP_VAL + 0x10)),
			    mem_hex(RBP_VAL + 0x10, 8));
	/* Not the offsets taken as absolute addresses. */
	assert_not_collected(f, 0xffffffffffffffe0ULL, 1);
	assert_not_collected(f, 0x10, 1);
	assert_not_collected(f, RSP_VAL, 1);
}

/* reg 7 (rsp); const8 8; add; const8 16; trace; end */
#define X_RSP_PLUS_8 "X0000000a,26000722080222100c27"

static void test_hit_x_action(void **state)
{
	struct fake *f = *state;
	char expect[256];

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:" X_RSP_PLUS_8);
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_string_equal(askf(f, "m%llx,10",
				 (unsigned long long)(RSP_VAL + 8)),
			    mem_hex(RSP_VAL + 8, 16));
	assert_not_collected(f, RSP_VAL, 8);
	assert_not_collected(f, RSP_VAL + 24, 1);
	snprintf(expect, sizeof(expect),
		 "l" XML_INFO(XML_MEM("0x%llx", "0x10")),
		 (unsigned long long)(RSP_VAL + 8));
	assert_reply(f, "qXfer:traceframe-info:read::0,fff", expect);
}

/* collect/s: const64 STR; const8 0x40; tracenz; end */
#define X_TRACENZ_STR "X0000000d,25ffffffff8200600022402f27"

static void test_hit_tracenz(void **state)
{
	struct fake *f = *state;
	char expect[128];

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:" X_TRACENZ_STR);
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	/* Up to and with the NUL, not the 0x40 bytes asked for. */
	assert_string_equal(askf(f, "m%llx,40", (unsigned long long)STR),
			    mem_hex(STR, sizeof(str_text)));
	assert_memory_equal(mem_hex(STR, 2), "6865", 4);
	assert_not_collected(f, STR + sizeof(str_text), 1);
	snprintf(expect, sizeof(expect),
		 "l" XML_INFO(XML_MEM("0x%llx", "0x%zx")),
		 (unsigned long long)STR, sizeof(str_text));
	assert_reply(f, "qXfer:traceframe-info:read::0,fff", expect);
}

/* reg 0 (rax); const8 5; equal; end: rax == 5 */
#define COND_RAX_IS_5 "X7,26000022051327"

static void test_condition_false_records_nothing(void **state)
{
	struct fake *f = *state;
	const char *r;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0:" COND_RAX_IS_5 "-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTStart");
	set_rax(f, 4);
	hit(f, 1);
	hit(f, 1);
	assert_reply(f, "qTP:1:ffffffff81000000", "V0:0");
	r = ask(f, "qTStatus");
	assert_int_equal(status_u64(r, "tframes"), 0);
	assert_int_equal(status_u64(r, "tcreated"), 0);
	assert_reply(f, "QTFrame:0", "F-1");
	set_rax(f, 5);
	hit(f, 1);
	assert_qtp(f, "1:ffffffff81000000", 1, FRAME_BYTES + REG_BLOCK_BYTES, FRAME_BYTES + REG_BLOCK_BYTES);
	r = ask(f, "qTStatus");
	assert_int_equal(status_u64(r, "tframes"), 1);
	assert_int_equal(status_u64(r, "tcreated"), 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	/* The frame holds rax == 5. */
	assert_memory_equal(ask(f, "g"), "0500000000000000", 16);
}

/* `if 1 / 0`: const8 1, const8 0, div_signed, end. */
#define COND_DIV_ZERO "X6,220122000527"
/* `if *(char *)HOLE`: const64 HOLE, ref8, end. */
#define COND_READ_HOLE "Xb,25ffffffff820030001727"

/* qTStatus's terror field: "terror:<hex text>:<tracepoint>". */
static void assert_terror(struct fake *f, const char *text, u32 tp)
{
	char expect[256];
	size_t n, i;

	n = (size_t)snprintf(expect, sizeof(expect), "T0;terror:");
	for (i = 0; text[i]; i++)
		n += (size_t)snprintf(expect + n, sizeof(expect) - n, "%02x",
				      (u8)text[i]);
	snprintf(expect + n, sizeof(expect) - n, ":%x;", tp);
	assert_memory_equal(ask(f, "qTStatus"), expect, strlen(expect));
}

/*
 * A condition that cannot be evaluated at all (not a read that failed)
 * would fail at every hit: the run stops with terror naming the fault
 * and the tracepoint, as with gdbserver, and the probes are removed.
 */
static void test_condition_error_stops_run(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTDP:2:ffffffff81000010:E:0:0:" COND_DIV_ZERO);
	ok(f, "QTStart");
	hit(f, 1);
	hit(f, 2);
	assert_string_equal(f->log, "A1 A2 S ");
	assert_terror(f, "condition: division by zero", 2);
	/* Nothing more is recorded; the earlier frame stays. */
	hit(f, 1);
	assert_int_equal(status_u64(ask(f, "qTStatus"), "tframes"), 1);
	assert_reply(f, "qTP:2:ffffffff81000010", "V0:0");
	/* The stop reason survives QTStop; a new run clears it. */
	ok(f, "QTStop");
	assert_terror(f, "condition: division by zero", 2);
	ok(f, "QTStart");
	assert_memory_equal(ask(f, "qTStatus"), "T1;tnotrun:0;", 13);
}

/* A read that fails is the traced data's doing: count it, go on. */
static void test_condition_read_fault_is_false(void **state)
{
	struct fake *f = *state;
	struct gtp_tp_stats st;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0:" COND_READ_HOLE "-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTStart");
	hit(f, 1);
	hit(f, 1);
	assert_memory_equal(ask(f, "qTStatus"), "T1;tnotrun:0;tframes:0;",
			    23);
	gtp_tracepoint_stats(&f->t, gtp_trace_find(&f->t, 1), &st);
	assert_int_equal(st.faults, 2);
	assert_int_equal(st.hits, 0);
	assert_string_equal(f->log, "A1 ");
}

/*
 * A collection expression whose read fails records a hole and the run
 * goes on; division by zero in one stops the run with terror, keeping
 * the frame of that hit.
 */
static void test_action_error(void **state)
{
	struct fake *f = *state;
	struct gtp_tp_stats st;

	/* collect *(char *)HOLE: const64 HOLE, trace_quick 1, end */
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1-");
	ok(f, "QTDP:-1:ffffffff81000000:Xc,25ffffffff820030000d0127");
	/* teval 1 / 0 */
	ok(f, "QTDP:2:ffffffff81000010:E:0:0-");
	ok(f, "QTDP:-2:ffffffff81000010:X6,220122000527");
	ok(f, "QTStart");
	hit(f, 1);
	assert_string_equal(f->log, "A1 A2 ");
	gtp_tracepoint_stats(&f->t, gtp_trace_find(&f->t, 1), &st);
	assert_int_equal(st.hits, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "mffffffff82003000,1", "E0e");
	ok(f, "QTFrame:ffffffff");
	hit(f, 2);
	assert_string_equal(f->log, "A1 A2 S ");
	assert_terror(f, "collection expression: division by zero", 2);
	assert_int_equal(status_u64(ask(f, "qTStatus"), "tframes"), 2);
}

static void test_passcount(void **state)
{
	struct fake *f = *state;
	const char *r;

	f->now = 0x100;
	ok(f, "QTDP:1:ffffffff81000000:E:0:3-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTDP:2:ffffffff81000010:E:0:0");
	ok(f, "QTStart");
	hit(f, 1);
	hit(f, 2);
	hit(f, 1);
	assert_string_equal(f->log, "A1 A2 ");
	hit(f, 1);
	/* The third hit stops the run from the hit path. */
	assert_string_equal(f->log, "A1 A2 S ");
	assert_int_equal(f->t.state, GTP_STOPPED);
	/* No more frames, even before the agent disarmed. */
	hit(f, 2);
	hit(f, 1);
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T0;tpasscount:1;", 16);
	assert_int_equal(status_u64(r, "tframes"), 4);
	assert_qtp(f, "1:ffffffff81000000", 3, 3 * (FRAME_BYTES + REG_BLOCK_BYTES),
		   3 * (FRAME_BYTES + REG_BLOCK_BYTES));
	assert_qtp(f, "2:ffffffff81000010", 1, FRAME_BYTES, FRAME_BYTES);
	/* The agent's deferred stop: probes go, the reason stays. */
	f->now = 0x200;
	assert_int_equal(gtp_trace_stop(&f->t, GTP_STOP_NONE), 0);
	assert_string_equal(f->log, "A1 A2 S D1 D2 ");
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T0;tpasscount:1;", 16);
	assert_int_equal(status_u64(r, "starttime"), 0x100);
	assert_int_equal(status_u64(r, "stoptime"), 0x200);
}

/* tstart again before the agent's deferred stop ran: no double arming. */
static void test_restart_after_hit_path_stop(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:1");
	ok(f, "QTStart");
	hit(f, 1);
	assert_string_equal(f->log, "A1 S ");
	ok(f, "QTStart");
	assert_int_equal(f->double_arms, 0);
	assert_string_equal(f->log, "A1 S D1 A1 ");
	assert_int_equal(f->t.state, GTP_RUNNING);
	assert_memory_equal(ask(f, "qTStatus"), "T1;tnotrun:0;", 13);
	/* The agent's deferred stop of the old run comes late: ignored. */
	assert_int_equal(gtp_trace_stop(&f->t, GTP_STOP_NONE), 0);
	assert_int_equal(f->t.state, GTP_RUNNING);
	assert_string_equal(f->log, "A1 S D1 A1 ");
	assert_memory_equal(ask(f, "qTStatus"), "T1;tnotrun:0;", 13);
	hit(f, 1);
	assert_memory_equal(ask(f, "qTStatus"), "T0;tpasscount:1;", 16);
}

static void test_buffer_full(void **state)
{
	struct fake *f = *state;
	char expect[32];
	const char *r;
	int hits = 0;

	ok(f, "QTBuffer:size:3000");
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,800");
	ok(f, "QTStart");
	assert_int_equal(rb_pages_per_cpu(f->t.rb), RB_MIN_PAGES);
	while (!strstr(f->log, "S ")) {
		assert_true(hits < 100);
		hit(f, 1);
		hits++;
	}
	assert_true(hits > 1);
	assert_string_equal(f->log, "A1 S ");
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T0;tfull:0;", 11);
	/* Every frame but the one refused is there. */
	assert_int_equal(status_u64(r, "tframes"), hits - 1);
	assert_int_equal(status_u64(r, "tcreated"), hits - 1);
	assert_int_equal(status_u64(r, "tsize"),
			 N_CPUS * RB_MIN_PAGES * RB_PAGE_SIZE);
	/* The refused hit counts as a hit. */
	assert_int_equal(rb_index_refresh(f->t.rb), 0);
	assert_qtp(f, "1:ffffffff81000000", hits, rb_stream_size(f->t.rb),
		   rb_stream_size(f->t.rb));
	/* The last frame is whole. */
	snprintf(expect, sizeof(expect), "F%xT1", hits - 2);
	assert_string_equal(askf(f, "QTFrame:%x", hits - 2), expect);
	assert_reply(f, "mffffffff82000000,800", mem_hex(DATA, 0x800));
	snprintf(expect, sizeof(expect), "QTFrame:%x", hits - 1);
	assert_reply(f, expect, "F-1");
	assert_reply(f, "QTFrame:ffffffff", "OK");
	/* Stopping changes nothing of the reason. */
	ok(f, "QTStop");
	assert_memory_equal(ask(f, "qTStatus"), "T0;tfull:0;", 11);
	/* The next run has the default size again, and room. */
	ok(f, "QTBuffer:size:-1");
	ok(f, "QTStart");
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T1;tnotrun:0;tframes:0;", 23);
	assert_int_equal(status_u64(r, "tsize"), DEFAULT_SIZE);
	hit(f, 1);
	assert_int_equal(status_u64(ask(f, "qTStatus"), "tframes"), 1);
}

static void test_circular(void **state)
{
	struct fake *f = *state;
	const char *r;
	int i;

	ok(f, "QTBuffer:circular:1");
	ok(f, "QTBuffer:size:3000");
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,800");
	ok(f, "QTStart");
	for (i = 0; i < 40; i++)
		hit(f, 1);
	assert_string_equal(f->log, "A1 ");
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T1;tnotrun:0;", 13);
	assert_int_equal(status_u64(r, "circular"), 1);
	assert_int_equal(status_u64(r, "tcreated"), 40);
	assert_true(status_u64(r, "tframes") < 40);
	assert_true(status_u64(r, "tframes") > 0);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "mffffffff82000000,800", mem_hex(DATA, 0x800));
	/* Overwritten frames still count; a split block costs 11 bytes. */
	assert_qtp(f, "1:ffffffff81000000", 40,
		   40 * (FRAME_BYTES + MEM_BLOCK_BYTES(0x800)),
		   40 * (FRAME_BYTES + MEM_BLOCK_BYTES(0x800) +
			 MEM_BLOCK_BYTES(0)));
}

/* The selected frame is overwritten while GDB looks at it: errors. */
static void test_circular_selected_frame_overwritten(void **state)
{
	struct fake *f = *state;
	int i;

	ok(f, "QTBuffer:circular:1");
	ok(f, "QTBuffer:size:3000");
	ok(f, "QTDV:1:0:0:%s", text_hex("v"));
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1-");
	ok(f, "QTDP:-1:ffffffff81000000:X00000004,2e000127-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,800");
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "mffffffff82000000,10", mem_hex(DATA, 0x10));
	for (i = 0; i < 40; i++)
		hit(f, 1);
	assert_reply(f, "mffffffff82000000,10", "E0e");
	assert_reply(f, "g", "E0e");
	assert_reply(f, "qXfer:traceframe-info:read::0,fff", "E0e");
	assert_reply(f, "qTV:1", "U");
	/* Selecting again finds the oldest frame still there. */
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "mffffffff82000000,10", mem_hex(DATA, 0x10));
}

/* ---- qTStatus ---- */

static void test_qtstatus_fields(void **state)
{
	struct fake *f = *state;
	struct rb_stats st;
	char expect[512];
	const char *r;
	u64 free0;

	assert_string_equal(ask(f, "qTStatus"),
			    "T0;tnotrun:0;circular:0;disconn:0;"
			    "starttime:0;stoptime:0;username:;notes:");
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,100");
	ok(f, "QTDisconnected:1");
	ok(f, "QTBuffer:circular:1");
	ok(f, "QTNotes:user:%s;notes:%s;", text_hex("alice"),
	   text_hex("a note"));
	f->now = 0xabc0;
	ok(f, "QTStart");
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T1;tnotrun:0;", 13);
	assert_int_equal(status_u64(r, "tframes"), 0);
	free0 = status_u64(r, "tfree");
	assert_int_equal(status_u64(r, "tsize"), DEFAULT_SIZE);
	f->cpu = 0;
	hit(f, 1);
	f->cpu = 1;
	hit(f, 1);
	hit(f, 1);
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T1;tnotrun:0;", 13);
	assert_int_equal(status_u64(r, "tframes"), 3);
	assert_int_equal(status_u64(r, "tcreated"), 3);
	/* Each frame takes at least its register block and memory. */
	assert_true(status_u64(r, "tfree") + 3 * (G_SIZE + 0x100) <= free0);
	assert_int_equal(status_u64(r, "tsize"), DEFAULT_SIZE);

	f->now = 0xdef0;
	ok(f, "QTStop");
	/* GDB sends the stop note after QTStop. */
	ok(f, "QTNotes:tstop:%s;", text_hex("done here"));
	f->now = 0xffff;
	rb_stats_total(f->t.rb, &st);
	snprintf(expect, sizeof(expect),
		 "T0;tstop:%s:0;tframes:3;tcreated:3;tsize:%llx;tfree:%llx;"
		 "circular:1;disconn:1;starttime:abc0;stoptime:def0;"
		 "username:%s;", text_hex("done here"),
		 (unsigned long long)(st.bytes_used + st.bytes_free),
		 (unsigned long long)st.bytes_free, text_hex("alice"));
	snprintf(expect + strlen(expect), sizeof(expect) - strlen(expect),
		 "notes:%s", text_hex("a note"));
	assert_reply(f, "qTStatus", expect);
	assert_int_equal(st.bytes_used + st.bytes_free, DEFAULT_SIZE);

	/* Notes may be cleared with empty values. */
	ok(f, "QTNotes:user:;notes:;");
	r = ask(f, "qTStatus");
	assert_string_equal(status_str(r, "username"), "");
	assert_string_equal(status_str(r, "notes"), "");
	assert_memory_equal(r, "T0;tstop:", 9);

	/* A new run forgets the stop reason and note. */
	f->now = 0x10000;
	ok(f, "QTStart");
	r = ask(f, "qTStatus");
	assert_memory_equal(r, "T1;tnotrun:0;tframes:0;", 23);
	assert_int_equal(status_u64(r, "starttime"), 0x10000);
	assert_int_equal(status_u64(r, "stoptime"), 0);
}

static void test_settings_malformed(void **state)
{
	struct fake *f = *state;

	refused(f, "QTDisconnected:2");
	refused(f, "QTDisconnected:");
	refused(f, "QTBuffer:circular:2");
	refused(f, "QTBuffer:size:0");
	refused(f, "QTBuffer:size:zz");
	refused(f, "QTBuffer:size:");
	refused(f, "QTBuffer:other:1");
	ok(f, "QTro:ffffffff81000000,ffffffff81001000");
	refused(f, "QTro:zz,1");
	refused(f, "QTro:1");
	refused(f, "QTro:1,");
	refused(f, "QTro:1,2:");
	refused(f, "QTro:1,2:3");
	refused(f, "QTro:1,2x");
	refused(f, "QTro,1,2");
	/* A refused QTro changes nothing. */
	assert_int_equal(f->t.nr_ro, 1);
	assert_true(f->t.ro[0].lo == TEXT && f->t.ro[0].hi == TEXT + 0x1000);
	refused(f, "QTNotes");
	refused(f, "QTDV");
	refused(f, "QTDV:1");
	refused(f, "QTDV:1:0:0");
	refused(f, "qTP");
	refused(f, "qTP:1");
	refused(f, "qTP:1:ffffffff81000000");
	refused(f, "qTV");
	refused(f, "qTV:zz");
	refused(f, "QTFrame:0");
	refused(f, "qTBuffer:0,10");
	refused(f, "qXfer:traceframe-info:read::0,fff");
	assert_false(f->t.disconnected);
	assert_false(f->t.circular);
	assert_int_equal(f->t.buffer_size, 0);
	ok(f, "QTBuffer:size:100000");
	assert_int_equal(f->t.buffer_size, 0x100000);
	ok(f, "QTBuffer:size:-1");
	assert_int_equal(f->t.buffer_size, 0);
	/* QTro with no ranges is valid: none. */
	ok(f, "QTro");
	assert_int_equal(f->t.nr_ro, 0);
}

/* ---- qTP ---- */


static void test_qtp(void **state)
{
	struct fake *f = *state;
	int i;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0");
	ok(f, "QTDP:2:ffffffff81000010:E:0:0");
	assert_reply(f, "qTP:1:ffffffff81000000", "V0:0");
	ok(f, "QTStart");
	for (i = 0; i < 0x1b; i++) {
		f->cpu = i % N_CPUS;
		hit(f, 1);
	}
	hit(f, 2);
	/* Frames without actions: 6 bytes each. */
	assert_reply(f, "qTP:1:ffffffff81000000", "V1b:a2");
	assert_reply(f, "qTP:2:ffffffff81000010", "V1:6");
	/* Unknown tracepoint, wrong address. */
	refused(f, "qTP:3:ffffffff81000020");
	refused(f, "qTP:1:ffffffff81000010");
	refused(f, "qTP:1:ffffffff81000000:");
	ok(f, "QTStop");
	assert_reply(f, "qTP:1:ffffffff81000000", "V1b:a2");
}

/* ---- QTFrame ---- */

/* Frames 0..4: tracepoints 1, 2, 1, 3, 2 (on alternating CPUs). */
static void five_frames(struct fake *f)
{
	static const u32 order[] = { 1, 2, 1, 3, 2 };
	size_t i;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTDP:2:ffffffff81000010:E:0:0-");
	ok(f, "QTDP:-2:ffffffff81000010:M-1,ffffffff82000000,10");
	ok(f, "QTDP:3:ffffffff81000020:E:0:0-");
	ok(f, "QTDP:-3:ffffffff81000020:M-1,ffffffff82000100,10");
	ok(f, "QTStart");
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		f->cpu = i % N_CPUS;
		hit(f, order[i]);
	}
	f->cpu = 0;
}

static void test_qtframe_number(void **state)
{
	struct fake *f = *state;

	five_frames(f);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "QTFrame:1", "F1T2");
	assert_reply(f, "QTFrame:3", "F3T3");
	assert_reply(f, "QTFrame:4", "F4T2");
	assert_reply(f, "QTFrame:00000002", "F2T1");
	/* Idempotent. */
	assert_reply(f, "QTFrame:1", "F1T2");
	assert_reply(f, "QTFrame:1", "F1T2");
	assert_reply(f, "mffffffff82000000,10", mem_hex(DATA, 0x10));
	/* The frame's PC: its tracepoint's address. */
	assert_memory_equal(ask(f, "g") + 2 * PC_OFF, "10000081ffffffff", 16);
	/* Out of range: F-1. */
	assert_reply(f, "QTFrame:5", "F-1");
	assert_reply(f, "QTFrame:ffff", "F-1");
	/* Back to live. */
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_int_equal(f->s.frame, -1);
	/* Live: the PC is 0, memory read from the target. */
	assert_memory_equal(ask(f, "g") + 2 * PC_OFF, "0000000000000000xx",
			    18);
	assert_reply(f, "mffffffff82000100,10", mem_hex(DATA + 0x100, 0x10));
	assert_int_equal(f->live_reads, 1);
	assert_reply(f, "QTFrame:ffffffff", "OK");
	/* Malformed. */
	refused(f, "QTFrame");
	refused(f, "QTFrame:");
	refused(f, "QTFrame:zz");
	refused(f, "QTFrame:1x");
	refused(f, "QTFrame:pc:");
	refused(f, "QTFrame:pc:zz");
	refused(f, "QTFrame:tdp:1:2");
	refused(f, "QTFrame:range:1");
	refused(f, "QTFrame:range:1:");
	refused(f, "QTFrame:outside:1:2:3");
}

/*
 * A failed search (F-1) leaves the selection as it was: GDB does not
 * update its idea of the remote frame on F-1 (remote.c,
 * remote_trace_find), so it goes on reading `m` and `g` as from the old
 * frame without selecting it again.
 */
static void test_qtframe_miss_keeps_frame(void **state)
{
	struct fake *f = *state;

	five_frames(f);
	assert_reply(f, "QTFrame:3", "F3T3");
	assert_reply(f, "QTFrame:9", "F-1");
	assert_reply(f, "QTFrame:pc:ffffffff81000020", "F-1");
	assert_int_equal(f->s.frame, 3);
	assert_reply(f, "mffffffff82000100,10", mem_hex(DATA + 0x100, 0x10));
	assert_int_equal(f->live_reads, 0);
	assert_memory_equal(ask(f, "g") + 2 * PC_OFF, "20000081ffffffff", 16);
}

static void test_qtframe_pc(void **state)
{
	struct fake *f = *state;

	five_frames(f);
	assert_reply(f, "QTFrame:pc:ffffffff81000010", "F1T2");
	assert_reply(f, "QTFrame:pc:ffffffff81000010", "F4T2");
	assert_reply(f, "QTFrame:pc:ffffffff81000010", "F-1");
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_reply(f, "QTFrame:pc:ffffffff81000000", "F0T1");
	assert_reply(f, "QTFrame:pc:ffffffff81000000", "F2T1");
	/* From the current frame on, whatever selected it. */
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "QTFrame:pc:ffffffff81000020", "F3T3");
	assert_reply(f, "QTFrame:pc:ffffffff81000030", "F-1");
}

static void test_qtframe_tdp(void **state)
{
	struct fake *f = *state;

	five_frames(f);
	assert_reply(f, "QTFrame:tdp:1", "F0T1");
	assert_reply(f, "QTFrame:tdp:1", "F2T1");
	assert_reply(f, "QTFrame:tdp:1", "F-1");
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_reply(f, "QTFrame:tdp:3", "F3T3");
	assert_reply(f, "QTFrame:tdp:7", "F-1");
}

static void test_qtframe_range_outside(void **state)
{
	struct fake *f = *state;

	five_frames(f);
	/* Inclusive bounds. */
	assert_reply(f, "QTFrame:range:ffffffff81000010:ffffffff81000020",
		     "F1T2");
	assert_reply(f, "QTFrame:range:ffffffff81000010:ffffffff81000020",
		     "F3T3");
	assert_reply(f, "QTFrame:range:ffffffff81000010:ffffffff81000020",
		     "F4T2");
	assert_reply(f, "QTFrame:range:ffffffff81000010:ffffffff81000020",
		     "F-1");
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_reply(f, "QTFrame:range:ffffffff81000001:ffffffff8100000f",
		     "F-1");
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_reply(f, "QTFrame:outside:ffffffff81000000:ffffffff81000000",
		     "F1T2");
	assert_reply(f, "QTFrame:outside:ffffffff81000000:ffffffff81000000",
		     "F3T3");
	assert_reply(f, "QTFrame:outside:ffffffff81000000:ffffffff81000000",
		     "F4T2");
	assert_reply(f, "QTFrame:outside:ffffffff81000000:ffffffff81000000",
		     "F-1");
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_reply(f, "QTFrame:outside:ffffffff81000000:ffffffff81000020",
		     "F-1");
	/* From frame 2 on. */
	assert_reply(f, "QTFrame:2", "F2T1");
	assert_reply(f, "QTFrame:outside:ffffffff81000010:ffffffff81000010",
		     "F3T3");
}

/* Frames committed after a selection are found too. */
static void test_qtframe_sees_new_frames(void **state)
{
	struct fake *f = *state;

	five_frames(f);
	assert_reply(f, "QTFrame:4", "F4T2");
	assert_reply(f, "QTFrame:5", "F-1");
	hit(f, 3);
	assert_reply(f, "QTFrame:5", "F5T3");
	assert_reply(f, "QTFrame:tdp:1", "F-1");
	/* A new run starts live. */
	ok(f, "QTStart");
	assert_int_equal(f->s.frame, -1);
	assert_reply(f, "QTFrame:0", "F-1");
	/* A new GDB too. */
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	ask(f, "qSupported");
	assert_int_equal(f->s.frame, -1);
}

/* ---- memory of a selected frame ---- */

#define BIG_ADDR	(DATA + 0x4000)
#define BIG_LEN		10000

static int count_mem_entries(struct fake *f)
{
	struct rb_frame_iter it;
	struct rb_entry_view v;
	int n = 0;

	rb_frame_iter_init(&it, f->t.rb, &f->s.fref);
	while (rb_frame_iter_next(&it, &v) > 0)
		n += v.type == FID_MEM;
	assert_true(rb_frame_iter_valid(&it));
	return n;
}

static void test_frame_memory_large(void **state)
{
	struct fake *f = *state;
	u64 off, n;
	const char *r;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,%llx,%x",
	   (unsigned long long)BIG_ADDR, BIG_LEN);
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	/* More than a page: several FID_MEM entries on several pages. */
	assert_true(count_mem_entries(f) >= 3);

	/* Read back as GDB does, in chunks of any size. */
	for (off = 0; off < BIG_LEN; off += n) {
		n = min_t(u64, 0x7d0, BIG_LEN - off);
		assert_string_equal(askf(f, "m%llx,%llx",
					 (unsigned long long)(BIG_ADDR + off),
					 (unsigned long long)n),
				    mem_hex(BIG_ADDR + off, n));
	}
	/* Across every entry boundary, at odd places. */
	for (off = 1; off + 0x333 < BIG_LEN; off += 0x301)
		assert_string_equal(askf(f, "m%llx,333",
					 (unsigned long long)(BIG_ADDR + off)),
				    mem_hex(BIG_ADDR + off, 0x333));
	/* One big read: as much as a reply holds. */
	r = askf(f, "m%llx,%x", (unsigned long long)BIG_ADDR, BIG_LEN);
	assert_int_equal(strlen(r), RSP_REPLY_MAX);
	assert_string_equal(r, mem_hex(BIG_ADDR, RSP_REPLY_MAX / 2));
	/* The end: partial, then not collected. */
	assert_string_equal(askf(f, "m%llx,40",
				 (unsigned long long)(BIG_ADDR + BIG_LEN - 8)),
			    mem_hex(BIG_ADDR + BIG_LEN - 8, 8));
	assert_not_collected(f, BIG_ADDR + BIG_LEN, 1);
	assert_not_collected(f, BIG_ADDR - 1, 1);
	assert_int_equal(f->live_reads, 0);
}

static void test_frame_memory_hole(void **state)
{
	struct fake *f = *state;

	/* 0x2800..0x4800 of DATA: its page 0x3000..0x4000 is unreadable. */
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82002800,2000");
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "mffffffff82002800,1000", mem_hex(DATA + 0x2800, 0x800));
	assert_reply(f, "mffffffff82002ff0,20", mem_hex(DATA + 0x2ff0, 0x10));
	assert_not_collected(f, HOLE, 1);
	assert_not_collected(f, HOLE + 0x800, 0x1000);
	assert_not_collected(f, HOLE + HOLE_SIZE - 1, 2);
	assert_reply(f, "mffffffff82004000,800", mem_hex(DATA + 0x4000, 0x800));
	assert_reply(f, "mffffffff820047f8,10", mem_hex(DATA + 0x47f8, 8));
	assert_reply(f, "qXfer:traceframe-info:read::0,fff",
		     "l" XML_INFO(XML_MEM("0xffffffff82002800", "0x800")
				  XML_MEM("0xffffffff82004000", "0x800")));
}

/* A collection with nothing readable at all: no memory in the frame. */
static void test_frame_memory_all_unreadable(void **state)
{
	struct fake *f = *state;
	const char *r;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82003100,100-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,1000,10");
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_not_collected(f, HOLE + 0x100, 0x100);
	assert_not_collected(f, 0x1000, 0x10);
	assert_reply(f, "qXfer:traceframe-info:read::0,fff",
		     "l" XML_INFO(""));
	/* The tfile stream: only the frame header. */
	r = ask(f, "qTBuffer:0,100");
	assert_string_equal(r, "010000000000");
	assert_reply(f, "qTBuffer:6,100", "l");
}

static void test_frame_memory_qtro(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff81000100,10");
	ok(f, "QTro:%llx,%llx:%llx,%llx", (unsigned long long)TEXT,
	   (unsigned long long)(TEXT + 0x1000), (unsigned long long)DATA,
	   (unsigned long long)(DATA + 0x10));
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	/* Collected: from the frame, no live read. */
	assert_reply(f, "mffffffff81000100,10", mem_hex(TEXT + 0x100, 0x10));
	assert_int_equal(f->live_reads, 0);
	/* Read-only and not collected: live. */
	assert_reply(f, "mffffffff81000000,40", mem_hex(TEXT, 0x40));
	assert_int_equal(f->live_reads, 1);
	/* Up to the end of the read-only range only. */
	assert_reply(f, "mffffffff81000ff8,10", mem_hex(TEXT + 0xff8, 8));
	assert_reply(f, "mffffffff82000008,10", mem_hex(DATA + 8, 8));
	/* Readable, but neither collected nor read-only. */
	assert_not_collected(f, TEXT + 0x1000, 8);
	assert_not_collected(f, DATA + 0x10, 8);
}

/* A vmlinux has more read-only sections than the agent keeps. */
static void test_qtro_many_sections(void **state)
{
	struct fake *f = *state;
	char pkt[2048];
	size_t n = 0;
	int i;

	n += snprintf(pkt + n, sizeof(pkt) - n, "QTro");
	n += snprintf(pkt + n, sizeof(pkt) - n, ":%llx,%llx",
		      (unsigned long long)TEXT,
		      (unsigned long long)(TEXT + 0x1000));
	for (i = 1; i < 3 * GTP_MAX_RO; i++)
		n += snprintf(pkt + n, sizeof(pkt) - n, ":%llx,%llx",
			      0xffffffff83000000ULL + 0x2000 * i,
			      0xffffffff83001000ULL + 0x2000 * i);
	assert_true(n < sizeof(pkt));
	assert_reply(f, pkt, "OK");
	assert_int_equal(f->t.nr_ro, GTP_MAX_RO);
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTStart");
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "mffffffff81000010,10", mem_hex(TEXT + 0x10, 0x10));
	assert_int_equal(f->live_reads, 1);
}

static void test_g_without_r(void **state)
{
	struct fake *f = *state;
	const char *r;
	size_t i;

	ok(f, "QTDP:2:ffffffff81000010:E:0:0-");
	ok(f, "QTDP:-2:ffffffff81000010:M-1,ffffffff82000000,8");
	ok(f, "QTStart");
	hit(f, 2);
	assert_reply(f, "QTFrame:0", "F0T2");
	r = ask(f, "g");
	assert_int_equal(strlen(r), 2 * G_SIZE);
	for (i = 0; i < 2 * G_SIZE; i++) {
		if (i >= 2 * PC_OFF && i < 2 * PC_OFF + 16)
			continue;
		assert_int_equal(r[i], 'x');
	}
	assert_memory_equal(r + 2 * PC_OFF, "10000081ffffffff", 16);
}

/* getv 1; const8 1; add; setv 1; pop; tracev 1; end */
#define X_INC_TRACEV1 "X0000000e,2c00012201022d0001292e000127"

/*
 * collect $cpu_id, $current_task, $current_task_pid, $clock: tracev of
 * each special, then an attempt to set one, which must fail the action.
 */
#define X_TRACEV_SPECIALS "X00000012,2e7f012e7f022e7f032e7f042227" \
			  "2d7f0127"

static void test_special_tsvs(void **state)
{
	struct fake *f = *state;
	char expect[64];

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:" X_TRACEV_SPECIALS);
	ok(f, "QTStart");
	f->cpu = 1;
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "qTV:7f01", "V1");
	assert_reply(f, "qTV:7f02", "Vffff888012345678");
	assert_reply(f, "qTV:7f03", "V10e1");
	snprintf(expect, sizeof(expect), "V%llx", (unsigned long long)f->ns);
	assert_reply(f, "qTV:7f04", expect);
	assert_reply(f, "qXfer:traceframe-info:read::0,fff",
		     "l" XML_INFO(XML_TVAR("32513") XML_TVAR("32514")
				  XML_TVAR("32515") XML_TVAR("32516")));
	/* Outside a frame they have no value. */
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_reply(f, "qTV:7f01", "U");
}

static void test_qtv(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDV:1:0000000000000005:0:%s", text_hex("count"));
	ok(f, "QTDV:2:ffffffffffffffff:0:%s", text_hex("other"));
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:" X_INC_TRACEV1);
	/* Before a run: the initial value. */
	assert_reply(f, "qTV:1", "V5");
	ok(f, "QTStart");
	hit(f, 1);
	hit(f, 1);
	assert_reply(f, "QTFrame:0", "F0T1");
	assert_reply(f, "qTV:1", "V6");
	assert_reply(f, "qTV:2", "U");
	assert_reply(f, "QTFrame:1", "F1T1");
	assert_reply(f, "qTV:1", "V7");
	assert_reply(f, "qXfer:traceframe-info:read::0,fff",
		     "l" XML_INFO(XML_TVAR("1")));
	/* Live: current values; unknown variables are U. */
	assert_reply(f, "QTFrame:ffffffff", "OK");
	assert_reply(f, "qTV:1", "V7");
	assert_reply(f, "qTV:2", "Vffffffffffffffff");
	assert_reply(f, "qTV:9", "U");
	/* A new run starts from the initial values. */
	ok(f, "QTStart");
	assert_reply(f, "qTV:1", "V5");
	/* Variable numbers are decimal in traceframe-info. */
	ok(f, "QTStop");
	ok(f, "QTDV:1b:0000000000000003:0:%s", text_hex("big"));
	ok(f, "QTDP:2:ffffffff81000010:E:0:0-");
	ok(f, "QTDP:-2:ffffffff81000010:X00000004,2e001b27");
	ok(f, "QTStart");
	hit(f, 2);
	assert_reply(f, "QTFrame:0", "F0T2");
	assert_reply(f, "qTV:1b", "V3");
	assert_reply(f, "qXfer:traceframe-info:read::0,fff",
		     "l" XML_INFO(XML_TVAR("27")));
}

/* ---- qXfer:traceframe-info ---- */

static void rich_frame(struct fake *f)
{
	ok(f, "QTDV:1:0000000000000009:0:%s", text_hex("v"));
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R3ffffffff-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000100,20-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,%llx,%x-",
	   (unsigned long long)BIG_ADDR, BIG_LEN);
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82002800,2000-");
	ok(f, "QTDP:-1:ffffffff81000000:X00000004,2e000127");
	ok(f, "QTStart");
	hit(f, 1);
}

/*
 * The 10000 bytes split over several entries are one range; the hole
 * splits its collection in two; the variable comes where it was traced.
 */
static const char rich_info[] =
	XML_INFO(XML_MEM("0xffffffff82000100", "0x20")
		 XML_MEM("0xffffffff82004000", "0x2710")
		 XML_MEM("0xffffffff82002800", "0x800")
		 XML_TVAR("1")
		 XML_MEM("0xffffffff82004000", "0x800"));

static void test_traceframe_info(void **state)
{
	struct fake *f = *state;
	char expect[1024];

	rich_frame(f);
	/* Not while no frame is selected. */
	refused(f, "qXfer:traceframe-info:read::0,fff");
	assert_reply(f, "QTFrame:0", "F0T1");
	snprintf(expect, sizeof(expect), "l%s", rich_info);
	assert_reply(f, "qXfer:traceframe-info:read::0,fff", expect);
	/* Malformed. */
	refused(f, "qXfer:traceframe-info:read::0");
	refused(f, "qXfer:traceframe-info:read::,10");
	refused(f, "qXfer:traceframe-info:read:x:0,10");
	refused(f, "qXfer:traceframe-info:read");
}

static void test_traceframe_info_chunks(void **state)
{
	struct fake *f = *state;
	size_t total = strlen(rich_info);
	static const u64 sizes[] = { 1, 7, 0x40, 0xfff };
	char text[1024];
	size_t i, off, n;

	rich_frame(f);
	assert_reply(f, "QTFrame:0", "F0T1");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		text[0] = 0;
		for (off = 0;; off += n) {
			const char *r = askf(f,
				"qXfer:traceframe-info:read::%zx,%llx", off,
				(unsigned long long)sizes[i]);

			n = strlen(r + 1);
			assert_true(n <= sizes[i]);
			assert_true(off + n <= total);
			memcpy(text + off, r + 1, n);
			text[off + n] = 0;
			if (r[0] == 'l')
				break;
			assert_int_equal(r[0], 'm');
			assert_int_equal(n, sizes[i]);
		}
		assert_int_equal(off + n, total);
		assert_string_equal(text, rich_info);
	}
	/* Exactly at the end, and past it. */
	assert_string_equal(askf(f, "qXfer:traceframe-info:read::%zx,10",
				 total), "l");
	assert_string_equal(askf(f, "qXfer:traceframe-info:read::%zx,10",
				 total + 100), "l");
	/* A piece that ends the text exactly is the last: 'l'. */
	assert_string_equal(askf(f, "qXfer:traceframe-info:read::%zx,5",
				 total - 5), "linfo>");
	assert_string_equal(askf(f, "qXfer:traceframe-info:read::%zx,5",
				 total - 6), "m-info");
}

/* ---- qTBuffer ---- */

/* Every byte of the frame stream, read with qTBuffer in @chunk pieces. */
static size_t read_stream(struct fake *f, u8 *buf, size_t size, u64 chunk)
{
	size_t off = 0;

	for (;;) {
		const char *r = askf(f, "qTBuffer:%zx,%llx", off,
				     (unsigned long long)chunk);
		size_t n = strlen(r);

		if (!strcmp(r, "l"))
			break;
		assert_true(n % 2 == 0 && n > 0);
		assert_true(n / 2 <= chunk);
		assert_true(off + n / 2 <= size);
		assert_true(rsp_hex_decode(buf + off, r, n / 2));
		off += n / 2;
	}
	return off;
}

struct stream_frame {
	int tp;
	int regs, mems, vars;
	u64 mem_bytes;
};

/*
 * Parse the tfile frame section in @buf and check every block against
 * the fake: R is the `g` block of the hit, M blocks the memory, V the
 * variable's @var_value.  Fills @out (up to @max frames); returns frames.
 */
static int parse_stream(const u8 *buf, size_t len, struct stream_frame *out,
			int max, s64 var_value)
{
	size_t pos = 0;
	int n = 0;
	u8 g[G_SIZE];

	while (pos < len) {
		struct stream_frame *fr = &out[n];
		size_t end;

		assert_true(n < max);
		assert_true(pos + 6 <= len);
		memset(fr, 0, sizeof(*fr));
		fr->tp = (s16)get_le(buf + pos, 2);
		assert_true(fr->tp > 0);
		end = pos + 6 + get_le(buf + pos + 2, 4);
		assert_true(end <= len);
		pos += 6;
		while (pos < end) {
			u8 type = buf[pos++];
			u64 addr, size;

			switch (type) {
			case 'R':
				assert_true(pos + G_SIZE <= end);
				make_g(g, get_le(buf + pos + PC_OFF, 8));
				assert_memory_equal(buf + pos, g, G_SIZE);
				pos += G_SIZE;
				fr->regs++;
				break;
			case 'M':
				assert_true(pos + 10 <= end);
				addr = get_le(buf + pos, 8);
				size = get_le(buf + pos + 8, 2);
				pos += 10;
				assert_true(size > 0 && pos + size <= end);
				for (; size; size--, addr++, pos++) {
					assert_true(readable(addr));
					assert_int_equal(buf[pos],
							 mem_byte(addr));
					fr->mem_bytes++;
				}
				fr->mems++;
				break;
			case 'V':
				assert_true(pos + 12 <= end);
				assert_int_equal(get_le(buf + pos, 4), 1);
				assert_int_equal((s64)get_le(buf + pos + 4, 8),
						 var_value);
				pos += 12;
				fr->vars++;
				break;
			default:
				fail_msg("block type %#x at %zu", type, pos - 1);
			}
		}
		assert_int_equal(pos, end);
		n++;
	}
	return n;
}

static void test_qtbuffer_stream(void **state)
{
	struct fake *f = *state;
	static u8 one[64 * 1024], chunked[64 * 1024], direct[64 * 1024];
	struct stream_frame fr[8];
	size_t len, len2;
	const char *r;
	int n;

	/* No buffer before the first run. */
	refused(f, "qTBuffer:0,10");
	rich_frame(f);
	ok(f, "QTDP:2:ffffffff81000010:E:0:0-");
	ok(f, "QTDP:-2:ffffffff81000010:M7,ffffffffffffffe0,20");
	/* InstallInTrace armed tracepoint 2. */
	hit(f, 2);
	f->cpu = 1;
	hit(f, 1);
	ok(f, "QTStop");

	len = read_stream(f, one, sizeof(one), 0x2000);
	len2 = read_stream(f, chunked, sizeof(chunked), 0x7d0);
	assert_int_equal(len, len2);
	assert_memory_equal(one, chunked, len);
	len2 = read_stream(f, chunked, sizeof(chunked), 0x11);
	assert_int_equal(len, len2);
	assert_memory_equal(one, chunked, len);
	/* What the buffer itself encodes. */
	rb_index_refresh(f->t.rb);
	assert_int_equal(rb_stream_size(f->t.rb), len);
	assert_int_equal(rb_stream_read(f->t.rb, 0, direct, sizeof(direct)),
			 len);
	assert_memory_equal(one, direct, len);

	n = parse_stream(one, len, fr, ARRAY_SIZE(fr), 9);
	assert_int_equal(n, 3);
	r = ask(f, "qTStatus");
	assert_int_equal(status_u64(r, "tframes"), n);
	/* Frame 0 and 2: tracepoint 1, everything; the hole left out. */
	assert_int_equal(fr[0].tp, 1);
	assert_int_equal(fr[0].regs, 1);
	assert_int_equal(fr[0].vars, 1);
	assert_int_equal(fr[0].mem_bytes, 0x20 + BIG_LEN + 0x1000);
	assert_true(fr[0].mems >= 5);
	assert_int_equal(fr[1].tp, 2);
	assert_int_equal(fr[1].regs, 0);
	assert_int_equal(fr[1].vars, 0);
	assert_int_equal(fr[1].mems, 1);
	assert_int_equal(fr[1].mem_bytes, 0x20);
	assert_int_equal(fr[2].tp, 1);
	assert_int_equal(fr[2].mem_bytes, fr[0].mem_bytes);
	/* The end: 'l'; a read in the middle gives the same bytes. */
	assert_string_equal(askf(f, "qTBuffer:%zx,10", len), "l");
	assert_string_equal(askf(f, "qTBuffer:%zx,10", len + 1000), "l");
	{
		char expect[2 * 0x30 + 1];

		hex_of(expect, one + 0x123, 0x30);
		assert_reply(f, "qTBuffer:123,30", expect);
	}
	refused(f, "qTBuffer");
	refused(f, "qTBuffer:10");
	refused(f, "qTBuffer:zz,10");
	refused(f, "qTBuffer:10,");
}

/* ---- uploads ---- */

/* The agent's own variables, first in every qTfV upload. */
static const char *const special_uploads[] = {
	"7f01:0:1:6370755f6964",			/* cpu_id */
	"7f02:0:1:63757272656e745f7461736b",		/* current_task */
	"7f03:0:1:63757272656e745f7461736b5f706964",	/* current_task_pid */
	"7f04:0:1:636c6f636b",				/* clock */
};

/* qTfV, then qTsV past the specials: what comes after them. */
static const char *tsv_after_specials(struct fake *f)
{
	size_t i;

	assert_reply(f, "qTfV", special_uploads[0]);
	for (i = 1; i < ARRAY_SIZE(special_uploads); i++)
		assert_reply(f, "qTsV", special_uploads[i]);
	return ask(f, "qTsV");
}

static void test_uploads(void **state)
{
	struct fake *f = *state;
	char expect[256];
	int pass;

	assert_reply(f, "qTfP", "l");
	assert_string_equal(tsv_after_specials(f), "l");
	/* GDB hands them back at tstart: nothing changes. */
	ok(f, "QTDV:7f01:0:1:%s", text_hex("cpu_id"));
	assert_string_equal(tsv_after_specials(f), "l");
	ok(f, "QTDV:1:0000000000000005:0:%s", text_hex("count"));
	ok(f, "QTDV:2:ffffffffffffffff:1:%s", text_hex("builtin"));
	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R3ffffffff-");
	ok(f, "QTDP:-1:ffffffff81000000:M-1,ffffffff82000000,40");
	src(f, 1, TP1, "at", "*0xffffffff81000000");
	src(f, 1, TP1, "cmd", "collect $regs");
	ok(f, "QTDP:2:ffffffff81000010:D:0:7:X3,220127-");
	ok(f, "QTDP:-2:ffffffff81000010:" X_RSP_PLUS_8);
	src(f, 2, TP2, "cond", "1");

	for (pass = 0; pass < 2; pass++) {
		assert_reply(f, "qTfP", "T1:ffffffff81000000:E:0:0");
		assert_reply(f, "qTsP", "A1:ffffffff81000000:R3ffffffff");
		assert_reply(f, "qTsP",
			     "A1:ffffffff81000000:M-1,ffffffff82000000,40");
		snprintf(expect, sizeof(expect),
			 "Z1:ffffffff81000000:at:0:13:%s",
			 text_hex("*0xffffffff81000000"));
		assert_reply(f, "qTsP", expect);
		snprintf(expect, sizeof(expect),
			 "Z1:ffffffff81000000:cmd:0:d:%s",
			 text_hex("collect $regs"));
		assert_reply(f, "qTsP", expect);
		assert_reply(f, "qTsP", "T2:ffffffff81000010:D:0:7:X3,220127");
		assert_reply(f, "qTsP", "A2:ffffffff81000010:"
			     X_RSP_PLUS_8);
		snprintf(expect, sizeof(expect),
			 "Z2:ffffffff81000010:cond:0:1:%s", text_hex("1"));
		assert_reply(f, "qTsP", expect);
		assert_reply(f, "qTsP", "l");
		assert_reply(f, "qTsP", "l");
		/* During a run as well. */
		if (!pass)
			ok(f, "QTStart");
	}

	snprintf(expect, sizeof(expect), "1:5:0:%s", text_hex("count"));
	assert_string_equal(tsv_after_specials(f), expect);
	snprintf(expect, sizeof(expect), "2:ffffffffffffffff:1:%s",
		 text_hex("builtin"));
	assert_reply(f, "qTsV", expect);
	assert_reply(f, "qTsV", "l");
	assert_reply(f, "qTsV", "l");
	snprintf(expect, sizeof(expect), "1:5:0:%s", text_hex("count"));
	assert_string_equal(tsv_after_specials(f), expect);

	/* A restart halfway through. */
	assert_reply(f, "qTfP", "T1:ffffffff81000000:E:0:0");
	assert_reply(f, "qTsP", "A1:ffffffff81000000:R3ffffffff");
	assert_reply(f, "qTfP", "T1:ffffffff81000000:E:0:0");
	ok(f, "QTStop");
	ok(f, "QTinit");
	assert_reply(f, "qTfP", "l");
	assert_string_equal(tsv_after_specials(f), "l");
}

/* ---- QTEnable / QTDisable ---- */

static void test_enable_disable(void **state)
{
	struct fake *f = *state;

	ok(f, "QTDP:1:ffffffff81000000:E:0:0-");
	ok(f, "QTDP:-1:ffffffff81000000:R1");
	ok(f, "QTDP:2:ffffffff81000010:E:0:0");
	/* Before a run: only the flag. */
	ok(f, "QTDisable:2:ffffffff81000010");
	assert_string_equal(f->log, "");
	ok(f, "QTStart");
	assert_string_equal(f->log, "A1 ");
	ok(f, "QTEnable:2:ffffffff81000010");
	assert_string_equal(f->log, "A1 A2 ");
	ok(f, "QTDisable:1:ffffffff81000000");
	assert_string_equal(f->log, "A1 A2 D1 ");
	hit(f, 1);
	hit(f, 2);
	assert_reply(f, "qTP:1:ffffffff81000000", "V0:0");
	assert_reply(f, "qTP:2:ffffffff81000010", "V1:6");
	/* Again: nothing more happens. */
	ok(f, "QTDisable:1:ffffffff81000000");
	ok(f, "QTEnable:2:ffffffff81000010");
	assert_string_equal(f->log, "A1 A2 D1 ");
	ok(f, "QTEnable:1:ffffffff81000000");
	assert_string_equal(f->log, "A1 A2 D1 A1 ");
	hit(f, 1);
	assert_qtp(f, "1:ffffffff81000000", 1, FRAME_BYTES + REG_BLOCK_BYTES,
		   FRAME_BYTES + REG_BLOCK_BYTES);
	/* Unknown tracepoint, wrong address, malformed. */
	refused(f, "QTEnable:3:ffffffff81000020");
	refused(f, "QTDisable:3:ffffffff81000020");
	refused(f, "QTEnable:1:ffffffff81000010");
	refused(f, "QTEnable:1");
	refused(f, "QTEnable");
	refused(f, "QTDisable:zz:1");
	assert_string_equal(f->log, "A1 A2 D1 A1 ");
	/* A probe that cannot be installed. */
	ok(f, "QTDisable:2:ffffffff81000010");
	f->arm_fail = 2;
	refused(f, "QTEnable:2:ffffffff81000010");
	assert_false(gtp_trace_find(&f->t, 2)->enabled);
	assert_string_equal(f->log, "A1 A2 D1 A1 D2 !2 ");
	ok(f, "QTStop");
	assert_string_equal(f->log, "A1 A2 D1 A1 D2 !2 D1 ");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_qsupported_trace_features),
		T(test_tstart_sequence),
		T(test_definitions_do_not_arm),
		T(test_condition_and_redefinition),
		T(test_qtdp_malformed),
		T(test_qtdp_while_running),
		T(test_install_in_trace),
		T(test_start_arm_failure),
		T(test_hit_registers),
		T(test_hit_mem_absolute),
		T(test_hit_mem_basereg),
		T(test_hit_x_action),
		T(test_hit_tracenz),
		T(test_verifier_reason_in_reply),
		T(test_tfind_none_before_any_run),
		T(test_enable_failure_reason),
		T(test_qtdpsrc_checks_address),
		T(test_unknown_registers_refused),
		T(test_write_refused_in_frame),
		T(test_install_after_stop_not_armed),
		T(test_definitions_the_file_can_hold),
		T(test_detach_stops_run),
		T(test_detach_keeps_disconnected_run),
		T(test_condition_false_records_nothing),
		T(test_condition_error_stops_run),
		T(test_condition_read_fault_is_false),
		T(test_action_error),
		T(test_passcount),
		T(test_restart_after_hit_path_stop),
		T(test_buffer_full),
		T(test_circular),
		T(test_circular_selected_frame_overwritten),
		T(test_qtstatus_fields),
		T(test_settings_malformed),
		T(test_qtp),
		T(test_qtframe_number),
		T(test_qtframe_miss_keeps_frame),
		T(test_qtframe_pc),
		T(test_qtframe_tdp),
		T(test_qtframe_range_outside),
		T(test_qtframe_sees_new_frames),
		T(test_frame_memory_large),
		T(test_frame_memory_hole),
		T(test_frame_memory_all_unreadable),
		T(test_frame_memory_qtro),
		T(test_qtro_many_sections),
		T(test_g_without_r),
		T(test_special_tsvs),
		T(test_qtv),
		T(test_traceframe_info),
		T(test_traceframe_info_chunks),
		T(test_qtbuffer_stream),
		T(test_uploads),
		T(test_enable_disable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
