/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace as GDB reads it in text: the qTStatus reply, the pieces of
 * the tracepoint and variable uploads (qTfP/qTsP, qTfV/qTsV), and the
 * header of a GDB trace file (tfile), which GDB's tsave builds from those
 * same pieces.  One writer for each, so what GDB learns from the agent and
 * from a trace file of the agent cannot drift apart.
 *
 * Text goes to a caller's buffer through struct gtp_text, which, like
 * snprintf(), counts every byte it was asked for, also those that did not
 * fit: one pass with no buffer tells the size a second pass needs.
 */
#ifndef GTP_PROTO_TFILE_H
#define GTP_PROTO_TFILE_H

#include "gtp_port.h"

struct gtp_trace;
struct gtp_tsv;

struct gtp_text {
	char *buf;
	size_t size;
	size_t len;	/* bytes asked for; those past @size were dropped */
};

static inline void gtp_text_init(struct gtp_text *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
}

/* Some of the text did not fit the buffer. */
static inline bool gtp_text_overflow(const struct gtp_text *o)
{
	return o->len > o->size;
}

void gtp_text_mem(struct gtp_text *o, const void *data, size_t n);
void gtp_text_str(struct gtp_text *o, const char *s);
void gtp_text_char(struct gtp_text *o, char c);
/* A number in hex without leading zeros, as GDB writes them. */
void gtp_text_u64(struct gtp_text *o, u64 val);
/* Bytes as two lower-case hex digits each. */
void gtp_text_hex(struct gtp_text *o, const void *data, size_t n);

/*
 * The qTStatus reply of @t without its leading 'T': "0;tstop:...:0;
 * tframes:...".  @notes: with the user name and notes, which may each be
 * 510 hex digits (left out where GDB's line limit is tight).
 */
void gtp_status_text(struct gtp_text *o, const struct gtp_trace *t,
		     bool notes);

/*
 * The upload piece at the cursor (*@tp_idx, *@piece), as qTfP/qTsP send
 * it: per tracepoint a T (definition and condition), an A per action, a Z
 * per source string.  Advances the cursor and returns true, or returns
 * false past the last piece.  A cursor of (0, 0) starts over.
 */
bool gtp_upload_piece_text(struct gtp_text *o, const struct gtp_trace *t,
			   u32 *tp_idx, u32 *piece);

/* A trace state variable as qTfV/qTsV send it: n:init:builtin:hexname. */
void gtp_tsv_text(struct gtp_text *o, const struct gtp_tsv *v);

/* The first bytes of a trace file: a binary marker and the version. */
#define GTP_TFILE_MAGIC		"\x7fTRACE0\n"
#define GTP_TFILE_MAGIC_LEN	8
/*
 * GDB reads the header's lines into a 1000-byte buffer and gives up on a
 * line of 1000 bytes or more, newline not counted.
 */
#define GTP_TFILE_LINE_MAX	999
/* After the last frame: tracepoint number 0, as an int16. */
#define GTP_TFILE_END_LEN	2

/*
 * The header of a trace file of @t, up to and including the empty line
 * that ends it; the frame section (rb_stream_read()) and the end follow.
 *
 *   \x7fTRACE0\n
 *   R <register block size, hex>
 *   tdesc <line>             one per line of @tdesc, if not NULL
 *   status <qTStatus reply without the 'T'>
 *   tsv <qTfV piece>         one per variable
 *   tp <qTfP piece>          T, A..., Z... per tracepoint, then
 *   tp V<n>:<addr>:<hits>:0  its hit count, as tsave writes it
 *   (empty line)
 *
 * A line GDB could not read (longer than GTP_TFILE_LINE_MAX) is made
 * shorter where it can be without losing what reading frames needs (the
 * status without user name and notes, a tracepoint without its
 * condition) and left out otherwise.
 *
 * The result depends only on the state of @t: readers at different
 * offsets see the same bytes as long as the trace does not change.
 * Returns the length written to @buf, or -E2BIG when @size is too small
 * (gtp_tfile_header_size() tells what is needed).
 */
s64 gtp_tfile_header(const struct gtp_trace *t, u32 reg_block_size,
		     const char *tdesc, char *buf, size_t size);
size_t gtp_tfile_header_size(const struct gtp_trace *t, u32 reg_block_size,
			     const char *tdesc);

#endif /* GTP_PROTO_TFILE_H */
