/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GDB remote serial protocol packet stream: framing only.
 *
 * GDB sends packets "$<payload>#<two hex digits of checksum>" and expects
 * an acknowledgment, '+' for a good packet and '-' for a bad checksum,
 * until both sides agree on QStartNoAckMode.  rsp_input() takes the bytes
 * GDB wrote, in any chunking, verifies and decodes each packet and hands
 * it to the packet handler; the handler builds its reply with the
 * rsp_reply_*() helpers, and rsp_output() hands back the bytes to write to
 * GDB (acks and framed replies).
 *
 * Choices, each one what GDB 13 handles best:
 *
 * - Payload: '}' escapes are decoded (binary X packets).  GDB never sends
 *   run-length encoding, so an unescaped '*' makes the packet malformed.
 *   A packet is malformed too if it ends inside an escape.
 * - A packet whose decoded payload exceeds RSP_PACKET_MAX (advertised as
 *   PacketSize, so GDB does not send one) is discarded as a whole without
 *   ever being buffered.  If its checksum is good it is acknowledged and
 *   answered with the error "E07" (E2BIG), as is a malformed packet with
 *   "E16" (EINVAL): a '-' would make GDB resend the same packet forever,
 *   while an error reply ends the command with a message.  The handler is
 *   not called; the connection's state is unchanged.
 * - A bad checksum is answered with '-' and the packet dropped; GDB
 *   resends it.  In no-ack mode it is dropped silently: better that GDB
 *   times out than that a damaged command (a memory write) runs.
 * - A '$' inside a packet starts a new packet; the truncated one is
 *   dropped without an answer.  Bytes between packets other than '+', '-'
 *   and Ctrl-C are skipped.
 * - '+' from GDB is ignored except that it confirms the last reply; '-'
 *   resends the last reply if it was sent in ack mode and is not yet
 *   confirmed (so the OK to QStartNoAckMode can still be resent).
 * - Ctrl-C (0x03) between packets calls the interrupt handler, whose reply
 *   (a stop reply) is sent like any other.  Inside a packet 0x03 is data.
 * - Replies are escaped ('$', '#', '}' and '*' become '}' followed by the
 *   byte xor 0x20) and never run-length encoded.
 *
 * Flow control: rsp_input() consumes a byte that produces output only when
 * the output queue can hold the largest possible answer (an ack and a full
 * reply).  When it returns less than it was given, drain rsp_output() and
 * feed the rest again.
 *
 * A connection is not locked: its user serialises the calls.  It is large
 * (the input packet, the reply and the output queue live inside it), so
 * allocate it, do not put it on a kernel stack.
 */
#ifndef GTP_PROTO_RSP_H
#define GTP_PROTO_RSP_H

#include "gtp_port.h"

/* Largest decoded payload of an input packet; advertised as PacketSize. */
#define RSP_PACKET_MAX		16384
/* Largest payload of a reply, as sent (after escaping). */
#define RSP_REPLY_MAX		16384
/* Bytes around a payload: '$', '#' and two checksum digits. */
#define RSP_FRAME_BYTES		4
/* Most output one input byte can cause: an ack and one framed reply. */
#define RSP_EVENT_MAX		(1 + RSP_FRAME_BYTES + RSP_REPLY_MAX)
/* Output queue: room for two answers, so GDB's pipelined acks stay cheap. */
#define RSP_OUTQ_SIZE		(2 * RSP_EVENT_MAX)

/* Error numbers sent as "E<two hex digits>"; GDB only shows them. */
#define RSP_EPERM		0x01	/* operation refused (writes, G) */
#define RSP_E2BIG		0x07	/* packet or reply too long */
#define RSP_EFAULT		0x0e	/* memory not readable / writable */
#define RSP_EINVAL		0x16	/* malformed packet */

#define RSP_CTRL_C		0x03

struct rsp_conn;

struct rsp_handlers {
	/*
	 * A complete, verified packet.  @pkt is the decoded payload, @len
	 * bytes long and followed by a NUL (binary payloads may contain NULs
	 * too).  The handler may modify the payload in place.  The reply
	 * starts empty; an empty reply tells GDB the packet is not supported.
	 * Call rsp_reply_none() for a packet that gets no reply at all.
	 */
	void (*packet)(void *ctx, struct rsp_conn *c, char *pkt, size_t len);
	/* Ctrl-C between packets; build a stop reply.  May be NULL. */
	void (*interrupt)(void *ctx, struct rsp_conn *c);
};

/* Counters for a status file; they only ever grow. */
struct rsp_stats {
	u64 packets;		/* packets handed to the packet handler */
	u64 bad_checksum;	/* packets dropped for a bad checksum */
	u64 rejected;		/* over-long or malformed, answered E07/E16 */
	u64 truncated;		/* packets cut short by a new '$' */
	u64 garbage;		/* bytes skipped between packets */
	u64 interrupts;		/* Ctrl-C received */
	u64 retransmits;	/* replies sent again after a '-' */
	u64 reply_overflows;	/* replies too long for RSP_REPLY_MAX */
};

enum rsp_parse_state {
	RSP_ST_IDLE,		/* between packets */
	RSP_ST_PAYLOAD,		/* after '$' */
	RSP_ST_CSUM_HI,		/* after '#' */
	RSP_ST_CSUM_LO,		/* after the first checksum digit */
};

struct rsp_conn {
	const struct rsp_handlers *handlers;
	void *ctx;

	/* Input parser. */
	enum rsp_parse_state state;
	u8 csum;		/* sum of the payload bytes as received */
	u8 csum_rx;		/* checksum digits received so far */
	bool csum_bad;		/* a checksum digit was not hex */
	bool escape;		/* the previous payload byte was '}' */
	bool overlong;		/* payload exceeded RSP_PACKET_MAX */
	bool malformed;		/* RLE, or the payload ended in an escape */
	size_t in_len;		/* decoded payload bytes in in[] */

	/* Mode. */
	bool noack;		/* QStartNoAckMode accepted */
	bool noack_next;	/* ... and its reply not yet sent */

	/* Reply being built, then kept for a resend after '-'. */
	bool reply_unacked;	/* last reply sent and not yet confirmed */
	bool reply_suppress;	/* handler asked for no reply */
	bool reply_overflow;	/* a helper ran out of room */
	size_t reply_len;

	/* Output queue: a ring of bytes waiting for rsp_output(). */
	size_t outq_head;
	size_t outq_len;

	struct rsp_stats stats;

	char in[RSP_PACKET_MAX + 1];
	char reply[RSP_REPLY_MAX];
	u8 outq[RSP_OUTQ_SIZE];
};

/* Start a connection in ack mode with an empty output queue. */
void rsp_init(struct rsp_conn *c, const struct rsp_handlers *h, void *ctx);

/*
 * Feed bytes received from GDB.  Returns how many were consumed: all of
 * them, unless the output queue filled up (drain it and call again).
 */
size_t rsp_input(struct rsp_conn *c, const u8 *buf, size_t len);

/* Move up to @len queued output bytes to @buf; returns how many. */
size_t rsp_output(struct rsp_conn *c, u8 *buf, size_t len);

/* Bytes waiting in the output queue. */
size_t rsp_output_pending(const struct rsp_conn *c);

/*
 * Reply helpers, for the packet and interrupt handlers.  Every payload
 * byte goes through the same escaping, so any text or binary data may be
 * appended.  The bool helpers append all or nothing: when the reply has no
 * room they append nothing, return false and mark the reply overflowed;
 * an overflowed reply is replaced by "E07" when it is sent.
 */
bool rsp_reply_char(struct rsp_conn *c, char ch);
bool rsp_reply_str(struct rsp_conn *c, const char *s);
/* @len bytes of text at @s (not NUL-terminated). */
bool rsp_reply_mem(struct rsp_conn *c, const char *s, size_t len);
/* Bytes as two hex digits each (m, g). */
bool rsp_reply_hex(struct rsp_conn *c, const void *data, size_t len);
/* A number in hex without leading zeros. */
bool rsp_reply_u64(struct rsp_conn *c, u64 val);
/*
 * Binary data, escaped: appends as many whole bytes of @data as fit and
 * returns how many; never marks the reply overflowed (for replies that
 * may be partial, such as qXfer chunks).
 */
size_t rsp_reply_bin(struct rsp_conn *c, const void *data, size_t len);

/*
 * Mark the reply overflowed, as a helper does that runs out of room: for
 * a reply built elsewhere first that turned out too long to hold.
 */
void rsp_reply_overflow(struct rsp_conn *c);

/* Drop what was appended so far. */
void rsp_reply_reset(struct rsp_conn *c);
/* Replace the reply by "OK" or by "E<code>". */
void rsp_reply_ok(struct rsp_conn *c);
void rsp_reply_error(struct rsp_conn *c, u8 code);
/*
 * Replace the reply by "E.<text>", an error GDB shows the user: for
 * tracepoint packets, whose E replies GDB prints as they are ("Target
 * returns error code '.<text>'"), where a bare E16 would read as "error
 * in outgoing packet at field #6".  Never for memory packets, which need
 * exactly E and two digits.
 */
void rsp_reply_error_text(struct rsp_conn *c, const char *text);
/* Send no reply at all to this packet (k). */
void rsp_reply_none(struct rsp_conn *c);
/* Payload bytes still free in the reply (each escaped byte takes two). */
size_t rsp_reply_room(const struct rsp_conn *c);

/*
 * Enter no-ack mode.  Called by the QStartNoAckMode handler: the packet
 * was acknowledged already and its reply is sent in ack mode (GDB
 * acknowledges it); from the next packet on there are no acks.
 */
void rsp_set_noack(struct rsp_conn *c);

#endif /* GTP_PROTO_RSP_H */
