// SPDX-License-Identifier: GPL-2.0
/*
 * GDB remote serial protocol: the packet stream (framing, checksums,
 * acknowledgments, escapes, output queue).  What the packets mean is
 * proto/packets.c's business; see proto/rsp.h for the rules.
 */
#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/rsp.h"

#define RSP_ESCAPE_CHAR		'}'
#define RSP_ESCAPE_XOR		0x20

void rsp_init(struct rsp_conn *c, const struct rsp_handlers *h, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->handlers = h;
	c->ctx = ctx;
	c->state = RSP_ST_IDLE;
}

/* ---- output queue ---- */

static size_t outq_free(const struct rsp_conn *c)
{
	return RSP_OUTQ_SIZE - c->outq_len;
}

/* Callers made sure of the room (see byte_may_answer()). */
static void outq_put(struct rsp_conn *c, u8 b)
{
	size_t tail;

	if (unlikely(c->outq_len == RSP_OUTQ_SIZE))
		return;
	tail = c->outq_head + c->outq_len;
	if (tail >= RSP_OUTQ_SIZE)
		tail -= RSP_OUTQ_SIZE;
	c->outq[tail] = b;
	c->outq_len++;
}

/* outq_put() of @len bytes, a copy or two rather than a loop. */
static void outq_write(struct rsp_conn *c, const void *buf, size_t len)
{
	size_t tail, first;

	len = min_t(size_t, len, outq_free(c));
	tail = c->outq_head + c->outq_len;
	if (tail >= RSP_OUTQ_SIZE)
		tail -= RSP_OUTQ_SIZE;
	first = min_t(size_t, len, RSP_OUTQ_SIZE - tail);
	memcpy(c->outq + tail, buf, first);
	memcpy(c->outq, (const u8 *)buf + first, len - first);
	c->outq_len += len;
}

size_t rsp_output(struct rsp_conn *c, u8 *buf, size_t len)
{
	size_t done = 0;

	while (done < len && c->outq_len) {
		size_t chunk = min_t(size_t, len - done, c->outq_len);

		chunk = min_t(size_t, chunk, RSP_OUTQ_SIZE - c->outq_head);
		memcpy(buf + done, c->outq + c->outq_head, chunk);
		done += chunk;
		c->outq_head += chunk;
		if (c->outq_head == RSP_OUTQ_SIZE)
			c->outq_head = 0;
		c->outq_len -= chunk;
	}
	if (!c->outq_len)
		c->outq_head = 0;
	return done;
}

size_t rsp_output_pending(const struct rsp_conn *c)
{
	return c->outq_len;
}

/* ---- replies ---- */

static bool needs_escape(u8 b)
{
	return b == '$' || b == '#' || b == RSP_ESCAPE_CHAR || b == '*';
}

/* Append one payload byte, escaped; false if it does not fit. */
static bool reply_put(struct rsp_conn *c, u8 b)
{
	if (needs_escape(b)) {
		if (RSP_REPLY_MAX - c->reply_len < 2)
			return false;
		c->reply[c->reply_len++] = RSP_ESCAPE_CHAR;
		c->reply[c->reply_len++] = (char)(b ^ RSP_ESCAPE_XOR);
		return true;
	}
	if (c->reply_len == RSP_REPLY_MAX)
		return false;
	c->reply[c->reply_len++] = (char)b;
	return true;
}

static bool reply_fail(struct rsp_conn *c, size_t old_len)
{
	c->reply_len = old_len;
	c->reply_overflow = true;
	return false;
}

bool rsp_reply_char(struct rsp_conn *c, char ch)
{
	if (!reply_put(c, (u8)ch))
		return reply_fail(c, c->reply_len);
	return true;
}

bool rsp_reply_mem(struct rsp_conn *c, const char *s, size_t len)
{
	size_t old = c->reply_len, i;

	for (i = 0; i < len; i++)
		if (!reply_put(c, (u8)s[i]))
			return reply_fail(c, old);
	return true;
}

bool rsp_reply_str(struct rsp_conn *c, const char *s)
{
	return rsp_reply_mem(c, s, strlen(s));
}

bool rsp_reply_hex(struct rsp_conn *c, const void *data, size_t len)
{
	const u8 *p = data;
	size_t i;

	if (len > (RSP_REPLY_MAX - c->reply_len) / 2)
		return reply_fail(c, c->reply_len);
	for (i = 0; i < len; i++) {
		c->reply[c->reply_len++] = rsp_hex_digit(p[i] >> 4);
		c->reply[c->reply_len++] = rsp_hex_digit(p[i]);
	}
	return true;
}

bool rsp_reply_u64(struct rsp_conn *c, u64 val)
{
	char digits[17];

	rsp_fmt_u64(digits, val);
	return rsp_reply_str(c, digits);
}

size_t rsp_reply_bin(struct rsp_conn *c, const void *data, size_t len)
{
	const u8 *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		if (!reply_put(c, p[i]))
			break;
	return i;
}

void rsp_reply_overflow(struct rsp_conn *c)
{
	reply_fail(c, c->reply_len);
}

void rsp_reply_reset(struct rsp_conn *c)
{
	c->reply_len = 0;
	c->reply_overflow = false;
}

void rsp_reply_ok(struct rsp_conn *c)
{
	rsp_reply_reset(c);
	rsp_reply_str(c, "OK");
}

void rsp_reply_error(struct rsp_conn *c, u8 code)
{
	rsp_reply_reset(c);
	c->reply[0] = 'E';
	c->reply[1] = rsp_hex_digit(code >> 4);
	c->reply[2] = rsp_hex_digit(code);
	c->reply_len = 3;
}

void rsp_reply_error_text(struct rsp_conn *c, const char *text)
{
	rsp_reply_reset(c);
	rsp_reply_str(c, "E.");
	rsp_reply_str(c, text);
}

void rsp_reply_none(struct rsp_conn *c)
{
	c->reply_suppress = true;
}

size_t rsp_reply_room(const struct rsp_conn *c)
{
	return RSP_REPLY_MAX - c->reply_len;
}

void rsp_set_noack(struct rsp_conn *c)
{
	c->noack_next = true;
}

/* Frame the reply buffer into the output queue. */
static void send_reply(struct rsp_conn *c)
{
	u8 sum = 0;
	size_t i;

	for (i = 0; i < c->reply_len; i++)
		sum += (u8)c->reply[i];
	outq_put(c, '$');
	outq_write(c, c->reply, c->reply_len);
	outq_put(c, '#');
	outq_put(c, (u8)rsp_hex_digit(sum >> 4));
	outq_put(c, (u8)rsp_hex_digit(sum));
	c->reply_unacked = !c->noack;
}

/* A handler is about to build a new reply; the last one is forgotten. */
static void begin_reply(struct rsp_conn *c)
{
	rsp_reply_reset(c);
	c->reply_suppress = false;
	c->reply_unacked = false;
}

/* Send the reply the handler built, unless it asked for none. */
static void end_reply(struct rsp_conn *c)
{
	if (c->reply_suppress)
		return;
	if (c->reply_overflow) {
		c->stats.reply_overflows++;
		rsp_reply_error(c, RSP_E2BIG);
	}
	send_reply(c);
}

/* ---- input ---- */

static void packet_start(struct rsp_conn *c)
{
	c->state = RSP_ST_PAYLOAD;
	c->csum = 0;
	c->csum_rx = 0;
	c->csum_bad = false;
	c->escape = false;
	c->overlong = false;
	c->malformed = false;
	c->in_len = 0;
}

static void packet_store(struct rsp_conn *c, u8 b)
{
	if (c->in_len == RSP_PACKET_MAX) {
		c->overlong = true;
		return;
	}
	c->in[c->in_len++] = (char)b;
}

static void packet_done(struct rsp_conn *c, bool csum_ok)
{
	c->state = RSP_ST_IDLE;
	/*
	 * Every GDB connection starts with qSupported, in ack mode.  Behind
	 * a bridge (nc, a serial port) the agent never sees the previous GDB
	 * go away, so qSupported in no-ack mode means a new GDB: ack again.
	 */
	if (c->noack && c->in_len >= 10 && !memcmp(c->in, "qSupported", 10))
		c->noack = false;
	if (!csum_ok) {
		c->stats.bad_checksum++;
		if (!c->noack)
			outq_put(c, '-');
		return;
	}
	if (!c->noack)
		outq_put(c, '+');

	begin_reply(c);
	if (c->overlong || c->malformed) {
		c->stats.rejected++;
		rsp_reply_error(c, c->overlong ? RSP_E2BIG : RSP_EINVAL);
	} else {
		c->stats.packets++;
		c->in[c->in_len] = '\0';
		if (c->handlers && c->handlers->packet)
			c->handlers->packet(c->ctx, c, c->in, c->in_len);
	}
	end_reply(c);
	/* The reply to QStartNoAckMode still goes out in ack mode. */
	if (c->noack_next) {
		c->noack_next = false;
		c->noack = true;
	}
}

static void interrupt(struct rsp_conn *c)
{
	c->stats.interrupts++;
	if (!c->handlers || !c->handlers->interrupt)
		return;
	begin_reply(c);
	c->handlers->interrupt(c->ctx, c);
	end_reply(c);
}

static void retransmit(struct rsp_conn *c)
{
	if (!c->reply_unacked)
		return;
	c->stats.retransmits++;
	send_reply(c);
}

static void byte_idle(struct rsp_conn *c, u8 b)
{
	switch (b) {
	case '$':
		packet_start(c);
		break;
	case '+':
		c->reply_unacked = false;
		break;
	case '-':
		retransmit(c);
		break;
	case RSP_CTRL_C:
		interrupt(c);
		break;
	default:
		c->stats.garbage++;
		break;
	}
}

static void byte_payload(struct rsp_conn *c, u8 b)
{
	switch (b) {
	case '$':
		c->stats.truncated++;
		packet_start(c);
		return;
	case '#':
		if (c->escape)
			c->malformed = true;
		c->state = RSP_ST_CSUM_HI;
		return;
	}
	c->csum += b;
	if (c->escape) {
		c->escape = false;
		packet_store(c, b ^ RSP_ESCAPE_XOR);
	} else if (b == RSP_ESCAPE_CHAR) {
		c->escape = true;
	} else if (b == '*') {
		c->malformed = true;
	} else {
		packet_store(c, b);
	}
}

static void byte_csum(struct rsp_conn *c, u8 b)
{
	int v;

	if (b == '$') {
		c->stats.truncated++;
		packet_start(c);
		return;
	}
	v = rsp_hex_val(b);
	if (v < 0)
		c->csum_bad = true;
	else
		c->csum_rx = (u8)(c->csum_rx << 4 | v);
	if (c->state == RSP_ST_CSUM_HI) {
		c->state = RSP_ST_CSUM_LO;
		return;
	}
	packet_done(c, !c->csum_bad && c->csum_rx == c->csum);
}

/* Whether consuming @b may queue an answer (an ack and/or a reply). */
static bool byte_may_answer(const struct rsp_conn *c, u8 b)
{
	if (c->state == RSP_ST_CSUM_LO)
		return true;
	return c->state == RSP_ST_IDLE && (b == '-' || b == RSP_CTRL_C);
}

size_t rsp_input(struct rsp_conn *c, const u8 *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		u8 b = buf[i];

		if (byte_may_answer(c, b) && outq_free(c) < RSP_EVENT_MAX)
			break;
		switch (c->state) {
		case RSP_ST_IDLE:
			byte_idle(c, b);
			break;
		case RSP_ST_PAYLOAD:
			byte_payload(c, b);
			break;
		case RSP_ST_CSUM_HI:
		case RSP_ST_CSUM_LO:
			byte_csum(c, b);
			break;
		}
	}
	return i;
}
