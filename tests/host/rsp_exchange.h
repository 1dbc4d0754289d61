/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper: one packet exchange with a session, as GDB sees it.  The
 * packet is framed and fed in; the session's output is checked (the ack
 * unless in no-ack mode, the checksum, no stray '$' or run-length '*'),
 * unescaped into rsp_reply[] and returned.
 */
#ifndef GTP_TESTS_RSP_EXCHANGE_H
#define GTP_TESTS_RSP_EXCHANGE_H

#include <cmocka.h>

#include "proto/packets.h"
#include "tests/host/rsp_frame.h"

static char rsp_reply[2 * RSP_REPLY_MAX + 1];
static size_t rsp_reply_len;

/* Check one framed reply in @out (@len bytes); returns the bytes used. */
static inline size_t rsp_parse_reply(const char *out, size_t len)
{
	size_t i = 1;
	u8 sum = 0;
	u64 cs;
	const char *p;

	assert_true(len >= RSP_FRAME_BYTES);
	assert_int_equal(out[0], '$');
	rsp_reply_len = 0;
	for (; i < len && out[i] != '#'; i++) {
		sum += (u8)out[i];
		assert_int_not_equal(out[i], '$');
		assert_int_not_equal(out[i], '*');
		if (out[i] == '}') {
			i++;
			assert_true(i < len);
			sum += (u8)out[i];
			rsp_reply[rsp_reply_len++] = (char)(out[i] ^ 0x20);
		} else {
			rsp_reply[rsp_reply_len++] = out[i];
		}
	}
	rsp_reply[rsp_reply_len] = '\0';
	assert_true(i + 3 <= len);
	p = out + i + 1;
	assert_true(rsp_parse_u64(&p, out + i + 3, &cs));
	assert_ptr_equal(p, out + i + 3);
	assert_int_equal(cs, sum);
	return i + 3;
}

/*
 * Send @n payload bytes as one packet to @s; return the reply payload
 * (also in rsp_reply[] / rsp_reply_len), or NULL when there was none.
 */
static inline const char *rsp_exchange(struct rsp_session *s,
				       const void *payload, size_t n)
{
	static char in[RSP_PACKET_MAX + 8];
	static char out[RSP_OUTQ_SIZE];
	bool ack = !s->conn.noack;
	size_t len, used;

	assert_true(n <= RSP_PACKET_MAX);
	len = frame(in, payload, n);
	assert_int_equal(rsp_input(&s->conn, (u8 *)in, len), len);
	len = rsp_output(&s->conn, (u8 *)out, sizeof(out));
	assert_int_equal(rsp_output_pending(&s->conn), 0);
	if (ack) {
		assert_true(len >= 1);
		assert_int_equal(out[0], '+');
	}
	if (len == ack)
		return NULL;
	used = rsp_parse_reply(out + ack, len - ack);
	assert_int_equal(used, len - ack);
	return rsp_reply;
}

#endif /* GTP_TESTS_RSP_EXCHANGE_H */
