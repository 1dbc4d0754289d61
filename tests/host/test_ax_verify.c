// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the agent-expression verifier (proto/ax.c): each reason it
 * refuses code, stack depths over branches and loops; the interpreter's own
 * checks on code that was not verified; and bytecode that GDB 13 itself
 * produced, verified and run.  The interpreter's opcodes are tested in
 * tests/host/test_ax.c.
 *
 * The fixture (fake target, helpers) is in tests/host/ax_fixture.h.
 */
#include "tests/host/ax_fixture.h"

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
