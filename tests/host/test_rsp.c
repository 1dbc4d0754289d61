// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the packet stream (proto/rsp.c): framing, checksums, acks,
 * no-ack mode, escapes, chunking, flow control, resends and Ctrl-C.
 *
 * The packet handler here is a probe: it records every packet and answers
 * according to the payload's first byte (see probe_packet()).
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
#include "proto/rsp.h"
#include "tests/host/rsp_frame.h"

#define LOG_MAX		(1 << 20)
#define OUT_MAX		(1 << 20)

struct probe {
	struct rsp_conn conn;
	int packets;
	int interrupts;
	/* Every packet received: 4-byte length, then the payload. */
	u8 log[LOG_MAX];
	size_t log_len;
	char last[RSP_PACKET_MAX + 1];
	size_t last_len;
};

/*
 * Replies by first payload byte:
 *   'N'  enter no-ack mode, reply OK
 *   'Z'  no reply at all
 *   'B'  echo the rest of the payload as binary
 *   'F'  a reply of exactly RSP_REPLY_MAX bytes
 *   'O'  overflow the reply
 *   else "L<payload length in hex>"
 */
static void probe_packet(void *ctx, struct rsp_conn *c, char *pkt, size_t len)
{
	struct probe *p = ctx;
	u32 n = (u32)len;

	assert_ptr_equal(c, &p->conn);
	assert_int_equal(pkt[len], '\0');
	p->packets++;
	memcpy(p->last, pkt, len + 1);
	p->last_len = len;
	assert_true(p->log_len + 4 + len <= LOG_MAX);
	memcpy(p->log + p->log_len, &n, 4);
	memcpy(p->log + p->log_len + 4, pkt, len);
	p->log_len += 4 + len;

	switch (len ? pkt[0] : 0) {
	case 'N':
		rsp_reply_ok(c);
		rsp_set_noack(c);
		break;
	case 'Z':
		rsp_reply_none(c);
		break;
	case 'B':
		assert_int_equal(rsp_reply_bin(c, pkt + 1, len - 1), len - 1);
		break;
	case 'F':
		while (rsp_reply_room(c))
			assert_true(rsp_reply_char(c, 'a'));
		assert_false(rsp_reply_char(c, 'a'));
		/* The failed append marked the reply; start it again. */
		rsp_reply_reset(c);
		while (rsp_reply_room(c))
			rsp_reply_char(c, 'a');
		break;
	case 'O':
		while (rsp_reply_str(c, "0123456789"))
			;
		break;
	default:
		rsp_reply_char(c, 'L');
		rsp_reply_u64(c, len);
		break;
	}
}

static void probe_interrupt(void *ctx, struct rsp_conn *c)
{
	struct probe *p = ctx;

	p->interrupts++;
	rsp_reply_str(c, "S02");
}

static const struct rsp_handlers probe_handlers = {
	.packet = probe_packet,
	.interrupt = probe_interrupt,
};

static const struct rsp_handlers packet_only_handlers = {
	.packet = probe_packet,
};

static int setup(void **state)
{
	struct probe *p = calloc(1, sizeof(*p));

	if (!p)
		return -1;
	rsp_init(&p->conn, &probe_handlers, p);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* ---- helpers ---- */

static size_t frame_str(char *out, const char *payload)
{
	return frame(out, payload, strlen(payload));
}

/* Feed everything, asserting it is all consumed. */
static void feed(struct probe *p, const void *buf, size_t len)
{
	assert_int_equal(rsp_input(&p->conn, buf, len), len);
}

static void feed_str(struct probe *p, const char *s)
{
	feed(p, s, strlen(s));
}

static void feed_packet(struct probe *p, const char *payload)
{
	char buf[256];

	assert_true(strlen(payload) + 5 <= sizeof(buf));
	feed(p, buf, frame_str(buf, payload));
}

/* Drain all output into a NUL-terminated static buffer. */
static const char *drain(struct probe *p)
{
	static char out[OUT_MAX + 1];
	size_t n;

	n = rsp_output(&p->conn, (u8 *)out, OUT_MAX);
	assert_int_equal(rsp_output_pending(&p->conn), 0);
	out[n] = '\0';
	return out;
}

/* The framed form of reply @payload, for comparisons. */
static const char *framed(const char *payload)
{
	static char buf[RSP_REPLY_MAX + 8];

	frame_str(buf, payload);
	return buf;
}

static const char *ack_framed(const char *payload)
{
	static char buf[RSP_REPLY_MAX + 8];

	buf[0] = '+';
	frame_str(buf + 1, payload);
	return buf;
}

/* ---- framing ---- */

static void test_good_packet(void **state)
{
	struct probe *p = *state;

	feed_str(p, "$qC#b4");
	assert_int_equal(p->packets, 1);
	assert_string_equal(p->last, "qC");
	assert_string_equal(drain(p), ack_framed("L2"));
	assert_int_equal(p->conn.stats.packets, 1);
}

static void test_checksum_upper_case(void **state)
{
	struct probe *p = *state;

	feed_str(p, "$qTfV#81$vMustReplyEmpty#3A");
	assert_int_equal(p->packets, 2);
	assert_string_equal(p->last, "vMustReplyEmpty");
}

static void test_empty_packet(void **state)
{
	struct probe *p = *state;

	feed_str(p, "$#00");
	assert_int_equal(p->packets, 1);
	assert_int_equal(p->last_len, 0);
	assert_string_equal(drain(p), ack_framed("L0"));
}

static void test_bad_checksum(void **state)
{
	struct probe *p = *state;

	feed_str(p, "$qC#b5");
	assert_int_equal(p->packets, 0);
	assert_string_equal(drain(p), "-");
	/* Not hex at all. */
	feed_str(p, "$qC#zz");
	feed_str(p, "$qC#b");
	feed_str(p, "g");
	assert_int_equal(p->packets, 0);
	assert_string_equal(drain(p), "--");
	assert_int_equal(p->conn.stats.bad_checksum, 3);
	/* The resent packet goes through. */
	feed_str(p, "$qC#b4");
	assert_int_equal(p->packets, 1);
	assert_string_equal(drain(p), ack_framed("L2"));
}

static void test_noack_mode(void **state)
{
	struct probe *p = *state;

	feed_packet(p, "N");
	/* The mode packet itself is still acknowledged. */
	assert_string_equal(drain(p), ack_framed("OK"));
	assert_true(p->conn.noack);
	/* That reply went out in ack mode: GDB may still ask for it again. */
	feed_str(p, "-");
	assert_string_equal(drain(p), framed("OK"));
	feed_str(p, "+-");
	assert_string_equal(drain(p), "");

	feed_str(p, "$qC#b4");
	assert_string_equal(drain(p), framed("L2"));
	/* A bad packet is dropped without a word, not run. */
	feed_str(p, "$qC#00");
	assert_string_equal(drain(p), "");
	assert_int_equal(p->packets, 2);
	assert_int_equal(p->conn.stats.bad_checksum, 1);
	/* Acks from GDB are ignored, '-' resends nothing. */
	feed_str(p, "+-+-");
	assert_string_equal(drain(p), "");
	assert_int_equal(p->conn.stats.retransmits, 1);
}

/*
 * Behind a bridge the agent never sees GDB reconnect; the next GDB starts
 * in ack mode with qSupported and must be acked, or it times out.
 */
static void test_new_gdb_after_noack(void **state)
{
	struct probe *p = *state;

	feed_packet(p, "N");
	drain(p);
	feed_str(p, "+");
	feed_packet(p, "qC");
	assert_string_equal(drain(p), framed("L2"));
	feed_packet(p, "qSupported:multiprocess+");
	assert_false(p->conn.noack);
	assert_string_equal(drain(p), ack_framed("L18"));
	/* Back in ack mode: a lost reply can be asked for again. */
	feed_str(p, "-");
	assert_string_equal(drain(p), framed("L18"));
}

static void test_escape_decoding(void **state)
{
	struct probe *p = *state;
	/* X-style payload: '$' '#' '}' '*' escaped, 0x00, 0x03 and 0xff raw. */
	static const u8 wire[] = {
		'X', '1', ',', '7', ':',
		'}', '$' ^ 0x20, '}', '#' ^ 0x20, '}', '}' ^ 0x20,
		'}', '*' ^ 0x20, 0x00, 0x03, 0xff,
	};
	static const u8 decoded[] = {
		'X', '1', ',', '7', ':', '$', '#', '}', '*', 0x00, 0x03, 0xff,
	};
	char buf[64];

	feed(p, buf, frame(buf, wire, sizeof(wire)));
	assert_int_equal(p->packets, 1);
	assert_int_equal(p->last_len, sizeof(decoded));
	assert_memory_equal(p->last, decoded, sizeof(decoded));
	assert_string_equal(drain(p), ack_framed("Lc"));
}

static void test_escaped_any_byte(void **state)
{
	struct probe *p = *state;
	/* Escaping a byte that need not be is still decoded. */
	static const u8 wire[] = { 'a', '}', 'a' ^ 0x20, '}', 0x20 };
	char buf[32];

	feed(p, buf, frame(buf, wire, sizeof(wire)));
	assert_int_equal(p->last_len, 3);
	assert_memory_equal(p->last, "aa\0", 3);
}

static void test_reply_escaping(void **state)
{
	struct probe *p = *state;
	static const u8 wire[] = {
		'B', '}', '$' ^ 0x20, '}', '#' ^ 0x20, '}', '}' ^ 0x20,
		'}', '*' ^ 0x20, 0x00, 0x7f, 0xff,
	};
	static const u8 expect_payload[] = {
		'}', '$' ^ 0x20, '}', '#' ^ 0x20, '}', '}' ^ 0x20,
		'}', '*' ^ 0x20, 0x00, 0x7f, 0xff,
	};
	char buf[64], expect[64];
	const char *out;
	size_t n;

	feed(p, buf, frame(buf, wire, sizeof(wire)));
	n = frame(expect + 1, expect_payload, sizeof(expect_payload));
	expect[0] = '+';
	out = drain(p);
	assert_memory_equal(out, expect, n + 1);
	/* No raw '*' (run-length) and no raw '#' before the trailer. */
	assert_null(memchr(out, '*', n + 1));
	assert_ptr_equal(memchr(out, '#', n + 1), out + n - 2);
}

static void test_rle_rejected(void **state)
{
	struct probe *p = *state;

	/* "0* " would be run-length "0000" from a stub; GDB never sends it. */
	feed_packet(p, "m0* ");
	assert_int_equal(p->packets, 0);
	assert_string_equal(drain(p), ack_framed("E16"));
	assert_int_equal(p->conn.stats.rejected, 1);
	/* And the stream goes on. */
	feed_packet(p, "qC");
	assert_string_equal(drain(p), ack_framed("L2"));
}

static void test_escape_at_end_rejected(void **state)
{
	struct probe *p = *state;

	feed_packet(p, "X0,1:}");
	assert_int_equal(p->packets, 0);
	assert_string_equal(drain(p), ack_framed("E16"));
}

static void test_garbage_skipped(void **state)
{
	struct probe *p = *state;

	feed_str(p, "hello\r\n#00qC#b4\x7f$qC#b4junk");
	assert_int_equal(p->packets, 1);
	assert_string_equal(p->last, "qC");
	assert_string_equal(drain(p), ack_framed("L2"));
	assert_int_equal(p->conn.stats.garbage, 20);
}

static void test_dollar_restarts_packet(void **state)
{
	struct probe *p = *state;

	/* Cut short in the payload, then in the checksum. */
	feed_str(p, "$qSupp$qC#b4$qC#b$qTfV#81");
	assert_int_equal(p->packets, 2);
	assert_string_equal(p->last, "qTfV");
	assert_int_equal(p->conn.stats.truncated, 2);
	assert_string_equal(drain(p),
			    "+$L2#7e+$L4#80");
}

static void test_ctrl_c(void **state)
{
	struct probe *p = *state;
	static const u8 in_packet[] = { '$', 'a', 0x03, 'b', '#', 'c', '6' };

	feed_str(p, "\x03");
	assert_int_equal(p->interrupts, 1);
	assert_string_equal(drain(p), framed("S02"));

	/* Inside a packet it is data. */
	feed(p, in_packet, sizeof(in_packet));
	assert_int_equal(p->interrupts, 1);
	assert_int_equal(p->packets, 1);
	assert_memory_equal(p->last, "a\003b", 3);
	assert_string_equal(drain(p), ack_framed("L3"));
	assert_int_equal(p->conn.stats.interrupts, 1);
}

static void test_ctrl_c_without_handler(void **state)
{
	struct probe *p = *state;

	rsp_init(&p->conn, &packet_only_handlers, p);
	feed_str(p, "\x03$qC#b4");
	assert_string_equal(drain(p), ack_framed("L2"));
	assert_int_equal(p->conn.stats.interrupts, 1);
}

/* ---- over-long packets ---- */

static char *big_packet(size_t payload_len, char fill, bool good_csum,
			size_t *len)
{
	char *buf = malloc(payload_len + 5);
	char *payload = malloc(payload_len);

	assert_non_null(buf);
	assert_non_null(payload);
	memset(payload, fill, payload_len);
	*len = frame(buf, payload, payload_len);
	if (!good_csum)
		buf[*len - 1] = buf[*len - 1] == '0' ? '1' : '0';
	free(payload);
	return buf;
}

static void test_overlong_rejected(void **state)
{
	struct probe *p = *state;
	size_t len;
	char *buf;

	buf = big_packet(RSP_PACKET_MAX + 1, 'q', true, &len);
	feed(p, buf, len);
	free(buf);
	assert_int_equal(p->packets, 0);
	assert_string_equal(drain(p), ack_framed("E07"));
	assert_int_equal(p->conn.stats.rejected, 1);

	/* Much longer, one byte at a time: nothing is kept. */
	buf = big_packet(5 * RSP_PACKET_MAX, 'q', true, &len);
	for (size_t i = 0; i < len; i++)
		feed(p, buf + i, 1);
	free(buf);
	assert_string_equal(drain(p), ack_framed("E07"));

	/* With a bad checksum it is a plain NAK. */
	buf = big_packet(RSP_PACKET_MAX + 100, 'q', false, &len);
	feed(p, buf, len);
	free(buf);
	assert_string_equal(drain(p), "-");

	/* The state is intact: the next packet is served, ... */
	feed_packet(p, "qC");
	assert_int_equal(p->packets, 1);
	assert_string_equal(drain(p), ack_framed("L2"));

	/* ... and one of exactly RSP_PACKET_MAX bytes is accepted. */
	buf = big_packet(RSP_PACKET_MAX, 'q', true, &len);
	feed(p, buf, len);
	free(buf);
	assert_int_equal(p->packets, 2);
	assert_int_equal(p->last_len, RSP_PACKET_MAX);
	assert_string_equal(drain(p), ack_framed("L4000"));
}

static void test_escaped_packet_max(void **state)
{
	struct probe *p = *state;
	/* Wire payload twice RSP_PACKET_MAX, decoded exactly the maximum. */
	size_t n = RSP_PACKET_MAX, i;
	u8 *wire = malloc(2 * n);
	char *buf = malloc(2 * n + 5);

	assert_non_null(wire);
	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		wire[2 * i] = '}';
		wire[2 * i + 1] = '#' ^ 0x20;
	}
	feed(p, buf, frame(buf, wire, 2 * n));
	assert_int_equal(p->packets, 1);
	assert_int_equal(p->last_len, n);
	assert_int_equal(p->last[0], '#');
	assert_int_equal(p->last[n - 1], '#');
	free(wire);
	free(buf);
}

/* ---- resends ---- */

static void test_nak_resends_last_reply(void **state)
{
	struct probe *p = *state;

	/* Nothing sent yet: nothing to resend. */
	feed_str(p, "-");
	assert_string_equal(drain(p), "");

	feed_packet(p, "qC");
	assert_string_equal(drain(p), ack_framed("L2"));
	feed_str(p, "-");
	assert_string_equal(drain(p), framed("L2"));
	/* Each '-' gets one resend. */
	feed_str(p, "-");
	assert_string_equal(drain(p), framed("L2"));
	assert_int_equal(p->conn.stats.retransmits, 2);
	/* Once confirmed, a stray '-' resends nothing. */
	feed_str(p, "+-");
	assert_string_equal(drain(p), "");
	assert_int_equal(p->conn.stats.retransmits, 2);
	/* The handler ran once. */
	assert_int_equal(p->packets, 1);
}

static void test_nak_after_no_reply(void **state)
{
	struct probe *p = *state;

	feed_packet(p, "qC");
	feed_packet(p, "Z");
	assert_string_equal(drain(p), "+$L2#7e+");
	/* The 'Z' packet had no reply: the older one is not resent. */
	feed_str(p, "-");
	assert_string_equal(drain(p), "");
}

static void test_nak_resends_stop_reply(void **state)
{
	struct probe *p = *state;

	feed_str(p, "\x03-");
	assert_string_equal(drain(p), "$S02#b5$S02#b5");
}

/* ---- replies ---- */

static void test_reply_none(void **state)
{
	struct probe *p = *state;

	feed_packet(p, "Z");
	assert_int_equal(p->packets, 1);
	assert_string_equal(drain(p), "+");
}

static void test_reply_full_and_overflow(void **state)
{
	struct probe *p = *state;
	const char *out;

	feed_packet(p, "F");
	out = drain(p);
	assert_int_equal(strlen(out), 1 + RSP_FRAME_BYTES + RSP_REPLY_MAX);
	assert_int_equal(p->conn.stats.reply_overflows, 0);

	feed_packet(p, "O");
	assert_string_equal(drain(p), ack_framed("E07"));
	assert_int_equal(p->conn.stats.reply_overflows, 1);
}

static void test_reply_helpers(void **state)
{
	struct probe *p = *state;
	struct rsp_conn *c = &p->conn;
	static const u8 bytes[] = { 0x00, 0x0f, 0xa5, 0xff };

	rsp_reply_reset(c);
	assert_true(rsp_reply_u64(c, 0));
	assert_true(rsp_reply_char(c, ' '));
	assert_true(rsp_reply_u64(c, 0x1234abcd));
	assert_true(rsp_reply_char(c, ' '));
	assert_true(rsp_reply_u64(c, ~(u64)0));
	assert_true(rsp_reply_char(c, ' '));
	assert_true(rsp_reply_hex(c, bytes, sizeof(bytes)));
	assert_true(rsp_reply_str(c, " a#b"));
	assert_int_equal(c->reply_len, 41);
	assert_memory_equal(c->reply,
			    "0 1234abcd ffffffffffffffff 000fa5ff a}\003b",
			    41);
	assert_false(c->reply_overflow);

	rsp_reply_error(c, 0x0e);
	assert_int_equal(c->reply_len, 3);
	assert_memory_equal(c->reply, "E0e", 3);
	rsp_reply_ok(c);
	assert_memory_equal(c->reply, "OK", 2);

	/* All or nothing near the end. */
	rsp_reply_reset(c);
	while (rsp_reply_room(c) > 3)
		rsp_reply_char(c, 'x');
	assert_false(rsp_reply_str(c, "1234"));
	assert_int_equal(rsp_reply_room(c), 3);
	assert_true(c->reply_overflow);
	rsp_reply_reset(c);
	while (rsp_reply_room(c) > 3)
		rsp_reply_char(c, 'x');
	assert_false(rsp_reply_hex(c, bytes, 2));
	assert_int_equal(rsp_reply_room(c), 3);
	rsp_reply_reset(c);
	while (rsp_reply_room(c) > 1)
		rsp_reply_char(c, 'x');
	/* An escaped byte needs two. */
	assert_false(rsp_reply_char(c, '#'));
	assert_int_equal(rsp_reply_bin(c, "a#", 2), 1);
	assert_int_equal(rsp_reply_room(c), 0);
}

/* ---- chunking and flow control ---- */

/* What GDB 13 sends while connecting (with its acks), as recorded. */
static const char *const connect_packets[] = {
	"qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;"
	"fork-events+;vfork-events+;exec-events+;vContSupported+;"
	"QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386",
	"vMustReplyEmpty", "Hg0", "qTStatus", "qTfV", "?", "qfThreadInfo",
	"qAttached", "Hc-1", "qOffsets", "g", "mffffffff81000000,1",
	"qSymbol::", "qTStatus", "qTfP",
};

static size_t connect_stream(char *buf)
{
	size_t n = 0, i;

	buf[n++] = '+';
	for (i = 0; i < ARRAY_SIZE(connect_packets); i++) {
		n += frame_str(buf + n, connect_packets[i]);
		buf[n++] = '+';
	}
	return n;
}

struct run {
	char out[8192];
	size_t out_len;
	u8 log[4096];
	size_t log_len;
};

/* Feed @in in chunks from @chunk(i), draining every @drain_every bytes. */
static void run_chunked(const char *in, size_t len,
			size_t (*chunk)(size_t i, size_t left), struct run *r)
{
	struct probe *p = calloc(1, sizeof(*p));
	size_t pos = 0, i = 0;

	assert_non_null(p);
	rsp_init(&p->conn, &probe_handlers, p);
	while (pos < len) {
		size_t n = chunk(i++, len - pos);

		feed(p, in + pos, n);
		pos += n;
		r->out_len += rsp_output(&p->conn, (u8 *)r->out + r->out_len,
					 sizeof(r->out) - r->out_len);
	}
	assert_int_equal(rsp_output_pending(&p->conn), 0);
	assert_true(p->log_len <= sizeof(r->log));
	memcpy(r->log, p->log, p->log_len);
	r->log_len = p->log_len;
	free(p);
}

static size_t split_at;

static size_t chunk_all(size_t i, size_t left)
{
	return left;
}

static size_t chunk_one(size_t i, size_t left)
{
	return 1;
}

static size_t chunk_split(size_t i, size_t left)
{
	return i == 0 && split_at && split_at < left ? split_at : left;
}

static u32 lcg = 12345;

static size_t chunk_random(size_t i, size_t left)
{
	lcg = lcg * 1103515245 + 12345;
	return min_t(size_t, left, 1 + (lcg >> 16) % 37);
}

static void assert_same_run(const struct run *a, const struct run *b)
{
	assert_int_equal(a->out_len, b->out_len);
	assert_memory_equal(a->out, b->out, a->out_len);
	assert_int_equal(a->log_len, b->log_len);
	assert_memory_equal(a->log, b->log, a->log_len);
}

static void test_every_chunking(void **state)
{
	static struct run whole, other;
	static char in[4096];
	size_t len = connect_stream(in), n, k;

	memset(&whole, 0, sizeof(whole));
	run_chunked(in, len, chunk_all, &whole);
	/* Fifteen packets, fifteen acks and replies. */
	for (n = 0, k = 0; k < whole.out_len; k++)
		n += whole.out[k] == '$';
	assert_int_equal(n, ARRAY_SIZE(connect_packets));
	assert_int_equal(whole.out[0], '+');

	memset(&other, 0, sizeof(other));
	run_chunked(in, len, chunk_one, &other);
	assert_same_run(&whole, &other);

	for (split_at = 1; split_at < len; split_at++) {
		memset(&other, 0, sizeof(other));
		run_chunked(in, len, chunk_split, &other);
		assert_same_run(&whole, &other);
	}
	for (k = 0; k < 50; k++) {
		memset(&other, 0, sizeof(other));
		run_chunked(in, len, chunk_random, &other);
		assert_same_run(&whole, &other);
	}
}

static void test_flow_control(void **state)
{
	struct probe *p = *state;
	static char in[64 * 8];
	static u8 out[16 * (RSP_EVENT_MAX + 1)];
	size_t len = 0, pos = 0, got = 0, k, stalls = 0;

	/* Sixteen packets, each answered with a full-size reply. */
	for (k = 0; k < 16; k++)
		len += frame_str(in + len, "F");
	while (pos < len) {
		size_t n = rsp_input(&p->conn, (const u8 *)in + pos, len - pos);

		assert_true(rsp_output_pending(&p->conn) <= RSP_OUTQ_SIZE);
		if (pos + n < len) {
			stalls++;
			/* Stopped for lack of room, not for nothing. */
			assert_true(RSP_OUTQ_SIZE -
				    rsp_output_pending(&p->conn) <
				    RSP_EVENT_MAX);
		}
		pos += n;
		/* Drain in odd sizes, across the ring's end. */
		got += rsp_output(&p->conn, out + got, 7777);
	}
	while (rsp_output_pending(&p->conn))
		got += rsp_output(&p->conn, out + got, 7777);
	assert_true(stalls > 0);
	assert_int_equal(p->packets, 16);
	assert_int_equal(got, 16 * (1 + RSP_FRAME_BYTES + RSP_REPLY_MAX));
	for (k = 0; k < 16; k++) {
		const u8 *r = out + k * (1 + RSP_FRAME_BYTES + RSP_REPLY_MAX);

		assert_int_equal(r[0], '+');
		assert_int_equal(r[1], '$');
		assert_int_equal(r[2], 'a');
		assert_int_equal(r[2 + RSP_REPLY_MAX - 1], 'a');
		assert_int_equal(r[2 + RSP_REPLY_MAX], '#');
	}
}

static void test_flow_control_ctrl_c_and_nak(void **state)
{
	struct probe *p = *state;
	static const u8 more[] = { 0x03, '-' };

	/* Fill the queue until one more answer would not fit. */
	while (RSP_OUTQ_SIZE - rsp_output_pending(&p->conn) >= RSP_EVENT_MAX)
		feed_packet(p, "F");
	/* Bytes that answer wait; a new packet's first bytes do not. */
	assert_int_equal(rsp_input(&p->conn, more, sizeof(more)), 0);
	assert_int_equal(rsp_input(&p->conn, (const u8 *)"$qC#b4", 6), 5);
	assert_int_equal(rsp_input(&p->conn, (const u8 *)"4", 1), 0);
	drain(p);
	assert_int_equal(rsp_input(&p->conn, (const u8 *)"4", 1), 1);
	assert_int_equal(rsp_input(&p->conn, more, sizeof(more)), 2);
	assert_string_equal(drain(p), "+$L2#7e$S02#b5$S02#b5");
}

static void test_output_byte_by_byte(void **state)
{
	struct probe *p = *state;
	char buf[64];
	size_t n = 0;
	u8 b;

	feed_packet(p, "qC");
	feed_packet(p, "qTfV");
	while (rsp_output(&p->conn, &b, 1) == 1)
		buf[n++] = (char)b;
	buf[n] = '\0';
	assert_string_equal(buf, "+$L2#7e+$L4#80");
	assert_int_equal(rsp_output(&p->conn, &b, 1), 0);
}

/* ---- hex ---- */

static void test_hex(void **state)
{
	const char *s, *num = "ffffffffffffffff", *big = "10000000000000000";
	u8 bytes[4];
	char buf[17];
	u64 v;

	s = num;
	assert_true(rsp_parse_u64(&s, num + 16, &v));
	assert_true(v == ~(u64)0);
	assert_ptr_equal(s, num + 16);
	s = big;
	assert_false(rsp_parse_u64(&s, big + 17, &v));
	s = "00000000000000000001,";
	assert_true(rsp_parse_u64(&s, s + 21, &v));
	assert_true(v == 1);
	assert_int_equal(*s, ',');
	s = ",1";
	assert_false(rsp_parse_u64(&s, s + 2, &v));
	s = "1";
	assert_false(rsp_parse_u64(&s, s, &v));
	s = "aBc";
	assert_true(rsp_parse_u64(&s, s + 2, &v));
	assert_true(v == 0xab);

	assert_true(rsp_hex_decode(bytes, "00fFa51e", 4));
	assert_memory_equal(bytes, "\x00\xff\xa5\x1e", 4);
	assert_false(rsp_hex_decode(bytes, "0g", 1));
	assert_int_equal(rsp_fmt_u64(buf, 0), 1);
	assert_string_equal(buf, "0");
	assert_int_equal(rsp_fmt_u64(buf, 0x10), 2);
	assert_string_equal(buf, "10");
	assert_int_equal(rsp_hex_val('G'), -1);
	assert_int_equal(rsp_hex_val('F'), 15);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_good_packet),
		T(test_checksum_upper_case),
		T(test_empty_packet),
		T(test_bad_checksum),
		T(test_noack_mode),
		T(test_new_gdb_after_noack),
		T(test_escape_decoding),
		T(test_escaped_any_byte),
		T(test_reply_escaping),
		T(test_rle_rejected),
		T(test_escape_at_end_rejected),
		T(test_garbage_skipped),
		T(test_dollar_restarts_packet),
		T(test_ctrl_c),
		T(test_ctrl_c_without_handler),
		T(test_overlong_rejected),
		T(test_escaped_packet_max),
		T(test_nak_resends_last_reply),
		T(test_nak_after_no_reply),
		T(test_nak_resends_stop_reply),
		T(test_reply_none),
		T(test_reply_full_and_overflow),
		T(test_reply_helpers),
		T(test_every_chunking),
		T(test_flow_control),
		T(test_flow_control_ctrl_c_and_nak),
		T(test_output_byte_by_byte),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
