/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The audio-dump block counts completed pages in 16 bits; the collector
 * needs the logical count (pages since the run began), which pages are
 * ready, which the block lapped before they were collected, and where in
 * the ring they are.  Plain arithmetic, shared by the collector in the
 * kernel and the host's unit tests.  Documentation/fpga-collector.rst
 * works through an example.
 *
 * The counter alone cannot tell one wrap from three between two polls;
 * time can.  The block cannot complete more than max_rate pages a second,
 * so a poll after a short time sees at most one wrap, and a counter that
 * seems to have moved further than that went backwards.  After a long
 * gap (the poller stalled), the number of extra wraps is taken from the
 * page rate measured so far; any extra wrap laps the ring, so it is an
 * overrun either way, and the step says the count was inferred.
 */
#ifndef GTP_HW_ADUMP_COUNT_H
#define GTP_HW_ADUMP_COUNT_H

#include "gtp_port.h"

struct adump_count {
	u32 ring_pages;		/* pages in the ring, at least 2 */
	u64 max_rate;		/* pages/s the block cannot exceed */
	u64 rate;		/* pages/s measured since start, 0: unknown */
	u64 start_ns;		/* when the run began */
	u32 phys;		/* the counter at the last poll */
	u64 logical;		/* pages completed since the run began */
	u64 next;		/* the next page to collect */
	u64 time_ns;		/* when the counter was last read */
};

/* What one poll found. */
struct adump_step {
	u64 first;		/* pages [first, first + count) are ready */
	u64 count;
	u64 lost;		/* lapped before collection, just before first */
	u32 extra_wraps;	/* counter wraps beyond the one it can show */
	bool inferred;		/* extra_wraps came from the measured rate */
};

/* A run of pages contiguous in the ring: index and length. */
struct adump_span {
	u32 index;
	u32 pages;
};

/* A run starts: the counter reads @phys at @now_ns. */
void adump_count_start(struct adump_count *c, u32 ring_pages, u64 max_rate,
		       u32 phys, u64 now_ns);

/*
 * The counter reads @phys at @now_ns.  Returns 0 and fills @s (and the
 * ready pages count as collected from now on), or -ERANGE when the
 * counter moved further than the block can in the time, which a counter
 * going backwards looks like; nothing changes then.
 */
int adump_count_poll(struct adump_count *c, u32 phys, u64 now_ns,
		     struct adump_step *s);

/*
 * Where pages [@first, @first + @count) lie in a ring of @ring_pages:
 * one span, or two when they wrap the ring's end; never a span of no
 * pages.  @count is at most @ring_pages.  Returns the number of spans.
 */
u32 adump_ring_spans(u64 first, u64 count, u32 ring_pages,
		     struct adump_span sp[2]);

#endif /* GTP_HW_ADUMP_COUNT_H */
