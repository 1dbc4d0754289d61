// SPDX-License-Identifier: GPL-2.0
/*
 * Runs over a real rsp session: hits, conditions, expression faults,
 * passcount, buffer full and circular, qTStatus and qTP.
 * The fixture (fake agent, fake memory, exchange helpers) is in
 * tests/host/trace_fixture.h.
 */
#include "tests/host/trace_fixture.h"

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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hit_registers),
		T(test_hit_mem_absolute),
		T(test_hit_mem_basereg),
		T(test_hit_x_action),
		T(test_hit_tracenz),
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
