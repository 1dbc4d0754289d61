// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the base packets (proto/packets.c) against a fake target:
 * 64 KiB of memory at 0x1000 (byte i holds i & 0xff), optional writes,
 * optional registers, counted detaches.
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
#include "tests/host/rsp_exchange.h"

#define MEM_BASE	0x1000
#define MEM_SIZE	0x10000

struct fake {
	struct rsp_session s;
	struct rsp_target_ops ops;
	u8 mem[MEM_SIZE];
	int write_err;		/* what write_memory returns */
	bool have_regs;
	int detaches;
	int reads;
	u64 last_read_addr;
	size_t last_read_len;
};

static size_t fake_read(void *target, u64 addr, void *buf, size_t len)
{
	struct fake *f = target;
	size_t n;

	f->reads++;
	f->last_read_addr = addr;
	f->last_read_len = len;
	if (addr < MEM_BASE || addr >= MEM_BASE + MEM_SIZE)
		return 0;
	n = min_t(size_t, len, MEM_BASE + MEM_SIZE - addr);
	memcpy(buf, f->mem + (addr - MEM_BASE), n);
	return n;
}

static int fake_write(void *target, u64 addr, const void *buf, size_t len)
{
	struct fake *f = target;

	if (f->write_err)
		return f->write_err;
	if (addr < MEM_BASE || addr + len > MEM_BASE + MEM_SIZE)
		return -EFAULT;
	memcpy(f->mem + (addr - MEM_BASE), buf, len);
	return 0;
}

/* rax = 0x1122334455667788, rip = 0xffffffff81000000, the rest missing. */
static bool fake_regs(void *target, u8 *buf, u8 *valid, size_t size)
{
	struct fake *f = target;
	static const u8 rax[8] = { 0x88, 0x77, 0x66, 0x55,
				   0x44, 0x33, 0x22, 0x11 };
	static const u8 rip[8] = { 0x00, 0x00, 0x00, 0x81,
				   0xff, 0xff, 0xff, 0xff };

	assert_int_equal(size, RSP_REG_BLOCK_X86_64);
	if (!f->have_regs)
		return false;
	memcpy(buf, rax, 8);
	memset(valid, 1, 8);
	memcpy(buf + RSP_PC_OFFSET_X86_64, rip, 8);
	memset(valid + RSP_PC_OFFSET_X86_64, 1, 8);
	return true;
}

static void fake_detach(void *target)
{
	struct fake *f = target;

	f->detaches++;
}

static const char fake_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<target><architecture>i386:x86-64</architecture>\n"
	"<osabi>GNU/Linux</osabi></target>\n";

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	size_t i;

	if (!f)
		return -1;
	for (i = 0; i < MEM_SIZE; i++)
		f->mem[i] = (u8)i;
	f->ops.reg_block_size = RSP_REG_BLOCK_X86_64;
	f->ops.pc_offset = RSP_PC_OFFSET_X86_64;
	f->ops.pc_size = RSP_PC_SIZE_X86_64;
	f->ops.read_memory = fake_read;
	f->ops.read_registers = fake_regs;
	f->ops.detach = fake_detach;
	rsp_session_init(&f->s, &f->ops, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* ---- exchange helpers ---- */

/* The reply to @n payload bytes, or NULL when there was none. */
static const char *ask_bin(struct fake *f, const void *payload, size_t n)
{
	return rsp_exchange(&f->s, payload, n);
}

static const char *ask(struct fake *f, const char *payload)
{
	return ask_bin(f, payload, strlen(payload));
}

#define assert_reply(f, pkt, expect) \
	assert_string_equal(ask((f), (pkt)), (expect))

/* ---- tests ---- */

static void test_qsupported(void **state)
{
	struct fake *f = *state;
	const char *r;

	r = ask(f, "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;"
		"fork-events+;vfork-events+;exec-events+;vContSupported+;"
		"QThreadEvents+;no-resumed+;memory-tagging+;"
		"xmlRegisters=i386");
	assert_string_equal(r, "PacketSize=4000;QStartNoAckMode+");
	/* Without GDB's feature list too. */
	assert_reply(f, "qSupported", "PacketSize=4000;QStartNoAckMode+");
}

static void test_qsupported_xml(void **state)
{
	struct fake *f = *state;

	f->ops.target_xml = fake_xml;
	assert_reply(f, "qSupported:xmlRegisters=i386",
		     "PacketSize=4000;QStartNoAckMode+;qXfer:features:read+");
}

static void test_noack(void **state)
{
	struct fake *f = *state;

	assert_reply(f, "QStartNoAckMode", "OK");
	assert_true(f->s.conn.noack);
	/* ask() now checks that no '+' comes. */
	assert_reply(f, "?", "S05");
}

static void test_unknown_packets_empty(void **state)
{
	struct fake *f = *state;
	static const char *const unknown[] = {
		"vMustReplyEmpty", "vCont?", "qC", "QTFrobnicate",
		"Z0,ffffffff81000000,1", "qTVx",
		"qXfer:features:read:target.xml:0,fff",
		"qSupportedX", "gg", "qTfVx", "?x", "kx", "qAttachedX", "x", "",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		const char *r = ask(f, unknown[i]);

		assert_non_null(r);
		assert_string_equal(r, "");
	}
	assert_int_equal(f->detaches, 0);
}

static void test_base_replies(void **state)
{
	struct fake *f = *state;

	assert_reply(f, "?", "S05");
	assert_reply(f, "Hg0", "OK");
	assert_reply(f, "Hc-1", "OK");
	assert_reply(f, "Hgp1.1", "OK");
	assert_reply(f, "qAttached", "1");
	assert_reply(f, "qAttached:1", "1");
	assert_reply(f, "qfThreadInfo", "l");
	assert_reply(f, "qsThreadInfo", "l");
	assert_reply(f, "qOffsets", "Text=0;Data=0;Bss=0");
	assert_reply(f, "qSymbol::", "OK");
	assert_reply(f, "qSymbol:6a6966666965735f3634:ffffffff82000000",
		     "OK");
	assert_reply(f, "qTfV", "l");
	assert_reply(f, "qTsV", "l");
	assert_reply(f, "qTfP", "l");
	assert_reply(f, "qTsP", "l");
	assert_reply(f, "G00112233", "E01");
	assert_reply(f, "c", "E01");
	assert_reply(f, "s", "E01");
	assert_reply(f, "C05", "E01");
	assert_reply(f, "S05", "E01");
}

static void test_trace_status(void **state)
{
	struct fake *f = *state;

	/* A session without a trace experiment: never run, nothing else. */
	assert_reply(f, "qTStatus", "T0;tnotrun:0");
	assert_reply(f, "QTinit", "E01");
	assert_reply(f, "QTStart", "E01");
	assert_reply(f, "qTV:1", "E16");
}

/* ---- registers ---- */

static void test_g_unavailable(void **state)
{
	struct fake *f = *state;
	const char *r;
	size_t i;

	r = ask(f, "g");
	assert_int_equal(strlen(r), 2 * RSP_REG_BLOCK_X86_64);
	for (i = 0; i < 2 * RSP_REG_BLOCK_X86_64; i++) {
		bool pc = i >= 2 * RSP_PC_OFFSET_X86_64 &&
			  i < 2 * (RSP_PC_OFFSET_X86_64 + RSP_PC_SIZE_X86_64);

		assert_int_equal(r[i], pc ? '0' : 'x');
	}

	/* A target without the callback or without a PC: all 'x'. */
	f->ops.read_registers = NULL;
	f->ops.pc_size = 0;
	r = ask(f, "g");
	assert_int_equal(strlen(r), 2 * RSP_REG_BLOCK_X86_64);
	for (i = 0; i < 2 * RSP_REG_BLOCK_X86_64; i++)
		assert_int_equal(r[i], 'x');

	/* A PC outside the block is ignored. */
	f->ops.pc_size = 8;
	f->ops.pc_offset = RSP_REG_BLOCK_X86_64 - 4;
	r = ask(f, "g");
	for (i = 0; i < 2 * RSP_REG_BLOCK_X86_64; i++)
		assert_int_equal(r[i], 'x');
}

static void test_g_available(void **state)
{
	struct fake *f = *state;
	const char *r;
	size_t i;

	f->have_regs = true;
	r = ask(f, "g");
	assert_int_equal(strlen(r), 2 * RSP_REG_BLOCK_X86_64);
	assert_memory_equal(r, "8877665544332211xxxx", 20);
	assert_memory_equal(r + 2 * RSP_PC_OFFSET_X86_64,
			    "00000081ffffffffxx", 18);
	for (i = 16; i < 2 * RSP_PC_OFFSET_X86_64; i++)
		assert_int_equal(r[i], 'x');
	for (i = 2 * (RSP_PC_OFFSET_X86_64 + 8);
	     i < 2 * RSP_REG_BLOCK_X86_64; i++)
		assert_int_equal(r[i], 'x');
}

static void test_g_block_size_clamped(void **state)
{
	struct fake *f = *state;

	f->ops.read_registers = NULL;
	f->ops.reg_block_size = 100 * RSP_REG_BLOCK_MAX;
	assert_int_equal(strlen(ask(f, "g")), 2 * RSP_REG_BLOCK_MAX);
}

/* ---- memory reads ---- */

static void test_m_read(void **state)
{
	struct fake *f = *state;

	assert_reply(f, "m1000,8", "0001020304050607");
	assert_reply(f, "m10fe,2", "feff");
	assert_reply(f, "m1000,1", "00");
	/* Leading zeros and upper case, as GDB may send. */
	assert_reply(f, "m00000000000010FF,1", "ff");
}

static void test_m_partial_and_fault(void **state)
{
	struct fake *f = *state;

	/* Only the readable start comes back; GDB asks again for more. */
	assert_reply(f, "m10ffe,8", "feff");
	assert_reply(f, "m5000000,2", "E0e");
	assert_reply(f, "m0,1", "E0e");
	assert_reply(f, "mffffffff81000000,1", "E0e");
	/* A target without memory at all. */
	f->ops.read_memory = NULL;
	assert_reply(f, "m1000,1", "E0e");
}

static void test_m_clamped_to_reply(void **state)
{
	struct fake *f = *state;
	const char *r;

	r = ask(f, "m1000,10000");
	assert_int_equal(strlen(r), RSP_REPLY_MAX);
	assert_int_equal(f->last_read_len, RSP_REPLY_MAX / 2);
	assert_memory_equal(r + RSP_REPLY_MAX - 4, "feff", 4);

	/* A huge length is no problem either. */
	r = ask(f, "m1000,ffffffffffffffff");
	assert_int_equal(strlen(r), RSP_REPLY_MAX);
}

static void test_m_top_of_address_space(void **state)
{
	struct fake *f = *state;

	/* The read never wraps past the top of the address space. */
	assert_reply(f, "mffffffffffffffff,10", "E0e");
	assert_true(f->last_read_addr == ~(u64)0);
	assert_int_equal(f->last_read_len, 1);
	assert_reply(f, "mfffffffffffffff0,100", "E0e");
	assert_int_equal(f->last_read_len, 16);
}

static void test_m_malformed(void **state)
{
	struct fake *f = *state;
	static const char *const bad[] = {
		"m", "m1000", "m1000,", "m,8", "mzz,1", "m1000,8x",
		"m1000;8", "m10000000000000000,1", "m1000,10000000000000000",
		"m-1,1",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_string_equal(ask(f, bad[i]), "E16");
	assert_int_equal(f->reads, 0);
}

static void test_m_zero_length(void **state)
{
	struct fake *f = *state;

	assert_reply(f, "m1000,0", "");
	assert_int_equal(f->reads, 0);
}

/* ---- memory writes ---- */

static void test_writes_refused_by_default(void **state)
{
	struct fake *f = *state;
	static const u8 x[] = { 'X', '1', '0', '0', '0', ',', '2', ':',
				0xaa, 0xbb };

	assert_reply(f, "M1000,2:aabb", "E01");
	assert_string_equal(ask_bin(f, x, sizeof(x)), "E01");
	assert_int_equal(f->mem[0], 0);
	assert_int_equal(f->mem[1], 1);
	/* GDB's X probe is answered OK so it uses X (and sees E01). */
	assert_reply(f, "X1000,0:", "OK");
}

static void test_write_hex(void **state)
{
	struct fake *f = *state;

	f->ops.write_memory = fake_write;
	assert_reply(f, "M1001,3:a1B2c3", "OK");
	assert_memory_equal(f->mem, "\x00\xa1\xb2\xc3\x04", 5);
	assert_reply(f, "m1000,5", "00a1b2c304");
	assert_reply(f, "M1000,0:", "OK");
	/* Malformed: length mismatch, bad digits, no colon. */
	assert_reply(f, "M1000,2:aa", "E16");
	assert_reply(f, "M1000,1:aabb", "E16");
	assert_reply(f, "M1000,1:zz", "E16");
	assert_reply(f, "M1000,1", "E16");
	assert_reply(f, "M1000,8000000000000001:aa", "E16");
	assert_int_equal(f->mem[0], 0);
	/* Target errors. */
	assert_reply(f, "M500000,1:aa", "E0e");
	assert_reply(f, "Mffffffffffffffff,2:aabb", "E0e");
	f->write_err = -EPERM;
	assert_reply(f, "M1000,1:aa", "E01");
	f->write_err = -EIO;
	assert_reply(f, "M1000,1:aa", "E0e");
}

static void test_write_binary(void **state)
{
	struct fake *f = *state;
	/* Wire form: the bytes '$', '#', '}', '*' are escaped. */
	static const u8 wire[] = {
		'X', '1', '0', '0', '0', ',', '6', ':',
		'}', '$' ^ 0x20, '}', '#' ^ 0x20, '}', '}' ^ 0x20,
		'}', '*' ^ 0x20, 0x00, 0xff,
	};
	static const u8 short_data[] = { 'X', '1', '0', '0', '0', ',', '3',
					 ':', 0x01, 0x02 };

	f->ops.write_memory = fake_write;
	assert_string_equal(ask_bin(f, wire, sizeof(wire)), "OK");
	assert_memory_equal(f->mem, "$#}*\x00\xff\x06", 7);
	assert_string_equal(ask_bin(f, short_data, sizeof(short_data)),
			    "E16");
	assert_reply(f, "X1000,1", "E16");
}

/* ---- detach ---- */

static void test_detach(void **state)
{
	struct fake *f = *state;

	assert_false(f->s.detached);
	assert_reply(f, "D", "OK");
	assert_int_equal(f->detaches, 1);
	assert_true(f->s.detached);
	/* Once only, whatever GDB sends after. */
	assert_reply(f, "D;1", "OK");
	assert_int_equal(f->detaches, 1);
}

static void test_kill_has_no_reply(void **state)
{
	struct fake *f = *state;

	assert_null(ask(f, "k"));
	assert_int_equal(f->detaches, 1);
	assert_true(f->s.detached);
}

static void test_detach_callback_optional(void **state)
{
	struct fake *f = *state;

	f->ops.detach = NULL;
	assert_reply(f, "D;1", "OK");
	assert_true(f->s.detached);
}

/* ---- qXfer:features ---- */

static void test_xfer_features(void **state)
{
	struct fake *f = *state;
	size_t n = strlen(fake_xml);
	char expect[256], pkt[64];

	f->ops.target_xml = fake_xml;
	snprintf(expect, sizeof(expect), "l%s", fake_xml);
	assert_reply(f, "qXfer:features:read:target.xml:0,fff", expect);

	/* In pieces: 'm' while more follows, 'l' for the last one. */
	snprintf(expect, sizeof(expect), "m%.10s", fake_xml);
	assert_reply(f, "qXfer:features:read:target.xml:0,a", expect);
	snprintf(expect, sizeof(expect), "l%s", fake_xml + 10);
	assert_reply(f, "qXfer:features:read:target.xml:a,1000", expect);
	snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,10",
		 n - 1);
	assert_reply(f, pkt, "l\n");
	snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,10",
		 n);
	assert_reply(f, pkt, "l");
	assert_reply(f, "qXfer:features:read:target.xml:1000,10", "l");

	assert_reply(f, "qXfer:features:read:other.xml:0,10", "E16");
	assert_reply(f, "qXfer:features:read:target.xml:0", "E16");
	assert_reply(f, "qXfer:features:read:target.xml:", "E16");
	assert_reply(f, "qXfer:features:read", "E16");
}

static void test_xfer_escapes(void **state)
{
	struct fake *f = *state;

	/* Text with protocol characters goes through escaped. */
	f->ops.target_xml = "<!-- $#}* -->";
	assert_reply(f, "qXfer:features:read:target.xml:0,100",
		     "l<!-- $#}* -->");
}

/* ---- interrupt ---- */

static void test_ctrl_c_stop_reply(void **state)
{
	struct fake *f = *state;
	char out[32];
	size_t n;

	assert_int_equal(rsp_input(&f->s.conn, (const u8 *)"\x03", 1), 1);
	n = rsp_output(&f->s.conn, (u8 *)out, sizeof(out));
	assert_int_equal(rsp_parse_reply(out, n), n);
	assert_string_equal(rsp_reply, "S02");
}

/* ---- the whole connect sequence ---- */

struct exchange {
	const char *pkt;
	const char *reply;	/* NULL: check separately */
};

/* What GDB 13 sends while connecting to a vmlinux, and what it accepts. */
static const struct exchange connect_seq[] = {
	{ "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;"
	  "fork-events+;vfork-events+;exec-events+;vContSupported+;"
	  "QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386",
	  "PacketSize=4000;QStartNoAckMode+" },
	{ "vMustReplyEmpty", "" },
	{ "QStartNoAckMode", "OK" },
	{ "Hg0", "OK" },
	{ "qTStatus", "T0;tnotrun:0" },
	{ "qTfV", "l" },
	{ "?", "S05" },
	{ "qfThreadInfo", "l" },
	{ "qAttached", "1" },
	{ "Hc-1", "OK" },
	{ "qC", "" },
	{ "qOffsets", "Text=0;Data=0;Bss=0" },
	{ "g", NULL },
	{ "m1000,40", NULL },
	{ "m0,1", "E0e" },
	{ "qSymbol::", "OK" },
	{ "qTStatus", "T0;tnotrun:0" },
	{ "qTfP", "l" },
};

static void check_connect_reply(size_t i, const char *r)
{
	if (connect_seq[i].reply) {
		assert_string_equal(r, connect_seq[i].reply);
	} else if (!strcmp(connect_seq[i].pkt, "g")) {
		assert_int_equal(strlen(r), 2 * RSP_REG_BLOCK_X86_64);
		assert_memory_equal(r + 2 * RSP_PC_OFFSET_X86_64,
				    "0000000000000000", 16);
	} else {
		assert_int_equal(strlen(r), 0x80);
		assert_memory_equal(r, "000102", 6);
	}
}

static void test_connect_sequence(void **state)
{
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(connect_seq); i++) {
		const char *r = ask(f, connect_seq[i].pkt);

		assert_non_null(r);
		check_connect_reply(i, r);
	}
	assert_true(f->s.conn.noack);
	assert_int_equal(f->s.conn.stats.packets, ARRAY_SIZE(connect_seq));
}

static void test_connect_sequence_at_once(void **state)
{
	struct fake *f = *state;
	static char in[8192], out[16384];
	size_t len = 0, out_len, pos, i;

	/* GDB pipelines nothing, but a bridge may deliver it in one piece. */
	in[len++] = '+';
	for (i = 0; i < ARRAY_SIZE(connect_seq); i++) {
		len += frame(in + len, connect_seq[i].pkt,
			     strlen(connect_seq[i].pkt));
		if (i < 3)
			in[len++] = '+';
	}
	assert_int_equal(rsp_input(&f->s.conn, (u8 *)in, len), len);
	out_len = rsp_output(&f->s.conn, (u8 *)out, sizeof(out));
	assert_int_equal(rsp_output_pending(&f->s.conn), 0);

	for (pos = 0, i = 0; i < ARRAY_SIZE(connect_seq); i++) {
		/* Acks up to and including QStartNoAckMode's. */
		if (i < 3) {
			assert_int_equal(out[pos], '+');
			pos++;
		}
		pos += rsp_parse_reply(out + pos, out_len - pos);
		check_connect_reply(i, rsp_reply);
	}
	assert_int_equal(pos, out_len);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_qsupported),
		T(test_qsupported_xml),
		T(test_noack),
		T(test_unknown_packets_empty),
		T(test_base_replies),
		T(test_trace_status),
		T(test_g_unavailable),
		T(test_g_available),
		T(test_g_block_size_clamped),
		T(test_m_read),
		T(test_m_partial_and_fault),
		T(test_m_clamped_to_reply),
		T(test_m_top_of_address_space),
		T(test_m_malformed),
		T(test_m_zero_length),
		T(test_writes_refused_by_default),
		T(test_write_hex),
		T(test_write_binary),
		T(test_detach),
		T(test_kill_has_no_reply),
		T(test_detach_callback_optional),
		T(test_xfer_features),
		T(test_xfer_escapes),
		T(test_ctrl_c_stop_reply),
		T(test_connect_sequence),
		T(test_connect_sequence_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
