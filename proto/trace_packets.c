// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint packets: how GDB's QT and qT packets map onto the trace
 * experiment (proto/trace.c).  Frame selection and what is read from a
 * selected frame live in proto/frames.c.
 *
 * A refused packet gets "E.<reason>", which GDB 13 shows the user as
 * "Target returns error code '.<reason>'"; the reason is also kept in
 * the trace's error note for the status file.  Packets refused before
 * any reason can be given (malformed references) get a plain E code.
 */
#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/tfile.h"
#include "proto/trace.h"

static bool have_trace(struct rsp_session *s)
{
	if (s->trace)
		return true;
	rsp_reply_error(&s->conn, RSP_EPERM);
	return false;
}

/*
 * Reply to a packet that changed the trace: OK, or the error with its
 * reason as text when there is one, for GDB to show.
 */
static void reply_result(struct rsp_session *s, int err, const char *why)
{
	if (!err) {
		rsp_reply_ok(&s->conn);
		return;
	}
	if (why) {
		if (why != s->trace->error)
			strscpy(s->trace->error, why,
				sizeof(s->trace->error));
		rsp_reply_error_text(&s->conn, why);
		return;
	}
	rsp_reply_error(&s->conn, err == -EBUSY ? RSP_EPERM :
				  err == -ENOMEM || err == -ENOSPC ? RSP_E2BIG :
				  RSP_EINVAL);
}

static void pkt_qtinit(struct rsp_session *s, char *args, size_t len)
{
	if (have_trace(s))
		reply_result(s, gtp_trace_clear(s->trace),
			     "QTinit while tracing");
}

/*
 * A packet of the form "<name>:<fields>" for the trace: true when both
 * hold, else the error reply is made.
 */
static bool trace_fields(struct rsp_session *s, const char *args, size_t len)
{
	if (!have_trace(s))
		return false;
	if (!len || *args != ':') {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return false;
	}
	return true;
}

static void pkt_qtdp(struct rsp_session *s, char *args, size_t len)
{
	const char *why = NULL;
	int err;

	if (!trace_fields(s, args, len))
		return;
	err = gtp_trace_define(s->trace, args + 1, len - 1, &why);
	reply_result(s, err, why);
}

static void pkt_qtdpsrc(struct rsp_session *s, char *args, size_t len)
{
	if (trace_fields(s, args, len))
		reply_result(s, gtp_trace_add_src(s->trace, args + 1, len - 1),
			     "bad QTDPsrc");
}

static void pkt_qtdv(struct rsp_session *s, char *args, size_t len)
{
	if (trace_fields(s, args, len))
		reply_result(s,
			     gtp_trace_define_tsv(s->trace, args + 1, len - 1),
			     "bad QTDV");
}

/* One ":lo,hi" of QTro at *@p. */
static bool parse_ro(const char **p, const char *end, u64 *lo, u64 *hi)
{
	return *p < end && *(*p)++ == ':' && rsp_parse_u64(p, end, lo) &&
	       *p < end && *(*p)++ == ',' && rsp_parse_u64(p, end, hi);
}

/*
 * QTro:lo,hi:lo,hi... read-only ranges served live while in a frame.
 * GDB sends every read-only section of the executable (a vmlinux has
 * more than GTP_MAX_RO) and ignores the reply: keep the first ones.
 */
static void pkt_qtro(struct rsp_session *s, char *args, size_t len)
{
	const char *p, *end = args + len;
	struct gtp_trace *t = s->trace;
	u64 lo, hi;
	u32 n = 0;

	if (!have_trace(s))
		return;
	for (p = args; p < end;) {
		if (!parse_ro(&p, end, &lo, &hi)) {
			rsp_reply_error(&s->conn, RSP_EINVAL);
			return;
		}
	}
	for (p = args; p < end && n < GTP_MAX_RO; n++)
		parse_ro(&p, end, &t->ro[n].lo, &t->ro[n].hi);
	t->nr_ro = n;
	rsp_reply_ok(&s->conn);
}

static bool parse_flag(const char *args, size_t len, const char *prefix,
		       bool *val)
{
	size_t n = strlen(prefix);

	if (len != n + 1 || memcmp(args, prefix, n) ||
	    (args[n] != '0' && args[n] != '1'))
		return false;
	*val = args[n] == '1';
	return true;
}

static void pkt_qtdisconnected(struct rsp_session *s, char *args, size_t len)
{
	if (!have_trace(s))
		return;
	if (!parse_flag(args, len, ":", &s->trace->disconnected))
		rsp_reply_error(&s->conn, RSP_EINVAL);
	else
		rsp_reply_ok(&s->conn);
}

/* QTBuffer:circular:0|1, QTBuffer:size:<hex>|-1 */
static void pkt_qtbuffer(struct rsp_session *s, char *args, size_t len)
{
	struct gtp_trace *t = s->trace;
	const char *p, *end = args + len;
	u64 size;

	if (!have_trace(s))
		return;
	if (parse_flag(args, len, ":circular:", &t->circular)) {
		rsp_reply_ok(&s->conn);
		return;
	}
	if (len > 6 && !memcmp(args, ":size:", 6)) {
		p = args + 6;
		if (end - p == 2 && !memcmp(p, "-1", 2)) {
			t->buffer_size = 0;
			rsp_reply_ok(&s->conn);
			return;
		}
		if (rsp_parse_u64(&p, end, &size) && p == end && size) {
			t->buffer_size = size;
			rsp_reply_ok(&s->conn);
			return;
		}
	}
	rsp_reply_error(&s->conn, RSP_EINVAL);
}

/* Copy a hex-encoded note into @dst as text, truncated to fit. */
static void set_note(char *dst, size_t size, const char *hex, size_t n)
{
	size_t bytes = min_t(size_t, n / 2, size - 1);

	if (!rsp_hex_decode((u8 *)dst, hex, bytes))
		bytes = 0;
	dst[bytes] = 0;
}

/* QTNotes:user:hex;notes:hex;tstop:hex; (any subset, values may be empty) */
static void pkt_qtnotes(struct rsp_session *s, char *args, size_t len)
{
	struct gtp_trace *t = s->trace;
	const char *p = args + 1, *end = args + len;

	if (!have_trace(s))
		return;
	if (!len || *args != ':') {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	while (p < end) {
		const char *colon = memchr(p, ':', end - p);
		const char *semi;
		size_t klen;

		if (!colon)
			break;
		semi = memchr(colon, ';', end - colon);
		if (!semi)
			semi = end;
		klen = colon - p;
		if (klen == 4 && !memcmp(p, "user", 4))
			set_note(t->user, sizeof(t->user), colon + 1,
				 semi - colon - 1);
		else if (klen == 5 && !memcmp(p, "notes", 5))
			set_note(t->notes, sizeof(t->notes), colon + 1,
				 semi - colon - 1);
		else if (klen == 5 && !memcmp(p, "tstop", 5))
			set_note(t->stop_note, sizeof(t->stop_note),
				 colon + 1, semi - colon - 1);
		p = semi + (semi < end);
	}
	rsp_reply_ok(&s->conn);
}

static void pkt_qtstart(struct rsp_session *s, char *args, size_t len)
{
	const char *why = NULL;
	int err;

	if (!have_trace(s))
		return;
	s->frame = -1;
	err = gtp_trace_start(s->trace, &why);
	reply_result(s, err, why);
}

static void pkt_qtstop(struct rsp_session *s, char *args, size_t len)
{
	if (have_trace(s))
		reply_result(s, gtp_trace_stop(s->trace, GTP_STOP_USER), NULL);
}

/*
 * Send text proto/tfile.c wrote to s->text.  Text too long for s->text
 * is too long for a reply too (both hold RSP_REPLY_MAX bytes): it fails
 * as any over-long reply does, with E07.
 */
static void reply_text(struct rsp_session *s, const struct gtp_text *o)
{
	if (gtp_text_overflow(o))
		rsp_reply_overflow(&s->conn);
	else
		rsp_reply_mem(&s->conn, o->buf, o->len);
}

static void pkt_qtstatus(struct rsp_session *s, char *args, size_t len)
{
	struct gtp_text o;

	if (!s->trace) {
		rsp_reply_str(&s->conn, "T0;tnotrun:0");
		return;
	}
	gtp_text_init(&o, s->text, sizeof(s->text));
	gtp_status_text(&o, s->trace, true);
	rsp_reply_char(&s->conn, 'T');
	reply_text(s, &o);
}

/*
 * ":n:addr", naming a tracepoint (qTP, QTEnable, QTDisable): true when
 * well formed, else the error reply is made.
 */
static bool parse_tp_ref(struct rsp_session *s, const char *args, size_t len,
			 u64 *num, u64 *addr)
{
	const char *p = args + 1, *end = args + len;

	if (!have_trace(s))
		return false;
	if (!len || *args != ':' || !rsp_parse_u64(&p, end, num) ||
	    p == end || *p++ != ':' || !rsp_parse_u64(&p, end, addr) ||
	    p != end) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return false;
	}
	return true;
}

/* qTP:n:addr -> V<hits>:<bytes>, both hex. */
static void pkt_qtp(struct rsp_session *s, char *args, size_t len)
{
	struct gtp_tp_stats st;
	struct gtp_tracepoint *tp;
	u64 num, addr;

	if (!parse_tp_ref(s, args, len, &num, &addr))
		return;
	tp = gtp_trace_find(s->trace, (u32)num);
	if (!tp || tp->addr != addr) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	gtp_tracepoint_stats(s->trace, tp, &st);
	rsp_reply_char(&s->conn, 'V');
	rsp_reply_u64(&s->conn, st.hits);
	rsp_reply_char(&s->conn, ':');
	rsp_reply_u64(&s->conn, st.bytes);
}

/* QTEnable:n:addr, QTDisable:n:addr */
static void enable(struct rsp_session *s, char *args, size_t len, bool on)
{
	const char *why = NULL;
	u64 num, addr;
	int err;

	if (!parse_tp_ref(s, args, len, &num, &addr))
		return;
	err = gtp_trace_enable(s->trace, (u32)num, addr, on, &why);
	reply_result(s, err, why);
}

static void pkt_qtenable(struct rsp_session *s, char *args, size_t len)
{
	enable(s, args, len, true);
}

static void pkt_qtdisable(struct rsp_session *s, char *args, size_t len)
{
	enable(s, args, len, false);
}

/* The next piece of the tracepoint upload; false past the last. */
static bool upload_piece(struct rsp_session *s)
{
	struct gtp_text o;

	gtp_text_init(&o, s->text, sizeof(s->text));
	if (!gtp_upload_piece_text(&o, s->trace, &s->up_tp, &s->up_piece))
		return false;
	reply_text(s, &o);
	return true;
}

static void pkt_qtfp(struct rsp_session *s, char *args, size_t len)
{
	s->up_tp = 0;
	s->up_piece = 0;
	if (!s->trace || !upload_piece(s))
		rsp_reply_str(&s->conn, "l");
}

static void pkt_qtsp(struct rsp_session *s, char *args, size_t len)
{
	if (!s->trace || !upload_piece(s))
		rsp_reply_str(&s->conn, "l");
}

/* n:init:builtin:hexname */
static void upload_tsv(struct rsp_session *s)
{
	struct gtp_text o;

	if (!s->trace || s->up_tsv >= s->trace->nr_tsvs) {
		rsp_reply_str(&s->conn, "l");
		return;
	}
	gtp_text_init(&o, s->text, sizeof(s->text));
	gtp_tsv_text(&o, &s->trace->tsvs[s->up_tsv++]);
	reply_text(s, &o);
}

static void pkt_qtfv(struct rsp_session *s, char *args, size_t len)
{
	s->up_tsv = 0;
	upload_tsv(s);
}

static void pkt_qtsv(struct rsp_session *s, char *args, size_t len)
{
	upload_tsv(s);
}

const struct rsp_packet_def rsp_trace_packets[] = {
	{ "QTinit",		RSP_MATCH_NAME,		pkt_qtinit },
	{ "QTDPsrc",		RSP_MATCH_NAME,		pkt_qtdpsrc },
	{ "QTDP",		RSP_MATCH_NAME,		pkt_qtdp },
	{ "QTDV",		RSP_MATCH_NAME,		pkt_qtdv },
	{ "QTro",		RSP_MATCH_NAME,		pkt_qtro },
	{ "QTDisconnected",	RSP_MATCH_NAME,		pkt_qtdisconnected },
	{ "QTBuffer",		RSP_MATCH_NAME,		pkt_qtbuffer },
	{ "QTNotes",		RSP_MATCH_NAME,		pkt_qtnotes },
	{ "QTStart",		RSP_MATCH_NAME,		pkt_qtstart },
	{ "QTStop",		RSP_MATCH_NAME,		pkt_qtstop },
	{ "qTStatus",		RSP_MATCH_NAME,		pkt_qtstatus },
	{ "qTP",		RSP_MATCH_NAME,		pkt_qtp },
	{ "QTEnable",		RSP_MATCH_NAME,		pkt_qtenable },
	{ "QTDisable",		RSP_MATCH_NAME,		pkt_qtdisable },
	{ "qTfV",		RSP_MATCH_NAME,		pkt_qtfv },
	{ "qTsV",		RSP_MATCH_NAME,		pkt_qtsv },
	{ "qTfP",		RSP_MATCH_NAME,		pkt_qtfp },
	{ "qTsP",		RSP_MATCH_NAME,		pkt_qtsp },
};

const size_t rsp_nr_trace_packets = ARRAY_SIZE(rsp_trace_packets);
