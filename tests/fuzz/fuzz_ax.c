// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: agent expression verifier and interpreter
 * (proto/ax.c).
 *
 * Input: one configuration byte, then the bytecode.  The configuration
 * says after how many trace_mem / trace_var calls recording fails (0:
 * never), as a full frame would.
 *
 * Every input is run through ax_eval() unverified, which must stay memory
 * safe (the stack it gets is exactly AX_STACK_MAX entries, so ASan sees
 * any overrun).  Code ax_verify() accepts must also keep the promises the
 * verifier makes:
 *
 * - the value stack never grows past info.max_depth (the interpreter is
 *   given exactly that many entries);
 * - evaluation never fails with -EINVAL or -EOVERFLOW, the errors of code
 *   the verifier refuses;
 * - registers, variables, variable writes and recording are asked for
 *   only when ax_info says the code may ask for them;
 * - no more than AX_STEP_MAX callbacks (each instruction makes one at
 *   most, tracenz's memory reads aside);
 * - evaluating twice from the same state gives the same result and the
 *   same calls.
 */
#include <stdio.h>
#include <stdlib.h>

#include "gtp_port.h"
#include "proto/ax.h"
#include "tests/fuzz/fuzz.h"

#define NR_REGS		24
#define NR_VARS		16

struct env {
	const struct ax_info *info;	/* NULL: code not verified */
	s64 vars[NR_VARS];
	u32 fail_after;			/* recording fails at this call */
	u32 records;
	u32 calls;			/* read_reg, getv, setv, trace_* */
	u64 log;			/* hash of every call and its result */
};

static void note(struct env *e, u64 what, u64 a, u64 b)
{
	e->log = (e->log ^ what) * 0x100000001b3ULL;
	e->log = (e->log ^ a) * 0x100000001b3ULL;
	e->log = (e->log ^ b) * 0x100000001b3ULL;
}

/* Register @num was named by the code, which the verifier must know. */
static void check_reg(struct env *e, u32 num)
{
	const struct ax_info *info = e->info;

	if (!info)
		return;
	FZ_CHECK((s32)num <= info->max_reg,
		 "reg %u read, verifier saw max_reg %d", num, info->max_reg);
	FZ_CHECK(num >= 64 || (info->regs & (1ULL << num)),
		 "reg %u read, not in the verifier's register set", num);
}

static void check_var(struct env *e, u32 num)
{
	const struct ax_info *info = e->info;

	if (!info)
		return;
	FZ_CHECK((s32)num <= info->max_var,
		 "var %u used, verifier saw max_var %d", num, info->max_var);
	FZ_CHECK(num >= 64 || (info->vars & (1ULL << num)),
		 "var %u used, not in the verifier's variable set", num);
}

static void count_call(struct env *e)
{
	e->calls++;
	FZ_CHECK(e->calls <= AX_STEP_MAX,
		 "more than AX_STEP_MAX calls: the step bound does not hold");
}

static size_t env_read(void *target, u64 addr, void *buf, size_t len)
{
	struct env *e = target;
	size_t n = fz_mem_copy(buf, addr, len);

	note(e, 1, addr, len);
	return n;
}

static bool env_reg(void *target, u32 regnum, u64 *val)
{
	struct env *e = target;

	count_call(e);
	check_reg(e, regnum);
	note(e, 2, regnum, 0);
	if (regnum >= NR_REGS)
		return false;
	/* rsp and rbp point at the fake stack, the rest at fake data. */
	if (regnum == FZ_REG_RSP || regnum == FZ_REG_RBP)
		*val = FZ_STACK + 0x100 * regnum;
	else
		*val = regnum < 8 ? regnum * 3 : FZ_DATA + 0x10 * regnum;
	return true;
}

static bool env_getv(void *target, u32 num, s64 *val)
{
	struct env *e = target;

	count_call(e);
	check_var(e, num);
	note(e, 3, num, 0);
	if (num >= NR_VARS)
		return false;
	*val = e->vars[num];
	return true;
}

static bool env_setv(void *target, u32 num, s64 val)
{
	struct env *e = target;

	count_call(e);
	check_var(e, num);
	FZ_CHECK(!e->info || e->info->sets_vars,
		 "setv ran, verifier said the code sets no variable");
	note(e, 4, num, (u64)val);
	if (num >= NR_VARS)
		return false;
	e->vars[num] = val;
	return true;
}

static int record(struct env *e)
{
	FZ_CHECK(!e->info || e->info->traces,
		 "recording ran, verifier said the code records nothing");
	e->records++;
	return e->fail_after && e->records >= e->fail_after ? -ENOSPC : 0;
}

static int env_trace_mem(void *target, u64 addr, u64 len)
{
	struct env *e = target;

	count_call(e);
	/* trace, trace_quick and tracenz record nothing of size 0. */
	FZ_CHECK(len, "trace_mem of 0 bytes");
	note(e, 5, addr, len);
	return record(e);
}

static int env_trace_var(void *target, u32 num)
{
	struct env *e = target;

	count_call(e);
	check_var(e, num);
	note(e, 6, num, 0);
	return record(e);
}

static void env_reset(struct env *e, const struct ax_info *info, u8 cfg)
{
	int i;

	memset(e, 0, sizeof(*e));
	e->info = info;
	e->fail_after = cfg & 0x0f;
	for (i = 0; i < NR_VARS; i++)
		e->vars[i] = i < 4 ? i : (s64)(FZ_DATA + 0x100 * i);
}

/* One evaluation; the stack is exactly @depth entries of heap. */
static int run(const u8 *code, u32 len, struct env *e, u32 depth,
	       u64 *result)
{
	struct ax_env env = {
		.target = e,
		.read_memory = env_read,
		.read_reg = env_reg,
		.getv = env_getv,
		.setv = env_setv,
		.trace_mem = env_trace_mem,
		.trace_var = env_trace_var,
	};
	int err;

	env.stack = malloc(depth * sizeof(u64));
	FZ_CHECK(env.stack || !depth, "out of memory");
	*result = 0x5a5a5a5a5a5a5a5aULL;
	err = ax_eval(code, len, &env, result);
	free(env.stack);
	return err;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ax_info info;
	const char *why = NULL;
	struct env e1, e2;
	const u8 *code;
	u64 r1, r2;
	u32 len;
	int err, err2;
	u8 cfg;

	if (!size)
		return 0;
	cfg = data[0];
	code = data + 1;
	len = (u32)min_t(size_t, size - 1, AX_CODE_MAX + 16);

	/* Unverified: memory safe whatever the code, and it ends. */
	env_reset(&e1, NULL, cfg);
	err = run(code, len, &e1, AX_STACK_MAX, &r1);
	FZ_CHECK(err <= 0, "ax_eval returned %d", err);

	err = ax_verify(code, len, &info, &why);
	if (err) {
		FZ_CHECK(err == -EINVAL && why, "ax_verify: %d without reason",
			 err);
		FZ_CHECK(info.error_pc <= AX_CODE_MAX,
			 "error_pc %u past the code", info.error_pc);
		return 0;
	}
	FZ_CHECK(len && len <= AX_CODE_MAX, "ax_verify accepted %u bytes",
		 len);
	FZ_CHECK(info.max_depth <= AX_STACK_MAX, "max_depth %u",
		 info.max_depth);

	env_reset(&e1, &info, cfg);
	err = run(code, len, &e1, info.max_depth, &r1);
	FZ_CHECK(err != -EINVAL && err != -EOVERFLOW,
		 "verified code failed with %d", err);
	FZ_CHECK(err == 0 || err == -EDOM || err == -EFAULT ||
		 err == -ENOENT || err == -ELOOP || err == -ENOSPC,
		 "verified code: unexpected error %d", err);
	FZ_CHECK(err != -ENOSPC || e1.fail_after,
		 "-ENOSPC with recording that cannot fail");

	env_reset(&e2, &info, cfg);
	err2 = run(code, len, &e2, info.max_depth, &r2);
	FZ_CHECK(err == err2, "second run: %d, first %d", err2, err);
	FZ_CHECK(err || r1 == r2, "second run: result %llx, first %llx",
		 (unsigned long long)r2, (unsigned long long)r1);
	FZ_CHECK(e1.log == e2.log && e1.calls == e2.calls,
		 "second run made different calls");
	FZ_CHECK(!memcmp(e1.vars, e2.vars, sizeof(e1.vars)),
		 "second run left different variables");
	return 0;
}
