// SPDX-License-Identifier: GPL-2.0
/*
 * GDB agent expressions: verifier and interpreter.
 *
 * The verifier does the expensive proofs once, in process context, so the
 * interpreter, which runs in a probe handler, only pays for a few cheap
 * checks that keep it memory-safe even on code it is handed unverified.
 * Evaluation follows gdbserver's (gdbserver/ax.cc) where GDB's manual is
 * silent, and defines what gdbserver leaves to the C compiler.
 */
#include "gtp_port.h"
#include "proto/ax.h"

#define AXF_JUMP	0x01	/* a 16-bit absolute target follows */
#define AXF_NOFALL	0x02	/* never goes on to the next instruction */
#define AXF_TRACE	0x04
#define AXF_REG		0x08	/* a 16-bit register number follows */
#define AXF_VAR		0x10	/* a 16-bit variable number follows */
#define AXF_SETV	0x20
#define AXF_REFUSED	0x40	/* GDB defines it, this agent does not run it */

struct ax_opinfo {
	u8 len;			/* opcode and immediate; 0 if not run here */
	u8 pop;			/* values that must be on the stack */
	u8 push;		/* values left in their place */
	u8 flags;
};

/*
 * One table drives both the verifier and the interpreter's checks, so
 * they cannot disagree on an instruction's size or stack effect.
 */
static const struct ax_opinfo ax_ops[] = {
	[AX_OP_FLOAT]				= { 0, 0, 0, AXF_REFUSED },
	[AX_OP_ADD ... AX_OP_RSH_UNSIGNED]	= { 1, 2, 1, 0 },
	[AX_OP_TRACE]				= { 1, 2, 0, AXF_TRACE },
	[AX_OP_TRACE_QUICK]			= { 2, 1, 1, AXF_TRACE },
	[AX_OP_LOG_NOT]				= { 1, 1, 1, 0 },
	[AX_OP_BIT_AND ... AX_OP_BIT_XOR]	= { 1, 2, 1, 0 },
	[AX_OP_BIT_NOT]				= { 1, 1, 1, 0 },
	[AX_OP_EQUAL ... AX_OP_LESS_UNSIGNED]	= { 1, 2, 1, 0 },
	[AX_OP_EXT]				= { 2, 1, 1, 0 },
	[AX_OP_REF8 ... AX_OP_REF64]		= { 1, 1, 1, 0 },
	[AX_OP_REF_FLOAT ... AX_OP_D_TO_L]	= { 0, 0, 0, AXF_REFUSED },
	[AX_OP_IF_GOTO]				= { 3, 1, 0, AXF_JUMP },
	[AX_OP_GOTO]			= { 3, 0, 0, AXF_JUMP | AXF_NOFALL },
	[AX_OP_CONST8]				= { 2, 0, 1, 0 },
	[AX_OP_CONST16]				= { 3, 0, 1, 0 },
	[AX_OP_CONST32]				= { 5, 0, 1, 0 },
	[AX_OP_CONST64]				= { 9, 0, 1, 0 },
	[AX_OP_REG]				= { 3, 0, 1, AXF_REG },
	[AX_OP_END]				= { 1, 0, 0, AXF_NOFALL },
	[AX_OP_DUP]				= { 1, 1, 2, 0 },
	[AX_OP_POP]				= { 1, 1, 0, 0 },
	[AX_OP_ZERO_EXT]			= { 2, 1, 1, 0 },
	[AX_OP_SWAP]				= { 1, 2, 2, 0 },
	[AX_OP_GETV]				= { 3, 0, 1, AXF_VAR },
	[AX_OP_SETV]			= { 3, 1, 1, AXF_VAR | AXF_SETV },
	[AX_OP_TRACEV]			= { 3, 0, 0, AXF_VAR | AXF_TRACE },
	[AX_OP_TRACENZ]				= { 1, 2, 0, AXF_TRACE },
	/* GDB never emits it, and gdbserver does not run it either. */
	[AX_OP_TRACE16]				= { 0, 0, 0, AXF_REFUSED },
	/* Also needs its operand's depth below the top: see ax_pick_need. */
	[AX_OP_PICK]				= { 2, 1, 2, 0 },
	[AX_OP_ROT]				= { 1, 3, 3, 0 },
	/* Formatting belongs to GDB; a probe handler has nowhere to print. */
	[AX_OP_PRINTF]				= { 0, 0, 0, AXF_REFUSED },
};

static const struct ax_opinfo ax_no_op;

static inline const struct ax_opinfo *ax_op(u8 opcode)
{
	return opcode < ARRAY_SIZE(ax_ops) ? &ax_ops[opcode] : &ax_no_op;
}

static inline u32 ax_be16(const u8 *p)
{
	return (u32)p[0] << 8 | p[1];
}

/* pick n copies the value n below the top, so n + 1 values must exist. */
static inline u32 ax_pick_need(const u8 *insn)
{
	return (u32)insn[1] + 1;
}

/* ---- verifier ---- */

/*
 * Per-byte state of the code under verification.  A byte that starts an
 * instruction holds the stack depth on entry once a path has reached it;
 * depths fit in 7 bits since AX_STACK_MAX is 64.
 */
#define AXV_INSIDE	0xff	/* immediate bytes: no instruction here */
#define AXV_UNSEEN	0xfe	/* an instruction no path has reached yet */
#define AXV_PENDING	0x80	/* reached; successors not yet followed */
#define AXV_DEPTH	0x7f

struct ax_verifier {
	const u8 *code;
	u32 len;
	u8 *state;		/* len bytes, see AXV_* */
	struct ax_info *info;
	const char **why;
	bool again;		/* a backward jump reached a new instruction */
	bool saw_end;
	bool empty_end;		/* some `end` is reached on an empty stack */
};

static int ax_refuse(struct ax_verifier *v, u32 pc, const char *reason)
{
	v->info->error_pc = pc;
	*v->why = reason;
	return -EINVAL;
}

/*
 * Instruction boundaries come from decoding straight through from 0, the
 * way GDB lays the code out; only they may be jumped to, and every byte,
 * reachable or not, must decode.
 */
static int ax_decode(struct ax_verifier *v)
{
	const struct ax_opinfo *op;
	u32 pc, target;

	memset(v->state, AXV_INSIDE, v->len);
	for (pc = 0; pc < v->len; pc += op->len) {
		op = ax_op(v->code[pc]);
		if (op->flags & AXF_REFUSED)
			return ax_refuse(v, pc, "unsupported opcode");
		if (!op->len)
			return ax_refuse(v, pc, "bad opcode");
		if (op->len > v->len - pc)
			return ax_refuse(v, pc, "truncated immediate");
		v->state[pc] = AXV_UNSEEN;
	}
	for (pc = 0; pc < v->len; pc++) {
		if (v->state[pc] == AXV_INSIDE ||
		    !(ax_op(v->code[pc])->flags & AXF_JUMP))
			continue;
		target = ax_be16(v->code + pc + 1);
		if (target >= v->len)
			return ax_refuse(v, pc, "jump target out of range");
		if (v->state[target] == AXV_INSIDE)
			return ax_refuse(v, pc, "jump into an instruction");
	}
	return 0;
}

/*
 * Record that a path from @from reaches @to with @depth values.  A join
 * must agree on the depth, which is what lets one number per instruction
 * describe every path.
 */
static int ax_reach(struct ax_verifier *v, u32 from, u32 to, u32 depth)
{
	if (v->state[to] == AXV_UNSEEN) {
		v->state[to] = depth | AXV_PENDING;
		if (to <= from)
			v->again = true;
		return 0;
	}
	if ((v->state[to] & AXV_DEPTH) != depth)
		return ax_refuse(v, to, "inconsistent stack depth");
	return 0;
}

static void ax_note(struct ax_info *info, const u8 *insn,
		    const struct ax_opinfo *op)
{
	u32 n = 0;

	if (op->flags & (AXF_REG | AXF_VAR))
		n = ax_be16(insn + 1);
	if (op->flags & AXF_TRACE)
		info->traces = true;
	if (op->flags & AXF_SETV)
		info->sets_vars = true;
	if (op->flags & AXF_REG) {
		if (n < 64)
			info->regs |= 1ULL << n;
		if ((s32)n > info->max_reg)
			info->max_reg = n;
	}
	if (op->flags & AXF_VAR) {
		if (n < 64)
			info->vars |= 1ULL << n;
		if ((s32)n > info->max_var)
			info->max_var = n;
	}
}

/* Follow the instruction at @pc, entered with @depth values. */
static int ax_follow(struct ax_verifier *v, u32 pc, u32 depth)
{
	const struct ax_opinfo *op = ax_op(v->code[pc]);
	u32 need = op->pop;
	int err;

	if (v->code[pc] == AX_OP_PICK)
		need = ax_pick_need(v->code + pc);
	if (depth < need)
		return ax_refuse(v, pc, "stack underflow");
	depth = depth - op->pop + op->push;
	if (depth > AX_STACK_MAX)
		return ax_refuse(v, pc, "stack overflow");
	if (depth > v->info->max_depth)
		v->info->max_depth = depth;
	ax_note(v->info, v->code + pc, op);
	if (v->code[pc] == AX_OP_END) {
		v->saw_end = true;
		if (!depth)
			v->empty_end = true;
	}
	if (op->flags & AXF_JUMP) {
		err = ax_reach(v, pc, ax_be16(v->code + pc + 1), depth);
		if (err)
			return err;
	}
	if (op->flags & AXF_NOFALL)
		return 0;
	if (pc + op->len >= v->len)
		return ax_refuse(v, pc, "missing end");
	return ax_reach(v, pc, pc + op->len, depth);
}

/*
 * Abstract interpretation of the stack depth over the control flow.  Each
 * instruction is followed once, when first reached; sweeps in code order
 * repeat only while a backward jump reached something new, so there are
 * at most one more than there are backward jumps (GDB emits none).
 */
static int ax_flow(struct ax_verifier *v)
{
	u32 pc;
	u8 s;
	int err;

	v->state[0] = 0 | AXV_PENDING;
	do {
		v->again = false;
		for (pc = 0; pc < v->len; pc++) {
			s = v->state[pc];
			if (s >= AXV_UNSEEN || !(s & AXV_PENDING))
				continue;
			v->state[pc] = s & AXV_DEPTH;
			err = ax_follow(v, pc, s & AXV_DEPTH);
			if (err)
				return err;
		}
	} while (v->again);
	v->info->value = v->saw_end && !v->empty_end;
	return 0;
}

int ax_verify(const u8 *code, u32 len, struct ax_info *info,
	      const char **why)
{
	struct ax_info scratch_info;
	const char *scratch_why;
	struct ax_verifier v = {
		.code = code,
		.len = len,
		.info = info ? info : &scratch_info,
		.why = why ? why : &scratch_why,
	};
	int err;

	memset(v.info, 0, sizeof(*v.info));
	v.info->max_reg = -1;
	v.info->max_var = -1;
	*v.why = NULL;
	if (len > AX_CODE_MAX)
		return ax_refuse(&v, AX_CODE_MAX, "too long");
	if (!len)
		return ax_refuse(&v, 0, "missing end");

	/* Too big for a kernel stack frame; this runs where it may sleep. */
	v.state = rb_port_zalloc(len);
	if (!v.state) {
		*v.why = "out of memory";
		return -ENOMEM;
	}
	err = ax_decode(&v);
	if (!err)
		err = ax_flow(&v);
	rb_port_free(v.state);
	return err;
}

/* ---- interpreter ---- */

#define AX_SIGN_BIT	(1ULL << 63)

/*
 * Two's complement throughout: u64 arithmetic wraps by definition, and
 * the signed views are taken only where the result cannot overflow.
 */
static int ax_binop(u8 opcode, u64 a, u64 b, u64 *r)
{
	switch (opcode) {
	case AX_OP_ADD:
		*r = a + b;
		break;
	case AX_OP_SUB:
		*r = a - b;
		break;
	case AX_OP_MUL:
		*r = a * b;
		break;
	case AX_OP_DIV_SIGNED:
	case AX_OP_REM_SIGNED:
		if (!b)
			return -EDOM;
		/* The one quotient that does not fit: it wraps to itself. */
		if (a == AX_SIGN_BIT && b == ~0ULL)
			*r = opcode == AX_OP_DIV_SIGNED ? a : 0;
		else if (opcode == AX_OP_DIV_SIGNED)
			*r = (u64)((s64)a / (s64)b);
		else
			*r = (u64)((s64)a % (s64)b);
		break;
	case AX_OP_DIV_UNSIGNED:
		if (!b)
			return -EDOM;
		*r = a / b;
		break;
	case AX_OP_REM_UNSIGNED:
		if (!b)
			return -EDOM;
		*r = a % b;
		break;
	/* Shifting every bit out, as a wide enough machine would. */
	case AX_OP_LSH:
		*r = b < 64 ? a << b : 0;
		break;
	case AX_OP_RSH_SIGNED:
		if (b < 64)
			*r = (u64)((s64)a >> b);
		else
			*r = a & AX_SIGN_BIT ? ~0ULL : 0;
		break;
	case AX_OP_RSH_UNSIGNED:
		*r = b < 64 ? a >> b : 0;
		break;
	case AX_OP_BIT_AND:
		*r = a & b;
		break;
	case AX_OP_BIT_OR:
		*r = a | b;
		break;
	case AX_OP_BIT_XOR:
		*r = a ^ b;
		break;
	case AX_OP_EQUAL:
		*r = a == b;
		break;
	case AX_OP_LESS_SIGNED:
		*r = (s64)a < (s64)b;
		break;
	case AX_OP_LESS_UNSIGNED:
		*r = a < b;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* A value of 0 bits has only one value, in either extension. */
static u64 ax_sign_extend(u64 v, u32 bits)
{
	u64 sign;

	if (bits >= 64)
		return v;
	if (!bits)
		return 0;
	sign = 1ULL << (bits - 1);
	v &= (sign << 1) - 1;
	return (v ^ sign) - sign;
}

static u64 ax_zero_extend(u64 v, u32 bits)
{
	return bits >= 64 ? v : v & ((1ULL << bits) - 1);
}

static u64 ax_imm_be(const u8 *p, u32 n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* Byte by byte, so the host build gets the target's order on any host. */
static int ax_ref(const struct ax_env *env, u64 addr, u32 size, u64 *val)
{
	u8 buf[8];
	u64 v = 0;

	if (env->read_memory(env->target, addr, buf, size) != size)
		return -EFAULT;
	while (size--)
		v = v << 8 | buf[size];
	*val = v;
	return 0;
}

static int ax_trace(const struct ax_env *env, u64 addr, u64 len)
{
	int err;

	if (!len)
		return 0;
	err = env->trace_mem(env->target, addr, len);
	return err < 0 ? err : 0;
}

/*
 * tracenz records the string up to and including its NUL, or @limit
 * bytes if there is none sooner.  The collector reads memory itself, so
 * finding the length is all this does; a short read before the NUL means
 * the string's end cannot be known.
 */
static int ax_tracenz(const struct ax_env *env, u64 addr, u64 limit)
{
	u64 max = min_t(u64, limit, AX_STRING_MAX);
	u64 n = 0;
	size_t chunk, got, i;
	u8 buf[32];

	while (n < max) {
		chunk = min_t(u64, sizeof(buf), max - n);
		got = env->read_memory(env->target, addr + n, buf, chunk);
		got = min_t(size_t, got, chunk);
		for (i = 0; i < got; i++) {
			if (!buf[i])
				return ax_trace(env, addr, n + i + 1);
		}
		if (got < chunk)
			return -EFAULT;
		n += chunk;
	}
	return ax_trace(env, addr, n);
}

int ax_eval(const u8 *code, u32 len, const struct ax_env *env, u64 *result)
{
	const struct ax_opinfo *op;
	u64 *stack = env->stack;
	u32 pc = 0, sp = 0, steps, next, n;
	u64 tmp;
	s64 var;
	int err;

	for (steps = 0; steps < AX_STEP_MAX; steps++) {
		if (pc >= len)
			return -EINVAL;
		op = ax_op(code[pc]);
		if (!op->len || op->len > len - pc || sp < op->pop)
			return -EINVAL;
		if (sp - op->pop + op->push > AX_STACK_MAX)
			return -EOVERFLOW;
		next = pc + op->len;
		err = 0;

		switch (code[pc]) {
		case AX_OP_ADD ... AX_OP_RSH_UNSIGNED:
		case AX_OP_BIT_AND ... AX_OP_BIT_XOR:
		case AX_OP_EQUAL ... AX_OP_LESS_UNSIGNED:
			err = ax_binop(code[pc], stack[sp - 2], stack[sp - 1],
				       &stack[sp - 2]);
			sp--;
			break;
		case AX_OP_TRACE:
			sp -= 2;
			err = ax_trace(env, stack[sp], stack[sp + 1]);
			break;
		case AX_OP_TRACE_QUICK:
			err = ax_trace(env, stack[sp - 1], code[pc + 1]);
			break;
		case AX_OP_LOG_NOT:
			stack[sp - 1] = !stack[sp - 1];
			break;
		case AX_OP_BIT_NOT:
			stack[sp - 1] = ~stack[sp - 1];
			break;
		case AX_OP_EXT:
			stack[sp - 1] = ax_sign_extend(stack[sp - 1],
						       code[pc + 1]);
			break;
		case AX_OP_ZERO_EXT:
			stack[sp - 1] = ax_zero_extend(stack[sp - 1],
						       code[pc + 1]);
			break;
		case AX_OP_REF8 ... AX_OP_REF64:
			err = ax_ref(env, stack[sp - 1],
				     1U << (code[pc] - AX_OP_REF8),
				     &stack[sp - 1]);
			break;
		case AX_OP_IF_GOTO:
			sp--;
			if (stack[sp])
				next = ax_be16(code + pc + 1);
			break;
		case AX_OP_GOTO:
			next = ax_be16(code + pc + 1);
			break;
		case AX_OP_CONST8 ... AX_OP_CONST64:
			stack[sp++] = ax_imm_be(code + pc + 1, op->len - 1);
			break;
		case AX_OP_REG:
			if (!env->read_reg(env->target, ax_be16(code + pc + 1),
					   &stack[sp]))
				return -ENOENT;
			sp++;
			break;
		case AX_OP_END:
			if (result)
				*result = sp ? stack[sp - 1] : 0;
			return 0;
		case AX_OP_DUP:
			stack[sp] = stack[sp - 1];
			sp++;
			break;
		case AX_OP_POP:
			sp--;
			break;
		case AX_OP_SWAP:
			tmp = stack[sp - 1];
			stack[sp - 1] = stack[sp - 2];
			stack[sp - 2] = tmp;
			break;
		case AX_OP_GETV:
			n = ax_be16(code + pc + 1);
			if (!env->getv(env->target, n, &var))
				return -ENOENT;
			stack[sp++] = (u64)var;
			break;
		case AX_OP_SETV:
			/* The value stays: `$a = $b = x` relies on it. */
			if (!env->setv(env->target, ax_be16(code + pc + 1),
				       (s64)stack[sp - 1]))
				return -ENOENT;
			break;
		case AX_OP_TRACEV:
			n = ax_be16(code + pc + 1);
			err = env->trace_var(env->target, n);
			if (err > 0)
				err = 0;
			break;
		case AX_OP_TRACENZ:
			sp -= 2;
			err = ax_tracenz(env, stack[sp], stack[sp + 1]);
			break;
		case AX_OP_PICK:
			n = ax_pick_need(code + pc);
			if (sp < n)
				return -EINVAL;
			stack[sp] = stack[sp - n];
			sp++;
			break;
		case AX_OP_ROT:
			/* a b c => c a b */
			tmp = stack[sp - 1];
			stack[sp - 1] = stack[sp - 2];
			stack[sp - 2] = stack[sp - 3];
			stack[sp - 3] = tmp;
			break;
		default:
			return -EINVAL;
		}
		if (err)
			return err;
		pc = next;
	}
	return -ELOOP;
}

const char *ax_strerror(int err)
{
	switch (err) {
	case -EDOM:
		return "division by zero";
	case -EFAULT:
		return "memory not readable";
	case -ENOENT:
		return "no such register or variable";
	case -ELOOP:
		return "step limit reached";
	case -EINVAL:
		return "invalid bytecode";
	case -EOVERFLOW:
		return "value stack overflow";
	case -ENOSPC:
		return "trace buffer full";
	default:
		return "evaluation error";
	}
}
