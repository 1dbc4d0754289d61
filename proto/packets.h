/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the GDB remote protocol's packets mean: a session joins a packet
 * stream (proto/rsp.h) to a dispatch table of packet handlers and to the
 * target operations the agent implements (memory, registers, detach).
 *
 * Unknown packets get the empty reply, which tells GDB "not supported".
 */
#ifndef GTP_PROTO_PACKETS_H
#define GTP_PROTO_PACKETS_H

#include "gtp_port.h"
#include "proto/rsp.h"
#include "rb/rb.h"

struct gtp_trace;

/*
 * GDB's `g` block for x86-64 GNU/Linux (see the protocol notes): rip is
 * the 17th 8-byte register.
 */
#define RSP_REG_BLOCK_X86_64	560
#define RSP_PC_OFFSET_X86_64	128
#define RSP_PC_SIZE_X86_64	8

/* Target description of x86-64 GNU/Linux: GDB's own 560-byte layout. */
extern const char rsp_target_xml_x86_64_linux[];
/* Largest register block a target may declare. */
#define RSP_REG_BLOCK_MAX	1024

/*
 * The target: what the agent (or a test's fake) provides.  Every callback
 * gets the @target pointer given to rsp_session_init().  Callbacks run in
 * the context of rsp_input(); they must not call back into the session.
 */
struct rsp_target_ops {
	/*
	 * Layout of the `g` block: its size (at most RSP_REG_BLOCK_MAX) and
	 * where the PC lies in it.  When no registers are available GDB 13
	 * still needs a PC to finish `target remote` (it reads the PC on
	 * every stop and gives up on "PC register is not available"), so
	 * the PC then reads as 0 and every other register as unavailable.
	 */
	size_t reg_block_size;
	size_t pc_offset;
	size_t pc_size;

	/*
	 * Target description (GDB's target.xml), offered through
	 * qXfer:features:read so that GDB knows the architecture even
	 * without an executable.  May be NULL.
	 */
	const char *target_xml;

	/*
	 * Copy up to @len bytes at @addr into @buf without faulting; return
	 * how many were readable from @addr on (0..@len).  NULL: nothing
	 * is readable.
	 */
	size_t (*read_memory)(void *target, u64 addr, void *buf, size_t len);

	/*
	 * Write @len bytes at @addr.  Return 0, or a negative errno:
	 * -EPERM when writes are not allowed.  NULL: writes are refused.
	 */
	int (*write_memory)(void *target, u64 addr, const void *buf,
			    size_t len);

	/*
	 * Fill @buf (@size bytes, GDB's `g` layout) and set @valid[i] to
	 * nonzero for each byte of @buf that holds a real value (@valid is
	 * all zero on entry).  Return false if no registers are available
	 * (the live kernel, no frame selected).  NULL: never available.
	 * Bytes not marked valid are sent as unavailable ("xx").
	 */
	bool (*read_registers)(void *target, u8 *buf, u8 *valid, size_t size);

	/*
	 * How many of the @len bytes at @addr are memory that never changes
	 * (kernel text), so that a trace frame may show it from the live
	 * target though no tracepoint collected it.  May be NULL.
	 */
	u64 (*readonly_size)(void *target, u64 addr, u64 len);

	/* GDB detached (D) or killed (k) the session.  May be NULL. */
	void (*detach)(void *target);
};

struct rsp_session {
	struct rsp_conn conn;
	const struct rsp_target_ops *ops;
	void *target;
	bool detached;		/* D or k seen; the agent may close */

	/* The trace experiment (NULL: tracing packets are refused). */
	struct gtp_trace *trace;
	/* Selected trace frame (QTFrame), or -1 for the live target. */
	s64 frame;
	struct rb_frame_ref fref;
	/* Upload cursors (qTfP/qTsP, qTfV/qTsV). */
	u32 up_tp, up_piece, up_tsv;

	/* Scratch for handlers, kept off the (kernel) stack. */
	u8 regs[RSP_REG_BLOCK_MAX];
	u8 regs_valid[RSP_REG_BLOCK_MAX];
	u8 mem[RSP_REPLY_MAX / 2];
	u8 mem_valid[RSP_REPLY_MAX / 16];	/* a bit per byte of mem */
	/* Text of a reply built by proto/tfile.c before it is sent. */
	char text[RSP_REPLY_MAX];
};

/*
 * Start a session on a new connection.  Feed GDB's bytes with
 * rsp_input(&s->conn, ...) and send what rsp_output(&s->conn, ...) gives.
 * A session is about 92 KiB: allocate it (kvzalloc), never on a stack.
 */
void rsp_session_init(struct rsp_session *s, const struct rsp_target_ops *ops,
		      void *target);

/* How a dispatch table entry's name matches a packet. */
enum rsp_match {
	/* The packet starts with the name (single-letter packets: m, H). */
	RSP_MATCH_PREFIX,
	/* The packet is the name, or the name then ':', ';' or ','. */
	RSP_MATCH_NAME,
};

struct rsp_packet_def {
	const char *name;
	enum rsp_match match;
	/* @args: the payload after the name, @len bytes, NUL-terminated. */
	void (*handle)(struct rsp_session *s, char *args, size_t len);
};

/* proto/trace_packets.c and proto/frames.c */
extern const struct rsp_packet_def rsp_trace_packets[];
extern const size_t rsp_nr_trace_packets;
extern const struct rsp_packet_def rsp_frame_packets[];
extern const size_t rsp_nr_frame_packets;

/*
 * While a frame is selected, `m` and `g` are answered from it
 * (proto/frames.c); each returns false when no frame is selected.
 */
bool rsp_frame_read_memory(struct rsp_session *s, u64 addr, u64 count);
bool rsp_frame_read_registers(struct rsp_session *s, size_t size);

/* The entry that handles @pkt (@len bytes), or NULL: unknown packet. */
const struct rsp_packet_def *rsp_find_packet(const char *pkt, size_t len);

#endif /* GTP_PROTO_PACKETS_H */
