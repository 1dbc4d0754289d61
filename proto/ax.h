/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GDB agent expressions: the bytecode of tracepoint conditions and `X`
 * collection actions (see GDB's manual, appendix "Agent Expressions").
 *
 * ax_verify() runs once, when GDB defines the tracepoint, and proves what
 * the hit path would otherwise have to check on every hit; ax_eval() runs
 * in the probe handler.  ax_eval() still stays memory-safe on code that was
 * never verified, but only verified code gets GDB's meaning.
 */
#ifndef GTP_PROTO_AX_H
#define GTP_PROTO_AX_H

#include "gtp_port.h"

/* Longest bytecode accepted; GDB's own limit on a packet is lower. */
#define AX_CODE_MAX	4096
/* Deepest value stack; ax_env.stack must hold this many entries. */
#define AX_STACK_MAX	64
/* Instructions one evaluation may execute: backward jumps make loops. */
#define AX_STEP_MAX	10000
/*
 * Bytes tracenz scans for the NUL whatever limit the code gives: GDB's
 * limit is `print elements`, which may be unlimited.  One trace-file
 * memory block.
 */
#define AX_STRING_MAX	65535

/* Opcodes, as GDB's ax.def numbers them. */
enum ax_opcode {
	AX_OP_FLOAT		= 0x01,
	AX_OP_ADD		= 0x02,
	AX_OP_SUB		= 0x03,
	AX_OP_MUL		= 0x04,
	AX_OP_DIV_SIGNED	= 0x05,
	AX_OP_DIV_UNSIGNED	= 0x06,
	AX_OP_REM_SIGNED	= 0x07,
	AX_OP_REM_UNSIGNED	= 0x08,
	AX_OP_LSH		= 0x09,
	AX_OP_RSH_SIGNED	= 0x0a,
	AX_OP_RSH_UNSIGNED	= 0x0b,
	AX_OP_TRACE		= 0x0c,
	AX_OP_TRACE_QUICK	= 0x0d,
	AX_OP_LOG_NOT		= 0x0e,
	AX_OP_BIT_AND		= 0x0f,
	AX_OP_BIT_OR		= 0x10,
	AX_OP_BIT_XOR		= 0x11,
	AX_OP_BIT_NOT		= 0x12,
	AX_OP_EQUAL		= 0x13,
	AX_OP_LESS_SIGNED	= 0x14,
	AX_OP_LESS_UNSIGNED	= 0x15,
	AX_OP_EXT		= 0x16,
	AX_OP_REF8		= 0x17,
	AX_OP_REF16		= 0x18,
	AX_OP_REF32		= 0x19,
	AX_OP_REF64		= 0x1a,
	AX_OP_REF_FLOAT		= 0x1b,
	AX_OP_REF_DOUBLE	= 0x1c,
	AX_OP_REF_LONG_DOUBLE	= 0x1d,
	AX_OP_L_TO_D		= 0x1e,
	AX_OP_D_TO_L		= 0x1f,
	AX_OP_IF_GOTO		= 0x20,
	AX_OP_GOTO		= 0x21,
	AX_OP_CONST8		= 0x22,
	AX_OP_CONST16		= 0x23,
	AX_OP_CONST32		= 0x24,
	AX_OP_CONST64		= 0x25,
	AX_OP_REG		= 0x26,
	AX_OP_END		= 0x27,
	AX_OP_DUP		= 0x28,
	AX_OP_POP		= 0x29,
	AX_OP_ZERO_EXT		= 0x2a,
	AX_OP_SWAP		= 0x2b,
	AX_OP_GETV		= 0x2c,
	AX_OP_SETV		= 0x2d,
	AX_OP_TRACEV		= 0x2e,
	AX_OP_TRACENZ		= 0x2f,
	AX_OP_TRACE16		= 0x30,
	AX_OP_PICK		= 0x32,
	AX_OP_ROT		= 0x33,
	AX_OP_PRINTF		= 0x34,
};

/*
 * What ax_verify() learnt, over the instructions some path reaches.
 * Register and variable numbers are GDB's: `g` packet register numbers,
 * trace state variable numbers of QTDV.
 */
struct ax_info {
	u32 max_depth;		/* deepest the value stack gets */
	u32 error_pc;		/* offset of the instruction refused */
	s32 max_reg;		/* highest `reg` operand, -1 if none */
	s32 max_var;		/* highest variable operand, -1 if none */
	u64 regs;		/* bit n: `reg n` occurs, for n < 64 */
	u64 vars;		/* bit n: variable n is used, for n < 64 */
	bool traces;		/* some trace, trace_quick, tracenz, tracev */
	bool sets_vars;		/* setv occurs */
	/*
	 * Every `end` is reached with a value on the stack, so the code can
	 * serve as a condition.  GDB's collection code ends on an empty stack.
	 */
	bool value;
};

/*
 * What evaluation may touch, all through callbacks on @target, since it
 * runs in a probe handler: they must not sleep.  All must be set.
 *
 * @stack:	   AX_STACK_MAX entries of scratch, so the handler's own
 *		   stack stays small
 * @read_memory:   copy target memory without faulting; returns the
 *		   number of bytes copied, fewer meaning the rest is not
 *		   readable
 * @read_reg:	   value of `g` register @regnum; false if there is none
 * @getv, @setv:   trace state variable @num; false if it is not defined
 * @trace_mem:	   record @len bytes at @addr in the frame; < 0 stops the
 *		   evaluation with that error
 * @trace_var:	   record variable @num in the frame; < 0 as for trace_mem
 */
struct ax_env {
	void *target;
	u64 *stack;
	size_t (*read_memory)(void *target, u64 addr, void *buf, size_t len);
	bool (*read_reg)(void *target, u32 regnum, u64 *val);
	bool (*getv)(void *target, u32 num, s64 *val);
	bool (*setv)(void *target, u32 num, s64 val);
	int (*trace_mem)(void *target, u64 addr, u64 len);
	int (*trace_var)(void *target, u32 num);
};

/*
 * Check bytecode before accepting it.  Returns 0 and fills @info, or
 * -EINVAL with *@why set to a short static reason and @info->error_pc to
 * where the fault is (-ENOMEM if scratch memory could not be had).  It
 * refuses unknown opcodes, the ones GDB defines but this agent does not
 * run (floating point, trace16, printf), truncated immediates, jumps
 * outside the code or into the middle of an instruction, any path that
 * underflows the stack, overflows AX_STACK_MAX, reaches one instruction
 * with two different stack depths, or runs off the end of the code.
 * @info and @why may be NULL.  May sleep.
 */
int ax_verify(const u8 *code, u32 len, struct ax_info *info,
	      const char **why);

/*
 * Run bytecode at a hit.  Returns 0 with *@result the top of the stack at
 * `end` (0 if the stack is empty there; @result may be NULL), or:
 *   -EDOM	division or remainder by zero
 *   -EFAULT	a ref, or tracenz's search for the NUL, read short
 *   -ENOENT	read_reg, getv or setv said no
 *   -ELOOP	more than AX_STEP_MAX instructions
 *   -EINVAL	code ax_verify() refuses: bad opcode, truncated immediate,
 *		stack underflow, falling off the end
 *   -EOVERFLOW	more than AX_STACK_MAX values
 *   the error of trace_mem or trace_var.
 *
 * Values are 64-bit and wrap.  Corner cases GDB leaves to the host C
 * compiler are defined here: INT64_MIN / -1 is INT64_MIN and
 * INT64_MIN % -1 is 0; shifts by 64 or more give 0, or for rsh_signed 0
 * or -1 by the sign; ext 0 and zero_ext 0 give 0.  Memory reads are
 * little-endian (the x86 target).  trace, trace_quick and tracenz record
 * nothing when their size is 0.
 */
int ax_eval(const u8 *code, u32 len, const struct ax_env *env, u64 *result);

/* What an error of ax_eval() means, in a few words (static text). */
const char *ax_strerror(int err);

#endif /* GTP_PROTO_AX_H */
