/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The traced program of the host simulator: see sim_program.c.
 */
#ifndef GTP_TESTS_SIM_PROGRAM_H
#define GTP_TESTS_SIM_PROGRAM_H

#include <stdint.h>

enum sim_site_id {
	SIM_SITE_ARGS,
	SIM_SITE_LOOP,
	SIM_SITE_RARE,
	SIM_NR_SITES
};

/* The registers a site hands over: its arguments and its frame. */
struct sim_regs {
	uint64_t rdi, rsi, rdx, rbp, rsp;
};

/* A traced function: its code is [start, end). */
struct sim_site {
	const char *name;
	void *start;
	void *end;
};

typedef void (*sim_hook_fn)(int site, const struct sim_regs *regs);

extern const struct sim_site sim_sites[SIM_NR_SITES];
extern long gtpt_counter;

void sim_program_init(sim_hook_fn hook);
/* A new run: the counter starts again. */
void sim_program_reset(void);
/* One step of the program: every site runs once, gtpt_rare every tenth. */
void sim_tick(void);

#endif /* GTP_TESTS_SIM_PROGRAM_H */
