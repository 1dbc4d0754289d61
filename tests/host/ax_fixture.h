/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the unit tests of agent expressions (proto/ax.c:
 * tests/host/test_ax.c, test_ax_verify.c):
 *
 * - the target is a fake: 64 registers, MEM_SIZE bytes of memory at
 *   MEM_BASE (with an optional unreadable window), NR_VARS variables, and a
 *   log of what the expression asked to record;
 * - helpers: bytecode written inline (CODE(), ARR(), c64()), verifying and
 *   evaluating it (value(), eval_err(), run(), binop(), extend()), the
 *   verifier's refusals (REFUSED()), what was traced (assert_traced()),
 *   GDB's hex (from_hex()).
 */
#ifndef GTP_TESTS_AX_FIXTURE_H
#define GTP_TESTS_AX_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "gtp_port.h"
#include "proto/ax.h"
#include "proto/hex.h"

#define MEM_BASE	0x4000ULL
#define MEM_SIZE	0x20000
#define MEM_END		(MEM_BASE + MEM_SIZE)
#define NR_REGS		64
#define NR_VARS		8
#define LOG_MAX		16

/* x86-64 `g` register numbers GDB uses below. */
#define RAX	0
#define RBX	1
#define RSI	4
#define RDI	5
#define RBP	6
#define RSP	7

#define S64_MIN_BITS	(1ULL << 63)

struct fake {
	u64 regs[NR_REGS];
	u64 regs_ok;			/* bit n: register n can be read */
	u8 mem[MEM_SIZE];
	u64 deny_lo, deny_hi;		/* an unreadable window in mem */
	s64 vars[NR_VARS];
	u32 vars_ok;			/* bit n: variable n is defined */
	struct {
		u64 addr, len;
	} mem_log[LOG_MAX];
	int nr_mem;
	u32 var_log[LOG_MAX];
	int nr_var;
	int trace_err;			/* returned by trace_mem, trace_var */
	u64 stack[AX_STACK_MAX];
	struct ax_env env;
};

static inline bool readable(struct fake *f, u64 addr)
{
	if (addr < MEM_BASE || addr >= MEM_END)
		return false;
	return addr < f->deny_lo || addr >= f->deny_hi;
}

/* Copies up to the first unreadable byte, as a nofault copy does. */
static inline size_t fake_read(void *target, u64 addr, void *buf, size_t len)
{
	struct fake *f = target;
	size_t n;

	for (n = 0; n < len && readable(f, addr + n); n++)
		((u8 *)buf)[n] = f->mem[addr + n - MEM_BASE];
	return n;
}

static inline bool fake_reg(void *target, u32 regnum, u64 *val)
{
	struct fake *f = target;

	if (regnum >= NR_REGS || !(f->regs_ok & (1ULL << regnum)))
		return false;
	*val = f->regs[regnum];
	return true;
}

static inline bool fake_getv(void *target, u32 num, s64 *val)
{
	struct fake *f = target;

	if (num >= NR_VARS || !(f->vars_ok & (1U << num)))
		return false;
	*val = f->vars[num];
	return true;
}

static inline bool fake_setv(void *target, u32 num, s64 val)
{
	struct fake *f = target;

	if (num >= NR_VARS || !(f->vars_ok & (1U << num)))
		return false;
	f->vars[num] = val;
	return true;
}

static inline int fake_trace_mem(void *target, u64 addr, u64 len)
{
	struct fake *f = target;

	if (f->trace_err)
		return f->trace_err;
	assert_true(f->nr_mem < LOG_MAX);
	f->mem_log[f->nr_mem].addr = addr;
	f->mem_log[f->nr_mem].len = len;
	f->nr_mem++;
	return 0;
}

static inline int fake_trace_var(void *target, u32 num)
{
	struct fake *f = target;

	if (f->trace_err)
		return f->trace_err;
	assert_true(f->nr_var < LOG_MAX);
	f->var_log[f->nr_var++] = num;
	/* Positive returns are not errors. */
	return 1;
}

static inline int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->regs_ok = ~0ULL;
	f->vars_ok = (1U << NR_VARS) - 1;
	f->env.target = f;
	f->env.stack = f->stack;
	f->env.read_memory = fake_read;
	f->env.read_reg = fake_reg;
	f->env.getv = fake_getv;
	f->env.setv = fake_setv;
	f->env.trace_mem = fake_trace_mem;
	f->env.trace_var = fake_trace_var;
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	free(*state);
	return 0;
}

/* ---- helpers ---- */

/* Bytecode and its length. */
struct code {
	const u8 *p;
	size_t len;
};

#define CODE(...) ((struct code){ (const u8[]){ __VA_ARGS__ }, \
				  sizeof((const u8[]){ __VA_ARGS__ }) })
#define ARR(a)	((struct code){ (a), sizeof(a) })

static inline struct code bytes(const u8 *p, size_t len)
{
	return (struct code){ p, len };
}

/* const64 @v, big-endian. */
static inline u8 *put_c64(u8 *p, u64 v)
{
	int i;

	*p++ = AX_OP_CONST64;
	for (i = 56; i >= 0; i -= 8)
		*p++ = (u8)(v >> i);
	return p;
}

/*
 * const64 @v, then @rest: a value too wide to spell out in CODE().  @rest
 * may be an earlier result, so it moves before the constant goes in.
 */
static inline struct code c64(u64 v, struct code rest)
{
	static u8 buf[64];

	assert_true(rest.len <= sizeof(buf) - 9);
	memmove(buf + 9, rest.p, rest.len);
	put_c64(buf, v);
	return bytes(buf, 9 + rest.len);
}

static inline void put_mem(struct fake *f, u64 addr, const void *src,
			   size_t len)
{
	assert_true(addr >= MEM_BASE && addr + len <= MEM_END);
	memcpy(f->mem + (addr - MEM_BASE), src, len);
}

/* Little-endian, as on the x86 target. */
static inline void put_u64(struct fake *f, u64 addr, u64 v, u32 size)
{
	u8 b[8];
	u32 i;

	for (i = 0; i < size; i++)
		b[i] = (u8)(v >> (8 * i));
	put_mem(f, addr, b, size);
}

static inline void assert_verified(struct code c)
{
	struct ax_info info;
	const char *why = "unset";

	assert_int_equal(ax_verify(c.p, (u32)c.len, &info, &why), 0);
	assert_null(why);
}

/* Evaluate without verifying first: the interpreter's own checks. */
static inline int run(struct fake *f, struct code c, u64 *res)
{
	*res = 0xbadbadbadULL;
	return ax_eval(c.p, (u32)c.len, &f->env, res);
}

/* Verify, then evaluate successfully; the result. */
static inline u64 value(struct fake *f, struct code c)
{
	u64 res;

	assert_verified(c);
	assert_int_equal(run(f, c, &res), 0);
	return res;
}

/* Verify, then evaluate; the error. */
static inline int eval_err(struct fake *f, struct code c)
{
	u64 res;

	assert_verified(c);
	return run(f, c, &res);
}

static inline int binop_rc(struct fake *f, u8 op, u64 a, u64 b, u64 *res)
{
	u8 code[20], *p = put_c64(put_c64(code, a), b);

	*p++ = op;
	*p++ = AX_OP_END;
	assert_verified(bytes(code, (size_t)(p - code)));
	return run(f, bytes(code, (size_t)(p - code)), res);
}

static inline u64 binop(struct fake *f, u8 op, u64 a, u64 b)
{
	u64 res;

	assert_int_equal(binop_rc(f, op, a, b, &res), 0);
	return res;
}

/* ext or zero_ext @bits of @a. */
static inline u64 extend(struct fake *f, u8 op, u64 a, u8 bits)
{
	return value(f, c64(a, CODE(op, bits, AX_OP_END)));
}

static inline void assert_refused(struct code c, const char *reason, u32 pc)
{
	struct ax_info info;
	const char *why = NULL;

	assert_int_equal(ax_verify(c.p, (u32)c.len, &info, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, reason);
	assert_int_equal(info.error_pc, pc);
}

#define REFUSED(reason, pc, ...) \
	assert_refused(CODE(__VA_ARGS__), (reason), (pc))

static inline struct ax_info info_of(struct code c)
{
	struct ax_info info;
	const char *why = NULL;

	assert_int_equal(ax_verify(c.p, (u32)c.len, &info, &why), 0);
	return info;
}

static inline void assert_traced(struct fake *f, int i, u64 addr, u64 len)
{
	assert_true(i < f->nr_mem);
	assert_int_equal(f->mem_log[i].addr, addr);
	assert_int_equal(f->mem_log[i].len, len);
}

/* Decode GDB's hex as it came in a QTDP packet. */
static inline size_t from_hex(u8 *out, size_t max, const char *hex)
{
	size_t n = strlen(hex) / 2;

	assert_true(n <= max && strlen(hex) % 2 == 0);
	assert_true(rsp_hex_decode(out, hex, n));
	return n;
}

#endif /* GTP_TESTS_AX_FIXTURE_H */
