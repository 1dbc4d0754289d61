// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the GDB remote protocol as GDB's byte stream reaches
 * it, through a session with a trace attached (proto/rsp.c, packets.c,
 * trace_packets.c, frames.c, tfile.c, trace.c and rb/ underneath).
 *
 * The input is what GDB would write; the seeds are real GDB sessions.
 * Bits of a hash of the input choose how it is sent: half the inputs go
 * with the checksum of every packet mended (so that mutations inside
 * packets are not all dropped as bad checksums) and, apart from that,
 * half to a target with registers and writable memory, half to one that
 * has neither, like the live kernel.  A fake
 * agent (tests/fuzz/fuzz.h) arms probes, and after every packet the
 * first HITS_MAX armed tracepoints fire, so QTFrame, m, g, qTV, qTBuffer
 * and qXfer:traceframe-info find frames to read.  A QTBuffer:size larger
 * than FZ_RB_MAX is cut down to it, as if memory had run out there.
 *
 * Each input runs twice on a fresh session: once fed whole and drained
 * completely, once in chunks whose sizes a PRNG seeded with the input's
 * hash picks (1 byte to all of it), with the output drained a little at
 * a time.  Checked:
 *
 * - the output is a sequence of '+', '-' and "$<payload>#<checksum>"
 *   with the right checksum, the payload escaped ('$', '#', '*' never
 *   bare; '}' only before an escaped one of '$', '#', '}', '*') and no
 *   longer than the PacketSize qSupported advertises (RSP_PACKET_MAX)
 *   nor than the reply buffer (RSP_REPLY_MAX);
 * - an error reply is exactly 'E' and two hex digits, or "E." and text;
 * - both runs produce the same bytes: neither the chunking of the input
 *   nor the draining of the output changes what is sent;
 * - no probe is left armed or armed twice, nothing leaks (LeakSanitizer).
 */
#include <stdio.h>
#include <stdlib.h>

#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/rsp.h"
#include "proto/trace.h"
#include "tests/fuzz/fuzz.h"

#define FZ_RB_DEFAULT	(64 * 1024)
#define FZ_RB_MAX	(256 * 1024)
/* Output compared and checked per run; '-' resends make it grow fast. */
#define OUT_CAP		(4 * 1024 * 1024)
/* Tracepoints that fire after a packet. */
#define HITS_MAX	8

/* Parser of the session's output, fed as it is drained. */
struct out_check {
	enum { OC_IDLE, OC_PAYLOAD, OC_ESCAPE, OC_CSUM_HI, OC_CSUM_LO } st;
	u8 sum;
	u8 csum;
	size_t sent;		/* payload bytes as sent */
	size_t dec_len;		/* decoded payload bytes */
	char dec[4];		/* the first decoded bytes */
	u64 total;		/* output bytes seen */
	u64 hash;		/* of the first OUT_CAP of them */
	u64 replies;
};

struct run {
	struct rsp_session s;	/* first: the handlers' context */
	struct fz_agent a;
	struct rsp_target_ops ops;
	struct rsp_handlers h;
	const struct rsp_handlers *orig;
	struct out_check oc;
	int detaches;
};

static FZ_NO_COVERAGE bool escaped_byte(u8 b)
{
	return b == '$' || b == '#' || b == '}' || b == '*';
}

static FZ_NO_COVERAGE void reply_done(struct out_check *oc)
{
	size_t n = min_t(size_t, oc->dec_len, sizeof(oc->dec));

	oc->replies++;
	if (!n || oc->dec[0] != 'E')
		return;
	/* "Exx", or "E.<text>" for the tracepoint packets. */
	if (n >= 2 && oc->dec[1] == '.')
		return;
	FZ_CHECK(oc->dec_len == 3 && rsp_hex_val(oc->dec[1]) >= 0 &&
		 rsp_hex_val(oc->dec[2]) >= 0,
		 "reply starting with 'E' is not an error (%zu bytes)",
		 oc->dec_len);
}

static FZ_NO_COVERAGE void dec_put(struct out_check *oc, u8 b)
{
	if (oc->dec_len < sizeof(oc->dec))
		oc->dec[oc->dec_len] = (char)b;
	oc->dec_len++;
}

static FZ_NO_COVERAGE void out_byte(struct out_check *oc, u8 b)
{
	if (oc->total < OUT_CAP)
		oc->hash = (oc->hash ^ b) * 0x100000001b3ULL;
	oc->total++;

	switch (oc->st) {
	case OC_IDLE:
		FZ_CHECK(b == '+' || b == '-' || b == '$',
			 "byte 0x%02x between packets", b);
		if (b == '$') {
			oc->st = OC_PAYLOAD;
			oc->sum = 0;
			oc->sent = 0;
			oc->dec_len = 0;
		}
		return;
	case OC_PAYLOAD:
		FZ_CHECK(b != '$' && b != '*', "bare '%c' in a reply", b);
		if (b == '#') {
			oc->st = OC_CSUM_HI;
			return;
		}
		break;
	case OC_ESCAPE:
		FZ_CHECK(escaped_byte(b ^ 0x20),
			 "'}' escapes 0x%02x, which needs no escape", b ^ 0x20);
		dec_put(oc, b ^ 0x20);
		oc->st = OC_PAYLOAD;
		oc->sum += b;
		oc->sent++;
		goto length;
	case OC_CSUM_HI:
	case OC_CSUM_LO:
		FZ_CHECK(rsp_hex_val(b) >= 0, "checksum digit 0x%02x", b);
		oc->csum = (u8)(oc->csum << 4 | rsp_hex_val(b));
		if (oc->st == OC_CSUM_HI) {
			oc->st = OC_CSUM_LO;
			return;
		}
		FZ_CHECK(oc->csum == oc->sum,
			 "checksum %02x, payload sums to %02x", oc->csum,
			 oc->sum);
		reply_done(oc);
		oc->st = OC_IDLE;
		return;
	}
	/* A payload byte. */
	oc->sum += b;
	oc->sent++;
	if (b == '}')
		oc->st = OC_ESCAPE;
	else
		dec_put(oc, b);
length:
	FZ_CHECK(oc->sent <= RSP_PACKET_MAX && oc->sent <= RSP_REPLY_MAX,
		 "reply longer than the advertised PacketSize (%d bytes)",
		 RSP_PACKET_MAX);
}

/* Move up to @max bytes of output through the checker. */
static FZ_NO_COVERAGE void drain(struct run *r, size_t max)
{
	u8 buf[4096];
	size_t n, i;

	while (max) {
		n = rsp_output(&r->s.conn, buf,
			       min_t(size_t, max, sizeof(buf)));
		if (!n)
			break;
		for (i = 0; i < n; i++)
			out_byte(&r->oc, buf[i]);
		max -= n;
	}
	FZ_CHECK(rsp_output_pending(&r->s.conn) <= RSP_OUTQ_SIZE,
		 "output queue holds %zu bytes",
		 rsp_output_pending(&r->s.conn));
}

/* ---- the target ---- */

static size_t target_read(void *target, u64 addr, void *buf, size_t len)
{
	return fz_mem_copy(buf, addr, len);
}

/* Writes are accepted in the low region only. */
static int target_write(void *target, u64 addr, const void *buf, size_t len)
{
	if (addr < FZ_LOW || addr >= FZ_LOW + FZ_LOW_SIZE ||
	    len > FZ_LOW + FZ_LOW_SIZE - addr)
		return -EFAULT;
	return 0;
}

static bool target_regs(void *target, u8 *buf, u8 *valid, size_t size)
{
	struct run *r = target;
	size_t n = min_t(size_t, size, FZ_G_SIZE);

	memcpy(buf, r->a.g, n);
	/* The x87 and SSE registers are not available. */
	memset(valid, 1, min_t(size_t, n, 160));
	return true;
}

static void target_detach(void *target)
{
	struct run *r = target;

	r->detaches++;
}

/*
 * After each packet, as the agent would between packets: finish a stop
 * the hit path asked for, keep the buffer size within bounds, and let
 * the armed tracepoints fire.
 */
static void after_packet(struct run *r)
{
	struct gtp_trace *t = &r->a.t;
	u32 i, fired = 0;

	if (t->buffer_size > FZ_RB_MAX)
		t->buffer_size = FZ_RB_MAX;
	fz_agent_poll(&r->a);
	for (i = 0; i < t->nr_tps && fired < HITS_MAX; i++)
		fired += fz_hit(&r->a, t->tps[i], i);
	fz_agent_poll(&r->a);
}

static void run_packet(void *ctx, struct rsp_conn *c, char *pkt, size_t len)
{
	struct run *r = ctx;

	r->orig->packet(ctx, c, pkt, len);
	after_packet(r);
}

static void run_interrupt(void *ctx, struct rsp_conn *c)
{
	struct run *r = ctx;

	if (r->orig->interrupt)
		r->orig->interrupt(ctx, c);
}

/*
 * The two sessions of an input live in static storage: they are large,
 * and allocating them afresh for every input (mapped and unmapped under
 * ASan) cost more than the code under test.
 */
static struct run runs[2];

static struct run *run_new(int i, bool rich)
{
	struct run *r = &runs[i];

	memset(r, 0, sizeof(*r));
	r->ops.reg_block_size = FZ_G_SIZE;
	r->ops.pc_offset = FZ_PC_OFF;
	r->ops.pc_size = RSP_PC_SIZE_X86_64;
	r->ops.target_xml = rsp_target_xml_x86_64_linux;
	r->ops.read_memory = target_read;
	r->ops.detach = target_detach;
	/* The live kernel has no registers; some agents might. */
	if (rich) {
		r->ops.write_memory = target_write;
		r->ops.read_registers = target_regs;
	}
	fz_agent_init(&r->a, FZ_RB_DEFAULT, false);
	rsp_session_init(&r->s, &r->ops, r);
	r->s.trace = &r->a.t;
	r->orig = r->s.conn.handlers;
	r->h.packet = run_packet;
	r->h.interrupt = run_interrupt;
	r->s.conn.handlers = &r->h;
	r->oc.hash = 0xcbf29ce484222325ULL;
	return r;
}

static void run_free(struct run *r)
{
	fz_agent_release(&r->a);
}

/* The whole input at once, the output drained after every call. */
static void feed_whole(struct run *r, const u8 *data, size_t size)
{
	size_t done = 0;

	while (done < size && r->oc.total < OUT_CAP) {
		done += rsp_input(&r->s.conn, data + done, size - done);
		drain(r, SIZE_MAX);
	}
}

/* Chunks of sizes the PRNG picks; the output drained bit by bit. */
static void feed_chunked(struct run *r, const u8 *data, size_t size,
			 u64 seed)
{
	size_t done = 0, chunk, n, out;
	u64 rnd;

	while (done < size && r->oc.total < OUT_CAP) {
		rnd = fz_rand(&seed);
		switch (rnd & 3) {
		case 0:
			chunk = 1;
			break;
		case 1:
			chunk = 1 + (rnd >> 8) % 16;
			break;
		case 2:
			chunk = 1 + (rnd >> 8) % 4096;
			break;
		default:
			chunk = size - done;
			break;
		}
		chunk = min_t(size_t, chunk, size - done);
		n = rsp_input(&r->s.conn, data + done, chunk);
		done += n;
		switch ((rnd >> 2) & 3) {
		case 0:
			out = 0;
			break;
		case 1:
			out = 1 + (rnd >> 24) % 64;
			break;
		case 2:
			out = 1 + (rnd >> 24) % RSP_EVENT_MAX;
			break;
		default:
			out = SIZE_MAX;
			break;
		}
		/* A full queue refused input: make room. */
		if (n < chunk && !out)
			out = 1 + (rnd >> 24) % RSP_EVENT_MAX;
		drain(r, out);
	}
	drain(r, SIZE_MAX);
}

/*
 * Give every packet of @buf its right checksum, so that mutated payloads
 * reach the packet handlers instead of all ending as bad checksums.
 */
static FZ_NO_COVERAGE void fix_checksums(u8 *buf, size_t size)
{
	size_t i;
	bool in = false;
	u8 sum = 0;

	for (i = 0; i < size; i++) {
		if (buf[i] == '$') {
			in = true;
			sum = 0;
		} else if (in && buf[i] == '#') {
			in = false;
			if (i + 2 < size && buf[i + 1] != '$' &&
			    buf[i + 2] != '$') {
				buf[i + 1] = (u8)rsp_hex_digit(sum >> 4);
				buf[i + 2] = (u8)rsp_hex_digit(sum);
				i += 2;
			}
		} else if (in) {
			sum += buf[i];
		}
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u64 seed = fz_hash(data, size);
	bool rich = seed & 1;
	struct run *a, *b;
	u8 *copy = NULL;

	/* Half the inputs as they are, half with their checksums mended. */
	if (seed & 2) {
		copy = malloc(size ? size : 1);
		FZ_CHECK(copy, "out of memory");
		memcpy(copy, data, size);
		fix_checksums(copy, size);
		data = copy;
	}
	a = run_new(0, rich);
	feed_whole(a, data, size);
	b = run_new(1, rich);
	feed_chunked(b, data, size, seed);

	FZ_CHECK(min_t(u64, a->oc.total, OUT_CAP) ==
		 min_t(u64, b->oc.total, OUT_CAP),
		 "chunked input gave %llu output bytes, whole input %llu",
		 (unsigned long long)b->oc.total,
		 (unsigned long long)a->oc.total);
	FZ_CHECK(a->oc.hash == b->oc.hash,
		 "chunked input gave other output than whole input");
	FZ_CHECK(a->oc.st == OC_IDLE && b->oc.st == OC_IDLE,
		 "output ends inside a reply");
	if (a->oc.total < OUT_CAP) {
		FZ_CHECK(a->detaches == b->detaches,
			 "detach called %d times, then %d", a->detaches,
			 b->detaches);
	}
	run_free(a);
	run_free(b);
	free(copy);
	return 0;
}
