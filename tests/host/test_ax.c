// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the agent-expression interpreter (proto/ax.c): every
 * opcode's meaning and corner cases, the stack, jumps and the step bound,
 * memory and registers and their faults, trace state variables and
 * collection.  The verifier's refusals and GDB's own bytecode are in
 * tests/host/test_ax_verify.c.
 *
 * The fixture (fake target, helpers) is in tests/host/ax_fixture.h.
 */
#include "tests/host/ax_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
