// SPDX-License-Identifier: GPL-2.0
/*
 * Logical page counts, overruns and ring spans of the audio-dump block:
 * see adump_count.h.
 */
#include "hw/adump_count.h"
#include "hw/adump_regs.h"

#define NSEC_PER_SEC_U64	1000000000ULL

void adump_count_start(struct adump_count *c, u32 ring_pages, u64 max_rate,
		       u32 phys, u64 now_ns)
{
	memset(c, 0, sizeof(*c));
	c->ring_pages = ring_pages;
	c->max_rate = max_rate;
	c->phys = phys % ADUMP_COUNT_WRAP;
	c->time_ns = now_ns;
	c->start_ns = now_ns;
}

/* Pages the block can complete in @ns at @rate pages/s, rounded up. */
static u64 pages_in(u64 ns, u64 rate)
{
	u64 s = ns / NSEC_PER_SEC_U64, rem = ns % NSEC_PER_SEC_U64;

	return s * rate + (rem * rate + NSEC_PER_SEC_U64 - 1) /
			  NSEC_PER_SEC_U64;
}

int adump_count_poll(struct adump_count *c, u32 phys, u64 now_ns,
		     struct adump_step *s)
{
	u64 elapsed = now_ns > c->time_ns ? now_ns - c->time_ns : 0;
	u64 delta = (phys - c->phys) % ADUMP_COUNT_WRAP;
	u64 most = pages_in(elapsed, c->max_rate) + 1;
	u64 moved, logical, oldest;

	memset(s, 0, sizeof(*s));
	if (delta > most)
		return -ERANGE;
	moved = delta;
	if (most >= delta + ADUMP_COUNT_WRAP) {
		/*
		 * Long enough for whole extra wraps.  The measured rate says
		 * how many; without one, the least the time allows (none).
		 */
		u64 extra = 0, expect;

		if (c->rate) {
			expect = pages_in(elapsed, c->rate);
			if (expect > delta)
				extra = (expect - delta + ADUMP_COUNT_WRAP / 2) /
					ADUMP_COUNT_WRAP;
		}
		s->extra_wraps = (u32)extra;
		s->inferred = true;
		moved += extra * ADUMP_COUNT_WRAP;
	}
	logical = c->logical + moved;
	/* Unambiguous polls measure the block's rate over the whole run. */
	if (!s->inferred && now_ns > c->start_ns)
		c->rate = logical * NSEC_PER_SEC_U64 / (now_ns - c->start_ns);

	/*
	 * The block writes page @logical now, into the slot of page
	 * @logical - ring_pages: only the ring_pages - 1 pages before it
	 * are whole.
	 */
	oldest = logical >= c->ring_pages - 1 ? logical - (c->ring_pages - 1)
					      : 0;
	if (c->next < oldest) {
		s->lost = oldest - c->next;
		c->next = oldest;
	}
	s->first = c->next;
	s->count = logical - c->next;
	c->next = logical;
	c->logical = logical;
	c->phys = phys % ADUMP_COUNT_WRAP;
	c->time_ns = now_ns;
	return 0;
}

u32 adump_ring_spans(u64 first, u64 count, u32 ring_pages,
		     struct adump_span sp[2])
{
	u32 index = (u32)(first % ring_pages);
	u32 n;

	if (!count)
		return 0;
	n = (u32)min_t(u64, count, ring_pages - index);
	sp[0].index = index;
	sp[0].pages = n;
	if (count == n)
		return 1;
	sp[1].index = 0;
	sp[1].pages = (u32)(count - n);
	return 2;
}
