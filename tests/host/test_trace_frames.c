// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a run back over a real rsp session: QTFrame in every form,
 * memory and registers of a selected frame, qXfer:traceframe-info and
 * qTBuffer.
 * The fixture (fake agent, fake memory, exchange helpers) is in
 * tests/host/trace_fixture.h.
 */
#include "tests/host/trace_fixture.h"

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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
