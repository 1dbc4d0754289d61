// SPDX-License-Identifier: GPL-2.0
/*
 * The trace as GDB's text: status, upload pieces and the trace file
 * header made of them (see proto/tfile.h).  The packet handlers in
 * proto/trace_packets.c send the same text as replies.
 */
#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/tfile.h"
#include "proto/trace.h"

void gtp_text_mem(struct gtp_text *o, const void *data, size_t n)
{
	if (o->len < o->size)
		memcpy(o->buf + o->len, data, min_t(size_t, n, o->size - o->len));
	o->len += n;
}

void gtp_text_str(struct gtp_text *o, const char *s)
{
	gtp_text_mem(o, s, strlen(s));
}

void gtp_text_char(struct gtp_text *o, char c)
{
	gtp_text_mem(o, &c, 1);
}

void gtp_text_u64(struct gtp_text *o, u64 val)
{
	char digits[17];

	gtp_text_mem(o, digits, rsp_fmt_u64(digits, val));
}

void gtp_text_hex(struct gtp_text *o, const void *data, size_t n)
{
	const u8 *p = data;
	char pair[2];
	size_t i;

	for (i = 0; i < n; i++) {
		pair[0] = rsp_hex_digit(p[i] >> 4);
		pair[1] = rsp_hex_digit(p[i]);
		gtp_text_mem(o, pair, 2);
	}
}

static void text_hex_str(struct gtp_text *o, const char *s)
{
	gtp_text_hex(o, s, strlen(s));
}

void gtp_status_text(struct gtp_text *o, const struct gtp_trace *t,
		     bool notes)
{
	struct rb_stats st;

	gtp_text_str(o, READ_ONCE(t->state) == GTP_RUNNING ? "1;" : "0;");
	/* Pairs with the release in the hit path: error[] is written. */
	switch (smp_load_acquire(&t->stop)) {
	case GTP_STOP_NONE:
		gtp_text_str(o, "tnotrun:0");
		break;
	case GTP_STOP_USER:
		gtp_text_str(o, "tstop:");
		text_hex_str(o, t->stop_note);
		gtp_text_str(o, ":0");
		break;
	case GTP_STOP_FULL:
		gtp_text_str(o, "tfull:0");
		break;
	case GTP_STOP_PASSCOUNT:
		gtp_text_str(o, "tpasscount:");
		gtp_text_u64(o, t->stop_tp);
		break;
	case GTP_STOP_ERROR:
		gtp_text_str(o, "terror:");
		text_hex_str(o, t->error);
		gtp_text_str(o, ":");
		gtp_text_u64(o, t->stop_tp);
		break;
	case GTP_STOP_DISCONNECTED:
		gtp_text_str(o, "tdisconnected:0");
		break;
	}
	if (t->rb) {
		rb_stats_total(t->rb, &st);
		gtp_text_str(o, ";tframes:");
		gtp_text_u64(o, st.frames);
		gtp_text_str(o, ";tcreated:");
		gtp_text_u64(o, st.written);
		gtp_text_str(o, ";tsize:");
		gtp_text_u64(o, st.bytes_used + st.bytes_free);
		gtp_text_str(o, ";tfree:");
		gtp_text_u64(o, st.bytes_free);
	}
	gtp_text_str(o, ";circular:");
	gtp_text_u64(o, t->circular);
	gtp_text_str(o, ";disconn:");
	gtp_text_u64(o, t->disconnected);
	gtp_text_str(o, ";starttime:");
	gtp_text_u64(o, t->start_us);
	gtp_text_str(o, ";stoptime:");
	gtp_text_u64(o, t->stop_us);
	if (t->ops && t->ops->status_fields)
		t->ops->status_fields(t->target, o);
	if (!notes)
		return;
	gtp_text_str(o, ";username:");
	text_hex_str(o, t->user);
	gtp_text_str(o, ";notes:");
	text_hex_str(o, t->notes);
}

/* "<n>:<addr>", which every piece of a tracepoint starts with. */
static void tp_id(struct gtp_text *o, const struct gtp_tracepoint *tp)
{
	gtp_text_u64(o, tp->num);
	gtp_text_char(o, ':');
	gtp_text_u64(o, tp->addr);
}

/*
 * Piece @k of @tp: 0 is the definition (T, with the condition if @cond),
 * then one A per action, then one Z per source string.  Returns false
 * past the last.
 */
static bool tp_piece(struct gtp_text *o, const struct gtp_tracepoint *tp,
		     u32 k, bool cond)
{
	if (k == 0) {
		gtp_text_char(o, 'T');
		tp_id(o, tp);
		gtp_text_str(o, tp->enabled ? ":E:" : ":D:");
		gtp_text_u64(o, tp->step);
		gtp_text_char(o, ':');
		gtp_text_u64(o, tp->pass);
		if (tp->cond && cond) {
			gtp_text_str(o, ":X");
			gtp_text_u64(o, tp->cond_len);
			gtp_text_char(o, ',');
			gtp_text_hex(o, tp->cond, tp->cond_len);
		}
		return true;
	}
	k--;
	if (k < tp->nr_actions) {
		gtp_text_char(o, 'A');
		tp_id(o, tp);
		gtp_text_char(o, ':');
		gtp_text_str(o, tp->actions[k].text);
		return true;
	}
	k -= tp->nr_actions;
	if (k < tp->nr_src) {
		/* Stored as "n:addr:type:start:len:hex". */
		gtp_text_char(o, 'Z');
		gtp_text_str(o, tp->src[k]);
		return true;
	}
	return false;
}

bool gtp_upload_piece_text(struct gtp_text *o, const struct gtp_trace *t,
			   u32 *tp_idx, u32 *piece)
{
	for (; *tp_idx < t->nr_tps; (*tp_idx)++, *piece = 0)
		if (tp_piece(o, t->tps[*tp_idx], (*piece)++, true))
			return true;
	return false;
}

void gtp_tsv_text(struct gtp_text *o, const struct gtp_tsv *v)
{
	gtp_text_u64(o, v->num);
	gtp_text_char(o, ':');
	gtp_text_u64(o, (u64)v->init);
	gtp_text_str(o, v->builtin ? ":1:" : ":0:");
	gtp_text_str(o, v->name);
}

/*
 * End the line that began at @start.  A line too long for GDB is taken
 * back whole, and false returned: the caller writes it shorter or not
 * at all.
 */
static bool line_end(struct gtp_text *o, size_t start)
{
	if (o->len - start > GTP_TFILE_LINE_MAX) {
		o->len = start;
		return false;
	}
	gtp_text_char(o, '\n');
	return true;
}

static void tdesc_lines(struct gtp_text *o, const char *tdesc)
{
	const char *nl;
	size_t start;

	while (*tdesc) {
		nl = strchr(tdesc, '\n');
		if (!nl)
			nl = tdesc + strlen(tdesc);
		start = o->len;
		gtp_text_str(o, "tdesc ");
		gtp_text_mem(o, tdesc, nl - tdesc);
		line_end(o, start);
		tdesc = *nl ? nl + 1 : nl;
	}
}

static void tp_lines(struct gtp_text *o, const struct gtp_trace *t,
		     const struct gtp_tracepoint *tp)
{
	struct gtp_tp_stats st;
	size_t start = o->len;
	u32 k;

	gtp_text_str(o, "tp ");
	tp_piece(o, tp, 0, true);
	if (!line_end(o, start)) {
		/* The condition is for hits; reading frames needs none. */
		gtp_text_str(o, "tp ");
		tp_piece(o, tp, 0, false);
		line_end(o, start);
	}
	for (k = 1;; k++) {
		start = o->len;
		gtp_text_str(o, "tp ");
		if (!tp_piece(o, tp, k, true)) {
			o->len = start;
			break;
		}
		line_end(o, start);
	}
	/* Hits and bytes used, which GDB shows in `info tracepoints`. */
	start = o->len;
	gtp_text_str(o, "tp V");
	tp_id(o, tp);
	gtp_text_char(o, ':');
	gtp_tracepoint_stats(t, tp, &st);
	gtp_text_u64(o, st.hits);
	gtp_text_char(o, ':');
	gtp_text_u64(o, st.bytes);
	line_end(o, start);
}

static void tfile_header(struct gtp_text *o, const struct gtp_trace *t,
			 u32 reg_block_size, const char *tdesc)
{
	size_t start;
	u32 i;

	gtp_text_mem(o, GTP_TFILE_MAGIC, GTP_TFILE_MAGIC_LEN);
	gtp_text_str(o, "R ");
	gtp_text_u64(o, reg_block_size);
	gtp_text_char(o, '\n');
	if (tdesc)
		tdesc_lines(o, tdesc);

	start = o->len;
	gtp_text_str(o, "status ");
	gtp_status_text(o, t, true);
	if (!line_end(o, start)) {
		gtp_text_str(o, "status ");
		gtp_status_text(o, t, false);
		line_end(o, start);
	}

	for (i = 0; i < t->nr_tsvs; i++) {
		start = o->len;
		gtp_text_str(o, "tsv ");
		gtp_tsv_text(o, &t->tsvs[i]);
		line_end(o, start);
	}
	for (i = 0; i < t->nr_tps; i++)
		tp_lines(o, t, t->tps[i]);
	gtp_text_char(o, '\n');
}

s64 gtp_tfile_header(const struct gtp_trace *t, u32 reg_block_size,
		     const char *tdesc, char *buf, size_t size)
{
	struct gtp_text o;

	gtp_text_init(&o, buf, size);
	tfile_header(&o, t, reg_block_size, tdesc);
	if (gtp_text_overflow(&o))
		return -E2BIG;
	return (s64)o.len;
}

size_t gtp_tfile_header_size(const struct gtp_trace *t, u32 reg_block_size,
			     const char *tdesc)
{
	struct gtp_text o;

	gtp_text_init(&o, NULL, 0);
	tfile_header(&o, t, reg_block_size, tdesc);
	return o.len;
}
