// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of agent expressions (proto/ax.c): every opcode's meaning and
 * corner cases, each reason the verifier refuses code, stack depths over
 * branches and loops, the step bound, memory faults, collection and trace
 * state variables, and bytecode that GDB 13 itself produced.
 *
 * The target is a fake: 64 registers, MEM_SIZE bytes of memory at
 * MEM_BASE (with an optional unreadable window), NR_VARS variables, and a
 * log of what the expression asked to record.
 */
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

static bool readable(struct fake *f, u64 addr)
{
	if (addr < MEM_BASE || addr >= MEM_END)
		return false;
	return addr < f->deny_lo || addr >= f->deny_hi;
}

/* Copies up to the first unreadable byte, as a nofault copy does. */
static size_t fake_read(void *target, u64 addr, void *buf, size_t len)
{
	struct fake *f = target;
	size_t n;

	for (n = 0; n < len && readable(f, addr + n); n++)
		((u8 *)buf)[n] = f->mem[addr + n - MEM_BASE];
	return n;
}

static bool fake_reg(void *target, u32 regnum, u64 *val)
{
	struct fake *f = target;

	if (regnum >= NR_REGS || !(f->regs_ok & (1ULL << regnum)))
		return false;
	*val = f->regs[regnum];
	return true;
}

static bool fake_getv(void *target, u32 num, s64 *val)
{
	struct fake *f = target;

	if (num >= NR_VARS || !(f->vars_ok & (1U << num)))
		return false;
	*val = f->vars[num];
	return true;
}

static bool fake_setv(void *target, u32 num, s64 val)
{
	struct fake *f = target;

	if (num >= NR_VARS || !(f->vars_ok & (1U << num)))
		return false;
	f->vars[num] = val;
	return true;
}

static int fake_trace_mem(void *target, u64 addr, u64 len)
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

static int fake_trace_var(void *target, u32 num)
{
	struct fake *f = target;

	if (f->trace_err)
		return f->trace_err;
	assert_true(f->nr_var < LOG_MAX);
	f->var_log[f->nr_var++] = num;
	/* Positive returns are not errors. */
	return 1;
}

static int setup(void **state)
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

static int teardown(void **state)
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

static struct code bytes(const u8 *p, size_t len)
{
	return (struct code){ p, len };
}

/* const64 @v, big-endian. */
static u8 *put_c64(u8 *p, u64 v)
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
static struct code c64(u64 v, struct code rest)
{
	static u8 buf[64];

	assert_true(rest.len <= sizeof(buf) - 9);
	memmove(buf + 9, rest.p, rest.len);
	put_c64(buf, v);
	return bytes(buf, 9 + rest.len);
}

static void put_mem(struct fake *f, u64 addr, const void *src, size_t len)
{
	assert_true(addr >= MEM_BASE && addr + len <= MEM_END);
	memcpy(f->mem + (addr - MEM_BASE), src, len);
}

/* Little-endian, as on the x86 target. */
static void put_u64(struct fake *f, u64 addr, u64 v, u32 size)
{
	u8 b[8];
	u32 i;

	for (i = 0; i < size; i++)
		b[i] = (u8)(v >> (8 * i));
	put_mem(f, addr, b, size);
}

static void assert_verified(struct code c)
{
	struct ax_info info;
	const char *why = "unset";

	assert_int_equal(ax_verify(c.p, (u32)c.len, &info, &why), 0);
	assert_null(why);
}

/* Evaluate without verifying first: the interpreter's own checks. */
static int run(struct fake *f, struct code c, u64 *res)
{
	*res = 0xbadbadbadULL;
	return ax_eval(c.p, (u32)c.len, &f->env, res);
}

/* Verify, then evaluate successfully; the result. */
static u64 value(struct fake *f, struct code c)
{
	u64 res;

	assert_verified(c);
	assert_int_equal(run(f, c, &res), 0);
	return res;
}

/* Verify, then evaluate; the error. */
static int eval_err(struct fake *f, struct code c)
{
	u64 res;

	assert_verified(c);
	return run(f, c, &res);
}

static int binop_rc(struct fake *f, u8 op, u64 a, u64 b, u64 *res)
{
	u8 code[20], *p = put_c64(put_c64(code, a), b);

	*p++ = op;
	*p++ = AX_OP_END;
	assert_verified(bytes(code, (size_t)(p - code)));
	return run(f, bytes(code, (size_t)(p - code)), res);
}

static u64 binop(struct fake *f, u8 op, u64 a, u64 b)
{
	u64 res;

	assert_int_equal(binop_rc(f, op, a, b, &res), 0);
	return res;
}

/* ext or zero_ext @bits of @a. */
static u64 extend(struct fake *f, u8 op, u64 a, u8 bits)
{
	return value(f, c64(a, CODE(op, bits, AX_OP_END)));
}

static void assert_refused(struct code c, const char *reason, u32 pc)
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

static struct ax_info info_of(struct code c)
{
	struct ax_info info;
	const char *why = NULL;

	assert_int_equal(ax_verify(c.p, (u32)c.len, &info, &why), 0);
	return info;
}

static void assert_traced(struct fake *f, int i, u64 addr, u64 len)
{
	assert_true(i < f->nr_mem);
	assert_int_equal(f->mem_log[i].addr, addr);
	assert_int_equal(f->mem_log[i].len, len);
}

/* Decode GDB's hex as it came in a QTDP packet. */
static size_t from_hex(u8 *out, size_t max, const char *hex)
{
	size_t n = strlen(hex) / 2;

	assert_true(n <= max && strlen(hex) % 2 == 0);
	assert_true(rsp_hex_decode(out, hex, n));
	return n;
}

/*
 * ---- bytecode from GDB ----
 *
 * What GDB 13.1 (Debian 13.1-3) prints for x86-64 with
 *
 *   gdb -nx -batch -ex 'tvariable $tv' -ex 'tvariable $tw = 5' \
 *       -ex 'maint agent-eval -at f, EXPR' t
 *
 * (`maint agent` for collection code), copied byte for byte.  t is this
 * program, built with gcc -g -O0; f's locals are found from $rbp there.
 *
 *   struct s { int a; char name[8]; long long b; short c; unsigned char u; };
 *   struct s gs;				at 0x4040
 *   int garr[4];				at 0x4060
 *   char *gstr;				at 0x4070
 *   int gi;					at 0x4078
 *   unsigned int gu;				at 0x407c
 *   int f(int x, char *p) { ... }		x at $rbp - 4, p at $rbp - 16
 *
 * $tv is variable 1, $tw variable 2.
 */
#define GS	0x4040ULL
#define GARR	0x4060ULL
#define GSTR	0x4070ULL
#define GI	0x4078ULL
#define GU	0x407cULL

/* maint agent-eval -at f, $rax + 4 */
static const u8 gdb_rax_plus_4[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x04,			/* const8 4 */
	0x02,				/* add */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, *(int *)($rsp + 8) */
static const u8 gdb_rsp_int[] = {
	0x26, 0x00, 0x07,		/* reg 7 */
	0x2a, 0x40,			/* zero_ext 64 */
	0x22, 0x08,			/* const8 8 */
	0x02,				/* add */
	0x2a, 0x40,			/* zero_ext 64 */
	0x19,				/* ref32 */
	0x16, 0x20,			/* ext 32 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rdi == 3 && $rsi < 10 */
static const u8 gdb_and_and[] = {
	0x26, 0x00, 0x05,		/* reg 5 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x03,			/* const8 3 */
	0x13,				/* equal */
	0x20, 0x00, 0x0e,		/* if_goto 14 */
	0x21, 0x00, 0x21,		/* goto 33 */
	0x26, 0x00, 0x04,		/* reg 4 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x0a,			/* const8 10 */
	0x14,				/* less_signed */
	0x20, 0x00, 0x1c,		/* if_goto 28 */
	0x21, 0x00, 0x21,		/* goto 33 */
	0x22, 0x01,			/* const8 1 */
	0x21, 0x00, 0x23,		/* goto 35 */
	0x22, 0x00,			/* const8 0 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rdi > 5 || $rsi != 0 */
static const u8 gdb_or_or[] = {
	0x26, 0x00, 0x05,		/* reg 5 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x05,			/* const8 5 */
	0x2b,				/* swap */
	0x14,				/* less_signed */
	0x20, 0x00, 0x1d,		/* if_goto 29 */
	0x26, 0x00, 0x04,		/* reg 4 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x00,			/* const8 0 */
	0x13,				/* equal */
	0x0e,				/* log_not */
	0x20, 0x00, 0x1d,		/* if_goto 29 */
	0x22, 0x00,			/* const8 0 */
	0x21, 0x00, 0x1f,		/* goto 31 */
	0x22, 0x01,			/* const8 1 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (char)$rax */
static const u8 gdb_char[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x16, 0x08,			/* ext 8 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (short)$rax */
static const u8 gdb_short[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x16, 0x10,			/* ext 16 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (int)$rax */
static const u8 gdb_int[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x16, 0x20,			/* ext 32 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (unsigned char)$rax */
static const u8 gdb_uchar[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x2a, 0x08,			/* zero_ext 8 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (unsigned short)$rax */
static const u8 gdb_ushort[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x2a, 0x10,			/* zero_ext 16 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (unsigned int)$rax */
static const u8 gdb_uint[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x2a, 0x20,			/* zero_ext 32 */
	0x27,				/* end */
};

/* maint agent-eval -at f, -$rax */
static const u8 gdb_neg[] = {
	0x22, 0x00,			/* const8 0 */
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x03,				/* sub */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, ~$rax */
static const u8 gdb_not[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x12,				/* bit_not */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, !$rax */
static const u8 gdb_lognot[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x0e,				/* log_not */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax / $rbx */
static const u8 gdb_div[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x26, 0x00, 0x01,		/* reg 1 */
	0x16, 0x40,			/* ext 64 */
	0x05,				/* div_signed */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax % $rbx */
static const u8 gdb_rem[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x26, 0x00, 0x01,		/* reg 1 */
	0x16, 0x40,			/* ext 64 */
	0x07,				/* rem_signed */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (unsigned long)$rax / 3 */
static const u8 gdb_udiv[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x2a, 0x40,			/* zero_ext 64 */
	0x22, 0x03,			/* const8 3 */
	0x2a, 0x40,			/* zero_ext 64 */
	0x06,				/* div_unsigned */
	0x2a, 0x40,			/* zero_ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax >> 3 */
static const u8 gdb_sar[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x03,			/* const8 3 */
	0x0a,				/* rsh_signed */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, (unsigned long)$rax >> 3 */
static const u8 gdb_shr[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x2a, 0x40,			/* zero_ext 64 */
	0x22, 0x03,			/* const8 3 */
	0x2a, 0x40,			/* zero_ext 64 */
	0x0b,				/* rsh_unsigned */
	0x2a, 0x40,			/* zero_ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax << 2 */
static const u8 gdb_shl[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x02,			/* const8 2 */
	0x09,				/* lsh */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax & 0xff */
static const u8 gdb_and[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x23, 0x00, 0xff,		/* const16 255 */
	0x0f,				/* bit_and */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax ^ $rbx */
static const u8 gdb_xor[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x26, 0x00, 0x01,		/* reg 1 */
	0x16, 0x40,			/* ext 64 */
	0x11,				/* bit_xor */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax * 0x12345678 */
static const u8 gdb_mul[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x24, 0x12, 0x34, 0x56, 0x78,	/* const32 305419896 */
	0x04,				/* mul */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax - 0x1234 */
static const u8 gdb_sub[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x23, 0x12, 0x34,		/* const16 4660 */
	0x03,				/* sub */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, 0x123456789abcdef */
static const u8 gdb_const64[] = {
	0x25, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,	/* const64 81985529216486895 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax == -1 */
static const u8 gdb_eq_minus1[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0xff,			/* const8 255 */
	0x16, 0x08,			/* ext 8 */
	0x13,				/* equal */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax <= 5 */
static const u8 gdb_le[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x05,			/* const8 5 */
	0x2b,				/* swap */
	0x14,				/* less_signed */
	0x0e,				/* log_not */
	0x27,				/* end */
};

/* maint agent-eval -at f, (unsigned)$rax >= 7 */
static const u8 gdb_uge[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x2a, 0x20,			/* zero_ext 32 */
	0x22, 0x07,			/* const8 7 */
	0x2a, 0x20,			/* zero_ext 32 */
	0x15,				/* less_unsigned */
	0x0e,				/* log_not */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax > $rbx */
static const u8 gdb_gt[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x26, 0x00, 0x01,		/* reg 1 */
	0x16, 0x40,			/* ext 64 */
	0x2b,				/* swap */
	0x14,				/* less_signed */
	0x27,				/* end */
};

/* maint agent-eval -at f, $rax ? 1 : 2 */
static const u8 gdb_ternary[] = {
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x0e,				/* log_not */
	0x20, 0x00, 0x0e,		/* if_goto 14 */
	0x22, 0x01,			/* const8 1 */
	0x21, 0x00, 0x10,		/* goto 16 */
	0x22, 0x02,			/* const8 2 */
	0x27,				/* end */
};

/* maint agent-eval -at f, gs.c */
static const u8 gdb_gs_c[] = {
	0x23, 0x40, 0x40,		/* const16 16448 */
	0x22, 0x18,			/* const8 24 */
	0x02,				/* add */
	0x18,				/* ref16 */
	0x16, 0x10,			/* ext 16 */
	0x27,				/* end */
};

/* maint agent-eval -at f, gs.u */
static const u8 gdb_gs_u[] = {
	0x23, 0x40, 0x40,		/* const16 16448 */
	0x22, 0x1a,			/* const8 26 */
	0x02,				/* add */
	0x17,				/* ref8 */
	0x27,				/* end */
};

/* maint agent-eval -at f, gs.b */
static const u8 gdb_gs_b[] = {
	0x23, 0x40, 0x40,		/* const16 16448 */
	0x22, 0x10,			/* const8 16 */
	0x02,				/* add */
	0x1a,				/* ref64 */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent-eval -at f, garr[2] */
static const u8 gdb_garr2[] = {
	0x23, 0x40, 0x60,		/* const16 16480 */
	0x22, 0x02,			/* const8 2 */
	0x22, 0x04,			/* const8 4 */
	0x04,				/* mul */
	0x02,				/* add */
	0x2a, 0x40,			/* zero_ext 64 */
	0x19,				/* ref32 */
	0x16, 0x20,			/* ext 32 */
	0x27,				/* end */
};

/* maint agent-eval -at f, gstr[1] */
static const u8 gdb_gstr1[] = {
	0x23, 0x40, 0x70,		/* const16 16496 */
	0x1a,				/* ref64 */
	0x22, 0x01,			/* const8 1 */
	0x02,				/* add */
	0x2a, 0x40,			/* zero_ext 64 */
	0x17,				/* ref8 */
	0x16, 0x08,			/* ext 8 */
	0x27,				/* end */
};

/* maint agent-eval -at f, gi < 0 */
static const u8 gdb_gi_neg[] = {
	0x23, 0x40, 0x78,		/* const16 16504 */
	0x19,				/* ref32 */
	0x16, 0x20,			/* ext 32 */
	0x22, 0x00,			/* const8 0 */
	0x14,				/* less_signed */
	0x27,				/* end */
};

/* maint agent-eval -at f, gu < 5 */
static const u8 gdb_gu_lt[] = {
	0x23, 0x40, 0x7c,		/* const16 16508 */
	0x19,				/* ref32 */
	0x22, 0x05,			/* const8 5 */
	0x2a, 0x20,			/* zero_ext 32 */
	0x15,				/* less_unsigned */
	0x27,				/* end */
};

/* maint agent-eval -at f, x */
static const u8 gdb_x[] = {
	0x26, 0x00, 0x06,		/* reg 6 */
	0x22, 0x10,			/* const8 16 */
	0x02,				/* add */
	0x22, 0xec,			/* const8 236 */
	0x16, 0x08,			/* ext 8 */
	0x02,				/* add */
	0x19,				/* ref32 */
	0x16, 0x20,			/* ext 32 */
	0x27,				/* end */
};

/* maint agent-eval -at f, p[3] */
static const u8 gdb_p3[] = {
	0x26, 0x00, 0x06,		/* reg 6 */
	0x22, 0x10,			/* const8 16 */
	0x02,				/* add */
	0x22, 0xe0,			/* const8 224 */
	0x16, 0x08,			/* ext 8 */
	0x02,				/* add */
	0x1a,				/* ref64 */
	0x22, 0x03,			/* const8 3 */
	0x02,				/* add */
	0x2a, 0x40,			/* zero_ext 64 */
	0x17,				/* ref8 */
	0x16, 0x08,			/* ext 8 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $tv = $tv + 1 */
static const u8 gdb_tv_inc[] = {
	0x2c, 0x00, 0x01,		/* getv 1 */
	0x22, 0x01,			/* const8 1 */
	0x02,				/* add */
	0x16, 0x40,			/* ext 64 */
	0x2d, 0x00, 0x01,		/* setv 1 */
	0x27,				/* end */
};

/* maint agent-eval -at f, $tw = $rax */
static const u8 gdb_tw_rax[] = {
	0x2d, 0x00, 0x02,		/* setv 2 */
	0x26, 0x00, 0x00,		/* reg 0 */
	0x16, 0x40,			/* ext 64 */
	0x27,				/* end */
};

/* maint agent -at f, *(char (*)[16])$rdi */
static const u8 gdb_collect_array[] = {
	0x26, 0x00, 0x05,		/* reg 5 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x10,			/* const8 16 */
	0x0c,				/* trace */
	0x27,				/* end */
};

/* maint agent -at f, *p */
static const u8 gdb_collect_deref[] = {
	0x26, 0x00, 0x06,		/* reg 6 */
	0x22, 0x10,			/* const8 16 */
	0x02,				/* add */
	0x22, 0xe0,			/* const8 224 */
	0x16, 0x08,			/* ext 8 */
	0x02,				/* add */
	0x0d, 0x08,			/* trace_quick 8 */
	0x1a,				/* ref64 */
	0x22, 0x01,			/* const8 1 */
	0x0c,				/* trace */
	0x27,				/* end */
};

/* maint agent -at f, p[x] */
static const u8 gdb_collect_index[] = {
	0x26, 0x00, 0x06,		/* reg 6 */
	0x22, 0x10,			/* const8 16 */
	0x02,				/* add */
	0x22, 0xe0,			/* const8 224 */
	0x16, 0x08,			/* ext 8 */
	0x02,				/* add */
	0x0d, 0x08,			/* trace_quick 8 */
	0x1a,				/* ref64 */
	0x26, 0x00, 0x06,		/* reg 6 */
	0x22, 0x10,			/* const8 16 */
	0x02,				/* add */
	0x22, 0xec,			/* const8 236 */
	0x16, 0x08,			/* ext 8 */
	0x02,				/* add */
	0x0d, 0x04,			/* trace_quick 4 */
	0x19,				/* ref32 */
	0x16, 0x20,			/* ext 32 */
	0x02,				/* add */
	0x2a, 0x40,			/* zero_ext 64 */
	0x22, 0x01,			/* const8 1 */
	0x0c,				/* trace */
	0x27,				/* end */
};

/* maint agent -at f, $rip */
static const u8 gdb_collect_rip[] = {
	0x27,				/* end */
};

/* maint agent -at f, $rdi == 3 */
static const u8 gdb_collect_rvalue[] = {
	0x26, 0x00, 0x05,		/* reg 5 */
	0x16, 0x40,			/* ext 64 */
	0x22, 0x03,			/* const8 3 */
	0x13,				/* equal */
	0x29,				/* pop */
	0x27,				/* end */
};

/* maint agent -at f, $tv */
static const u8 gdb_collect_tv[] = {
	0x2c, 0x00, 0x01,		/* getv 1 */
	0x2e, 0x00, 0x01,		/* tracev 1 */
	0x29,				/* pop */
	0x27,				/* end */
};

/* maint agent -at f, $tv = $tv + 1 */
static const u8 gdb_collect_tv_inc[] = {
	0x2c, 0x00, 0x01,		/* getv 1 */
	0x2e, 0x00, 0x01,		/* tracev 1 */
	0x22, 0x01,			/* const8 1 */
	0x02,				/* add */
	0x16, 0x40,			/* ext 64 */
	0x2d, 0x00, 0x01,		/* setv 1 */
	0x2e, 0x00, 0x01,		/* tracev 1 */
	0x29,				/* pop */
	0x27,				/* end */
};

/* maint agent -at f, gs */
static const u8 gdb_collect_gs[] = {
	0x23, 0x40, 0x40,		/* const16 16448 */
	0x22, 0x20,			/* const8 32 */
	0x0c,				/* trace */
	0x27,				/* end */
};

/*
 * The same from the wire: the X parts of the QTDP packets GDB sent a stub
 * for a tracepoint at f's entry (so locals are found from $rsp: x at
 * $rsp - 12, p at $rsp - 24), in hex as sent.
 */

/* trace f if $rdi == 3 && $rsi < 10 */
static const char qtdp_cond_regs[] =
	"260005164022031320000e2100212600041640220a1420001c2100212201210023220027";

/* trace f if x > 2 && *p != 0 */
static const char qtdp_cond_mem[] =
	"26000722080222ec16080219162022022b1420001821003626000722080222e01608021a1716082200130e2000312100362201210038220027";

/* collect/s p */
static const char qtdp_collect_s[] =
	"26000722080222e01608020d081a2300c82f27";

/* collect/s80 p */
static const char qtdp_collect_s80[] =
	"26000722080222e01608020d081a22502f27";

/* collect $tv */
static const char qtdp_collect_tv[] = "2c00012e00012927";

/* collect *(char (*)[16])$rdi */
static const char qtdp_collect_array[] = "260005164022100c27";

/* collect gs.name */
static const char qtdp_collect_name[] = "23404022040222080c27";

/* teval $tv = $tv + 1 */
static const char qtdp_teval[] = "2c000122010216402d000127";

/* ---- arithmetic ---- */

static void test_add_sub_mul(void **state)
{
	struct fake *f = *state;

	assert_int_equal(binop(f, AX_OP_ADD, 2, 3), 5);
	assert_int_equal(binop(f, AX_OP_ADD, ~0ULL, 2), 1);
	assert_int_equal(binop(f, AX_OP_SUB, 2, 3), ~0ULL);
	assert_int_equal(binop(f, AX_OP_SUB, 10, 3), 7);
	assert_int_equal(binop(f, AX_OP_MUL, 6, 7), 42);
	assert_int_equal(binop(f, AX_OP_MUL, 1ULL << 32, 1ULL << 32), 0);
	assert_int_equal(binop(f, AX_OP_MUL, ~0ULL, 3), (u64)-3);
}

static void test_division(void **state)
{
	struct fake *f = *state;

	assert_int_equal(binop(f, AX_OP_DIV_SIGNED, (u64)-7, 2), (u64)-3);
	assert_int_equal(binop(f, AX_OP_REM_SIGNED, (u64)-7, 2), (u64)-1);
	assert_int_equal(binop(f, AX_OP_DIV_SIGNED, 7, (u64)-2), (u64)-3);
	assert_int_equal(binop(f, AX_OP_REM_SIGNED, 7, (u64)-2), 1);
	assert_int_equal(binop(f, AX_OP_DIV_UNSIGNED, (u64)-7, 2),
			 0x7ffffffffffffffcULL);
	assert_int_equal(binop(f, AX_OP_REM_UNSIGNED, (u64)-7, 2), 1);
	assert_int_equal(binop(f, AX_OP_DIV_UNSIGNED, 100, 7), 14);
	assert_int_equal(binop(f, AX_OP_REM_UNSIGNED, 100, 7), 2);

	/* The quotient that does not fit wraps; its remainder is 0. */
	assert_int_equal(binop(f, AX_OP_DIV_SIGNED, S64_MIN_BITS, ~0ULL),
			 S64_MIN_BITS);
	assert_int_equal(binop(f, AX_OP_REM_SIGNED, S64_MIN_BITS, ~0ULL), 0);
	assert_int_equal(binop(f, AX_OP_DIV_SIGNED, S64_MIN_BITS, 1),
			 S64_MIN_BITS);
	assert_int_equal(binop(f, AX_OP_DIV_UNSIGNED, S64_MIN_BITS, ~0ULL), 0);
	assert_int_equal(binop(f, AX_OP_REM_UNSIGNED, S64_MIN_BITS, ~0ULL),
			 S64_MIN_BITS);
}

static void test_division_by_zero(void **state)
{
	static const u8 ops[] = {
		AX_OP_DIV_SIGNED, AX_OP_DIV_UNSIGNED,
		AX_OP_REM_SIGNED, AX_OP_REM_UNSIGNED,
	};
	struct fake *f = *state;
	u64 res;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		assert_int_equal(binop_rc(f, ops[i], 5, 0, &res), -EDOM);
		assert_int_equal(binop_rc(f, ops[i], 0, 0, &res), -EDOM);
		assert_int_equal(binop_rc(f, ops[i], S64_MIN_BITS, 0, &res),
				 -EDOM);
	}
}

static void test_shifts(void **state)
{
	struct fake *f = *state;
	u64 neg = 0x8000000000000010ULL;

	assert_int_equal(binop(f, AX_OP_LSH, 3, 0), 3);
	assert_int_equal(binop(f, AX_OP_LSH, 3, 2), 12);
	assert_int_equal(binop(f, AX_OP_LSH, 3, 63), S64_MIN_BITS);
	assert_int_equal(binop(f, AX_OP_LSH, 3, 64), 0);
	assert_int_equal(binop(f, AX_OP_LSH, 3, 65), 0);
	assert_int_equal(binop(f, AX_OP_LSH, 3, ~0ULL), 0);

	assert_int_equal(binop(f, AX_OP_RSH_UNSIGNED, neg, 0), neg);
	assert_int_equal(binop(f, AX_OP_RSH_UNSIGNED, neg, 4),
			 0x0800000000000001ULL);
	assert_int_equal(binop(f, AX_OP_RSH_UNSIGNED, neg, 63), 1);
	assert_int_equal(binop(f, AX_OP_RSH_UNSIGNED, neg, 64), 0);
	assert_int_equal(binop(f, AX_OP_RSH_UNSIGNED, neg, 1000), 0);

	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, neg, 0), neg);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, neg, 4),
			 0xf800000000000001ULL);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, neg, 63), ~0ULL);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, neg, 64), ~0ULL);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, neg, ~0ULL), ~0ULL);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, 0x7fULL << 56, 63), 0);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, 0x7fULL << 56, 64), 0);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, 0x7fULL << 56, 200), 0);
	assert_int_equal(binop(f, AX_OP_RSH_SIGNED, 40, 3), 5);
}

static void test_bitwise_and_logic(void **state)
{
	struct fake *f = *state;

	assert_int_equal(binop(f, AX_OP_BIT_AND, 0xff00, 0x0ff0), 0x0f00);
	assert_int_equal(binop(f, AX_OP_BIT_OR, 0xff00, 0x0ff0), 0xfff0);
	assert_int_equal(binop(f, AX_OP_BIT_XOR, 0xff00, 0x0ff0), 0xf0f0);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 0, AX_OP_BIT_NOT,
				       AX_OP_END)), ~0ULL);
	assert_int_equal(value(f, c64(0x00ff00ff00ff00ffULL, CODE(AX_OP_BIT_NOT, AX_OP_END))),
			 0xff00ff00ff00ff00ULL);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 0, AX_OP_LOG_NOT,
				       AX_OP_END)), 1);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 5, AX_OP_LOG_NOT,
				       AX_OP_END)), 0);
	assert_int_equal(value(f, c64(S64_MIN_BITS, CODE(AX_OP_LOG_NOT,
				       AX_OP_END))), 0);
}

static void test_compares(void **state)
{
	struct fake *f = *state;

	assert_int_equal(binop(f, AX_OP_EQUAL, 5, 5), 1);
	assert_int_equal(binop(f, AX_OP_EQUAL, 5, 6), 0);
	assert_int_equal(binop(f, AX_OP_EQUAL, ~0ULL, ~0ULL), 1);

	/* a b less => a < b */
	assert_int_equal(binop(f, AX_OP_LESS_SIGNED, 1, 2), 1);
	assert_int_equal(binop(f, AX_OP_LESS_SIGNED, 2, 1), 0);
	assert_int_equal(binop(f, AX_OP_LESS_SIGNED, 2, 2), 0);
	assert_int_equal(binop(f, AX_OP_LESS_SIGNED, ~0ULL, 1), 1);
	assert_int_equal(binop(f, AX_OP_LESS_SIGNED, 1, ~0ULL), 0);
	assert_int_equal(binop(f, AX_OP_LESS_SIGNED, S64_MIN_BITS,
			       S64_MIN_BITS - 1), 1);

	assert_int_equal(binop(f, AX_OP_LESS_UNSIGNED, 1, 2), 1);
	assert_int_equal(binop(f, AX_OP_LESS_UNSIGNED, 2, 2), 0);
	assert_int_equal(binop(f, AX_OP_LESS_UNSIGNED, ~0ULL, 1), 0);
	assert_int_equal(binop(f, AX_OP_LESS_UNSIGNED, 1, ~0ULL), 1);
	assert_int_equal(binop(f, AX_OP_LESS_UNSIGNED, S64_MIN_BITS,
			       S64_MIN_BITS - 1), 0);
}

static void test_ext(void **state)
{
	struct fake *f = *state;

	assert_int_equal(extend(f, AX_OP_EXT, 0x80, 8), 0xffffffffffffff80ULL);
	assert_int_equal(extend(f, AX_OP_EXT, 0x7f, 8), 0x7f);
	assert_int_equal(extend(f, AX_OP_EXT, 0x1ff, 8), ~0ULL);
	assert_int_equal(extend(f, AX_OP_EXT, 0x17f, 8), 0x7f);
	assert_int_equal(extend(f, AX_OP_EXT, 0x8000, 16),
			 0xffffffffffff8000ULL);
	assert_int_equal(extend(f, AX_OP_EXT, 0xf7fff, 16), 0x7fff);
	assert_int_equal(extend(f, AX_OP_EXT, 0x80000000, 32),
			 0xffffffff80000000ULL);
	assert_int_equal(extend(f, AX_OP_EXT, 0x17fffffffULL, 32), 0x7fffffff);
	assert_int_equal(extend(f, AX_OP_EXT, S64_MIN_BITS, 64), S64_MIN_BITS);
	assert_int_equal(extend(f, AX_OP_EXT, 0x1234, 200), 0x1234);
	assert_int_equal(extend(f, AX_OP_EXT, 1, 1), ~0ULL);
	assert_int_equal(extend(f, AX_OP_EXT, 2, 1), 0);
	assert_int_equal(extend(f, AX_OP_EXT, 1ULL << 62, 63),
			 0xc000000000000000ULL);
	/* No bits: nothing to extend. */
	assert_int_equal(extend(f, AX_OP_EXT, ~0ULL, 0), 0);
}

static void test_zero_ext(void **state)
{
	struct fake *f = *state;

	assert_int_equal(extend(f, AX_OP_ZERO_EXT, ~0ULL, 8), 0xff);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, ~0ULL, 16), 0xffff);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, ~0ULL, 32), 0xffffffff);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, ~0ULL, 63), ~0ULL >> 1);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, ~0ULL, 64), ~0ULL);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, ~0ULL, 255), ~0ULL);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, 0x1234, 1), 0);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, 0x1235, 1), 1);
	assert_int_equal(extend(f, AX_OP_ZERO_EXT, ~0ULL, 0), 0);
}

static void test_consts_big_endian(void **state)
{
	struct fake *f = *state;

	/* Without sign extension, whatever the top bit. */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 0xff, AX_OP_END)), 0xff);
	assert_int_equal(value(f, CODE(AX_OP_CONST16, 0x12, 0x34, AX_OP_END)),
			 0x1234);
	assert_int_equal(value(f, CODE(AX_OP_CONST16, 0x80, 0x01, AX_OP_END)),
			 0x8001);
	assert_int_equal(value(f, CODE(AX_OP_CONST32, 0xde, 0xad, 0xbe, 0xef,
				       AX_OP_END)), 0xdeadbeef);
	assert_int_equal(value(f, CODE(AX_OP_CONST64, 0x01, 0x23, 0x45, 0x67,
				       0x89, 0xab, 0xcd, 0xef, AX_OP_END)),
			 0x0123456789abcdefULL);
	assert_int_equal(value(f, c64(~0ULL, CODE(AX_OP_END))), ~0ULL);
	/* GDB's way to a small negative number. */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 0xfe, AX_OP_EXT, 8,
				       AX_OP_END)), (u64)-2);
}

/* ---- stack ---- */

static void test_stack_ops(void **state)
{
	struct fake *f = *state;

	assert_int_equal(value(f, CODE(AX_OP_CONST8, 7, AX_OP_DUP, AX_OP_MUL,
				       AX_OP_END)), 49);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				       AX_OP_POP, AX_OP_END)), 1);
	/* 1 2 swap sub => 2 - 1 */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				       AX_OP_SWAP, AX_OP_SUB, AX_OP_END)), 1);
	/*
	 * a b c rot => c a b; then fold it into 100 * c + 10 * a + b:
	 * swap (c b a), *10, + (c b+10a), swap, *100, +.
	 */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				       AX_OP_CONST8, 3, AX_OP_ROT,
				       AX_OP_SWAP, AX_OP_CONST8, 10, AX_OP_MUL,
				       AX_OP_ADD, AX_OP_SWAP,
				       AX_OP_CONST8, 100, AX_OP_MUL,
				       AX_OP_ADD, AX_OP_END)), 312);
	/* pick n copies the value n below the top; pick 0 is dup. */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				       AX_OP_CONST8, 3, AX_OP_PICK, 0,
				       AX_OP_END)), 3);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				       AX_OP_CONST8, 3, AX_OP_PICK, 2,
				       AX_OP_END)), 1);
	/* ... and leaves the rest: 1 2 3 1, minus, => 3 - 1, + 2. */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				       AX_OP_CONST8, 3, AX_OP_PICK, 2,
				       AX_OP_SUB, AX_OP_ADD, AX_OP_END)), 4);
}

static void test_end(void **state)
{
	static const u8 one[] = { AX_OP_CONST8, 1, AX_OP_END };
	struct fake *f = *state;
	u64 res;

	/* Collection code ends on an empty stack. */
	assert_int_equal(value(f, CODE(AX_OP_END)), 0);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				       AX_OP_END)), 2);
	assert_int_equal(ax_eval(one, sizeof(one), &f->env, NULL), 0);
	/* Nothing after end runs. */
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 4, AX_OP_END, 0xff), &res),
			 0);
	assert_int_equal(res, 4);
}

/* ---- control flow ---- */

static void test_jumps(void **state)
{
	/* c ? 10 : 20 */
	static const u8 pick[] = {
		AX_OP_CONST8, 0,		/* 0: c, patched */
		AX_OP_IF_GOTO, 0x00, 0x0a,	/* 2 */
		AX_OP_CONST8, 20,		/* 5 */
		AX_OP_GOTO, 0x00, 0x0c,		/* 7 */
		AX_OP_CONST8, 10,		/* 10 */
		AX_OP_END,			/* 12 */
	};
	struct fake *f = *state;
	u8 code[sizeof(pick)];
	struct ax_info info;

	memcpy(code, pick, sizeof(code));
	assert_int_equal(value(f, ARR(code)), 20);
	code[1] = 1;
	assert_int_equal(value(f, ARR(code)), 10);
	code[1] = 0x80;
	assert_int_equal(value(f, ARR(code)), 10);
	info = info_of(ARR(code));
	assert_int_equal(info.max_depth, 1);
	assert_true(info.value);

	/* A target above 255 is read big-endian. */
	{
		u8 big[0x110];

		memset(big, AX_OP_DUP, sizeof(big));
		big[0] = AX_OP_CONST8;
		big[1] = 9;
		big[2] = AX_OP_GOTO;
		big[3] = 0x01;
		big[4] = 0x05;
		big[0x105] = AX_OP_END;
		assert_int_equal(value(f, ARR(big)), 9);
	}
}

static void test_loop_bounded(void **state)
{
	/* n; while (n) n--; the result is what is left: 0. */
	static const u8 countdown[] = {
		AX_OP_CONST16, 0, 0,		/* 0: n, patched */
		AX_OP_DUP,			/* 3 */
		AX_OP_IF_GOTO, 0x00, 0x08,	/* 4 */
		AX_OP_END,			/* 7 */
		AX_OP_CONST8, 1,		/* 8 */
		AX_OP_SUB,			/* 10 */
		AX_OP_GOTO, 0x00, 0x03,		/* 11 */
	};
	struct fake *f = *state;
	u8 code[sizeof(countdown)];
	struct ax_info info;
	u64 res;

	/* Jumping back is legal, if the depth agrees. */
	assert_int_equal(eval_err(f, CODE(AX_OP_GOTO, 0, 0)), -ELOOP);
	info = info_of(CODE(AX_OP_GOTO, 0, 0));
	assert_false(info.value);

	memcpy(code, countdown, sizeof(code));
	code[2] = 100;
	assert_int_equal(value(f, ARR(code)), 0);
	info = info_of(ARR(code));
	assert_int_equal(info.max_depth, 2);
	assert_true(info.value);

	/* Five instructions a turn: 2000 turns pass, 2001 do not. */
	code[1] = 1999 >> 8;
	code[2] = 1999 & 0xff;
	assert_int_equal(value(f, ARR(code)), 0);
	code[1] = 2000 >> 8;
	code[2] = 2000 & 0xff;
	assert_int_equal(run(f, ARR(code), &res), -ELOOP);
	code[1] = 0xff;
	code[2] = 0xff;
	assert_int_equal(run(f, ARR(code), &res), -ELOOP);
}

/* ---- memory and registers ---- */

static void test_ref(void **state)
{
	static const u8 bytes[] = { 0x01, 0x02, 0x03, 0x04,
				    0x85, 0x86, 0x87, 0x88 };
	struct fake *f = *state;
	u64 a = MEM_BASE + 0x100;

	put_mem(f, a, bytes, sizeof(bytes));
	assert_int_equal(value(f, c64(a, CODE(AX_OP_REF8, AX_OP_END))), 0x01);
	assert_int_equal(value(f, c64(a, CODE(AX_OP_REF16, AX_OP_END))),
			 0x0201);
	assert_int_equal(value(f, c64(a, CODE(AX_OP_REF32, AX_OP_END))),
			 0x04030201);
	assert_int_equal(value(f, c64(a, CODE(AX_OP_REF64, AX_OP_END))),
			 0x8887868504030201ULL);
	/* Zero-extended: the code sign-extends with ext if it wants to. */
	assert_int_equal(value(f, c64(a + 4, CODE(AX_OP_REF8, AX_OP_END))),
			 0x85);
	assert_int_equal(value(f, c64(a + 4, CODE(AX_OP_REF32, AX_OP_END))),
			 0x88878685);
	assert_int_equal(value(f, c64(a + 4, CODE(AX_OP_REF32, AX_OP_EXT, 32,
				       AX_OP_END))), 0xffffffff88878685ULL);
}

static void test_ref_faults(void **state)
{
	struct fake *f = *state;

	assert_int_equal(eval_err(f, CODE(AX_OP_CONST8, 0, AX_OP_REF8,
					  AX_OP_END)), -EFAULT);
	assert_int_equal(eval_err(f, c64(MEM_END, CODE(AX_OP_REF8,
					  AX_OP_END))), -EFAULT);
	assert_int_equal(eval_err(f, c64(~0ULL, CODE(AX_OP_REF64,
					  AX_OP_END))), -EFAULT);
	/* A short read is a fault, not a shorter value. */
	assert_int_equal(eval_err(f, c64(MEM_END - 2, CODE(AX_OP_REF32,
					  AX_OP_END))), -EFAULT);
	assert_int_equal(value(f, c64(MEM_END - 2, CODE(AX_OP_REF16,
				       AX_OP_END))), 0);
	assert_int_equal(eval_err(f, c64(MEM_END - 7, CODE(AX_OP_REF64,
					  AX_OP_END))), -EFAULT);
	f->deny_lo = MEM_BASE + 0x200;
	f->deny_hi = MEM_BASE + 0x201;
	assert_int_equal(eval_err(f, c64(MEM_BASE + 0x1fe, CODE(AX_OP_REF32,
					  AX_OP_END))), -EFAULT);
	assert_int_equal(eval_err(f, c64(MEM_BASE + 0x200, CODE(AX_OP_REF8,
					  AX_OP_END))), -EFAULT);
	assert_int_equal(value(f, c64(MEM_BASE + 0x201, CODE(AX_OP_REF64,
				       AX_OP_END))), 0);
}

static void test_reg(void **state)
{
	struct fake *f = *state;
	struct ax_info info;

	f->regs[RAX] = 0x1122334455667788ULL;
	f->regs[17] = 77;
	assert_int_equal(value(f, CODE(AX_OP_REG, 0, RAX, AX_OP_END)),
			 0x1122334455667788ULL);
	/* 16 bits, big-endian: 0x0011 is 17, 0x1100 no register at all. */
	assert_int_equal(value(f, CODE(AX_OP_REG, 0x00, 0x11, AX_OP_END)), 77);
	assert_int_equal(eval_err(f, CODE(AX_OP_REG, 0x11, 0x00, AX_OP_END)),
			 -ENOENT);
	f->regs_ok &= ~(1ULL << 17);
	assert_int_equal(eval_err(f, CODE(AX_OP_REG, 0x00, 0x11, AX_OP_END)),
			 -ENOENT);

	info = info_of(CODE(AX_OP_REG, 0, 5, AX_OP_REG, 0, 17, AX_OP_ADD,
			    AX_OP_REG, 0x01, 0x00, AX_OP_POP, AX_OP_END));
	assert_int_equal(info.max_reg, 256);
	assert_int_equal(info.regs, (1ULL << 5) | (1ULL << 17));
	assert_int_equal(info.max_depth, 2);
	info = info_of(CODE(AX_OP_CONST8, 1, AX_OP_END));
	assert_int_equal(info.max_reg, -1);
	assert_int_equal(info.regs, 0);
	assert_int_equal(info.max_var, -1);
	assert_false(info.traces);
	assert_false(info.sets_vars);
}

/* ---- trace state variables ---- */

static void test_vars(void **state)
{
	struct fake *f = *state;
	struct ax_info info;

	f->vars[3] = -5;
	assert_int_equal(value(f, CODE(AX_OP_GETV, 0, 3, AX_OP_END)),
			 (u64)-5);
	/* setv leaves the value on the stack. */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 9, AX_OP_SETV, 0, 2,
				       AX_OP_CONST8, 1, AX_OP_ADD,
				       AX_OP_END)), 10);
	assert_int_equal(f->vars[2], 9);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 0xff, AX_OP_EXT, 8,
				       AX_OP_SETV, 0, 1, AX_OP_END)), ~0ULL);
	assert_int_equal(f->vars[1], -1);

	f->vars_ok &= ~(1U << 4);
	assert_int_equal(eval_err(f, CODE(AX_OP_GETV, 0, 4, AX_OP_END)),
			 -ENOENT);
	assert_int_equal(eval_err(f, CODE(AX_OP_CONST8, 1, AX_OP_SETV, 0, 4,
					  AX_OP_END)), -ENOENT);
	assert_int_equal(eval_err(f, CODE(AX_OP_GETV, 0x01, 0x00, AX_OP_END)),
			 -ENOENT);

	info = info_of(CODE(AX_OP_GETV, 0, 1, AX_OP_SETV, 0, 2,
			    AX_OP_TRACEV, 0, 70, AX_OP_END));
	assert_int_equal(info.vars, (1ULL << 1) | (1ULL << 2));
	assert_int_equal(info.max_var, 70);
	assert_true(info.sets_vars);
	assert_true(info.traces);
	assert_int_equal(info.max_depth, 1);
}

static void test_tracev(void **state)
{
	struct fake *f = *state;

	/* No stack effect; the collector decides what the number means. */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 6, AX_OP_TRACEV, 0, 3,
				       AX_OP_TRACEV, 0x01, 0x02, AX_OP_END)),
			 6);
	assert_int_equal(f->nr_var, 2);
	assert_int_equal(f->var_log[0], 3);
	assert_int_equal(f->var_log[1], 0x102);
	assert_int_equal(value(f, CODE(AX_OP_TRACEV, 0, 3, AX_OP_END)), 0);

	f->trace_err = -ENOSPC;
	assert_int_equal(eval_err(f, CODE(AX_OP_TRACEV, 0, 3, AX_OP_END)),
			 -ENOSPC);
	assert_int_equal(f->nr_var, 3);
}

/* ---- collection ---- */

static void test_trace(void **state)
{
	struct fake *f = *state;
	struct ax_info info;

	/* addr size trace => (both popped) */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 42,
				       AX_OP_CONST16, 0x40, 0x08,
				       AX_OP_CONST8, 16, AX_OP_TRACE,
				       AX_OP_END)), 42);
	assert_int_equal(f->nr_mem, 1);
	assert_traced(f, 0, MEM_BASE + 8, 16);
	/* The collector judges the memory, not the expression. */
	assert_int_equal(value(f, c64(0, c64(~0ULL, CODE(AX_OP_TRACE,
							 AX_OP_END)))), 0);
	assert_traced(f, 1, 0, ~0ULL);
	/* Nothing to record. */
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 9, AX_OP_CONST8, 0,
				       AX_OP_TRACE, AX_OP_END)), 0);
	assert_int_equal(f->nr_mem, 2);

	/* trace_quick n: addr => addr */
	assert_int_equal(value(f, CODE(AX_OP_CONST16, 0x12, 0x34,
				       AX_OP_TRACE_QUICK, 8, AX_OP_END)),
			 0x1234);
	assert_traced(f, 2, 0x1234, 8);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 7, AX_OP_TRACE_QUICK, 0,
				       AX_OP_END)), 7);
	assert_int_equal(f->nr_mem, 3);
	assert_int_equal(value(f, CODE(AX_OP_CONST8, 7, AX_OP_TRACE_QUICK,
				       255, AX_OP_END)), 7);
	assert_traced(f, 3, 7, 255);

	info = info_of(CODE(AX_OP_CONST8, 7, AX_OP_TRACE_QUICK, 4,
			    AX_OP_END));
	assert_true(info.traces);

	f->trace_err = -ENOSPC;
	assert_int_equal(eval_err(f, CODE(AX_OP_CONST8, 7, AX_OP_TRACE_QUICK,
					  4, AX_OP_END)), -ENOSPC);
	assert_int_equal(eval_err(f, CODE(AX_OP_CONST8, 7, AX_OP_CONST8, 1,
					  AX_OP_TRACE, AX_OP_END)), -ENOSPC);
}

/* tracenz of @limit bytes at @addr; the error. */
static int tracenz(struct fake *f, u64 addr, u64 limit)
{
	u8 code[24], *p = put_c64(put_c64(code, addr), limit);
	u64 res;
	int err;

	*p++ = AX_OP_TRACENZ;
	*p++ = AX_OP_CONST8;
	*p++ = 1;
	*p++ = AX_OP_END;
	assert_verified(bytes(code, (size_t)(p - code)));
	err = run(f, bytes(code, (size_t)(p - code)), &res);
	if (!err)
		assert_int_equal(res, 1);
	return err;
}

static void test_tracenz(void **state)
{
	struct fake *f = *state;
	u64 s = MEM_BASE + 0x100;
	char buf[64];

	put_mem(f, s, "hello", 6);
	assert_int_equal(tracenz(f, s, 200), 0);
	assert_traced(f, 0, s, 6);
	assert_int_equal(tracenz(f, s, 6), 0);
	assert_traced(f, 1, s, 6);
	/* No NUL within the limit: the limit. */
	assert_int_equal(tracenz(f, s, 5), 0);
	assert_traced(f, 2, s, 5);
	assert_int_equal(tracenz(f, s, 1), 0);
	assert_traced(f, 3, s, 1);
	assert_int_equal(tracenz(f, s + 5, 10), 0);
	assert_traced(f, 4, s + 5, 1);
	assert_int_equal(tracenz(f, s, 0), 0);
	assert_int_equal(f->nr_mem, 5);

	/* NULs around the interpreter's 32-byte reads. */
	f->nr_mem = 0;
	memset(buf, 'x', sizeof(buf));
	buf[31] = '\0';
	put_mem(f, s, buf, sizeof(buf));
	assert_int_equal(tracenz(f, s, 200), 0);
	assert_traced(f, 0, s, 32);
	buf[31] = 'x';
	buf[32] = '\0';
	put_mem(f, s, buf, sizeof(buf));
	assert_int_equal(tracenz(f, s, 200), 0);
	assert_traced(f, 1, s, 33);
	assert_int_equal(tracenz(f, s, 32), 0);
	assert_traced(f, 2, s, 32);
	assert_int_equal(tracenz(f, s, 33), 0);
	assert_traced(f, 3, s, 33);
}

static void test_tracenz_faults_and_cap(void **state)
{
	struct fake *f = *state;
	u64 s = MEM_BASE + 0x1000;

	/* Running into unreadable memory before the NUL. */
	put_mem(f, MEM_END - 4, "abcd", 4);
	assert_int_equal(tracenz(f, MEM_END - 4, 200), -EFAULT);
	/* ... but a NUL before it is enough, and so is the limit. */
	assert_int_equal(tracenz(f, MEM_END - 4, 4), 0);
	assert_traced(f, 0, MEM_END - 4, 4);
	put_mem(f, MEM_END - 3, "b", 2);
	assert_int_equal(tracenz(f, MEM_END - 4, 200), 0);
	assert_traced(f, 1, MEM_END - 4, 3);
	assert_int_equal(tracenz(f, 0, 200), -EFAULT);
	assert_int_equal(f->nr_mem, 2);

	/* An unlimited limit still stops scanning at AX_STRING_MAX. */
	memset(f->mem + (s - MEM_BASE), 'A', AX_STRING_MAX + 100);
	assert_int_equal(tracenz(f, s, ~0ULL), 0);
	assert_traced(f, 2, s, AX_STRING_MAX);
	f->mem[s - MEM_BASE + AX_STRING_MAX - 1] = '\0';
	assert_int_equal(tracenz(f, s, ~0ULL), 0);
	assert_traced(f, 3, s, AX_STRING_MAX);

	f->trace_err = -ENOSPC;
	assert_int_equal(tracenz(f, MEM_END - 4, 3), -ENOSPC);
}

/* ---- verifier ---- */

static void test_verify_opcodes(void **state)
{
	/* Each opcode byte, then bytes 0x00 that are no opcode at all. */
	u8 code[16] = { 0 };
	struct ax_info info;
	const char *why;
	int op;

	for (op = 0; op < 256; op++) {
		bool refused = op == AX_OP_FLOAT || op == AX_OP_TRACE16 ||
			       op == AX_OP_PRINTF ||
			       (op >= AX_OP_REF_FLOAT && op <= AX_OP_D_TO_L);
		bool known = (op >= AX_OP_ADD && op <= AX_OP_TRACENZ) ||
			     op == AX_OP_PICK || op == AX_OP_ROT;

		code[0] = (u8)op;
		why = NULL;
		assert_int_equal(ax_verify(code, sizeof(code), &info, &why),
				 -EINVAL);
		if (refused) {
			assert_string_equal(why, "unsupported opcode");
			assert_int_equal(info.error_pc, 0);
		} else if (!known) {
			assert_string_equal(why, "bad opcode");
			assert_int_equal(info.error_pc, 0);
		} else {
			/* Decoded, then the next byte is refused. */
			assert_string_equal(why, "bad opcode");
			assert_true(info.error_pc > 0);
		}
	}
}

static void test_verify_refusals(void **state)
{
	u8 big[AX_CODE_MAX + 1];
	u32 i;

	REFUSED("bad opcode", 0, 0x00, AX_OP_END);
	REFUSED("bad opcode", 2, AX_OP_CONST8, 1, 0x31, AX_OP_END);
	REFUSED("bad opcode", 1, AX_OP_END, 0xff);
	REFUSED("unsupported opcode", 2, AX_OP_CONST8, 1, AX_OP_FLOAT,
		AX_OP_END);
	REFUSED("unsupported opcode", 2, AX_OP_CONST8, 1, AX_OP_REF_DOUBLE,
		AX_OP_END);
	REFUSED("unsupported opcode", 2, AX_OP_CONST8, 1, AX_OP_TRACE16, 4,
		AX_OP_END);
	REFUSED("unsupported opcode", 0, AX_OP_PRINTF, 0, AX_OP_END);

	REFUSED("truncated immediate", 0, AX_OP_CONST8);
	REFUSED("truncated immediate", 1, AX_OP_END, AX_OP_CONST64, 1, 2, 3);
	REFUSED("truncated immediate", 2, AX_OP_CONST8, 1, AX_OP_GOTO, 0);
	REFUSED("truncated immediate", 0, AX_OP_REG, 0);

	REFUSED("jump target out of range", 2, AX_OP_CONST8, 1,
		AX_OP_IF_GOTO, 0x01, 0x00, AX_OP_END);
	REFUSED("jump target out of range", 0, AX_OP_GOTO, 0x00, 0x03);
	/* Even where no path goes. */
	REFUSED("jump target out of range", 1, AX_OP_END, AX_OP_GOTO, 0, 9);
	REFUSED("jump into an instruction", 2, AX_OP_CONST8, 1,
		AX_OP_IF_GOTO, 0x00, 0x01, AX_OP_END);
	REFUSED("jump into an instruction", 0, AX_OP_GOTO, 0x00, 0x02,
		AX_OP_END);

	REFUSED("stack underflow", 0, AX_OP_ADD, AX_OP_END);
	REFUSED("stack underflow", 2, AX_OP_CONST8, 1, AX_OP_ADD, AX_OP_END);
	REFUSED("stack underflow", 0, AX_OP_POP, AX_OP_END);
	REFUSED("stack underflow", 0, AX_OP_DUP, AX_OP_END);
	REFUSED("stack underflow", 4, AX_OP_CONST8, 1, AX_OP_CONST8, 2,
		AX_OP_ROT, AX_OP_END);
	REFUSED("stack underflow", 4, AX_OP_CONST8, 1, AX_OP_CONST8, 2,
		AX_OP_PICK, 2, AX_OP_END);
	REFUSED("stack underflow", 0, AX_OP_IF_GOTO, 0, 3, AX_OP_END);
	REFUSED("stack underflow", 2, AX_OP_CONST8, 1, AX_OP_TRACE,
		AX_OP_END);
	REFUSED("stack underflow", 2, AX_OP_CONST8, 1, AX_OP_TRACENZ,
		AX_OP_END);
	REFUSED("stack underflow", 0, AX_OP_SETV, 0, 1, AX_OP_END);
	/* One path underflows, the other does not. */
	REFUSED("stack underflow", 8, AX_OP_CONST8, 1, AX_OP_CONST8, 0,
		AX_OP_IF_GOTO, 0x00, 0x0a, AX_OP_POP, AX_OP_POP, AX_OP_END,
		AX_OP_END);

	/* Joins must agree: 0 ? 1 : (1 2) */
	REFUSED("inconsistent stack depth", 14, AX_OP_CONST8, 0,
		AX_OP_IF_GOTO, 0x00, 0x0a, AX_OP_CONST8, 1,
		AX_OP_GOTO, 0x00, 0x0e,
		AX_OP_CONST8, 1, AX_OP_CONST8, 2, AX_OP_END);
	/* A loop that grows the stack. */
	REFUSED("inconsistent stack depth", 0, AX_OP_CONST8, 0,
		AX_OP_GOTO, 0x00, 0x00);

	REFUSED("missing end", 2, AX_OP_CONST8, 1, AX_OP_CONST8, 2);
	REFUSED("missing end", 4, AX_OP_CONST8, 1, AX_OP_CONST8, 2, AX_OP_ADD);
	/* The branch taken runs off the end. */
	REFUSED("missing end", 6, AX_OP_CONST8, 1, AX_OP_IF_GOTO, 0x00, 0x06,
		AX_OP_END, AX_OP_CONST8, 2);
	/* The branch not taken does. */
	REFUSED("missing end", 2, AX_OP_CONST8, 1, AX_OP_IF_GOTO, 0x00, 0x00);
	assert_refused(bytes(big, 0), "missing end", 0);

	/* 64 values fit, 65 do not. */
	for (i = 0; i < 65; i++) {
		big[2 * i] = AX_OP_CONST8;
		big[2 * i + 1] = (u8)i;
	}
	big[128] = AX_OP_END;
	assert_verified(bytes(big, 129));
	assert_int_equal(info_of(bytes(big, 129)).max_depth, AX_STACK_MAX);
	big[128] = AX_OP_CONST8;
	big[130] = AX_OP_END;
	assert_refused(bytes(big, 131), "stack overflow", 128);
	big[128] = AX_OP_DUP;
	big[129] = AX_OP_END;
	assert_refused(bytes(big, 130), "stack overflow", 128);

	/* AX_CODE_MAX bytes are fine, one more is not. */
	for (i = 0; i + 3 <= AX_CODE_MAX - 1; i += 3) {
		big[i] = AX_OP_CONST8;
		big[i + 1] = 0;
		big[i + 2] = AX_OP_POP;
	}
	assert_int_equal(i, AX_CODE_MAX - 1);
	big[i] = AX_OP_END;
	assert_verified(bytes(big, AX_CODE_MAX));
	big[AX_CODE_MAX] = AX_OP_END;
	assert_refused(bytes(big, AX_CODE_MAX + 1), "too long", AX_CODE_MAX);
}

static void test_verify_flow(void **state)
{
	static const u8 good[] = { AX_OP_END };
	static const u8 bad[] = { AX_OP_ADD, AX_OP_END };
	struct ax_info info;

	/* Both arms meet at depth 1; the deeper arm sets max_depth. */
	info = info_of(CODE(AX_OP_CONST8, 0,			/* 0 */
			    AX_OP_IF_GOTO, 0x00, 0x0d,		/* 2 */
			    AX_OP_CONST8, 1, AX_OP_CONST8, 2,	/* 5 */
			    AX_OP_ADD,				/* 9 */
			    AX_OP_GOTO, 0x00, 0x0f,		/* 10 */
			    AX_OP_CONST8, 1,			/* 13 */
			    AX_OP_END));			/* 15 */
	assert_int_equal(info.max_depth, 2);

	info = info_of(CODE(AX_OP_CONST8, 0,			/* 0 */
			    AX_OP_IF_GOTO, 0x00, 0x10,		/* 2 */
			    AX_OP_CONST8, 1, AX_OP_CONST8, 2,	/* 5 */
			    AX_OP_CONST8, 3, AX_OP_ADD, AX_OP_ADD,	/* 9 */
			    AX_OP_GOTO, 0x00, 0x12,		/* 13 */
			    AX_OP_CONST8, 1,			/* 16 */
			    AX_OP_END));			/* 18 */
	assert_int_equal(info.max_depth, 3);
	assert_true(info.value);

	/* Unreachable code must decode, but is not followed. */
	info = info_of(CODE(AX_OP_END, AX_OP_ADD, AX_OP_POP, AX_OP_REG, 0, 9));
	assert_int_equal(info.max_depth, 0);
	assert_int_equal(info.max_reg, -1);
	assert_false(info.value);

	/* An end on an empty stack anywhere: no condition. */
	info = info_of(CODE(AX_OP_CONST8, 1, AX_OP_IF_GOTO, 0x00, 0x06,
			    AX_OP_END, AX_OP_CONST8, 5, AX_OP_END));
	assert_false(info.value);

	/* Reasons are optional, and so is the information. */
	assert_int_equal(ax_verify(good, sizeof(good), NULL, NULL), 0);
	assert_int_equal(ax_verify(bad, sizeof(bad), NULL, NULL), -EINVAL);
}

/* ---- the interpreter's own checks, on unverified code ---- */

static void test_eval_unverified(void **state)
{
	struct fake *f = *state;
	u8 big[2 * AX_STACK_MAX + 3];
	u64 res;
	u32 i;

	assert_int_equal(run(f, bytes(NULL, 0), &res), -EINVAL);
	assert_int_equal(run(f, CODE(0x00, AX_OP_END), &res), -EINVAL);
	assert_int_equal(run(f, CODE(0xff), &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_FLOAT, AX_OP_END), &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 1, AX_OP_CONST8, 2,
				     AX_OP_PRINTF, 0, AX_OP_END), &res),
			 -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_CONST16, 1), &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 1), &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_GOTO, 0x10, 0x00), &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_ADD, AX_OP_END), &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 1, AX_OP_SWAP, AX_OP_END),
			     &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 1, AX_OP_PICK, 1,
				     AX_OP_END), &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 1, AX_OP_POP, AX_OP_POP,
				     AX_OP_END), &res), -EINVAL);
	/* Into the middle of an instruction: odd, but safe. */
	assert_int_equal(run(f, CODE(AX_OP_GOTO, 0x00, 0x02, AX_OP_END),
			     &res), -EINVAL);
	assert_int_equal(run(f, CODE(AX_OP_GOTO, 0x00, 0x04, AX_OP_CONST8,
				     AX_OP_END, AX_OP_END), &res), 0);
	assert_int_equal(res, 0);

	for (i = 0; i <= AX_STACK_MAX; i++) {
		big[2 * i] = AX_OP_CONST8;
		big[2 * i + 1] = (u8)i;
	}
	big[2 * AX_STACK_MAX] = AX_OP_END;
	assert_int_equal(run(f, bytes(big, 2 * AX_STACK_MAX + 1), &res), 0);
	assert_int_equal(res, AX_STACK_MAX - 1);
	big[2 * AX_STACK_MAX] = AX_OP_CONST8;
	big[2 * AX_STACK_MAX + 2] = AX_OP_END;
	assert_int_equal(run(f, ARR(big), &res), -EOVERFLOW);
	big[2 * AX_STACK_MAX] = AX_OP_DUP;
	big[2 * AX_STACK_MAX + 1] = AX_OP_END;
	assert_int_equal(run(f, bytes(big, 2 * AX_STACK_MAX + 2), &res), -EOVERFLOW);
	/* An unbounded loop that grows the stack stops at the stack. */
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 0, AX_OP_GOTO, 0, 0),
			     &res), -EOVERFLOW);
	assert_int_equal(run(f, CODE(AX_OP_CONST8, 0, AX_OP_POP,
				     AX_OP_GOTO, 0, 0), &res), -ELOOP);
}

/* ---- GDB's bytecode ---- */

/* Expressions of registers only: inputs, and the value GDB means. */
struct reg_case {
	struct code code;
	u64 rax, rbx, rsi, rdi;
	u64 want;
};

static const struct reg_case reg_cases[] = {
	{ ARR(gdb_rax_plus_4), 10, 0, 0, 0, 14 },
	{ ARR(gdb_rax_plus_4), (u64)-8, 0, 0, 0, (u64)-4 },
	{ ARR(gdb_and_and), 0, 0, 9, 3, 1 },
	{ ARR(gdb_and_and), 0, 0, 10, 3, 0 },
	{ ARR(gdb_and_and), 0, 0, 0, 4, 0 },
	{ ARR(gdb_and_and), 0, 0, (u64)-1, 3, 1 },
	{ ARR(gdb_or_or), 0, 0, 0, 6, 1 },
	{ ARR(gdb_or_or), 0, 0, 0, 5, 0 },
	{ ARR(gdb_or_or), 0, 0, 1, 5, 1 },
	{ ARR(gdb_or_or), 0, 0, 0, (u64)-7, 0 },
	{ ARR(gdb_char), 0x1ff80, 0, 0, 0, 0xffffffffffffff80ULL },
	{ ARR(gdb_char), 0x17f, 0, 0, 0, 0x7f },
	{ ARR(gdb_short), 0x18000, 0, 0, 0, 0xffffffffffff8000ULL },
	{ ARR(gdb_short), 0x17fff, 0, 0, 0, 0x7fff },
	{ ARR(gdb_int), 0x180000000ULL, 0, 0, 0, 0xffffffff80000000ULL },
	{ ARR(gdb_int), 0x17fffffffULL, 0, 0, 0, 0x7fffffff },
	{ ARR(gdb_uchar), 0x1ff80, 0, 0, 0, 0x80 },
	{ ARR(gdb_ushort), 0x18000, 0, 0, 0, 0x8000 },
	{ ARR(gdb_uint), 0x180000000ULL, 0, 0, 0, 0x80000000 },
	{ ARR(gdb_neg), 5, 0, 0, 0, (u64)-5 },
	{ ARR(gdb_not), 0, 0, 0, 0, ~0ULL },
	{ ARR(gdb_lognot), 0, 0, 0, 0, 1 },
	{ ARR(gdb_lognot), 7, 0, 0, 0, 0 },
	{ ARR(gdb_div), (u64)-7, 2, 0, 0, (u64)-3 },
	{ ARR(gdb_div), S64_MIN_BITS, ~0ULL, 0, 0, S64_MIN_BITS },
	{ ARR(gdb_rem), (u64)-7, 2, 0, 0, (u64)-1 },
	{ ARR(gdb_udiv), ~0ULL, 0, 0, 0, 0x5555555555555555ULL },
	{ ARR(gdb_sar), (u64)-16, 0, 0, 0, (u64)-2 },
	{ ARR(gdb_shr), (u64)-16, 0, 0, 0, 0x1ffffffffffffffeULL },
	{ ARR(gdb_shl), 3, 0, 0, 0, 12 },
	{ ARR(gdb_and), 0x1234, 0, 0, 0, 0x34 },
	{ ARR(gdb_xor), 0xf0, 0xff, 0, 0, 0x0f },
	{ ARR(gdb_mul), 2, 0, 0, 0, 0x2468acf0 },
	{ ARR(gdb_sub), 0, 0, 0, 0, (u64)-0x1234 },
	{ ARR(gdb_const64), 0, 0, 0, 0, 0x123456789abcdefULL },
	{ ARR(gdb_eq_minus1), ~0ULL, 0, 0, 0, 1 },
	{ ARR(gdb_eq_minus1), 0xff, 0, 0, 0, 0 },
	{ ARR(gdb_le), 5, 0, 0, 0, 1 },
	{ ARR(gdb_le), 6, 0, 0, 0, 0 },
	{ ARR(gdb_le), (u64)-100, 0, 0, 0, 1 },
	{ ARR(gdb_uge), 7, 0, 0, 0, 1 },
	{ ARR(gdb_uge), 0x100000006ULL, 0, 0, 0, 0 },
	{ ARR(gdb_uge), ~0ULL, 0, 0, 0, 1 },
	{ ARR(gdb_gt), 2, 1, 0, 0, 1 },
	{ ARR(gdb_gt), (u64)-2, 1, 0, 0, 0 },
	{ ARR(gdb_ternary), 0, 0, 0, 0, 2 },
	{ ARR(gdb_ternary), 5, 0, 0, 0, 1 },
};

static void test_gdb_register_exprs(void **state)
{
	struct fake *f = *state;
	struct ax_info info;
	size_t i;
	u64 res;

	for (i = 0; i < ARRAY_SIZE(reg_cases); i++) {
		const struct reg_case *c = &reg_cases[i];

		f->regs[RAX] = c->rax;
		f->regs[RBX] = c->rbx;
		f->regs[RSI] = c->rsi;
		f->regs[RDI] = c->rdi;
		res = value(f, c->code);
		if (res != c->want)
			fail_msg("case %zu: got %#llx, want %#llx", i,
				 (unsigned long long)res,
				 (unsigned long long)c->want);
		info = info_of(c->code);
		assert_true(info.value);
		assert_false(info.traces);
		assert_true(info.max_depth >= 1 && info.max_depth <= 2);
	}

	f->regs[RBX] = 0;
	assert_int_equal(eval_err(f, ARR(gdb_div)), -EDOM);
	assert_int_equal(eval_err(f, ARR(gdb_rem)), -EDOM);
	f->regs_ok = 0;
	assert_int_equal(eval_err(f, ARR(gdb_rax_plus_4)),
			 -ENOENT);

	info = info_of(ARR(gdb_and_and));
	assert_int_equal(info.max_depth, 2);
	assert_int_equal(info.regs, (1ULL << RSI) | (1ULL << RDI));
	assert_int_equal(info.max_reg, RDI);
}

static void test_gdb_memory_exprs(void **state)
{
	struct fake *f = *state;
	u64 rbp = MEM_BASE + 0x1000;

	f->regs[RBP] = rbp;
	f->regs[RSP] = rbp;
	put_u64(f, rbp + 8, 0xfffffff6, 4);
	assert_int_equal(value(f, ARR(gdb_rsp_int)), (u64)-10);

	put_u64(f, GS + 24, 0x8001, 2);
	assert_int_equal(value(f, ARR(gdb_gs_c)), 0xffffffffffff8001ULL);
	put_u64(f, GS + 26, 0xfe, 1);
	assert_int_equal(value(f, ARR(gdb_gs_u)), 0xfe);
	put_u64(f, GS + 16, 0x1122334455667788ULL, 8);
	assert_int_equal(value(f, ARR(gdb_gs_b)), 0x1122334455667788ULL);
	put_u64(f, GARR + 8, (u64)-5, 4);
	assert_int_equal(value(f, ARR(gdb_garr2)), (u64)-5);

	put_mem(f, MEM_BASE + 0x100, "h\xe9", 3);
	put_u64(f, GSTR, MEM_BASE + 0x100, 8);
	assert_int_equal(value(f, ARR(gdb_gstr1)), (u64)(s8)0xe9);
	put_u64(f, GSTR, MEM_END, 8);
	assert_int_equal(eval_err(f, ARR(gdb_gstr1)), -EFAULT);

	put_u64(f, GI, (u64)-1, 4);
	assert_int_equal(value(f, ARR(gdb_gi_neg)), 1);
	put_u64(f, GI, 5, 4);
	assert_int_equal(value(f, ARR(gdb_gi_neg)), 0);
	put_u64(f, GU, 4, 4);
	assert_int_equal(value(f, ARR(gdb_gu_lt)), 1);
	put_u64(f, GU, 0xffffffff, 4);
	assert_int_equal(value(f, ARR(gdb_gu_lt)), 0);

	put_u64(f, rbp - 4, 42, 4);
	assert_int_equal(value(f, ARR(gdb_x)), 42);
	put_u64(f, rbp - 16, MEM_BASE + 0x200, 8);
	put_mem(f, MEM_BASE + 0x200, "abcd", 5);
	assert_int_equal(value(f, ARR(gdb_p3)), 'd');
}

static void test_gdb_vars(void **state)
{
	struct fake *f = *state;
	struct ax_info info;
	u64 res;

	f->vars[1] = 41;
	assert_int_equal(value(f, ARR(gdb_tv_inc)), 42);
	assert_int_equal(f->vars[1], 42);
	info = info_of(ARR(gdb_tv_inc));
	assert_true(info.sets_vars);
	assert_false(info.traces);
	assert_int_equal(info.vars, 1ULL << 1);

	/*
	 * GDB 13 compiles an assignment of a register to a variable with the
	 * setv first, on an empty stack.  Refused, not run.
	 */
	assert_refused(ARR(gdb_tw_rax), "stack underflow", 0);
	assert_int_equal(run(f, ARR(gdb_tw_rax), &res),
			 -EINVAL);
	assert_int_equal(f->vars[2], 0);
}

static void test_gdb_collect(void **state)
{
	struct fake *f = *state;
	u64 rbp = MEM_BASE + 0x1000, p = MEM_BASE + 0x200;
	struct ax_info info;

	f->regs[RBP] = rbp;
	f->regs[RDI] = MEM_BASE + 0x300;
	put_u64(f, rbp - 16, p, 8);
	put_u64(f, rbp - 4, 3, 4);

	assert_int_equal(value(f, ARR(gdb_collect_array)), 0);
	assert_traced(f, 0, MEM_BASE + 0x300, 16);

	/* The pointer, then what it points to. */
	assert_int_equal(value(f, ARR(gdb_collect_deref)), 0);
	assert_traced(f, 1, rbp - 16, 8);
	assert_traced(f, 2, p, 1);

	/* p, x, then p[x]. */
	assert_int_equal(value(f, ARR(gdb_collect_index)), 0);
	assert_traced(f, 3, rbp - 16, 8);
	assert_traced(f, 4, rbp - 4, 4);
	assert_traced(f, 5, p + 3, 1);
	info = info_of(ARR(gdb_collect_index));
	assert_int_equal(info.max_depth, 3);
	assert_true(info.traces);
	assert_false(info.value);
	assert_int_equal(info.regs, 1ULL << RBP);

	assert_int_equal(value(f, ARR(gdb_collect_gs)), 0);
	assert_traced(f, 6, GS, 32);

	/* Registers are collected by the R action; rvalues not at all. */
	assert_int_equal(value(f, ARR(gdb_collect_rip)), 0);
	assert_int_equal(value(f, ARR(gdb_collect_rvalue)), 0);
	assert_int_equal(f->nr_mem, 7);
	info = info_of(ARR(gdb_collect_rip));
	assert_int_equal(info.max_depth, 0);
	assert_false(info.value);

	f->vars[1] = 7;
	assert_int_equal(value(f, ARR(gdb_collect_tv)), 0);
	assert_int_equal(f->nr_var, 1);
	assert_int_equal(f->var_log[0], 1);
	assert_int_equal(value(f, ARR(gdb_collect_tv_inc)), 0);
	assert_int_equal(f->vars[1], 8);
	assert_int_equal(f->nr_var, 3);
	assert_int_equal(f->var_log[1], 1);
	assert_int_equal(f->var_log[2], 1);

	/* A fault in the middle keeps what was recorded before it. */
	f->nr_mem = 0;
	f->regs[RBP] = 16;
	assert_int_equal(eval_err(f, ARR(gdb_collect_index)), -EFAULT);
	assert_int_equal(f->nr_mem, 1);
	assert_traced(f, 0, 0, 8);
}

static void test_gdb_wire(void **state)
{
	struct fake *f = *state;
	u64 rsp = MEM_BASE + 0x1000, p = MEM_BASE + 0x200;
	struct ax_info info;
	u8 code[128];
	size_t n;

	/* The listing above is what GDB sends. */
	n = from_hex(code, sizeof(code), qtdp_cond_regs);
	assert_int_equal(n, sizeof(gdb_and_and));
	assert_memory_equal(code, gdb_and_and, n);

	/* x > 2 && *p != 0, at the entry of f. */
	n = from_hex(code, sizeof(code), qtdp_cond_mem);
	f->regs[RSP] = rsp;
	put_u64(f, rsp - 12, 5, 4);
	put_u64(f, rsp - 24, p, 8);
	put_mem(f, p, "a", 2);
	assert_int_equal(value(f, bytes(code, n)), 1);
	put_u64(f, rsp - 12, (u64)-1, 4);
	assert_int_equal(value(f, bytes(code, n)), 0);
	put_u64(f, rsp - 12, 3, 4);
	assert_int_equal(value(f, bytes(code, n)), 1);
	put_mem(f, p, "", 1);
	assert_int_equal(value(f, bytes(code, n)), 0);
	put_u64(f, rsp - 24, 8, 8);
	assert_int_equal(eval_err(f, bytes(code, n)), -EFAULT);
	info = info_of(bytes(code, n));
	assert_true(info.value);
	assert_int_equal(info.max_depth, 2);
	assert_int_equal(info.regs, 1ULL << RSP);

	/* collect/s p: the pointer, then the string up to 200 bytes. */
	put_u64(f, rsp - 24, p, 8);
	put_mem(f, p, "hello", 6);
	n = from_hex(code, sizeof(code), qtdp_collect_s);
	assert_int_equal(value(f, bytes(code, n)), 0);
	assert_traced(f, 0, rsp - 24, 8);
	assert_traced(f, 1, p, 6);
	info = info_of(bytes(code, n));
	assert_true(info.traces);
	assert_false(info.value);

	/* collect/s80 p with an 100-byte string. */
	memset(f->mem + (p - MEM_BASE), 'z', 100);
	f->mem[p - MEM_BASE + 100] = '\0';
	n = from_hex(code, sizeof(code), qtdp_collect_s80);
	assert_int_equal(value(f, bytes(code, n)), 0);
	assert_traced(f, 3, p, 80);
	n = from_hex(code, sizeof(code), qtdp_collect_s);
	assert_int_equal(value(f, bytes(code, n)), 0);
	assert_traced(f, 5, p, 101);

	f->nr_mem = 0;
	f->regs[RDI] = MEM_BASE + 0x300;
	n = from_hex(code, sizeof(code), qtdp_collect_array);
	assert_int_equal(value(f, bytes(code, n)), 0);
	assert_traced(f, 0, MEM_BASE + 0x300, 16);
	n = from_hex(code, sizeof(code), qtdp_collect_name);
	assert_int_equal(value(f, bytes(code, n)), 0);
	assert_traced(f, 1, GS + 4, 8);

	f->vars[1] = 100;
	n = from_hex(code, sizeof(code), qtdp_collect_tv);
	assert_int_equal(value(f, bytes(code, n)), 0);
	assert_int_equal(f->nr_var, 1);
	assert_int_equal(f->var_log[0], 1);
	n = from_hex(code, sizeof(code), qtdp_teval);
	assert_int_equal(value(f, bytes(code, n)), 101);
	assert_int_equal(f->vars[1], 101);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add_sub_mul),
		T(test_division),
		T(test_division_by_zero),
		T(test_shifts),
		T(test_bitwise_and_logic),
		T(test_compares),
		T(test_ext),
		T(test_zero_ext),
		T(test_consts_big_endian),
		T(test_stack_ops),
		T(test_end),
		T(test_jumps),
		T(test_loop_bounded),
		T(test_ref),
		T(test_ref_faults),
		T(test_reg),
		T(test_vars),
		T(test_tracev),
		T(test_trace),
		T(test_tracenz),
		T(test_tracenz_faults_and_cap),
		cmocka_unit_test(test_verify_opcodes),
		cmocka_unit_test(test_verify_refusals),
		cmocka_unit_test(test_verify_flow),
		T(test_eval_unverified),
		T(test_gdb_register_exprs),
		T(test_gdb_memory_exprs),
		T(test_gdb_vars),
		T(test_gdb_collect),
		T(test_gdb_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
