/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated audio-dump block (gtp_adump_sim.ko), between its two
 * halves: hw/adump_sim.c finds the memory and shows it to the collector
 * as the platform device "gtp-adump", hw/adump_sim_block.c is the block
 * itself, a thread that writes pages and counts them in the registers.
 */
#ifndef GTP_HW_ADUMP_SIM_H
#define GTP_HW_ADUMP_SIM_H

#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* The register window's share of the BAR; the dump area follows it. */
#define ADUMP_SIM_REG_SPACE	4096u

/* What the debugfs file "inject" asks of the block. */
enum adump_sim_inject {
	ADUMP_SIM_STALL,	/* arg: ms without a page, then catch up */
	ADUMP_SIM_BURST,	/* arg: pages at once, beyond the rate */
	ADUMP_SIM_OVERRUN,	/* arg: pages at once, lapping the ring */
	ADUMP_SIM_OVERFLOW,	/* set the overflow bit */
};

struct adump_sim {
	struct pci_dev *pdev;
	void __iomem *regs;		/* the register window */
	void *dump;			/* the dump area */
	u64 dump_size;
	struct task_struct *thread;

	/*
	 * The thread alone writes the run's state; the lock makes what
	 * the status file shows one snapshot, and hands the injections
	 * over.  Never held across a sleep or a page fill.
	 */
	spinlock_t lock;
	bool running;			/* a valid run is on */
	u32 start;			/* the run's ring: offset into dump */
	u32 ring_pages;
	bool loop;
	u32 rate;			/* pages/s, from the parameter */
	u32 start_count;		/* the counter at the run's start */
	u64 t0_ns;			/* the rate schedule's origin */
	u64 produced;			/* logical pages written this run */
	u64 extra;			/* injected pages, beyond the schedule */
	u64 forced_until;		/* produce up to here, stall or not */
	u64 stall_until_ns;		/* no page before this time */
	u64 burst_req;			/* injections the thread has not seen */
	u64 overrun_req;
};

/* The module parameters, read at each run's start. */
extern unsigned int adump_sim_rate;
extern unsigned int adump_sim_start_count;

/* Reset the register window to its power-on state, no run. */
void adump_sim_reset(struct adump_sim *sim);
int adump_sim_thread(void *data);
int adump_sim_inject(struct adump_sim *sim, enum adump_sim_inject what,
		     u64 arg);
void adump_sim_show(struct adump_sim *sim, struct seq_file *m);

#endif /* GTP_HW_ADUMP_SIM_H */
