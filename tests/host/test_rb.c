// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ring buffer (rb/), the writer's side: creation and
 * allocation failure, page links, FID_MEM splitting and holes,
 * stop-when-full and circular accounting, nested writers.  The reader's
 * side is in test_rb_read.c; the fixture is rb_fixture.h.
 */
#include "tests/host/rb_fixture.h"

/* ---- rb_create ---- */

static void test_create_bad_args(void **state)
{
	struct rb *rb = (struct rb *)1;

	assert_int_equal(rb_create(&rb, 0, 1 << 20, false), -EINVAL);
	assert_null(rb);
	rb = (struct rb *)1;
	assert_int_equal(rb_create(&rb, 2, 0, true), -EINVAL);
	assert_null(rb);
	/* More pages than ring positions can number. */
	rb = (struct rb *)1;
	assert_int_equal(rb_create(&rb, 1, (u64)1 << 50, false), -EINVAL);
	assert_null(rb);
	rb = (struct rb *)1;
	assert_int_equal(rb_create(&rb, 1, ~0ULL, true), -EINVAL);
	assert_null(rb);
}

static void test_create_sizes(void **state)
{
	static const struct {
		u32 cpus;
		u64 size;
		u32 pages;
	} c[] = {
		{ 1, 1, RB_MIN_PAGES },
		{ 4, 4, RB_MIN_PAGES },
		{ 1, PG, RB_MIN_PAGES },
		{ 1, RB_MIN_PAGES * PG, RB_MIN_PAGES },
		{ 1, RB_MIN_PAGES * PG + 1, RB_MIN_PAGES + 1 },
		{ 2, 2 * 10 * PG, 10 },
		{ 2, 2 * 10 * PG + 1, 10 },	/* 40960 bytes each */
		{ 2, 2 * 10 * PG + 2, 11 },	/* 40961 bytes each */
		{ 3, 3 * 7 * PG - 3, 7 },
		{ 4, 64 * PG, 16 },
	};
	unsigned int i;
	u32 cpu, s;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct rb *rb;

		assert_int_equal(rb_create(&rb, c[i].cpus, c[i].size,
					   i & 1), 0);
		assert_int_equal(rb_nr_cpus(rb), c[i].cpus);
		assert_int_equal(rb_pages_per_cpu(rb), c[i].pages);
		assert_int_equal(rb_circular(rb), i & 1);
		for (cpu = 0; cpu < c[i].cpus; cpu++) {
			struct rb_stats st;

			for (s = 0; s < c[i].pages; s++)
				assert_non_null(rb_page(rb, cpu, s));
			assert_null(rb_page(rb, cpu, c[i].pages));
			rb_stats_cpu(rb, cpu, &st);
			assert_true(st.bytes_used + st.bytes_free ==
				    (u64)c[i].pages * PG);
		}
		assert_null(rb_page(rb, c[i].cpus, 0));
		check_cpus(rb);
		rb_destroy(rb);
	}
	rb_destroy(NULL);
}

static void leak_check(void)
{
#if defined(__SANITIZE_ADDRESS__)
	assert_int_equal(__lsan_do_recoverable_leak_check(), 0);
#endif
}

static void test_create_alloc_failure(void **state)
{
	static const struct {
		u32 cpus, pages;
	} c[] = { { 1, 3 }, { 3, 5 } };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		/* rb, index.cpu, then per CPU: rb_cpu, slots, pages. */
		long total = 2 + c[i].cpus * (2 + c[i].pages), n;
		u64 size = (u64)c[i].cpus * c[i].pages * PG;
		struct rb *rb;

		for (n = 0; n < total; n++) {
			rb = (struct rb *)1;
			rb_host_fail_alloc_after = n;
			assert_int_equal(rb_create(&rb, c[i].cpus, size, true),
					 -ENOMEM);
			rb_host_fail_alloc_after = -1;
			assert_null(rb);
			leak_check();
		}
		rb_host_fail_alloc_after = total;
		assert_int_equal(rb_create(&rb, c[i].cpus, size, false), 0);
		assert_int_equal(rb_host_fail_alloc_after, 0);
		rb_host_fail_alloc_after = -1;
		assert_int_equal(put_small(rb, 0, 1, 1), 0);
		assert_int_equal(rb_index_refresh(rb), 0);
		assert_int_equal(rb_index_count(rb), 1);
		rb_destroy(rb);
		leak_check();
	}
}

/* The index, the consumers and their bounce buffers allocate too. */
static void test_reader_alloc_failure(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 4, false);
	u8 buf[SMALL_STREAM * 4];
	int id, i;

	for (i = 0; i < 4; i++)
		assert_int_equal(put_small(rb, i & 1, 1, 10 + i), 0);

	rb_host_fail_alloc_after = 0;
	assert_int_equal(rb_index_refresh(rb), -ENOMEM);
	rb_host_fail_alloc_after = -1;
	assert_int_equal(rb_index_count(rb), 0);
	assert_int_equal(rb_stream_size(rb), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 4);

	/* A late frame needs the merge's scratch array. */
	assert_int_equal(put_small(rb, 0, 1, 5), 0);
	rb_host_fail_alloc_after = 0;
	assert_int_equal(rb_index_refresh(rb), -ENOMEM);
	rb_host_fail_alloc_after = -1;
	assert_int_equal(rb_index_count(rb), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 5);
	assert_int_equal(rb_stream_read(rb, 0, buf, SMALL_STREAM),
			 SMALL_STREAM);
	assert_int_equal(small_time(buf), 5);

	for (i = 0; i < 2; i++) {
		rb_host_fail_alloc_after = i;
		assert_int_equal(rb_consumer_attach(rb), -ENOMEM);
		rb_host_fail_alloc_after = -1;
	}
	id = rb_consumer_attach(rb);
	assert_int_equal(id, 0);
	rb_host_fail_alloc_after = 0;
	assert_int_equal(rb_consumer_read(rb, id, buf, sizeof(buf)), -ENOMEM);
	rb_host_fail_alloc_after = -1;
	/*
	 * Nothing was lost.  A consumer takes each CPU's frames in sequence
	 * order: the late frame comes after CPU 0's others.
	 */
	assert_int_equal(rb_consumer_read(rb, id, buf, sizeof(buf)),
			 SMALL_STREAM * 4);
	assert_int_equal(small_time(buf), 10);
	assert_int_equal(small_time(buf + 1 * SMALL_STREAM), 11);
	assert_int_equal(small_time(buf + 2 * SMALL_STREAM), 12);
	assert_int_equal(small_time(buf + 3 * SMALL_STREAM), 5);
	assert_int_equal(rb_consumer_frames(rb, id), 4);
	rb_consumer_detach(rb, id);
	leak_check();
}

/* ---- page links ---- */

static void test_page_links(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 5, true);
	struct tframe t = { .tp = 3 };
	struct rb_stats st;
	int i;

	check_links(rb);
	check_cpus(rb);
	/* Frames whose memory fills pages to their last data byte. */
	add_mem(&t, FAKE_BASE, 3 * RB_MEM_MAX_SEG);
	for (i = 0; i < 120; i++) {
		t.cpu = i & 1;
		t.time = i;
		t.it[0].len = (i % 3) ? 3 * (u32)RB_MEM_MAX_SEG :
					1000 + 37u * i;
		assert_int_equal(put_frame(rb, &t), 0);
		if (i % 10 == 9) {
			check_links(rb);
			check_cpus(rb);
		}
	}
	rb_stats_cpu(rb, 0, &st);
	assert_true(st.wraps >= 10);
	rb_stats_cpu(rb, 1, &st);
	assert_true(st.wraps >= 10);
	check_links(rb);
	check_cpus(rb);
}

/* ---- FID_MEM splitting ---- */

enum { LEN_GIVEN, LEN_ROOM, LEN_ROOM_PLUS_1 };

static void mem_split_case(struct fix *f, int mode, u64 len)
{
	struct rb *rb = mk(f, 1, 300, false);
	struct rb_entry_view *v = talloc(f, 400 * sizeof(*v));
	struct rb_frame_ref ref;
	struct tframe t[3] = {
		{ .tp = 1, .time = 1 },
		{ .tp = 2, .time = 2 },
		{ .tp = 3, .time = 3 },
	};
	u64 addr = FAKE_BASE + 0x123, sum = 0, want;
	u32 room, last_slot, s, j;
	struct rb_writer w;
	int n, k, nmem = 0;
	u8 regs[16];

	/* A frame first, so the one under test starts mid-page. */
	add_reg(&t[0], 16, 1);
	assert_int_equal(put_frame(rb, &t[0]), 0);

	/* Written by hand, to learn the room left in the page. */
	for (j = 0; j < 16; j++)
		regs[j] = reg_byte(2, j);
	assert_int_equal(rb_frame_begin(rb, &w, 0, 2, 2), 0);
	assert_int_equal(rb_frame_reg(&w, regs, 16), 0);
	room = RB_DATA_END - rb_pos_off(w.pos) - RB_MEM_HDR;
	if (mode == LEN_ROOM)
		len = room;
	else if (mode == LEN_ROOM_PLUS_1)
		len = room + 1;
	assert_int_equal(rb_frame_mem(&w, addr, len, fake_copy, NULL), 0);
	assert_int_equal(rb_frame_var(&w, 7, -5), 0);
	assert_int_equal(rb_frame_commit(&w), 0);
	add_reg(&t[1], 16, 2);
	add_mem(&t[1], addr, (u32)len);
	add_var(&t[1], 7, -5);
	add_reg(&t[2], 16, 3);
	assert_int_equal(put_frame(rb, &t[2]), 0);
	check_cpus(rb);

	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 3);
	n = frame_entries(rb, 1, &ref, v, 400);
	assert_int_equal(ref.seq, 1);
	assert_int_equal(rb_pos_page(ref.pos), 0);
	assert_int_equal(v[0].type, FID_REG);
	assert_int_equal(v[0].len, 16);
	for (k = 1; k < n && v[k].type == FID_MEM; k++) {
		assert_true(v[k].addr == addr + sum);
		assert_int_equal(v[k].hole_len, 0);
		assert_true(v[k].len <= RB_MEM_MAX_SEG);
		for (j = 0; j < v[k].len; j++)
			assert_int_equal(((const u8 *)v[k].data)[j],
					 pat(v[k].addr + j));
		if (k == 1) {
			assert_int_equal(v[k].len, min_t(u64, len, room));
			assert_int_equal(slot_of(rb, 0, v[k].data), 0);
		} else {
			/* Continuations start their page and fill it. */
			s = slot_of(rb, 0, v[k].data);
			assert_int_equal(s, k - 1);
			assert_ptr_equal(v[k].data, (u8 *)rb_page(rb, 0, s) +
					 RB_DATA_START + RB_MEM_HDR);
			if (sum + v[k].len < len)
				assert_int_equal(v[k].len, RB_MEM_MAX_SEG);
		}
		sum += v[k].len;
		nmem++;
	}
	assert_true(sum == len);
	want = len <= room ? 1 :
	       1 + (len - room + RB_MEM_MAX_SEG - 1) / RB_MEM_MAX_SEG;
	assert_int_equal(nmem, want);
	assert_int_equal(k, n - 1);
	assert_int_equal(v[k].type, FID_VAR);
	assert_int_equal(v[k].num, 7);
	assert_true(v[k].value == -5);

	/* Every page the frame runs into says so; the first does not. */
	last_slot = slot_of(rb, 0, v[k].data);
	if (mode == LEN_ROOM)
		assert_int_equal(last_slot, 1);
	if (len > 2 * RB_DATA_SIZE)
		assert_true(last_slot > 2);
	assert_true(rb_page_begin(rb_page(rb, 0, 0))->cont_seq ==
		    RB_SEQ_NONE);
	for (s = 1; s <= last_slot; s++)
		assert_true(rb_page_begin(rb_page(rb, 0, s))->cont_seq ==
			    ref.seq);
	for (s = 0; s <= last_slot; s++)
		assert_true(rb_page_begin(rb_page(rb, 0, s))->page_seq == s);
	check_stream(rb, t, 3, 16, true);
	unmk(f, rb);
}

static void test_mem_split(void **state)
{
	static const u64 lens[] = { 0, 1, 4096, 64 << 10, 1 << 20 };
	struct fix *f = *state;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++)
		mem_split_case(f, LEN_GIVEN, lens[i]);
	mem_split_case(f, LEN_ROOM, 0);
	mem_split_case(f, LEN_ROOM_PLUS_1, 0);
}

/*
 * The edges of a page: an empty FID_MEM in the last 24 bytes, a
 * non-empty one that does not fit there going whole to the next page,
 * and a frame that ends on the last data byte of a page.
 */
static void test_mem_split_page_edges(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 4, false);
	struct rb_entry_view v[8];
	struct rb_frame_ref ref;
	struct tframe t[2] = {
		{ .tp = 1, .time = 1 },
		{ .tp = 2, .time = 2 },
	};
	u32 reg = RB_DATA_END - RB_DATA_START - HEAD_SIZE - RB_ENTRY_HDR -
		  RB_MEM_HDR;
	struct rb_stats st;
	int n;

	add_reg(&t[0], reg, 1);
	add_mem(&t[0], FAKE_BASE, 0);
	assert_int_equal(put_frame(rb, &t[0]), 0);
	rb_stats_cpu(rb, 0, &st);
	assert_true(st.next == rpos(0, RB_DATA_END));

	add_reg(&t[1], reg, 2);
	add_mem(&t[1], FAKE_BASE + 10, 5);
	assert_int_equal(put_frame(rb, &t[1]), 0);
	check_cpus(rb);

	assert_int_equal(rb_index_refresh(rb), 0);
	n = frame_entries(rb, 0, &ref, v, 8);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].type, FID_MEM);
	assert_int_equal(v[1].len, 0);
	assert_ptr_equal(v[1].data, (u8 *)rb_page(rb, 0, 0) + RB_DATA_END);

	n = frame_entries(rb, 1, &ref, v, 8);
	assert_int_equal(n, 2);
	/* The head did not fit in page 0: a fresh page, no continuation. */
	assert_true(ref.pos == rpos(1, RB_DATA_START));
	assert_true(rb_page_begin(rb_page(rb, 0, 1))->cont_seq ==
		    RB_SEQ_NONE);
	/* 24 bytes left in page 1: the 5 bytes go whole to page 2. */
	assert_int_equal(v[1].type, FID_MEM);
	assert_int_equal(v[1].len, 5);
	assert_ptr_equal(v[1].data, (u8 *)rb_page(rb, 0, 2) + RB_DATA_START +
			 RB_MEM_HDR);
	assert_true(rb_page_begin(rb_page(rb, 0, 2))->cont_seq == 1);
	check_stream(rb, t, 2, reg, true);
}

static void test_mem_copy_direct(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 8, false);
	u32 len = 3 * PG + 77, done = 0, j;
	struct rb_entry_view v[16];
	struct rb_frame_ref ref;
	struct rb_writer w;
	u8 *src = talloc(f, len);
	int n, k;

	for (j = 0; j < len; j++)
		src[j] = (u8)(j * 13 + (j >> 9));
	assert_int_equal(rb_frame_begin(rb, &w, 0, 9, 1), 0);
	assert_int_equal(rb_frame_mem(&w, (u64)(uintptr_t)src, len,
				      rb_copy_direct, NULL), 0);
	assert_int_equal(rb_frame_commit(&w), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	n = frame_entries(rb, 0, &ref, v, 16);
	assert_int_equal(n, 4);
	for (k = 0; k < n; k++) {
		assert_int_equal(v[k].type, FID_MEM);
		assert_true(v[k].addr == (u64)(uintptr_t)src + done);
		assert_memory_equal(v[k].data, src + done, v[k].len);
		done += v[k].len;
	}
	assert_int_equal(done, len);
}

/* ---- holes ---- */

/*
 * Scribble over every page's data area, as an earlier lap would have:
 * nothing of it may show through a hole.
 */
static void dirty_pages(struct rb *rb)
{
	u32 cpu, s;

	for (cpu = 0; cpu < rb_nr_cpus(rb); cpu++)
		for (s = 0; s < rb_pages_per_cpu(rb); s++)
			memset((u8 *)rb_page(rb, cpu, s) + RB_DATA_START, 0xa5,
			       RB_DATA_SIZE);
}

/* The refused bytes of [addr, addr + len) must be one run: its bounds. */
static void refused_run(const struct fake_src *s, u64 addr, u32 len,
			u32 *off, u32 *rlen)
{
	u32 i, first = len, last = 0;

	for (i = 0; i < len; i++) {
		if (refused(s, addr + i)) {
			if (first == len)
				first = i;
			last = i + 1;
		}
	}
	for (i = first; i < last; i++)
		assert_true(refused(s, addr + i));
	*off = first == len ? 0 : first;
	*rlen = first == len ? 0 : last - first;
}

static u32 middle_holes;	/* readable bytes on both sides */

static void check_holes(struct rb *rb, u64 n, const struct fake_src *src,
			u64 addr, u64 len, bool exact, u32 *nr_holes)
{
	struct rb_entry_view *v = malloc(64 * sizeof(*v));
	struct rb_frame_ref ref;
	u64 sum = 0;
	int k, nr;
	u32 j;

	assert_non_null(v);
	nr = frame_entries(rb, n, &ref, v, 64);
	for (k = 0; k < nr; k++) {
		const u8 *d = v[k].data;
		u32 ho, hl;

		if (v[k].type != FID_MEM)
			continue;
		assert_true(v[k].addr == addr + sum);
		assert_true(v[k].hole_off + v[k].hole_len <= v[k].len);
		refused_run(src, v[k].addr, v[k].len, &ho, &hl);
		if (exact) {
			assert_int_equal(v[k].hole_off, ho);
			assert_int_equal(v[k].hole_len, hl);
		} else if (hl) {
			/* Conservative: every refused byte is in the hole. */
			assert_true(v[k].hole_off <= ho);
			assert_true(ho + hl <= v[k].hole_off + v[k].hole_len);
		}
		for (j = 0; j < v[k].len; j++) {
			bool in = j >= v[k].hole_off &&
				  j < v[k].hole_off + v[k].hole_len;

			assert_int_equal(d[j], in ? 0 : pat(v[k].addr + j));
		}
		*nr_holes += v[k].hole_len != 0;
		middle_holes += v[k].hole_len && v[k].hole_off &&
				v[k].hole_off + v[k].hole_len < v[k].len;
		sum += v[k].len;
	}
	assert_true(sum == len);
	free(v);
}

static void test_mem_holes(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 40, false);
	u64 g = FAKE_BASE / RB_FAULT_GRANULE;
	struct fake_src src = {
		/* Granule 1 alone, 3 and 4 together, 7 for the third frame. */
		.refused = { g + 1, g + 3, g + 4, g + 7 },
		.nr = 4,
	};
	struct tframe t[3] = {
		{ .tp = 1, .time = 1, .src = &src },
		{ .tp = 2, .time = 2, .src = &src },
		{ .tp = 3, .time = 3, .src = &src },
	};
	u64 len0 = 6 * PG + 300;
	u32 holes = 0;
	struct rb_stats st;

	add_mem(&t[0], FAKE_BASE + 100, (u32)len0);
	add_var(&t[0], 1, 1);
	/* Wholly inside a refused granule: an entry that is all hole. */
	add_mem(&t[1], FAKE_BASE + 3 * PG + 50, 100);
	/* Starts unreadable and becomes readable. */
	add_mem(&t[2], FAKE_BASE + 8 * PG - 2000, 5000);
	dirty_pages(rb);
	assert_int_equal(put_frame(rb, &t[0]), 0);
	assert_int_equal(put_frame(rb, &t[1]), 0);
	assert_int_equal(put_frame(rb, &t[2]), 0);
	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.written, 3);
	check_cpus(rb);

	assert_int_equal(rb_index_refresh(rb), 0);
	/* A 4096-byte granule touches at least two entries. */
	check_holes(rb, 0, &src, FAKE_BASE + 100, len0, true, &holes);
	assert_true(holes >= 4);
	holes = 0;
	check_holes(rb, 1, &src, FAKE_BASE + 3 * PG + 50, 100, true, &holes);
	assert_true(holes >= 1);
	holes = 0;
	check_holes(rb, 2, &src, FAKE_BASE + 8 * PG - 2000, 5000, true,
		    &holes);
	assert_true(holes >= 1);
	check_stream(rb, t, 3, 0, true);
}

/* A copy that also stops short where it could have read: holes widen. */
static void test_mem_holes_flaky(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 64, false);
	u64 g = FAKE_BASE / RB_FAULT_GRANULE;
	struct fake_src src = {
		.refused = { g + 2, g + 5, g + 6, g + 11 },
		.nr = 4,
		.flaky = true,
		.rnd = 12345,
	};
	struct tframe t[8];
	u32 holes = 0;
	int i;

	dirty_pages(rb);
	for (i = 0; i < 8; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].tp = i;
		t[i].time = i;
		t[i].src = &src;
		add_mem(&t[i], FAKE_BASE + 777 * i, 3 * PG + 999 * i);
		assert_int_equal(put_frame(rb, &t[i]), 0);
	}
	assert_true(src.calls > 8);
	check_cpus(rb);
	assert_int_equal(rb_index_refresh(rb), 0);
	middle_holes = 0;
	for (i = 0; i < 8; i++)
		check_holes(rb, i, &src, t[i].it[0].addr, t[i].it[0].len,
			    false, &holes);
	assert_true(holes > 8);
	/* A copy stopping short mid-granule: two 'M' blocks, one entry. */
	assert_true(middle_holes > 0);
	check_stream(rb, t, 8, 0, false);
}

/* ---- stop-when-full ---- */

static void test_stop_when_full(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 4, false);
	u64 g = FAKE_BASE / RB_FAULT_GRANULE;
	struct fake_src src = { .refused = { g + 1 }, .nr = 1 };
	struct tframe *exp = talloc(f, 400 * sizeof(*exp));
	struct tframe t;
	struct rb_writer w, w2;
	struct rb_stats st, st1;
	u32 n = 0, dropped = 0, i, begin_refused = 0;
	u64 time = 0;
	int err;

	/* Varied frames on CPU 0 until one does not fit. */
	for (i = 0; ; i++) {
		memset(&t, 0, sizeof(t));
		t.cpu = (i % 5 == 4) ? 1 : 0;
		t.tp = i;
		t.time = ++time;
		t.src = &src;
		add_reg(&t, 16, i);
		add_mem(&t, FAKE_BASE + 97 * i, (i * 701) % 3000);
		add_var(&t, i, (s64)i * -3);
		err = put_frame(rb, &t);
		if (err) {
			assert_int_equal(err, -ENOSPC);
			assert_int_equal(t.cpu, 0);
			dropped++;
			break;
		}
		exp[n++] = t;
		assert_true(n < 400);
	}
	/* Smaller frames may still fit; bigger ones are dropped whole. */
	for (i = 0; i < 40; i++) {
		memset(&t, 0, sizeof(t));
		t.tp = 1000 + i;
		t.time = ++time;
		t.src = &src;
		add_reg(&t, 16, i);
		add_mem(&t, FAKE_BASE + 5 * i, (i & 1) ? 5000 : 8 * i);
		err = put_frame(rb, &t);
		if (err) {
			assert_int_equal(err, -ENOSPC);
			dropped++;
		} else {
			exp[n++] = t;
		}
	}
	/* Head-only frames until even a head does not fit. */
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 200 && !begin_refused; i++) {
		t.tp = 2000 + i;
		t.time = ++time;
		err = rb_frame_begin(rb, &w, 0, t.tp, t.time);
		if (err == -ENOSPC) {
			begin_refused = 1;
			dropped++;
			break;
		}
		assert_int_equal(err, 0);
		err = rb_frame_commit(&w);
		if (err) {
			assert_int_equal(err, -ENOSPC);
			dropped++;
		} else {
			exp[n++] = t;
		}
	}
	assert_true(begin_refused);
	/* The refused begin left the CPU free: refused again, not nested. */
	assert_int_equal(rb_frame_begin(rb, &w2, 0, 1, ++time), -ENOSPC);
	dropped++;

	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.dropped_full, dropped);
	assert_true(st.full);
	assert_int_equal(st.dropped_nested, 0);
	assert_int_equal(st.dropped_big, 0);
	assert_int_equal(st.recycled, 0);
	assert_int_equal(st.overwritten, 0);
	assert_int_equal(st.oldest, rpos(0, RB_DATA_START));
	assert_int_equal(rb_pos_page(st.next), 3);
	rb_stats_cpu(rb, 1, &st1);
	assert_false(st1.full);
	assert_int_equal(st1.dropped_full, 0);
	assert_int_equal(st.written + st1.written, n);
	assert_int_equal(st.frames + st1.frames, n);
	check_cpus(rb);
	/* Nothing of a dropped frame shows. */
	check_stream(rb, exp, n, 16, true);
	/* CPU 1 still has room. */
	assert_int_equal(put_small(rb, 1, 1, ++time), 0);
	rb_stats_total(rb, &st);
	assert_int_equal(st.written, n + 1);
	assert_int_equal(st.dropped_full, dropped);
	assert_true(st.full);
}

/* Frames bigger than the ring are dropped and counted in both modes. */
static void test_too_big(void **state)
{
	struct fix *f = *state;
	struct rb *stop = mk(f, 1, 3, false);
	struct rb *circ = mk(f, 1, 3, true);
	struct tframe t = { .tp = 1, .time = 1000 };
	struct rb_frame_ref ref;
	struct rb_stats st;
	u64 i, n;

	add_mem(&t, FAKE_BASE, 3 * RB_MEM_MAX_SEG);
	assert_int_equal(put_frame(stop, &t), -E2BIG);
	rb_stats_cpu(stop, 0, &st);
	assert_int_equal(st.dropped_big, 1);
	assert_int_equal(st.dropped_full, 0);
	assert_false(st.full);
	assert_int_equal(st.written, 0);
	for (i = 0; i < 3 * SMALL_PER_PAGE; i++)
		assert_int_equal(put_small(stop, 0, 1, i), 0);
	assert_int_equal(put_small(stop, 0, 1, i), -ENOSPC);
	check_cpus(stop);
	assert_int_equal(rb_index_refresh(stop), 0);
	assert_int_equal(rb_index_count(stop), 3 * SMALL_PER_PAGE);

	/*
	 * Circular, after wraps: 300 frames, the last page (6) holds 24 of
	 * them.  The big frame overwrites pages 4 and 5 before it finds it
	 * would overwrite its own head: those are lost and counted.
	 */
	for (i = 0; i < 300; i++)
		assert_int_equal(put_small(circ, 0, 1, i), 0);
	t.it[0].len = 3 * PG;
	assert_int_equal(put_frame(circ, &t), -E2BIG);
	rb_stats_cpu(circ, 0, &st);
	assert_int_equal(st.dropped_big, 1);
	assert_int_equal(st.written, 300);
	assert_int_equal(st.overwritten, 6 * SMALL_PER_PAGE);
	assert_int_equal(st.pages_overwritten, 6);
	assert_int_equal(st.frames, 300 - 6 * SMALL_PER_PAGE);
	assert_false(st.full);
	check_cpus(circ);
	assert_int_equal(rb_index_refresh(circ), 0);
	assert_int_equal(rb_index_count(circ), st.frames);
	/* The ring goes on; the pages the big frame used are reused. */
	for (; i < 600; i++)
		assert_int_equal(put_small(circ, 0, 1, i), 0);
	check_cpus(circ);
	rb_stats_cpu(circ, 0, &st);
	assert_int_equal(rb_index_refresh(circ), 0);
	n = rb_index_count(circ);
	assert_int_equal(n, st.frames);
	assert_int_equal(st.written - st.overwritten, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(rb_index_get(circ, i, &ref), 0);
		assert_int_equal(ref.seq, 600 - n + i);
		assert_int_equal(ref.time, 600 - n + i);
	}
}

static void test_reg_too_big(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 1, 3, true);
	u32 max = RB_DATA_SIZE - RB_ENTRY_HDR;
	u8 *regs = talloc(f, max + 1);
	struct rb_writer w;
	struct rb_stats st;

	assert_int_equal(rb_frame_begin(rb, &w, 0, 1, 1), 0);
	assert_int_equal(rb_frame_reg(&w, regs, max + 1), -E2BIG);
	assert_int_equal(rb_frame_var(&w, 1, 1), -E2BIG);
	assert_int_equal(rb_frame_commit(&w), -E2BIG);
	/* Lengths whose rounding up overflows are too big as well. */
	assert_int_equal(rb_frame_begin(rb, &w, 0, 1, 2), 0);
	assert_int_equal(rb_frame_reg(&w, regs, 0xfffffff9u), -E2BIG);
	assert_int_equal(rb_frame_commit(&w), -E2BIG);
	assert_int_equal(rb_frame_begin(rb, &w, 0, 1, 3), 0);
	assert_int_equal(rb_frame_reg(&w, regs, max), 0);
	assert_int_equal(rb_frame_commit(&w), 0);
	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.dropped_big, 2);
	assert_int_equal(st.written, 1);
	check_cpus(rb);
}

/* ---- circular mode ---- */

static void circular_case(struct fix *f, u32 pages, u32 cpus)
{
	struct rb *rb = mk(f, cpus, pages, true);
	struct rb_frame_ref ref;
	struct rb_stats st;
	u64 i, n, k, fr = 0;
	u32 cpu;

	for (fr = 1; fr <= 40 * SMALL_PER_PAGE + 7; fr++) {
		/* Frame fr - 1 on every CPU, stamped so CPUs interleave. */
		u64 p, oldest, off;

		for (cpu = 0; cpu < cpus; cpu++)
			assert_int_equal(put_small(rb, cpu, cpu, fr - 1), 0);
		p = (fr - 1) / SMALL_PER_PAGE;
		oldest = p >= pages ? p - pages + 1 : 0;
		off = RB_DATA_START + ((fr - 1) % SMALL_PER_PAGE + 1) *
		      SMALL_SIZE;
		for (cpu = 0; cpu < cpus; cpu++) {
			rb_stats_cpu(rb, cpu, &st);
			assert_int_equal(st.written, fr);
			assert_int_equal(st.overwritten,
					 oldest * SMALL_PER_PAGE);
			assert_int_equal(st.pages_overwritten, oldest);
			assert_int_equal(st.wraps, p / pages);
			assert_int_equal(st.frames,
					 fr - oldest * SMALL_PER_PAGE);
			assert_int_equal(st.next, rpos(p, off));
			assert_int_equal(st.oldest,
					 rpos(oldest, RB_DATA_START));
			assert_int_equal(st.recycled, 0);
			assert_false(st.full);
		}
		if (fr % 97 && fr != 40 * SMALL_PER_PAGE + 7)
			continue;
		check_cpus(rb);
		assert_int_equal(rb_index_refresh(rb), 0);
		n = rb_index_count(rb);
		assert_int_equal(n, cpus * (fr - oldest * SMALL_PER_PAGE));
		/* The newest frames, in time order, seqs contiguous. */
		for (i = 0; i < n; i++) {
			assert_int_equal(rb_index_get(rb, i, &ref), 0);
			k = oldest * SMALL_PER_PAGE + i / cpus;
			assert_int_equal(ref.cpu, i % cpus);
			assert_int_equal(ref.seq, k);
			assert_int_equal(ref.time, k);
			assert_int_equal(rb_pos_page(ref.pos),
					 k / SMALL_PER_PAGE);
		}
		assert_int_equal(rb_stream_size(rb), n * SMALL_STREAM);
	}
	rb_stats_total(rb, &st);
	assert_int_equal(st.written, cpus * (fr - 1));
	unmk(f, rb);
}

static void test_circular_counters(void **state)
{
	circular_case(*state, RB_MIN_PAGES, 1);
	circular_case(*state, 5, 3);
	circular_case(*state, 7, 2);
}

/* ---- nested writers ---- */

static void test_nested(void **state)
{
	struct fix *f = *state;
	struct rb *rb = mk(f, 2, 8, false);
	struct tframe t[4] = {
		{ .cpu = 0, .tp = 1, .time = 10 },
		{ .cpu = 1, .tp = 2, .time = 20 },
		{ .cpu = 0, .tp = 3, .time = 30 },
		{ .cpu = 1, .tp = 4, .time = 40 },
	};
	struct rb_writer outer, inner, other;
	struct rb_stats st;
	u8 regs[16];
	int i;

	for (i = 0; i < 16; i++)
		regs[i] = reg_byte(1, i);
	add_reg(&t[0], 16, 1);
	add_mem(&t[0], FAKE_BASE, 5000);
	add_var(&t[0], 3, 33);
	add_mem(&t[1], FAKE_BASE + 9000, 300);

	assert_int_equal(rb_frame_begin(rb, &outer, 0, 1, 10), 0);
	assert_int_equal(rb_frame_begin(rb, &inner, 0, 99, 11), -EBUSY);
	assert_int_equal(rb_frame_reg(&outer, regs, 16), 0);
	assert_int_equal(rb_frame_begin(rb, &inner, 0, 99, 12), -EBUSY);
	/* Another CPU writes a whole frame meanwhile. */
	assert_int_equal(put_frame(rb, &t[1]), 0);
	/* The outer frame now spans two pages. */
	assert_int_equal(rb_frame_mem(&outer, FAKE_BASE, 5000, fake_copy,
				      NULL), 0);
	assert_int_equal(rb_frame_begin(rb, &inner, 0, 99, 13), -EBUSY);
	/* Readers see nothing of the open frame. */
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 1);
	assert_int_equal(rb_frame_var(&outer, 3, 33), 0);
	assert_int_equal(rb_frame_commit(&outer), 0);

	/* The CPU is free again. */
	assert_int_equal(rb_frame_begin(rb, &inner, 0, 3, 30), 0);
	assert_int_equal(rb_frame_begin(rb, &other, 1, 4, 40), 0);
	assert_int_equal(rb_frame_commit(&other), 0);
	assert_int_equal(rb_frame_commit(&inner), 0);

	rb_stats_cpu(rb, 0, &st);
	assert_int_equal(st.dropped_nested, 3);
	assert_int_equal(st.written, 2);
	assert_int_equal(st.dropped_full + st.dropped_big, 0);
	rb_stats_cpu(rb, 1, &st);
	assert_int_equal(st.dropped_nested, 0);
	assert_int_equal(st.written, 2);
	rb_stats_total(rb, &st);
	assert_int_equal(st.dropped_nested, 3);
	check_cpus(rb);
	check_stream(rb, t, 4, 16, true);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_bad_args),
		T(test_create_sizes),
		T(test_create_alloc_failure),
		T(test_reader_alloc_failure),
		T(test_page_links),
		T(test_mem_split),
		T(test_mem_split_page_edges),
		T(test_mem_copy_direct),
		T(test_mem_holes),
		T(test_mem_holes_flaky),
		T(test_stop_when_full),
		T(test_too_big),
		T(test_reg_too_big),
		T(test_circular_counters),
		T(test_nested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
