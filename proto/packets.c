// SPDX-License-Identifier: GPL-2.0
/*
 * GDB remote protocol: packet dispatch and the base packets a
 * `target remote` session needs (qSupported, ?, g, m, M, X, H, q...).
 *
 * The agent is a live kernel that never stops: there are no threads and
 * nothing to resume.  GDB is told of one stopped process (S05) with no
 * thread list, attached (so detaching does not kill anything), whose
 * registers are unavailable, bar a zero PC, until a trace frame is
 * selected.  Resuming (c, s) is refused.
 */
#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/rsp.h"
#include "proto/trace.h"

/*
 * Without an executable GDB assumes i386 and refuses a 560-byte `g`
 * block; naming the architecture and OS ABI is enough for GDB to use its
 * own x86-64 GNU/Linux register set.
 */
const char rsp_target_xml_x86_64_linux[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target>\n"
	"  <architecture>i386:x86-64</architecture>\n"
	"  <osabi>GNU/Linux</osabi>\n"
	"</target>\n";

/* ---- argument parsing ---- */

/*
 * Parse "<addr>,<len>" at the start of @args, followed by @stop (':') or
 * by the end of the packet when @stop is 0.  On success *@rest points
 * after @stop.
 */
static bool parse_addr_len(const char *args, size_t len, char stop,
			   u64 *addr, u64 *count, const char **rest)
{
	const char *p = args, *end = args + len;

	if (!rsp_parse_u64(&p, end, addr) || p == end || *p++ != ',')
		return false;
	if (!rsp_parse_u64(&p, end, count))
		return false;
	if (!stop)
		return p == end;
	if (p == end || *p++ != stop)
		return false;
	*rest = p;
	return true;
}

/* Bytes from @addr to the top of the address space, saturated. */
static u64 room_to_top(u64 addr)
{
	return addr ? 0 - addr : ~(u64)0;
}

/* ---- stop state, threads, process ---- */

static void pkt_stop_reason(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_str(&s->conn, "S05");
}

static void pkt_set_thread(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_ok(&s->conn);
}

static void pkt_thread_list(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_str(&s->conn, "l");
}

static void pkt_attached(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_str(&s->conn, "1");
}

static void pkt_offsets(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_str(&s->conn, "Text=0;Data=0;Bss=0");
}

static void pkt_symbol(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_ok(&s->conn);
}

/*
 * GDB leaves (D, k).  A bridge (nc, a serial line) may keep the endpoint
 * open for the next GDB, so the agent cannot rely on the file's close:
 * a run GDB did not ask to outlive it stops here, as with gdbserver.
 */
static void end_session(struct rsp_session *s)
{
	if (s->trace && s->trace->state == GTP_RUNNING &&
	    !s->trace->disconnected)
		gtp_trace_stop(s->trace, GTP_STOP_DISCONNECTED);
	if (!s->detached && s->ops->detach)
		s->ops->detach(s->target);
	s->detached = true;
}

/*
 * c, C, s, S: nothing to resume.  GDB takes an error reply to a resume as
 * "stopped", warns "Remote failure reply: E01" and gives the prompt back;
 * an empty reply would leave it waiting for a stop that never comes.
 */
static void pkt_resume(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_error(&s->conn, RSP_EPERM);
}

static void pkt_detach(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_ok(&s->conn);
	end_session(s);
}

static void pkt_kill(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_none(&s->conn);
	end_session(s);
}

/* ---- features ---- */

static void pkt_supported(struct rsp_session *s, char *args, size_t len)
{
	/* A new GDB: nothing of the previous one's selections remains. */
	s->frame = -1;
	s->detached = false;
	/* GDB's own features (multiprocess+, swbreak+, ...) are ignored. */
	rsp_reply_str(&s->conn, "PacketSize=");
	rsp_reply_u64(&s->conn, RSP_PACKET_MAX);
	rsp_reply_str(&s->conn, ";QStartNoAckMode+");
	if (s->trace) {
		static const char *const features[] = {
			"ConditionalTracepoints+", "TracepointSource+",
			"DisconnectedTracing+", "QTBuffer:size+",
			"qXfer:traceframe-info:read+", "InstallInTrace+",
			"EnableDisableTracepoints+", "tracenz+",
		};
		size_t i;

		for (i = 0; i < ARRAY_SIZE(features); i++) {
			rsp_reply_char(&s->conn, ';');
			rsp_reply_str(&s->conn, features[i]);
		}
	}
	if (s->ops->target_xml)
		rsp_reply_str(&s->conn, ";qXfer:features:read+");
}

/*
 * Serve @len bytes of @obj from @off as a qXfer reply: 'm' and data when
 * more follows, 'l' and data for the last piece.
 */
static void xfer_reply(struct rsp_conn *c, const char *obj, size_t size,
		       u64 off, u64 len)
{
	size_t n, sent;

	if (off >= size) {
		rsp_reply_str(c, "l");
		return;
	}
	n = (size_t)min_t(u64, len, size - off);
	rsp_reply_char(c, 'm');
	sent = rsp_reply_bin(c, obj + off, n);
	/* The reply was empty: the marker is its first byte. */
	if (off + sent == size)
		c->reply[0] = 'l';
}

/* qXfer:features:read:<annex>:<offset>,<length> */
static void pkt_xfer_features(struct rsp_session *s, char *args, size_t len)
{
	static const char annex[] = ":target.xml:";
	const size_t annex_len = sizeof(annex) - 1;
	const char *xml = s->ops->target_xml;
	const char *p, *end = args + len;
	u64 off, count;

	if (!xml) {
		/* Not advertised: as if unknown. */
		return;
	}
	if (len < annex_len || memcmp(args, annex, annex_len))
		goto invalid;
	p = args + annex_len;
	if (!rsp_parse_u64(&p, end, &off) || p == end || *p++ != ',' ||
	    !rsp_parse_u64(&p, end, &count) || p != end)
		goto invalid;
	xfer_reply(&s->conn, xml, strlen(xml), off, count);
	return;
invalid:
	rsp_reply_error(&s->conn, RSP_EINVAL);
}

static void pkt_start_noack(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_ok(&s->conn);
	rsp_set_noack(&s->conn);
}

static void pkt_must_reply_empty(struct rsp_session *s, char *args,
				 size_t len)
{
}

/* ---- registers ---- */

static void pkt_read_regs(struct rsp_session *s, char *args, size_t len)
{
	const struct rsp_target_ops *ops = s->ops;
	size_t size = min_t(size_t, ops->reg_block_size, RSP_REG_BLOCK_MAX);
	size_t i;

	memset(s->regs, 0, size);
	memset(s->regs_valid, 0, size);
	if (rsp_frame_read_registers(s, size))
		return;
	if (!ops->read_registers ||
	    !ops->read_registers(s->target, s->regs, s->regs_valid, size)) {
		/* No registers: only a zero PC, which GDB insists on. */
		memset(s->regs_valid, 0, size);
		if (ops->pc_size && ops->pc_offset < size &&
		    ops->pc_size <= size - ops->pc_offset) {
			memset(s->regs + ops->pc_offset, 0, ops->pc_size);
			memset(s->regs_valid + ops->pc_offset, 1, ops->pc_size);
		}
	}
	for (i = 0; i < size; i++) {
		if (s->regs_valid[i])
			rsp_reply_hex(&s->conn, &s->regs[i], 1);
		else
			rsp_reply_str(&s->conn, "xx");
	}
}

static void pkt_write_regs(struct rsp_session *s, char *args, size_t len)
{
	rsp_reply_error(&s->conn, RSP_EPERM);
}

/* ---- memory ---- */

static void pkt_read_mem(struct rsp_session *s, char *args, size_t len)
{
	u64 addr, count;
	size_t n;

	if (!parse_addr_len(args, len, 0, &addr, &count, NULL)) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	/* A shorter reply is fine: GDB asks again for the rest. */
	count = min_t(u64, count, sizeof(s->mem));
	count = min_t(u64, count, rsp_reply_room(&s->conn) / 2);
	count = min_t(u64, count, room_to_top(addr));
	if (!count)
		return;
	if (rsp_frame_read_memory(s, addr, count))
		return;
	n = 0;
	if (s->ops->read_memory)
		n = s->ops->read_memory(s->target, addr, s->mem, (size_t)count);
	if (!n || n > count) {
		rsp_reply_error(&s->conn, RSP_EFAULT);
		return;
	}
	rsp_reply_hex(&s->conn, s->mem, n);
}

static void write_mem(struct rsp_session *s, u64 addr, const u8 *data,
		      size_t count)
{
	int err;

	if (!count) {
		rsp_reply_ok(&s->conn);
		return;
	}
	if (!s->ops->write_memory) {
		rsp_reply_error(&s->conn, RSP_EPERM);
		return;
	}
	/* A frame is history: writing "into" it means nothing (gdbserver). */
	if (s->frame >= 0) {
		rsp_reply_error(&s->conn, RSP_EFAULT);
		return;
	}
	if (count > room_to_top(addr)) {
		rsp_reply_error(&s->conn, RSP_EFAULT);
		return;
	}
	err = s->ops->write_memory(s->target, addr, data, count);
	if (err == -EPERM)
		rsp_reply_error(&s->conn, RSP_EPERM);
	else if (err)
		rsp_reply_error(&s->conn, RSP_EFAULT);
	else
		rsp_reply_ok(&s->conn);
}

/* M<addr>,<len>:<hex bytes> */
static void pkt_write_mem_hex(struct rsp_session *s, char *args, size_t len)
{
	const char *data;
	u64 addr, count;

	if (!parse_addr_len(args, len, ':', &addr, &count, &data) ||
	    count > len || (u64)(args + len - data) != 2 * count ||
	    !rsp_hex_decode((u8 *)args, data, (size_t)count)) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	write_mem(s, addr, (const u8 *)args, (size_t)count);
}

/* X<addr>,<len>:<binary bytes, already unescaped by the packet stream> */
static void pkt_write_mem_bin(struct rsp_session *s, char *args, size_t len)
{
	const char *data;
	u64 addr, count;

	if (!parse_addr_len(args, len, ':', &addr, &count, &data) ||
	    (u64)(args + len - data) != count) {
		rsp_reply_error(&s->conn, RSP_EINVAL);
		return;
	}
	write_mem(s, addr, (const u8 *)data, (size_t)count);
}

/* ---- dispatch ---- */

static const struct rsp_packet_def base_packets[] = {
	{ "?",			RSP_MATCH_NAME,		pkt_stop_reason },
	{ "c",			RSP_MATCH_PREFIX,	pkt_resume },
	{ "C",			RSP_MATCH_PREFIX,	pkt_resume },
	{ "D",			RSP_MATCH_PREFIX,	pkt_detach },
	{ "g",			RSP_MATCH_NAME,		pkt_read_regs },
	{ "G",			RSP_MATCH_PREFIX,	pkt_write_regs },
	{ "H",			RSP_MATCH_PREFIX,	pkt_set_thread },
	{ "k",			RSP_MATCH_NAME,		pkt_kill },
	{ "m",			RSP_MATCH_PREFIX,	pkt_read_mem },
	{ "M",			RSP_MATCH_PREFIX,	pkt_write_mem_hex },
	{ "X",			RSP_MATCH_PREFIX,	pkt_write_mem_bin },
	{ "s",			RSP_MATCH_PREFIX,	pkt_resume },
	{ "S",			RSP_MATCH_PREFIX,	pkt_resume },
	{ "qAttached",		RSP_MATCH_NAME,		pkt_attached },
	{ "qfThreadInfo",	RSP_MATCH_NAME,		pkt_thread_list },
	{ "qsThreadInfo",	RSP_MATCH_NAME,		pkt_thread_list },
	{ "qOffsets",		RSP_MATCH_NAME,		pkt_offsets },
	{ "qSupported",		RSP_MATCH_NAME,		pkt_supported },
	{ "qSymbol",		RSP_MATCH_NAME,		pkt_symbol },
	{ "QStartNoAckMode",	RSP_MATCH_NAME,		pkt_start_noack },
	{ "vMustReplyEmpty",	RSP_MATCH_NAME,		pkt_must_reply_empty },
	{ "qXfer:features:read", RSP_MATCH_NAME,	pkt_xfer_features },
};

static bool name_matches(const struct rsp_packet_def *def, const char *pkt,
			 size_t len)
{
	size_t n = strlen(def->name);

	if (n > len || memcmp(pkt, def->name, n))
		return false;
	if (def->match == RSP_MATCH_PREFIX || n == len)
		return true;
	return pkt[n] == ':' || pkt[n] == ';' || pkt[n] == ',';
}

const struct rsp_packet_def *rsp_find_packet(const char *pkt, size_t len)
{
	static const struct {
		const struct rsp_packet_def *defs;
		const size_t *n;
	} tables[] = {
		{ rsp_trace_packets, &rsp_nr_trace_packets },
		{ rsp_frame_packets, &rsp_nr_frame_packets },
	};
	size_t i, t;

	for (i = 0; i < ARRAY_SIZE(base_packets); i++)
		if (name_matches(&base_packets[i], pkt, len))
			return &base_packets[i];
	for (t = 0; t < ARRAY_SIZE(tables); t++)
		for (i = 0; i < *tables[t].n; i++)
			if (name_matches(&tables[t].defs[i], pkt, len))
				return &tables[t].defs[i];
	return NULL;
}

static void session_packet(void *ctx, struct rsp_conn *c, char *pkt,
			   size_t len)
{
	struct rsp_session *s = ctx;
	const struct rsp_packet_def *def = rsp_find_packet(pkt, len);
	size_t n;

	if (!def)
		return;
	n = strlen(def->name);
	def->handle(s, pkt + n, len - n);
}

/* Ctrl-C: the kernel never stopped, but GDB waits for a stop reply. */
static void session_interrupt(void *ctx, struct rsp_conn *c)
{
	rsp_reply_str(c, "S02");
}

static const struct rsp_handlers session_handlers = {
	.packet = session_packet,
	.interrupt = session_interrupt,
};

void rsp_session_init(struct rsp_session *s, const struct rsp_target_ops *ops,
		      void *target)
{
	rsp_init(&s->conn, &session_handlers, s);
	s->ops = ops;
	s->target = target;
	s->detached = false;
	s->trace = NULL;
	s->frame = -1;
}
