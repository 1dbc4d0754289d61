// SPDX-License-Identifier: GPL-2.0
/*
 * The audio-dump block's page arithmetic (hw/adump_count.c), table by
 * table: wraps of the 16-bit counter, overruns, the ring spans, and the
 * edge cases of the board's original collector.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gtp_port.h"
#include "hw/adump_count.h"
#include "hw/adump_regs.h"

#define MS		1000000ULL	/* ns */
#define RING		8192u		/* the board's default ring */
#define MAX_RATE	(100 * ADUMP_BOARD_PAGES_PER_S)

/* One poll: counter, time since the last one, what must come out. */
struct poll_case {
	const char *what;
	u32 start_phys;		/* counter at the run's start */
	u64 start_next;		/* pages already collected and counted */
	u32 phys;
	u64 after_ms;
	int err;
	u64 first, count, lost;
	u32 extra_wraps;
};

static const struct poll_case polls[] = {
	{ "nothing new", 0, 0, 0, 10, 0, 0, 0, 0, 0 },
	{ "four pages in 10 ms", 0, 0, 4, 10, 0, 0, 4, 0, 0 },
	{ "the counter wraps", 65530, 0, 10, 100, 0, 0, 16, 0, 0 },
	{ "wrap to exactly 0", 65500, 0, 0, 100, 0, 0, 36, 0, 0 },
	/* The most the ring holds whole: ring_pages - 1. */
	{ "ring minus one", 0, 0, RING - 1, 1000, 0, 0, RING - 1, 0, 0 },
	/*
	 * The seed's first edge case: a period of exactly ring_pages pages
	 * with a non-zero start index.  The block is writing into the slot
	 * of the oldest uncollected page: that one is lost, not an error.
	 */
	{ "exactly one ring, start 100", 100, 100, 100 + RING, 1000, 0,
	  101, RING - 1, 1, 0 },
	{ "lapped by 500", 0, 0, RING + 500, 1000, 0, 501, RING - 1, 501, 0 },
	/* A counter going backwards moved further than the block can. */
	{ "backwards by one", 1000, 0, 999, 10, -ERANGE, 0, 0, 0, 0 },
	{ "backwards by 5000", 6000, 0, 1000, 1000, -ERANGE, 0, 0, 0, 0 },
	/* No time at all: only the page being counted can appear. */
	{ "same instant", 0, 0, 2, 0, -ERANGE, 0, 0, 0, 0 },
};

static void test_poll_table(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(polls); i++) {
		const struct poll_case *p = &polls[i];
		struct adump_count c;
		struct adump_step s;
		struct adump_count before;
		int err;

		adump_count_start(&c, RING, MAX_RATE, p->start_phys, 0);
		/* Pages before the start index are collected already. */
		c.logical = p->start_next;
		c.next = p->start_next;
		before = c;
		err = adump_count_poll(&c, p->phys, p->after_ms * MS, &s);
		if (err != p->err)
			fail_msg("%s: error %d, not %d", p->what, err, p->err);
		if (err) {
			if (memcmp(&c, &before, sizeof(c)))
				fail_msg("%s: refused poll changed state",
					 p->what);
			continue;
		}
		if (s.first != p->first || s.count != p->count ||
		    s.lost != p->lost || s.extra_wraps != p->extra_wraps)
			fail_msg("%s: first %llu count %llu lost %llu wraps %u",
				 p->what, (unsigned long long)s.first,
				 (unsigned long long)s.count,
				 (unsigned long long)s.lost, s.extra_wraps);
		/* Every page is either ready or lost, never both or neither. */
		assert_int_equal(s.first + s.count, c.logical);
		assert_int_equal(c.next, c.logical);
	}
}

/*
 * Two counter wraps between polls: the seed cannot see them.  The
 * poller stalls for 400 s at the board's rate (150000 pages), the
 * counter shows 150000 mod 65536; the rate measured before the stall
 * gives the two extra wraps, and the ring was lapped.
 */
static void test_wraps_while_stalled(void **state)
{
	struct adump_count c;
	struct adump_step s;
	u64 t = 0, pages = 0;
	int i;

	adump_count_start(&c, RING, MAX_RATE, 0, 0);
	for (i = 0; i < 100; i++) {	/* 1 s of 10 ms polls */
		t += 10 * MS;
		pages = t * ADUMP_BOARD_PAGES_PER_S / 1000000000ULL;
		assert_int_equal(adump_count_poll(&c, pages % ADUMP_COUNT_WRAP,
						  t, &s), 0);
		assert_int_equal(s.lost, 0);
		assert_false(s.inferred);
	}
	assert_int_equal(c.logical, 375);
	assert_int_equal(c.rate, ADUMP_BOARD_PAGES_PER_S);
	t += 400000 * MS;
	pages = 375 + 150000;
	assert_int_equal(adump_count_poll(&c, pages % ADUMP_COUNT_WRAP, t, &s),
			 0);
	assert_true(s.inferred);
	assert_int_equal(s.extra_wraps, 2);
	assert_int_equal(c.logical, pages);
	assert_int_equal(s.count, RING - 1);
	assert_int_equal(s.lost, 150000 - (RING - 1));
	assert_int_equal(s.first + s.count, pages);
}

/* Polls at 10 ms across the counter's wrap: every page once, in order. */
static void test_across_the_wrap(void **state)
{
	struct adump_count c;
	struct adump_step s;
	u64 t = 0, expect = 0, start = ADUMP_COUNT_WRAP - 1000;
	int i;

	adump_count_start(&c, RING, MAX_RATE, (u32)start, 0);
	for (i = 0; i < 1000; i++) {
		u64 made;

		t += 10 * MS;
		made = t * ADUMP_BOARD_PAGES_PER_S / 1000000000ULL;
		assert_int_equal(adump_count_poll(&c,
				(u32)((start + made) % ADUMP_COUNT_WRAP), t,
				&s), 0);
		assert_int_equal(s.first, expect);
		assert_int_equal(s.lost, 0);
		expect += s.count;
	}
	assert_int_equal(expect, 3750);
}

/* The worked example of Documentation/fpga-collector.rst, checked. */
static void test_worked_example(void **state)
{
	struct adump_count c;
	struct adump_step s;
	struct adump_span sp[2];

	adump_count_start(&c, RING, MAX_RATE, 65500, 0);
	c.logical = 1000;
	c.next = 1000;
	c.rate = ADUMP_BOARD_PAGES_PER_S;
	c.start_ns = 0;
	assert_int_equal(adump_count_poll(&c, 11214, 30000 * MS, &s), 0);
	assert_true(s.inferred);
	assert_int_equal(s.extra_wraps, 0);
	assert_int_equal(c.logical, 12250);
	assert_int_equal(s.lost, 3059);
	assert_int_equal(s.first, 4059);
	assert_int_equal(s.count, 8191);
	assert_int_equal(adump_ring_spans(s.first, s.count, RING, sp), 2);
	assert_int_equal(sp[0].index, 4059);
	assert_int_equal(sp[0].pages, 4133);
	assert_int_equal(sp[1].index, 0);
	assert_int_equal(sp[1].pages, 4058);
}

struct span_case {
	u64 first, count;
	u32 n;
	struct adump_span sp[2];
};

static const struct span_case spans[] = {
	{ 0, 0, 0, { { 0, 0 }, { 0, 0 } } },
	{ 5, 10, 1, { { 5, 10 }, { 0, 0 } } },
	/* The seed's second edge case: a range ending exactly at index 0. */
	{ 8000, 192, 1, { { 8000, 192 }, { 0, 0 } } },
	{ 8000, 193, 2, { { 8000, 192 }, { 0, 1 } } },
	{ RING + 101, RING - 1, 2, { { 101, RING - 101 }, { 0, 100 } } },
	{ 3 * RING, RING, 1, { { 0, RING }, { 0, 0 } } },
};

static void test_ring_spans(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spans); i++) {
		const struct span_case *p = &spans[i];
		struct adump_span sp[2] = { { 0, 0 }, { 0, 0 } };
		u32 n = adump_ring_spans(p->first, p->count, RING, sp);

		assert_int_equal(n, p->n);
		assert_memory_equal(sp, p->sp, n * sizeof(sp[0]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_table),
		cmocka_unit_test(test_wraps_while_stalled),
		cmocka_unit_test(test_across_the_wrap),
		cmocka_unit_test(test_ring_spans),
		cmocka_unit_test(test_worked_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
