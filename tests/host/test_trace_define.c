// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint definitions over a real rsp session: qSupported, QTDP and
 * its continuations, QTDPsrc, QTDV, refusals and their reasons, uploads
 * (qTfP/qTfV), QTEnable and QTDisable.
 * The fixture (fake agent, fake memory, exchange helpers) is in
 * tests/host/trace_fixture.h.
 */
#include "tests/host/trace_fixture.h"

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
	f->now = 12345;
	/* GDB shows the reason: which tracepoint, where, why. */
	assert_reply(f, "QTStart",
		     "E.tracepoint 2 at 0xffffffff81000010: cannot install a probe (error -22)");
	/* What was armed is removed again; the trace does not run. */
	assert_string_equal(f->log, "A1 !2 D1 ");
	assert_int_equal(f->t.state, GTP_NOT_RUN);
	assert_memory_equal(ask(f, "qTStatus"), "T0;", 3);
	/* A run that never ran has no start time (tstatus would show it). */
	assert_non_null(strstr(ask(f, "qTStatus"), ";starttime:0;"));
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
	/* Bytecode names variables in 16 bits; names are hex. */
	refused(f, "QTDV:10000:0:0:41");
	refused(f, "QTDV:100000005:0:0:41");
	refused(f, "QTDV:0:0:0:41");
	refused(f, "QTDV:5:0:0:zz");
	refused(f, "QTDV:5:0:0:414");
	assert_null(gtp_trace_find_tsv(&f->t, 5));
	ok(f, "QTDV:ffff:0:0:41");
}

/* The audio collector's number is the agent's: GDB cannot define it. */
static void test_reserved_number(void **state)
{
	struct fake *f = *state;

	f->t.reserved_tp = 1000;
	f->t.reserved_why = "taken by another source";
	assert_reply(f, "QTDP:3e8:ffffffff81000000:E:0:0",
		     "E.taken by another source");
	assert_null(gtp_trace_find(&f->t, 1000));
	ok(f, "QTDP:3e7:ffffffff81000000:E:0:0");
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

/* ---- uploads ---- */

/* The agent's own variables, first in every qTfV upload. */
static const char *const special_uploads[] = {
	"7f01:0:1:6370755f6964",			/* cpu_id */
	"7f02:0:1:63757272656e745f7461736b",		/* current_task */
	"7f03:0:1:63757272656e745f7461736b5f706964",	/* current_task_pid */
	"7f04:0:1:636c6f636b",				/* clock */
	"7f05:0:1:6164756d705f70616765",		/* adump_page */
	"7f06:0:1:6164756d705f6c6f7374",		/* adump_lost */
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
		T(test_verifier_reason_in_reply),
		T(test_tfind_none_before_any_run),
		T(test_enable_failure_reason),
		T(test_qtdpsrc_checks_address),
		T(test_unknown_registers_refused),
		T(test_write_refused_in_frame),
		T(test_install_after_stop_not_armed),
		T(test_definitions_the_file_can_hold),
		T(test_reserved_number),
		T(test_detach_stops_run),
		T(test_detach_keeps_disconnected_run),
		T(test_uploads),
		T(test_enable_disable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
