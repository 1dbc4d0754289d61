// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ring buffer (rb/), the reader's side: the
 * time-ordered index, consumers, raw-dump validation, the tfile frame
 * stream and the status figures.  The writer's side is in test_rb.c;
 * the fixture is rb_fixture.h.
 */
#include "tests/host/rb_fixture.h"

/* Where the tests read streams and consumers into. */
static u8 scratch[SMALL_STREAM * 100];

/* ---- the index ---- */

static void expect_order(struct rb *rb, const u32 *cpu, const u64 *time,
			 const u64 *seq, u32 n)
{
	struct rb_frame_ref ref;
	u64 off = 0;
	u8 buf[SMALL_STREAM];
	u32 i;

	assert_int_equal(rb_index_count(rb), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(rb_index_get(rb, i, &ref), 0);
		assert_int_equal(ref.cpu, cpu[i]);
		assert_int_equal(ref.time, time[i]);
		assert_int_equal(ref.seq, seq[i]);
		/* The stream follows the same order. */
		assert_int_equal(rb_stream_read(rb, off, buf, sizeof(buf)),
				 SMALL_STREAM);
		assert_int_equal(small_time(buf), time[i]);
		assert_int_equal(buf[7 + 8], (u8)(cpu[i] * 17 + 3 + 8));
		off += SMALL_STREAM;
	}
	assert_int_equal(rb_stream_size(rb), off);
}

static void test_index_order(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 3, 4, false);
	static const struct { u32 cpu; u64 time; } w[] = {
		{ 0, 10 }, { 1, 5 }, { 2, 20 }, { 0, 20 }, { 1, 20 },
		{ 0, 20 }, { 2, 25 }, { 1, 30 }, { 0, 50 },
	};
	static const u32 c1[] = { 1, 0, 0, 0, 1, 2, 2, 1, 0 };
	static const u64 t1[] = { 5, 10, 20, 20, 20, 20, 25, 30, 50 };
	static const u64 s1[] = { 0, 0, 1, 2, 1, 0, 1, 2, 3 };
	static const u32 c2[] = { 1, 0, 2, 0, 0, 1, 2, 2, 1, 0, 0 };
	static const u64 t2[] = { 5, 10, 15, 20, 20, 20, 20, 25, 30, 50, 60 };
	static const u64 s2[] = { 0, 0, 2, 1, 2, 1, 0, 1, 2, 3, 4 };
	static const u32 c3[] = { 1, 1, 0, 2, 0, 0, 1, 2, 2, 1, 0, 0 };
	static const u64 t3[] = { 0, 5, 10, 15, 20, 20, 20, 20, 25, 30, 50,
				  60 };
	static const u64 s3[] = { 3, 0, 0, 2, 1, 2, 1, 0, 1, 2, 3, 4 };
	struct rb_frame_ref ref;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(w); i++)
		assert_int_equal(put_small(rb, w[i].cpu, 1, w[i].time), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	expect_order(rb, c1, t1, s1, 9);
	/* Nothing new: nothing changes. */
	assert_int_equal(rb_index_refresh(rb), 0);
	expect_order(rb, c1, t1, s1, 9);

	/* Committed after the refresh, stamped before frames indexed. */
	assert_int_equal(put_small(rb, 2, 1, 15), 0);
	assert_int_equal(put_small(rb, 0, 1, 60), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	expect_order(rb, c2, t2, s2, 11);
	/* Before everything. */
	assert_int_equal(put_small(rb, 1, 1, 0), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	expect_order(rb, c3, t3, s3, 12);
	assert_int_equal(rb_index_get(rb, 12, &ref), -ENOENT);
}

/*
 * A refresh visits only frames committed since the previous one: an
 * indexed frame's head is damaged in place, and refreshes still succeed
 * (visiting it would fail with -EBADMSG) and add exactly the new frames.
 */
static void test_index_incremental(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 6, false);
	struct rb_frame_ref ref;
	struct rb_entry *e;
	u32 slot, off;
	u64 t = 0;
	int i, round;

	for (i = 0; i < 50; i++, t++)
		assert_int_equal(put_small(rb, i & 1, 1, t), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 50);
	assert_int_equal(rb_index_get(rb, 10, &ref), 0);
	e = (struct rb_entry *)((u8 *)rb_page(rb, ref.cpu,
					      (u32)rb_pos_page(ref.pos)) +
				rb_pos_off(ref.pos));
	assert_int_equal(e->type, FID_HEAD);
	e->check ^= 0x5a5a;

	for (round = 1; round <= 3; round++) {
		for (i = 0; i < 7 * round; i++, t++)
			assert_int_equal(put_small(rb, i % 2, 1, t), 0);
		assert_int_equal(rb_index_refresh(rb), 0);
		assert_int_equal(rb_index_count(rb), t);
	}
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), t);
	/* The damage is real: a reader of that frame sees it. */
	assert_int_equal(rb_stream_read(rb, 0, scratch,
					SMALL_STREAM * 20), -EBADMSG);
	assert_int_not_equal(rb_check_cpu(rb, ref.cpu, &slot, &off), 0);
	e->check ^= 0x5a5a;
	check_cpus(rb);
	assert_int_equal(rb_stream_read(rb, 0, scratch,
					SMALL_STREAM * 20), SMALL_STREAM * 20);
}

/* ---- consumers ---- */

static s64 consume(struct rb *rb, int id, u8 *buf, u64 max, u32 chunk)
{
	u64 got = 0;
	s64 n;

	while (got < max) {
		n = rb_consumer_read(rb, id, buf + got,
				     min_t(u64, chunk, max - got));
		assert_true(n >= 0);
		if (!n)
			break;
		got += n;
	}
	return got;
}

static void test_consumers_stream(void **state)
{
	static const u32 chunk[RB_MAX_CONSUMERS] = { 1, 13, 256, 1 << 20 };
	struct fix *f = *state;
	struct rb *rb = mk(f, 3, 64, false);
	u64 g = FAKE_BASE / RB_FAULT_GRANULE;
	struct fake_src src = { .refused = { g + 2 }, .nr = 1 };
	u64 cap = 2 << 20, have[RB_MAX_CONSUMERS] = { 0 }, size, time = 1;
	u8 *out[RB_MAX_CONSUMERS], *all = talloc(f, cap);
	struct tframe t;
	struct rb_stats st;
	u32 rnd = 1, i, b, nr = 0;
	int id[RB_MAX_CONSUMERS], c;

	for (c = 0; c < RB_MAX_CONSUMERS; c++) {
		out[c] = talloc(f, cap);
		id[c] = rb_consumer_attach(rb);
		assert_int_equal(id[c], c);
	}
	for (b = 0; b < 6; b++) {
		time++;		/* no tie across batches */
		for (i = 0; i < 25; i++) {
			rnd = rnd * 1103515245u + 12345u;
			memset(&t, 0, sizeof(t));
			t.cpu = (rnd >> 16) % 3;
			t.tp = nr;
			t.time = time;
			t.src = &src;
			time += (rnd >> 20) % 3 ? 1 : 0;
			add_reg(&t, 24, nr);
			add_mem(&t, FAKE_BASE + (rnd >> 8) % 9000,
				(rnd >> 4) % 6000);
			add_var(&t, nr, -(s64)nr);
			assert_int_equal(put_frame(rb, &t), 0);
			nr++;
		}
		/* Each reads a different share of what is there. */
		for (c = 0; c < RB_MAX_CONSUMERS; c++)
			have[c] += consume(rb, id[c], out[c] + have[c],
					   (b + 1) * (c + 1) * 1500,
					   chunk[c]);
	}
	for (c = 0; c < RB_MAX_CONSUMERS; c++)
		have[c] += consume(rb, id[c], out[c] + have[c],
				   cap - have[c], chunk[c]);
	rb_stats_total(rb, &st);
	assert_int_equal(st.written, nr);
	assert_int_equal(st.recycled, 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), nr);
	size = rb_stream_size(rb);
	assert_true(size < cap);
	assert_int_equal(rb_stream_read(rb, 0, all, cap), size);
	for (c = 0; c < RB_MAX_CONSUMERS; c++) {
		assert_int_equal(have[c], size);
		assert_memory_equal(out[c], all, size);
		assert_int_equal(rb_consumer_frames(rb, id[c]), nr);
		assert_int_equal(rb_consumer_overrun(rb, id[c]), 0);
		assert_int_equal(rb_consumer_read(rb, id[c], all, 10), 0);
	}
}

static void test_consumer_slots(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 3, false);
	u8 buf[SMALL_STREAM];
	int c;

	for (c = 0; c < RB_MAX_CONSUMERS; c++)
		assert_int_equal(rb_consumer_attach(rb), c);
	assert_int_equal(rb_consumer_attach(rb), -EBUSY);
	rb_consumer_detach(rb, 2);
	rb_consumer_detach(rb, 2);
	rb_consumer_detach(rb, -1);
	rb_consumer_detach(rb, RB_MAX_CONSUMERS);
	assert_int_equal(rb_consumer_read(rb, 2, buf, 1), -EINVAL);
	assert_int_equal(rb_consumer_read(rb, -1, buf, 1), -EINVAL);
	assert_int_equal(rb_consumer_read(rb, RB_MAX_CONSUMERS, buf, 1),
			 -EINVAL);
	assert_int_equal(rb_consumer_attach(rb), 2);
	assert_int_equal(rb_consumer_attach(rb), -EBUSY);
	/* Nothing committed yet: nothing to read. */
	assert_int_equal(rb_consumer_read(rb, 2, buf, sizeof(buf)), 0);
	assert_int_equal(put_small(rb, 0, 1, 1), 0);
	assert_int_equal(rb_consumer_read(rb, 2, buf, sizeof(buf)),
			 SMALL_STREAM);
	assert_int_equal(small_time(buf), 1);
	for (c = 0; c < RB_MAX_CONSUMERS; c++)
		rb_consumer_detach(rb, c);
	assert_int_equal(rb_consumer_attach(rb), 0);
}

/* Read exactly @frames small frames; their times must be @first... */
static void consume_small(struct rb *rb, int id, u64 frames, u64 first,
			  u32 chunk)
{
	u64 len = frames * SMALL_STREAM, i;
	u8 *buf = malloc(len + 1);

	assert_non_null(buf);
	assert_int_equal(consume(rb, id, buf, len, chunk), len);
	for (i = 0; i < frames; i++)
		assert_int_equal(small_time(buf + i * SMALL_STREAM), first + i);
	free(buf);
}

/*
 * Stop-when-full with consumers: 46 small frames fill a page exactly; a
 * page is reused once every consumer is past it, and never without a
 * consumer.
 */
static void test_consumer_stop_when_full(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 3, false);
	struct rb *lone = mk(f, 1, 3, false);
	const u64 pp = SMALL_PER_PAGE;
	u64 t = 0, dropped = 0, i;
	struct rb_stats st;
	int fast, slow;

	fast = rb_consumer_attach(rb);
	slow = rb_consumer_attach(rb);
	assert_true(fast >= 0 && slow >= 0);
	for (i = 0; i < 3 * pp; i++, t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	for (i = 0; i < 4; i++, dropped++)
		assert_int_equal(put_small(rb, 0, 1, 1000), -ENOSPC);

	consume_small(rb, fast, 3 * pp, 0, 10);
	consume_small(rb, slow, pp, 0, 7);
	/* Page 0 may go (both are past it), page 1 not (slow is in it). */
	for (i = 0; i < pp; i++, t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	for (i = 0; i < 3; i++, dropped++)
		assert_int_equal(put_small(rb, 0, 1, 1000), -ENOSPC);
	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.dropped_full, dropped);
	assert_true(st.full);
	assert_int_equal(st.recycled, pp);
	assert_int_equal(st.written, 4 * pp);
	assert_int_equal(st.frames, 3 * pp);
	assert_int_equal(st.oldest, rpos(1, RB_DATA_START));
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 3 * pp);
	check_cpus(rb);

	/* Slow moves past page 1; fast has not read page 3 yet: page 2. */
	consume_small(rb, slow, pp, pp, 100);
	for (i = 0; i < pp; i++, t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	for (i = 0; i < 5; i++, dropped++)
		assert_int_equal(put_small(rb, 0, 1, 1000), -ENOSPC);
	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.dropped_full, dropped);
	assert_int_equal(st.recycled, 2 * pp);
	assert_int_equal(st.written, 5 * pp);

	/* Both read everything; then nobody is attached: no reuse. */
	consume_small(rb, fast, 2 * pp, 3 * pp, 1000);
	consume_small(rb, slow, 3 * pp, 2 * pp, 1);
	assert_int_equal(rb_consumer_read(rb, slow, scratch, 8), 0);
	assert_int_equal(rb_consumer_frames(rb, fast), 5 * pp);
	assert_int_equal(rb_consumer_frames(rb, slow), 5 * pp);
	assert_int_equal(rb_consumer_overrun(rb, fast), 0);
	assert_int_equal(rb_consumer_overrun(rb, slow), 0);
	rb_consumer_detach(rb, fast);
	rb_consumer_detach(rb, slow);
	for (i = 0; i < 6; i++, dropped++)
		assert_int_equal(put_small(rb, 0, 1, 1000), -ENOSPC);
	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.dropped_full, dropped);
	assert_int_equal(st.recycled, 2 * pp);
	check_cpus(rb);

	/* A ring that never had a consumer: the first lap is all. */
	for (i = 0; i < 3 * pp; i++)
		assert_int_equal(put_small(lone, 0, 1, i), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(put_small(lone, 0, 1, i), -ENOSPC);
	rb_stats_cpu(lone, 0, &st);
	assert_int_equal(st.dropped_full, 10);
	assert_int_equal(st.recycled, 0);
	assert_int_equal(st.oldest, rpos(0, RB_DATA_START));
	assert_int_equal(st.frames, 3 * pp);
}

/*
 * Circular mode: a consumer that falls behind counts exactly the frames
 * it missed, then goes on with the oldest frame left.  One that attached
 * and never read counts the same way.
 */
static void test_consumer_circular_overrun(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 3, true);
	const u64 pp = SMALL_PER_PAGE;
	int a, idle, late;
	u64 t = 0, first;

	a = rb_consumer_attach(rb);
	idle = rb_consumer_attach(rb);
	for (; t < 100; t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	consume_small(rb, a, 10, 0, 39);
	assert_int_equal(rb_consumer_overrun(rb, a), 0);
	for (; t < 300; t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	/* The newest page is 6, the oldest 4. */
	first = 4 * pp;
	consume_small(rb, a, 300 - first, first, 50);
	assert_int_equal(rb_consumer_overrun(rb, a), first - 10);
	assert_int_equal(rb_consumer_frames(rb, a), 10 + 300 - first);
	assert_int_equal(rb_consumer_read(rb, a, scratch, 8), 0);

	consume_small(rb, idle, 300 - first, first, 1000);
	assert_int_equal(rb_consumer_overrun(rb, idle), first);

	/* Attached to a wrapped ring: its view starts at the oldest frame. */
	late = rb_consumer_attach(rb);
	for (; t < 400; t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	/* Now the oldest page is 6. */
	consume_small(rb, late, 400 - 6 * pp, 6 * pp, 64);
	assert_int_equal(rb_consumer_overrun(rb, late), 6 * pp - first);
	/* Keeping up: no more overrun. */
	consume_small(rb, a, 100, 300, 77);
	for (; t < 450; t++) {
		assert_int_equal(put_small(rb, 0, 1, t), 0);
		consume_small(rb, a, 1, t, 5);
	}
	assert_int_equal(rb_consumer_overrun(rb, a), first - 10);
	assert_int_equal(rb_consumer_frames(rb, a) +
			 rb_consumer_overrun(rb, a), 450);
	check_cpus(rb);
}

/* Several CPUs: the overrun is the sum of each CPU's missed frames. */
static void test_consumer_overrun_cpus(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 4, true);
	const u64 pp = SMALL_PER_PAGE;
	u8 *buf = talloc(f, 1 << 20);
	struct rb_stats s0, s1;
	u64 t = 0, n, i, prev[2] = { 0, 0 };
	bool seen[2] = { false, false };
	s64 got;
	int a;

	a = rb_consumer_attach(rb);
	/* CPU 0 writes three times as much as CPU 1. */
	for (; t < 1000; t++)
		assert_int_equal(put_small(rb, t % 4 ? 0 : 1, 1, t), 0);
	got = consume(rb, a, buf, 1 << 20, 333);
	assert_true(got > 0 && got % SMALL_STREAM == 0);
	n = got / SMALL_STREAM;
	rb_stats_cpu(rb, 0, &s0);
	rb_stats_cpu(rb, 1, &s1);
	assert_int_equal(n, s0.frames + s1.frames);
	assert_int_equal(rb_consumer_overrun(rb, a),
			 s0.overwritten + s1.overwritten);
	assert_true(s0.overwritten > pp && s1.overwritten > 0);
	assert_int_equal(rb_consumer_frames(rb, a) +
			 rb_consumer_overrun(rb, a), 1000);
	/* Time order, and each CPU's frames contiguous. */
	for (i = 0; i < n; i++) {
		u64 time = small_time(buf + i * SMALL_STREAM);
		u32 cpu = time % 4 ? 0 : 1;

		if (i)
			assert_true(time > small_time(buf + (i - 1) *
						      SMALL_STREAM));
		if (seen[cpu])
			assert_int_equal(time, prev[cpu] + (cpu ? 4 :
					 (prev[cpu] % 4 == 3 ? 2 : 1)));
		prev[cpu] = time;
		seen[cpu] = true;
	}
}

/* ---- raw dumps ---- */

static u8 dump[RB_PAGE_SIZE] __attribute__((aligned(RB_PAGE_SIZE)));

static struct rb_entry *dump_entry(u32 off)
{
	return (struct rb_entry *)(dump + off);
}

/* Offset of the first entry of @type in the dump, from @from. */
static u32 find_entry(u8 type, u32 from)
{
	const struct rb_page_begin *pb = rb_page_begin(dump);
	u32 off = RB_DATA_START;

	while (off < pb->commit) {
		if (dump_entry(off)->type == type && off >= from)
			return off;
		off += RB_ENTRY_HDR + rb_align(dump_entry(off)->len);
	}
	fail_msg("no entry of type %u", type);
	return 0;
}

static void expect_bad(u64 seq, u32 want)
{
	u32 bad = ~0u;

	assert_int_equal(rb_check_page(dump, seq, &bad), -EBADMSG);
	assert_int_equal(bad, want);
}

static void test_check_page(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 4, false);
	struct tframe t = { .tp = 5 };
	u32 head, reg, mem, var, bad = 0, i;
	struct rb_page_begin *pb;
	const void *page;
	struct rb_mem *m;

	add_reg(&t, 24, 0);
	add_mem(&t, FAKE_BASE, 100);
	add_var(&t, 1, 2);
	for (i = 0; i < 20; i++) {
		t.time = i;
		assert_int_equal(put_frame(rb, &t), 0);
	}
	page = rb_page(rb, 0, 0);
	assert_int_equal(rb_check_page(page, 0, &bad), 0);
	assert_int_equal(rb_check_page(page, RB_SEQ_NONE, NULL), 0);
	assert_int_equal(rb_check_page(rb_page(rb, 0, 1), 1, NULL), 0);

#define FRESH() memcpy(dump, page, RB_PAGE_SIZE)
	FRESH();
	pb = rb_page_begin(dump);
	head = find_entry(FID_HEAD, RB_DATA_START + 1);
	reg = find_entry(FID_REG, head);
	mem = find_entry(FID_MEM, head);
	var = find_entry(FID_VAR, head);
	assert_int_equal(rb_check_page(dump, 0, NULL), 0);
	/* The wrong page of the history. */
	expect_bad(1, RB_LINK_SIZE);

	FRESH();
	dump_entry(reg)->check ^= 1;
	expect_bad(0, reg);
	FRESH();
	dump_entry(var)->type = 9;
	expect_bad(0, var);
	FRESH();
	dump_entry(reg)->type = FID_VAR;	/* VAR of 24 bytes */
	expect_bad(0, reg);
	FRESH();
	dump_entry(var)->len += 8;
	expect_bad(0, var);
	FRESH();
	dump_entry(head)->len -= 8;
	expect_bad(0, head);
	FRESH();
	dump_entry(reg)->len = 4000;		/* past the commit */
	expect_bad(0, reg);
	FRESH();
	m = (struct rb_mem *)(dump_entry(mem) + 1);
	m->hole_off = 50;
	m->hole_len = 51;			/* past the 100 bytes */
	expect_bad(0, mem);
	FRESH();
	dump_entry(mem)->len = sizeof(*m) - 8;
	expect_bad(0, mem);
	FRESH();
	dump_entry(var)->flags = 1;
	expect_bad(0, var);
	FRESH();
	dump_entry(head)->reserved = 2;
	expect_bad(0, head);
	/*
	 * A shorter register block: the entry still parses, the next
	 * "entry" is inside its payload (zero bytes: no valid check).
	 */
	FRESH();
	memset(dump_entry(reg) + 1, 0, 24);
	dump_entry(reg)->len = 16;
	expect_bad(0, reg + RB_ENTRY_HDR + 16);

	/* The page begin entry and its fields. */
	FRESH();
	pb->page_seq ^= 1;
	expect_bad(RB_SEQ_NONE, RB_LINK_SIZE);
	FRESH();
	dump_entry(RB_LINK_SIZE)->type = FID_HEAD;
	expect_bad(RB_SEQ_NONE, RB_LINK_SIZE);
	FRESH();
	pb->commit += 4;
	expect_bad(0, RB_LINK_SIZE);
	FRESH();
	pb->commit = RB_DATA_END + 8;
	expect_bad(0, RB_LINK_SIZE);
	FRESH();
	pb->commit = RB_DATA_START - 8;
	expect_bad(0, RB_LINK_SIZE);
	FRESH();
	pb->nr_heads++;
	expect_bad(0, RB_LINK_SIZE);
	/*
	 * A page left from an earlier lap under a newer page begin: the
	 * first entry's check is for another sequence.
	 */
	FRESH();
	pb->page_seq = 3;
	dump_entry(RB_LINK_SIZE)->check = rb_entry_check(3, RB_LINK_SIZE);
	expect_bad(RB_SEQ_NONE, RB_DATA_START);
	/* 128 pages apart, the checks agree: only the sequence tells. */
	FRESH();
	pb->page_seq = 128;
	dump_entry(RB_LINK_SIZE)->check = rb_entry_check(128, RB_LINK_SIZE);
	assert_int_equal(rb_check_page(dump, RB_SEQ_NONE, NULL), 0);
	expect_bad(0, RB_LINK_SIZE);
	/* Garbage past the commit, or in the links, is not looked at. */
	FRESH();
	memset(dump + pb->commit, 0xa5, RB_DATA_END - pb->commit);
	memset(dump, 0x5a, RB_LINK_SIZE);
	memset(dump + RB_DATA_END, 0x5a, RB_LINK_SIZE);
	assert_int_equal(rb_check_page(dump, 0, &bad), 0);
#undef FRESH
	/* The ring itself was never touched. */
	check_cpus(rb);
}

/* Corruption in place, in a ring that wrapped. */
struct cpu_dmg {
	struct rb *rb;
	u32 n;
	u64 oldest;
};

/* CPU 1 is bad at (@slot, @off); CPU 0 and CPU 1's other pages are not. */
static void expect_cpu_bad(const struct cpu_dmg *d, u32 slot, u32 off)
{
	u32 bad_slot = ~0u, bad_off = ~0u, s;

	assert_int_equal(rb_check_cpu(d->rb, 1, &bad_slot, &bad_off),
			 -EBADMSG);
	assert_int_equal(bad_slot, slot);
	assert_int_equal(bad_off, off);
	assert_int_equal(rb_check_cpu(d->rb, 0, &bad_slot, &bad_off), 0);
	for (s = 0; s < d->n; s++) {
		u64 seq = d->oldest + (s + d->n - d->oldest % d->n) % d->n;

		if (s != slot)
			assert_int_equal(rb_check_page(rb_page(d->rb, 1, s),
						       seq, NULL), 0);
	}
}

static void test_check_cpu(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 5, true);
	struct tframe t = { .tp = 5 };
	struct cpu_dmg d = { .rb = rb, .n = rb_pages_per_cpu(rb) };
	u32 slot, off, bad_slot, bad_off, heads_before = 0;
	u64 newest, seq, end;
	struct rb_page_begin *pb;
	struct rb_stats st;
	struct rb_entry *e;
	struct rb_head *h;
	void *link;
	u8 *page;
	int i;

	add_reg(&t, 24, 0);
	add_mem(&t, FAKE_BASE, 2500);
	add_var(&t, 1, 2);
	for (i = 0; i < 100; i++) {
		t.cpu = i & 1;
		t.time = i;
		t.it[1].len = 500 + 37 * i;
		assert_int_equal(put_frame(rb, &t), 0);
	}
	check_cpus(rb);
	rb_stats_cpu(rb, 1, &st);
	assert_true(st.wraps > 2);
	d.oldest = rb_pos_page(st.oldest);
	newest = rb_pos_page(st.next);
	assert_true(newest - d.oldest == d.n - 1);
	/*
	 * A page that a frame runs into, that has a head, and after a page
	 * with a head (so the checker knows which frame runs in).
	 */
	for (seq = d.oldest; seq < newest; seq++) {
		pb = rb_page_begin(rb_page(rb, 1, seq % d.n));
		if (heads_before && pb->cont_seq != RB_SEQ_NONE &&
		    pb->nr_heads)
			break;
		heads_before += pb->nr_heads;
	}
	assert_true(seq < newest);
	slot = seq % d.n;
	page = rb_page(rb, 1, slot);
	for (off = RB_DATA_START; ; ) {
		e = (struct rb_entry *)(page + off);
		if (e->type == FID_HEAD)
			break;
		off += RB_ENTRY_HDR + rb_align(e->len);
	}
	h = (struct rb_head *)(e + 1);

	e->check ^= 0x100;
	expect_cpu_bad(&d, slot, off);
	e->check ^= 0x100;
	check_cpus(rb);

	e->type = FID_VAR;
	expect_cpu_bad(&d, slot, off);
	e->type = FID_HEAD;

	/* Frame sequence numbers must follow each other. */
	h->seq++;
	expect_cpu_bad(&d, slot, off);
	h->seq -= 2;
	expect_cpu_bad(&d, slot, off);
	h->seq++;
	check_cpus(rb);

	/* A frame's end: past the commit, before its head, or short. */
	end = h->end;
	h->end = st.next + 8;
	expect_cpu_bad(&d, slot, off);
	h->end = rpos(seq, off);
	expect_cpu_bad(&d, slot, off);
	h->end = rpos(seq, off) + HEAD_SIZE;
	assert_int_equal(rb_check_cpu(rb, 1, &bad_slot, &bad_off), -EBADMSG);
	h->end = end;
	check_cpus(rb);

	/* The page's own fields. */
	pb = rb_page_begin(page);
	pb->cont_seq ^= 1;
	expect_cpu_bad(&d, slot, RB_LINK_SIZE);
	pb->cont_seq ^= 1;
	pb->page_seq += d.n;
	expect_cpu_bad(&d, slot, RB_LINK_SIZE);
	pb->page_seq -= d.n;
	pb->nr_heads++;
	expect_cpu_bad(&d, slot, RB_LINK_SIZE);
	pb->nr_heads--;
	check_cpus(rb);

	/* The links, both ways. */
	memcpy(&link, page, sizeof(link));
	memcpy(page, &page, sizeof(link));
	expect_cpu_bad(&d, slot, 0);
	memcpy(page, &link, sizeof(link));
	memcpy(&link, page + PG - RB_LINK_SIZE, sizeof(link));
	memset(page + PG - RB_LINK_SIZE, 0, RB_LINK_SIZE);
	expect_cpu_bad(&d, slot, PG - RB_LINK_SIZE);
	memcpy(page + PG - RB_LINK_SIZE, &link, sizeof(link));
	check_cpus(rb);
	check_links(rb);
}

/* ---- the linearised stream ---- */

static void test_stream_parse(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 3, 80, false);
	u64 g = FAKE_BASE / RB_FAULT_GRANULE;
	struct fake_src src = { .refused = { g + 3, g + 4 }, .nr = 2 };
	struct tframe *t = talloc(f, 60 * sizeof(*t)), tmp;
	u8 *all, *buf;
	u64 size, off, len;
	u32 rnd = 7, i, j, k, n = 60;
	struct rb_frame_ref ref;
	s64 got;

	for (i = 0; i < n; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		rnd = rnd * 1103515245u + 12345u;
		t[i].cpu = (rnd >> 16) % 3;
		t[i].tp = (rnd >> 3) & 0xffff;
		t[i].time = (rnd >> 8) % 50;	/* any order, ties too */
		t[i].src = &src;
		for (k = 0; k < (rnd >> 24) % 7; k++) {
			u32 r = rnd * (k + 3) >> 7;

			switch (r % 3) {
			case 0:
				add_reg(&t[i], 64, r);
				break;
			case 1:
				add_mem(&t[i], FAKE_BASE + r % (8 * PG),
					(r >> 5) % 12000);
				break;
			default:
				add_var(&t[i], r, (s64)(r % 100000) *
					-123456789012LL);
				break;
			}
		}
		assert_int_equal(put_frame(rb, &t[i]), 0);
	}
	/* Expected order: time, then CPU, then sequence (write order). */
	for (i = 1; i < n; i++) {
		for (j = i; j > 0; j--) {
			if (t[j - 1].time < t[j].time ||
			    (t[j - 1].time == t[j].time &&
			     t[j - 1].cpu <= t[j].cpu))
				break;
			tmp = t[j];
			t[j] = t[j - 1];
			t[j - 1] = tmp;
		}
	}
	check_stream(rb, t, n, 64, true);
	check_cpus(rb);

	size = rb_stream_size(rb);
	all = talloc(f, size);
	buf = talloc(f, size + 100);
	assert_int_equal(rb_stream_read(rb, 0, all, size), size);
	for (i = 0; i < 400; i++) {
		rnd = rnd * 1103515245u + 12345u;
		off = ((u64)rnd << 7 ^ rnd >> 3) % (size + 10);
		len = (i % 4 == 0) ? (rnd >> 5) % 40 : (rnd >> 9) % 30000;
		got = rb_stream_read(rb, off, buf, len);
		if (off >= size) {
			assert_int_equal(got, 0);
			continue;
		}
		assert_int_equal(got, min_t(u64, len, size - off));
		assert_memory_equal(buf, all + off, got);
	}
	/* Around every frame boundary. */
	for (i = 0, off = 0; i < n; i++) {
		assert_int_equal(rb_index_get(rb, i, &ref), 0);
		off += ref.stream_size;
		for (k = 0; k < 6; k++) {
			u64 at = off + k - 3;

			if (at >= size)
				continue;
			len = 1 + k * 7;
			got = rb_stream_read(rb, at, buf, len);
			assert_int_equal(got, min_t(u64, len, size - at));
			assert_memory_equal(buf, all + at, got);
		}
	}
	assert_int_equal(rb_stream_read(rb, size, buf, 10), 0);
	assert_int_equal(rb_stream_read(rb, 5, buf, 0), 0);
	/* One frame from any byte of it. */
	for (i = 0, off = 0; i < n; i++) {
		assert_int_equal(rb_index_get(rb, i, &ref), 0);
		k = i * 37 % ref.stream_size;
		got = rb_frame_encode(rb, &ref, k, buf, ref.stream_size);
		assert_int_equal(got, ref.stream_size - k);
		assert_memory_equal(buf, all + off + k, got);
		got = rb_frame_encode(rb, &ref, 0, buf, 3);
		assert_int_equal(got, 3);
		assert_memory_equal(buf, all + off, 3);
		off += ref.stream_size;
	}
}

/* References to frames that were overwritten are refused, not misread. */
static void test_stale(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 3, true);
	struct rb_entry_view v;
	struct rb_frame_iter it;
	struct rb_frame_ref ref;
	u8 buf[4 * SMALL_STREAM];
	u64 t;

	for (t = 0; t < 10; t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_get(rb, 0, &ref), 0);
	rb_frame_iter_init(&it, rb, &ref);
	assert_int_equal(rb_frame_iter_next(&it, &v), 1);
	assert_true(rb_frame_iter_valid(&it));

	for (; t < 200; t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	/* The copy taken before is no longer good. */
	assert_false(rb_frame_iter_valid(&it));
	rb_frame_iter_init(&it, rb, &ref);
	assert_int_equal(rb_frame_iter_next(&it, &v), -ESTALE);
	assert_false(rb_frame_iter_valid(&it));
	assert_int_equal(rb_frame_encode(rb, &ref, 0, buf, SMALL_STREAM),
			 -ESTALE);
	assert_int_equal(rb_stream_read(rb, 0, buf, sizeof(buf)), -ESTALE);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 200 - 2 * SMALL_PER_PAGE);
	assert_int_equal(rb_stream_read(rb, 0, buf, sizeof(buf)),
			 sizeof(buf));
	assert_int_equal(small_time(buf), 2 * SMALL_PER_PAGE);
}

/* ---- status ---- */

static void test_stats(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 3, 6, true);
	struct rb_stats st, sum, tot;
	struct rb_frame_ref ref;
	u32 cpu, n = rb_pages_per_cpu(rb);
	u64 t, k, last[3] = { 0 };
	struct rb_writer w, w2;

	for (cpu = 0; cpu < 3; cpu++) {
		rb_stats_cpu(rb, cpu, &st);
		assert_int_equal(st.written + st.frames + st.wraps, 0);
		assert_int_equal(st.next, rpos(0, RB_DATA_START));
		assert_int_equal(st.oldest, rpos(0, RB_DATA_START));
		assert_int_equal(st.bytes_used, RB_DATA_START + RB_LINK_SIZE);
		assert_int_equal(st.bytes_used + st.bytes_free, n * PG);
	}
	/* CPU 0 wraps, CPU 1 fills part of its ring, CPU 2 stays empty. */
	for (t = 0; t < 2000; t++)
		assert_int_equal(put_small(rb, t % 10 ? 0 : 1, 1, t), 0);
	assert_int_equal(rb_frame_begin(rb, &w, 1, 1, 5000), 0);
	assert_int_equal(rb_frame_begin(rb, &w2, 1, 1, 5001), -EBUSY);
	assert_int_equal(rb_frame_commit(&w), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	for (k = 0; k < rb_index_count(rb); k++) {
		assert_int_equal(rb_index_get(rb, k, &ref), 0);
		last[ref.cpu] = ref.pos;
	}
	memset(&sum, 0, sizeof(sum));
	for (cpu = 0; cpu < 3; cpu++) {
		u64 used;

		rb_stats_cpu(rb, cpu, &st);
		assert_int_equal(st.bytes_used + st.bytes_free, n * PG);
		assert_int_equal(st.frames, st.written - st.overwritten -
				 st.recycled);
		used = (rb_pos_page(st.next) - rb_pos_page(st.oldest)) * PG +
		       rb_pos_off(st.next) + RB_LINK_SIZE;
		assert_int_equal(st.bytes_used, used);
		assert_true(st.bytes_used <= n * PG);
		assert_int_equal(st.wraps, rb_pos_page(st.next) / n);
		assert_true(rb_pos_page(st.next) - rb_pos_page(st.oldest) < n);
		if (st.frames)
			/* A head-only frame last on CPU 1. */
			assert_int_equal(st.next, last[cpu] +
					 (cpu == 1 ? HEAD_SIZE : SMALL_SIZE));
		sum.written += st.written;
		sum.frames += st.frames;
		sum.overwritten += st.overwritten;
		sum.pages_overwritten += st.pages_overwritten;
		sum.wraps += st.wraps;
		sum.bytes_used += st.bytes_used;
		sum.bytes_free += st.bytes_free;
		sum.dropped_nested += st.dropped_nested;
	}
	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.written, 1800);
	assert_true(st.wraps > 0);
	rb_stats_cpu(rb, 1, &st);
	assert_int_equal(st.written, 201);
	assert_int_equal(st.dropped_nested, 1);
	assert_int_equal(st.overwritten, 0);
	assert_int_equal(st.frames, 201);
	rb_stats_cpu(rb, 2, &st);
	assert_int_equal(st.written, 0);
	assert_int_equal(sum.frames, rb_index_count(rb));

	rb_stats_total(rb, &tot);
	assert_int_equal(tot.written, sum.written);
	assert_int_equal(tot.frames, sum.frames);
	assert_int_equal(tot.overwritten, sum.overwritten);
	assert_int_equal(tot.pages_overwritten, sum.pages_overwritten);
	assert_int_equal(tot.wraps, sum.wraps);
	assert_int_equal(tot.bytes_used, sum.bytes_used);
	assert_int_equal(tot.bytes_free, sum.bytes_free);
	assert_int_equal(tot.bytes_used + tot.bytes_free, 3 * n * PG);
	assert_int_equal(tot.dropped_nested, 1);
	assert_int_equal(tot.next + tot.oldest, 0);
	assert_false(tot.full);
	/* A CPU that does not exist has no figures. */
	rb_stats_cpu(rb, 3, &st);
	assert_int_equal(st.written + st.bytes_used + st.bytes_free, 0);
}

/* Everything zero: counters, positions, readers. */
static void expect_fresh(struct rb *rb)
{
	struct rb_stats st;

	rb_stats_total(rb, &st);
	assert_int_equal(st.written + st.dropped_full + st.dropped_nested +
			 st.dropped_big + st.overwritten + st.recycled +
			 st.pages_overwritten + st.wraps + st.frames, 0);
	assert_int_equal(st.bytes_used, rb_nr_cpus(rb) *
			 (RB_DATA_START + RB_LINK_SIZE));
	assert_false(st.full);
	assert_int_equal(rb_index_count(rb), 0);
	assert_int_equal(rb_stream_size(rb), 0);
	check_cpus(rb);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 0);
}

static void test_reset(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 3, false);
	struct tframe big = { .cpu = 1, .tp = 1 };
	struct rb_writer w, w2;
	struct rb_frame_ref ref;
	struct rb_stats st;
	struct rb *other;
	u64 gen, gen2;
	int id;
	u64 t;

	/* Stop-when-full with a consumer: full, dropped, recycled. */
	gen = rb_generation(rb);
	assert_int_not_equal(gen, 0);
	id = rb_consumer_attach(rb);
	for (t = 0; t < 500; t++)
		put_small(rb, t & 1, 1, t);
	assert_int_equal(consume(rb, id, scratch, SMALL_STREAM * 100, 1000),
			 SMALL_STREAM * 100);
	for (t = 0; t < 100; t++)
		put_small(rb, t & 1, 1, 1000 + t);
	assert_int_equal(rb_index_refresh(rb), 0);
	rb_stats_total(rb, &st);
	assert_true(st.full && st.dropped_full && st.recycled && st.frames);

	rb_reset(rb, true);
	assert_true(rb_circular(rb));
	/* A consumer's holder can tell: a generation is never given twice. */
	gen2 = rb_generation(rb);
	assert_int_not_equal(gen2, gen);
	assert_int_equal(rb_create(&other, 1, 3 * PG, false), 0);
	assert_int_not_equal(rb_generation(other), gen);
	assert_int_not_equal(rb_generation(other), gen2);
	rb_destroy(other);
	/* The consumer went with the rest. */
	assert_int_equal(rb_consumer_read(rb, id, scratch, 8), -EINVAL);
	expect_fresh(rb);

	/* Circular: overwritten, wraps, dropped_big, dropped_nested. */
	for (t = 0; t < 400; t++)
		assert_int_equal(put_small(rb, 0, 1, t), 0);
	add_mem(&big, FAKE_BASE, 5 * PG);
	assert_int_equal(put_frame(rb, &big), -E2BIG);
	assert_int_equal(rb_frame_begin(rb, &w, 0, 1, 1), 0);
	assert_int_equal(rb_frame_begin(rb, &w2, 0, 1, 1), -EBUSY);
	assert_int_equal(rb_frame_commit(&w), 0);
	assert_int_equal(rb_consumer_attach(rb), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	rb_stats_total(rb, &st);
	assert_true(st.overwritten && st.pages_overwritten && st.wraps &&
		    st.dropped_big && st.dropped_nested);

	rb_reset(rb, false);
	assert_false(rb_circular(rb));
	expect_fresh(rb);
	/* No consumer: the ring is full after a lap. */
	for (t = 0; t < 500; t++)
		put_small(rb, 1, 1, t);
	rb_stats_cpu(rb, 1, &st);
	assert_int_equal(st.written, 3 * SMALL_PER_PAGE);
	assert_int_equal(st.dropped_full, 500 - 3 * SMALL_PER_PAGE);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_get(rb, 0, &ref), 0);
	assert_int_equal(ref.cpu, 1);
	assert_int_equal(ref.seq, 0);
	assert_int_equal(rb_index_count(rb), st.frames);
	check_cpus(rb);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_index_order),
		T(test_index_incremental),
		T(test_consumers_stream),
		T(test_consumer_slots),
		T(test_consumer_stop_when_full),
		T(test_consumer_circular_overrun),
		T(test_consumer_overrun_cpus),
		T(test_check_page),
		T(test_check_cpu),
		T(test_stream_parse),
		T(test_stale),
		T(test_stats),
		T(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
