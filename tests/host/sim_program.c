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
#include "tests/target/gtpt_data.h"

sim_hook_fn sim_hook_target;

void sim_program_init(sim_hook_fn hook)
{
	gtpt_fill();
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
int gtpt_args(int a, long b, struct gtpt_point *p)
{
	int local = a * 2 + 1;

	sim_hook(SIM_SITE_ARGS, a, b, (long)p);	/* gtpt-args-site */
	return local + p->x;
}

__attribute__((noinline))
void sim_args_end(void)
{
}

/* Site 1: runs every tick; conditions on gtpt_counter pick hits. */
__attribute__((noinline))
void gtpt_loop(long n)
{
	gtpt_sum += n;
	sim_hook(SIM_SITE_LOOP, n, 0, 0);
}

__attribute__((noinline))
void sim_loop_end(void)
{
}

/* Site 2: every tenth tick, with a string argument. */
__attribute__((noinline))
void gtpt_rare(const char *s, unsigned long len)
{
	sim_hook(SIM_SITE_RARE, (long)s, (long)len, 0);
}

__attribute__((noinline))
void sim_rare_end(void)
{
}

const struct sim_site sim_sites[SIM_NR_SITES] = {
	[SIM_SITE_ARGS] = { "gtpt_args", (void *)gtpt_args,
			    (void *)sim_args_end },
	[SIM_SITE_LOOP] = { "gtpt_loop", (void *)gtpt_loop,
			    (void *)sim_loop_end },
	[SIM_SITE_RARE] = { "gtpt_rare", (void *)gtpt_rare,
			    (void *)sim_rare_end },
};

void sim_program_reset(void)
{
	gtpt_counter = 0;
	gtpt_sum = 0;
}

void sim_tick(void)
{
	gtpt_counter++;
	gtpt_loop(gtpt_counter);
	gtpt_args((int)gtpt_counter, gtpt_counter * 1000, &gtpt_origin);
	if (gtpt_counter % 10 == 0)
		gtpt_rare(gtpt_string, strlen(gtpt_string));
}
