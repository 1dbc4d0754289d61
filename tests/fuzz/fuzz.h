/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared pieces of the libFuzzer targets (tests/fuzz/fuzz_*.c):
 *
 * - struct fz: a cursor over the fuzz input that hands out numbers and
 *   byte strings and gives zeros once the input runs out, so every input
 *   decodes to something;
 * - fz_fail(): report a broken invariant and abort, which libFuzzer
 *   records as a crash with the input that caused it;
 * - a fake kernel: readable regions at fixed addresses whose bytes follow
 *   from the address (fz_mem_byte()), with an unreadable page between
 *   them, read page-granularly as the agent's nofault copy does;
 * - a fake agent for struct gtp_trace_ops that checks probes are never
 *   armed twice and all removed in the end, and fires hits with an
 *   x86-64 `g` block whose rip is the tracepoint address.
 *
 * Everything is static: each target is one translation unit.
 */
#ifndef GTP_TESTS_FUZZ_H
#define GTP_TESTS_FUZZ_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "gtp_port.h"
#include "proto/packets.h"
#include "proto/trace.h"
#include "rb/rb.h"

/* ---- invariants ---- */

static inline void __attribute__((noreturn, format(printf, 1, 2)))
fz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FZ_CHECK(cond, ...) do { \
	if (!(cond)) \
		fz_fail(__VA_ARGS__); \
} while (0)

/* ---- input cursor ---- */

struct fz {
	const u8 *p;
	size_t left;
};

static inline void fz_init(struct fz *in, const u8 *data, size_t size)
{
	in->p = data;
	in->left = size;
}

static inline u8 fz_u8(struct fz *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* Little-endian, @bytes of them (at most 8). */
static inline u64 fz_uint(struct fz *in, int bytes)
{
	u64 v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (u64)fz_u8(in) << (8 * i);
	return v;
}

static inline u16 fz_u16(struct fz *in)
{
	return (u16)fz_uint(in, 2);
}

static inline u32 fz_u32(struct fz *in)
{
	return (u32)fz_uint(in, 4);
}

static inline u64 fz_u64(struct fz *in)
{
	return fz_uint(in, 8);
}

/* A byte string: a length byte, then up to that many bytes. */
static inline size_t fz_bytes(struct fz *in, const u8 **out, size_t max)
{
	size_t n = fz_u8(in);

	if (n > max)
		n = max;
	if (n > in->left)
		n = in->left;
	*out = in->p;
	in->p += n;
	in->left -= n;
	return n;
}

/* ---- a small PRNG, for choices derived from a whole input ---- */

static inline u64 fz_hash(const u8 *data, size_t size)
{
	u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	return h ? h : 1;
}

static inline u64 fz_rand(u64 *state)
{
	u64 x = *state;		/* xorshift64 */

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* ---- the fake kernel's memory ---- */

#define FZ_LOW		0x1000ULL		/* as in rsp_loopback */
#define FZ_LOW_SIZE	0x1000
#define FZ_TEXT		0xffffffff81000000ULL	/* kernel text */
#define FZ_TEXT_SIZE	0x2000
#define FZ_DATA		0xffffffff82000000ULL	/* data ... */
#define FZ_DATA_SIZE	0x8000
#define FZ_HOLE		(FZ_DATA + 0x3000)	/* ... one page unreadable */
#define FZ_HOLE_SIZE	0x1000
#define FZ_STR		(FZ_DATA + 0x6000)	/* a NUL-terminated string */
#define FZ_STACK	0xffffc90000010000ULL
#define FZ_STACK_SIZE	0x2000

static const char fz_str_text[] = "hello, kernel";

/*
 * The fake kernel and the byte-by-byte checks are the harness, not code
 * under test: keep their many comparisons out of the fuzzer's coverage
 * and comparison tracing, which would otherwise cost more than the code
 * under test.  Not inlined, which would bring the tracing back.
 */
#define FZ_NO_COVERAGE	__attribute__((no_sanitize("coverage"), noinline))

static inline u8 fz_mem_byte(u64 addr)
{
	if (addr >= FZ_STR && addr < FZ_STR + sizeof(fz_str_text))
		return (u8)fz_str_text[addr - FZ_STR];
	if (addr >= FZ_LOW && addr < FZ_LOW + FZ_LOW_SIZE)
		return (u8)addr;
	return (u8)(addr ^ (addr >> 8) * 3 ^ (addr >> 16) * 5);
}

/* Readable bytes from @addr on, up to the end of its region (0: none). */
static inline u64 fz_readable_run(u64 addr)
{
	if (addr >= FZ_LOW && addr < FZ_LOW + FZ_LOW_SIZE)
		return FZ_LOW + FZ_LOW_SIZE - addr;
	if (addr >= FZ_TEXT && addr < FZ_TEXT + FZ_TEXT_SIZE)
		return FZ_TEXT + FZ_TEXT_SIZE - addr;
	if (addr >= FZ_HOLE && addr < FZ_HOLE + FZ_HOLE_SIZE)
		return 0;
	if (addr >= FZ_DATA && addr < FZ_HOLE)
		return FZ_HOLE - addr;
	if (addr >= FZ_HOLE + FZ_HOLE_SIZE && addr < FZ_DATA + FZ_DATA_SIZE)
		return FZ_DATA + FZ_DATA_SIZE - addr;
	if (addr >= FZ_STACK && addr < FZ_STACK + FZ_STACK_SIZE)
		return FZ_STACK + FZ_STACK_SIZE - addr;
	return 0;
}

static inline bool fz_readable(u64 addr)
{
	return fz_readable_run(addr) != 0;
}

/*
 * Copy up to the first unreadable byte.  Regions end on page boundaries,
 * so a copy fails page-granularly, as rb/ assumes of the agent's.
 */
static FZ_NO_COVERAGE size_t fz_mem_copy(void *dst, u64 addr, size_t len)
{
	u64 n = fz_readable_run(addr);
	u8 *d = dst;
	size_t i;

	if (n > len)
		n = len;
	for (i = 0; i < n; i++)
		d[i] = fz_mem_byte(addr + i);
	return n;
}

/* rb_copy_fn of a hit. */
static inline size_t fz_copy(void *dst, u64 src, size_t len, void *ctx)
{
	return fz_mem_copy(dst, src, len);
}

/* ---- the fake agent ---- */

#define FZ_NR_CPUS	2
#define FZ_G_SIZE	RSP_REG_BLOCK_X86_64
#define FZ_PC_OFF	RSP_PC_OFFSET_X86_64
#define FZ_REG_RBP	6
#define FZ_REG_RSP	7

struct fz_agent {
	struct gtp_trace t;
	struct gtp_trace_ops tops;
	int armed;		/* probes installed and not removed */
	int double_arms;	/* arm() of a tracepoint already armed */
	int arm_calls;
	bool stop_requested;	/* the hit path asked for a stop */
	u32 arm_fail_mask;	/* arm() fails when (num & 31) is set here */
	u64 now;		/* now_us() */
	u64 ns;			/* time of the last hit */
	u8 g[FZ_G_SIZE];
};

static inline void fz_put_le(u8 *dst, u64 val, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++, val >>= 8)
		dst[i] = (u8)val;
}

static inline u64 fz_get_le(const u8 *src, int bytes)
{
	u64 val = 0;
	int i;

	for (i = 0; i < bytes; i++)
		val |= (u64)src[i] << (8 * i);
	return val;
}

static inline int fz_arm(void *target, struct gtp_tracepoint *tp)
{
	struct fz_agent *a = target;

	a->arm_calls++;
	if (tp->probe)
		a->double_arms++;
	if (a->arm_fail_mask & (1u << (tp->num & 31)))
		return -EINVAL;
	if (!tp->probe)
		a->armed++;
	tp->probe = a;
	return 0;
}

static inline void fz_disarm(void *target, struct gtp_tracepoint *tp)
{
	struct fz_agent *a = target;

	if (tp->probe)
		a->armed--;
	tp->probe = NULL;
}

static inline u64 fz_now(void *target)
{
	struct fz_agent *a = target;

	return ++a->now;
}

static inline void fz_stop_request(void *target)
{
	struct fz_agent *a = target;

	a->stop_requested = true;
}

/* The `g` block of a hit: registers with recognisable values. */
static inline void fz_make_g(u8 *g)
{
	int i;

	for (i = 0; i < 16; i++)
		fz_put_le(g + 8 * i, 0x0101010101010101ULL * (i + 1), 8);
	fz_put_le(g + 8 * FZ_REG_RBP, FZ_STACK + 0x800, 8);
	fz_put_le(g + 8 * FZ_REG_RSP, FZ_STACK + 0x100, 8);
	for (i = FZ_PC_OFF; i < FZ_G_SIZE; i++)
		g[i] = (u8)(i * 7);
}

/*
 * Start a trace of @default_size bytes.  Targets keep their agents in
 * static storage, reused from input to input: ASan guards a global with
 * redzones as it does a heap block, and the buffers the trace allocates
 * are fresh heap blocks for every input.
 */
static inline void fz_agent_init(struct fz_agent *a, u64 default_size,
				 bool circular)
{
	memset(a, 0, sizeof(*a));
	a->tops.arm = fz_arm;
	a->tops.disarm = fz_disarm;
	a->tops.now_us = fz_now;
	a->tops.stop_request = fz_stop_request;
	fz_make_g(a->g);
	gtp_trace_init(&a->t, &a->tops, a, FZ_NR_CPUS, default_size,
		       circular);
}

/* What the agent does when the hit path asked for a stop. */
static inline void fz_agent_poll(struct fz_agent *a)
{
	if (!a->stop_requested)
		return;
	a->stop_requested = false;
	gtp_trace_stop(&a->t, GTP_STOP_NONE);
}

/*
 * Tracepoint @tp fires on @cpu, if its probe is armed (only armed probes
 * fire).  Returns whether it fired.
 */
static inline bool fz_hit(struct fz_agent *a, struct gtp_tracepoint *tp,
			  u32 cpu)
{
	struct gtp_hit h = {
		.cpu = cpu % FZ_NR_CPUS,
		.regs = a->g,
		.regs_size = FZ_G_SIZE,
		.task = 0xffff888012345678ULL,
		.pid = 4321,
		.copy = fz_copy,
		.copy_ctx = a,
	};

	if (!tp->probe)
		return false;
	h.time = a->ns += 1000;
	fz_put_le(a->g + FZ_PC_OFF, tp->addr, 8);
	gtp_trace_hit(&a->t, tp, &h);
	return true;
}

/* Free the trace; every probe must be gone and none armed twice. */
static inline void fz_agent_release(struct fz_agent *a)
{
	gtp_trace_release(&a->t);
	FZ_CHECK(!a->double_arms, "a probe was armed twice");
	FZ_CHECK(!a->armed, "%d probes left armed after release", a->armed);
}

#endif /* GTP_TESTS_FUZZ_H */
