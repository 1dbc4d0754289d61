// SPDX-License-Identifier: GPL-2.0
/*
 * The program the host simulator (sim_server.c) lets GDB trace: globals
 * of every C type an expression can touch, and three functions that run
 * once per simulated tick.  Built -O0 -g with frame pointers and without
 * sanitizers, so GDB's DWARF for arguments and locals describes the real
 * frames, and in source order, so a function's code ends where the next
 * marker function begins.
 *
 * Each traced function calls sim_hook() with its own argument registers;
 * sim_hook() passes them, its caller's frame pointer and stack pointer to
 * the server, which fires the tracepoints armed inside the function.  The
 * caller's frame is live while the hook runs, so `collect a` reads the
 * argument where GDB's DWARF says it is.
 */
#include <stdint.h>
#include <string.h>

#include "tests/host/sim_program.h"

struct sim_point {
	int x;
	int y;
	char name[16];
};

struct sim_bits {
	unsigned int lo:3;
	signed int mid:5;
	unsigned int hi:12;
};

/* Constant during a run: GDB's `print` and the agent must agree. */
struct sim_point sim_origin = { 3, -4, "origin" };
struct sim_point sim_points[4] = {
	{ 1, 2, "one" }, { 10, 20, "two" }, { -7, 7, "three" }, { 0, 0, "" },
};
struct sim_point *sim_point_ptr = &sim_points[2];
struct sim_bits sim_bits = { 5, -9, 3000 };
signed char sim_schar = -100;
unsigned char sim_uchar = 200;
short sim_short = -1234;
unsigned short sim_ushort = 65000;
int sim_int = -123456;
unsigned int sim_uint = 4000000000u;
long sim_long = -9876543210L;
unsigned long long sim_ull = 0x8000000000000001ULL;
int sim_small[8] = { 1, -2, 3, -4, 5, -6, 7, -8 };
char sim_string[32] = "tracepoints over the wire";
char *sim_string_ptr = sim_string;
int *sim_null_ptr;

/* Large collections, filled with sim_pattern() at start. */
unsigned char sim_big[SIM_BIG_SIZE];
unsigned char sim_huge[SIM_HUGE_SIZE];

/* Changes every tick. */
long sim_counter;
long sim_sum;

sim_hook_fn sim_hook_target;

/* The byte at @off of the large arrays: a pattern no offset repeats. */
unsigned char sim_pattern(unsigned long off)
{
	return (unsigned char)(off * 7 + (off >> 8) * 13 + (off >> 16));
}

void sim_program_init(sim_hook_fn hook)
{
	unsigned long i;

	for (i = 0; i < SIM_BIG_SIZE; i++)
		sim_big[i] = sim_pattern(i);
	for (i = 0; i < SIM_HUGE_SIZE; i++)
		sim_huge[i] = sim_pattern(i);
	sim_hook_target = hook;
}

/*
 * Not inlined and with a frame of its own: at its frame address lie the
 * caller's rbp and then the return address; the caller's stack pointer
 * before the call is just above them.
 */
__attribute__((noinline))
void sim_hook(int site, long rdi, long rsi, long rdx)
{
	struct sim_regs r;
	uint64_t *frame = __builtin_frame_address(0);

	r.rdi = (uint64_t)rdi;
	r.rsi = (uint64_t)rsi;
	r.rdx = (uint64_t)rdx;
	r.rbp = frame[0];	/* the saved rbp: the caller's */
	r.rsp = (uint64_t)(uintptr_t)(frame + 2);
	if (sim_hook_target)
		sim_hook_target(site, &r);
}

/* Site 0: arguments, a local, a struct through a pointer. */
__attribute__((noinline))
int sim_args(int a, long b, struct sim_point *p)
{
	int local = a * 2 + 1;

	sim_hook(SIM_SITE_ARGS, a, b, (long)p);
	return local + p->x;
}

__attribute__((noinline))
void sim_args_end(void)
{
}

/* Site 1: runs every tick; conditions on sim_counter pick hits. */
__attribute__((noinline))
void sim_loop(long n)
{
	sim_sum += n;
	sim_hook(SIM_SITE_LOOP, n, 0, 0);
}

__attribute__((noinline))
void sim_loop_end(void)
{
}

/* Site 2: every tenth tick, with a string argument. */
__attribute__((noinline))
void sim_rare(const char *s, unsigned long len)
{
	sim_hook(SIM_SITE_RARE, (long)s, (long)len, 0);
}

__attribute__((noinline))
void sim_rare_end(void)
{
}

const struct sim_site sim_sites[SIM_NR_SITES] = {
	[SIM_SITE_ARGS] = { "sim_args", (void *)sim_args,
			    (void *)sim_args_end },
	[SIM_SITE_LOOP] = { "sim_loop", (void *)sim_loop,
			    (void *)sim_loop_end },
	[SIM_SITE_RARE] = { "sim_rare", (void *)sim_rare,
			    (void *)sim_rare_end },
};

void sim_program_reset(void)
{
	sim_counter = 0;
	sim_sum = 0;
}

void sim_tick(void)
{
	sim_counter++;
	sim_loop(sim_counter);
	sim_args((int)sim_counter, sim_counter * 1000, &sim_origin);
	if (sim_counter % 10 == 0)
		sim_rare(sim_string, strlen(sim_string));
}
