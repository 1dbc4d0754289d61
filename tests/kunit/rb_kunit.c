// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the ring buffer core (rb/), in a kernel.
 *
 * `make kunit` links this file with the rb/ objects into gtp_rb_kunit.ko
 * (tests/kunit/Kbuild); the module loads only on a kernel with
 * CONFIG_KUNIT, and the suite "gtp_rb" runs when it loads.
 *
 * Rings are indexed by real CPU numbers, possible CPUs below nr_cpu_ids,
 * but the calls run on whatever CPU the test thread is on: rb takes the
 * CPU as a parameter, and the test thread is the one writer of every
 * ring.  Writer calls run with preemption off, as in the module; results
 * are checked after preempt_enable(), since a failed check may sleep.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "rb/rb.h"

/*
 * Data bytes of a FID_MEM entry that fits in the first page of a fresh
 * ring behind the frame's FID_HEAD.
 */
#define RBK_ROOM	(RB_DATA_END - RB_DATA_START - RB_ENTRY_HDR - \
			 sizeof(struct rb_head) - RB_MEM_HDR)
/* tfile stream bytes of a frame's header and of an 'M' block's. */
#define RBK_FRAME_HDR	(2 + 4)
#define RBK_M_HDR	(1 + 8 + 2)

/* ---------------------------------------------------------- helpers */

static int rbk_rb_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void rbk_rb_free(struct kunit_resource *res)
{
	rb_destroy(res->data);
}

/* A test-managed buffer of @pages pages per CPU for every possible CPU. */
static struct rb *rbk_create(struct kunit *test, u32 pages, bool circular)
{
	u64 size = (u64)nr_cpu_ids * pages * RB_PAGE_SIZE;
	struct rb *rb = NULL;

	KUNIT_ASSERT_EQ(test, rb_create(&rb, nr_cpu_ids, size, circular), 0);
	KUNIT_ASSERT_NOT_NULL(test, rb);
	if (!kunit_alloc_resource(test, rbk_rb_init, rbk_rb_free, GFP_KERNEL,
				  rb)) {
		rb_destroy(rb);
		KUNIT_ASSERT_FAILURE(test, "cannot register the buffer");
	}
	KUNIT_ASSERT_EQ(test, rb_pages_per_cpu(rb), pages);
	return rb;
}

static int rbk_vmem_init(struct kunit_resource *res, void *context)
{
	res->data = vzalloc((unsigned long)context);
	return res->data ? 0 : -ENOMEM;
}

static void rbk_vmem_free(struct kunit_resource *res)
{
	vfree(res->data);
}

/*
 * Test-managed zeroed vmalloc memory.  The page after it is vmalloc's
 * guard page, never mapped: reading it faults.
 */
static void *rbk_vzalloc(struct kunit *test, size_t size)
{
	void *p = kunit_alloc_resource(test, rbk_vmem_init, rbk_vmem_free,
				       GFP_KERNEL, (void *)size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static u8 rbk_byte(u32 seed, size_t i)
{
	return (u8)(seed * 131 + i * 7 + (i >> 8));
}

static void rbk_fill(u8 *p, size_t n, u32 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = rbk_byte(seed, i);
}

static u64 rbk_le(const u8 *p, u32 bytes)
{
	u64 v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* The ring of single-ring tests: a real CPU, not always 0. */
static u32 rbk_cpu(void)
{
	return cpumask_last(cpu_possible_mask);
}

/* Another possible CPU, or nr_cpu_ids when there is only one. */
static u32 rbk_other_cpu(void)
{
	u32 cpu = cpumask_first(cpu_possible_mask);

	return cpu == rbk_cpu() ? nr_cpu_ids : cpu;
}

/* The slot of @cpu's ring holding @p, or -1. */
static int rbk_slot_of(const struct rb *rb, u32 cpu, const void *p)
{
	u32 slot;

	for (slot = 0; slot < rb_pages_per_cpu(rb); slot++) {
		const u8 *page = rb_page(rb, cpu, slot);

		if ((const u8 *)p >= page && (const u8 *)p < page + RB_PAGE_SIZE)
			return slot;
	}
	return -1;
}

/* Copy through copy_from_kernel_nofault(), page by page, counting faults. */
static size_t rbk_copy_nofault(void *dst, u64 src, size_t len, void *ctx)
{
	unsigned int *faults = ctx;
	size_t done = 0;

	while (done < len) {
		u64 a = src + done;
		size_t n = min_t(size_t, len - done,
				 RB_FAULT_GRANULE - a % RB_FAULT_GRANULE);

		if (copy_from_kernel_nofault((u8 *)dst + done,
					     (const void *)(uintptr_t)a, n)) {
			if (faults)
				(*faults)++;
			break;
		}
		done += n;
	}
	return done;
}

/* One frame to write: a register block, a memory range, a variable. */
struct rbk_frame {
	u32 tp;
	u64 time;
	const void *regs;
	u32 reg_len;		/* 0: no register block */
	bool mem;
	u64 addr;
	u64 mem_len;
	rb_copy_fn copy;	/* NULL: rb_copy_direct */
	void *ctx;
	bool var;
	u32 var_num;
	s64 var_value;
};

/* Write @f into @cpu's ring: 0, or the error that refused the frame. */
static int rbk_write(struct rb *rb, u32 cpu, const struct rbk_frame *f)
{
	struct rb_writer w;
	int err;

	preempt_disable();
	err = rb_frame_begin(rb, &w, cpu, f->tp, f->time);
	if (!err) {
		if (f->reg_len)
			rb_frame_reg(&w, f->regs, f->reg_len);
		if (f->mem)
			rb_frame_mem(&w, f->addr, f->mem_len,
				     f->copy ? f->copy : rb_copy_direct, f->ctx);
		if (f->var)
			rb_frame_var(&w, f->var_num, f->var_value);
		err = rb_frame_commit(&w);
	}
	preempt_enable();
	return err;
}

/* A frame of one register block of @len bytes from @regs. */
static int rbk_write_reg(struct rb *rb, u32 cpu, u32 tp, u64 time,
			 const u8 *regs, u32 len)
{
	struct rbk_frame f = {
		.tp = tp, .time = time, .regs = regs, .reg_len = len,
	};

	return rbk_write(rb, cpu, &f);
}

static u8 *rbk_regs(struct kunit *test, u32 len)
{
	u8 *regs = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, regs);
	rbk_fill(regs, len, 3);
	return regs;
}

/* The whole stream, read with rb_stream_read() @chunk bytes at a time. */
static u64 rbk_stream_all(struct kunit *test, struct rb *rb, u8 *buf, u64 cap,
			  u64 chunk)
{
	u64 done = 0;
	s64 n;

	while (done < cap) {
		n = rb_stream_read(rb, done, buf + done,
				   min_t(u64, chunk, cap - done));
		KUNIT_ASSERT_GE(test, n, 0);
		if (!n)
			break;
		done += n;
	}
	return done;
}

/* All consumer @id has, read @chunk bytes at a time. */
static u64 rbk_consume_all(struct kunit *test, struct rb *rb, int id, u8 *buf,
			   u64 cap, u64 chunk)
{
	u64 done = 0;
	s64 n;

	while (done < cap) {
		n = rb_consumer_read(rb, id, buf + done,
				     min_t(u64, chunk, cap - done));
		KUNIT_ASSERT_GE(test, n, 0);
		if (!n)
			break;
		done += n;
	}
	return done;
}

/* Frames of a tfile frame stream, checking that their sizes add up. */
static u64 rbk_stream_frames(struct kunit *test, const u8 *buf, u64 len)
{
	u64 off = 0, frames = 0;

	while (off < len) {
		KUNIT_ASSERT_LE(test, off + RBK_FRAME_HDR, len);
		off += RBK_FRAME_HDR + rbk_le(buf + off + 2, 4);
		frames++;
	}
	KUNIT_EXPECT_EQ(test, off, len);
	return frames;
}

/*
 * Check the 'M' blocks of a one-frame stream of @tp that holds only 'M'
 * blocks: each block's bytes are those at its address in @src, which
 * stands for addresses [@lo, @lo + @src_len).  Returns the bytes seen.
 */
static u64 rbk_check_m_blocks(struct kunit *test, const u8 *buf, u64 len,
			      u32 tp, u64 lo, const u8 *src, u64 src_len)
{
	u64 off = RBK_FRAME_HDR, bytes = 0;

	KUNIT_ASSERT_GE(test, len, (u64)RBK_FRAME_HDR);
	KUNIT_EXPECT_EQ(test, rbk_le(buf, 2), (u64)tp);
	KUNIT_EXPECT_EQ(test, rbk_le(buf + 2, 4), len - RBK_FRAME_HDR);
	while (off < len) {
		u64 addr, n;

		KUNIT_ASSERT_LE(test, off + RBK_M_HDR, len);
		KUNIT_ASSERT_EQ(test, buf[off], (u8)'M');
		addr = rbk_le(buf + off + 1, 8);
		n = rbk_le(buf + off + 9, 2);
		off += RBK_M_HDR;
		KUNIT_ASSERT_LE(test, off + n, len);
		KUNIT_ASSERT_GE(test, addr, lo);
		KUNIT_ASSERT_LE(test, addr + n, lo + src_len);
		KUNIT_EXPECT_EQ(test, memcmp(buf + off, src + (addr - lo), n),
				0);
		off += n;
		bytes += n;
	}
	return bytes;
}

/* --------------------------------------------------- create, destroy */

static void rb_test_create(struct kunit *test)
{
	static const struct {
		u64 per_cpu;
		u32 pages;
	} sizes[] = {
		{ 1, RB_MIN_PAGES },
		{ RB_PAGE_SIZE, RB_MIN_PAGES },
		{ 3 * RB_PAGE_SIZE, 3 },
		{ 3 * RB_PAGE_SIZE + 1, 4 },
		{ 10 * RB_PAGE_SIZE, 10 },
		{ 10 * RB_PAGE_SIZE - 1, 10 },
	};
	u32 n = nr_cpu_ids, i, cpu, slot, bad_slot, bad_off;
	struct rb_stats st;
	struct rb *rb;

	rb = (struct rb *)1;
	KUNIT_EXPECT_EQ(test, rb_create(&rb, 0, RB_PAGE_SIZE, false), -EINVAL);
	KUNIT_EXPECT_NULL(test, rb);
	rb = (struct rb *)1;
	KUNIT_EXPECT_EQ(test, rb_create(&rb, n, 0, false), -EINVAL);
	KUNIT_EXPECT_NULL(test, rb);
	rb_destroy(NULL);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		bool circular = i & 1;
		/* A remainder below nr_cpus is dropped by the split. */
		u64 size = sizes[i].per_cpu * n + (n - 1);

		if (rb_create(&rb, n, size, circular)) {
			KUNIT_FAIL(test, "rb_create(%llu bytes) failed", size);
			continue;
		}
		KUNIT_EXPECT_EQ(test, rb_nr_cpus(rb), n);
		KUNIT_EXPECT_EQ(test, rb_pages_per_cpu(rb), sizes[i].pages);
		KUNIT_EXPECT_EQ(test, rb_circular(rb), circular);
		for (cpu = 0; cpu < n; cpu++) {
			if (!cpu_possible(cpu)) {
				KUNIT_EXPECT_NULL(test, rb_page(rb, cpu, 0));
				continue;
			}
			for (slot = 0; slot < sizes[i].pages; slot++) {
				void *page = rb_page(rb, cpu, slot);

				KUNIT_EXPECT_NOT_NULL(test, page);
				KUNIT_EXPECT_EQ(test,
						offset_in_page(page), 0UL);
			}
			KUNIT_EXPECT_NULL(test, rb_page(rb, cpu, slot));
			rb_stats_cpu(rb, cpu, &st);
			KUNIT_EXPECT_EQ(test, st.written, 0ULL);
			KUNIT_EXPECT_EQ(test, st.frames, 0ULL);
			KUNIT_EXPECT_EQ(test, st.next, (u64)RB_DATA_START);
			KUNIT_EXPECT_EQ(test, st.bytes_used + st.bytes_free,
					(u64)sizes[i].pages * RB_PAGE_SIZE);
			KUNIT_EXPECT_FALSE(test, st.full);
			KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot,
							   &bad_off), 0);
		}
		KUNIT_EXPECT_NULL(test, rb_page(rb, n, 0));
		rb_reset(rb, !circular);
		KUNIT_EXPECT_EQ(test, rb_circular(rb), !circular);
		rb_destroy(rb);
	}
}

/* ------------------------------------------------- links after wraps */

static void rb_test_page_links(struct kunit *test)
{
	struct rb *rb = rbk_create(test, RB_MIN_PAGES, true);
	u32 n = rb_pages_per_cpu(rb), cpu, i, bad_slot, bad_off;
	u8 *regs = rbk_regs(test, 1500);
	struct rb_stats st;

	for_each_possible_cpu(cpu) {
		/* Frames of 100..1500 register bytes until three laps. */
		for (i = 0; i < 10000; i++) {
			KUNIT_ASSERT_EQ(test,
					rbk_write_reg(rb, cpu, i, i, regs,
						      100 + (i * 97) % 1401),
					0);
			rb_stats_cpu(rb, cpu, &st);
			if (st.wraps >= 3)
				break;
		}
		KUNIT_EXPECT_GE(test, st.wraps, 3ULL);
		KUNIT_EXPECT_GT(test, st.overwritten, 0ULL);

		for (i = 0; i < n; i++) {
			void *page = rb_page(rb, cpu, i);

			KUNIT_EXPECT_PTR_EQ(test, rb_page_next(page),
					    rb_page(rb, cpu, (i + 1) % n));
			KUNIT_EXPECT_PTR_EQ(test, rb_page_prev(page),
					    rb_page(rb, cpu, (i + n - 1) % n));
		}
		/* Round the ring both ways through the links alone. */
		{
			void *fwd = rb_page(rb, cpu, 0), *back = fwd;

			for (i = 1; i <= n; i++) {
				fwd = rb_page_next(fwd);
				back = rb_page_prev(back);
				KUNIT_EXPECT_PTR_EQ(test, fwd,
						    rb_page(rb, cpu, i % n));
				KUNIT_EXPECT_PTR_EQ(test, back,
						    rb_page(rb, cpu, (n - i) % n));
			}
		}
		KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
				0);
	}
}

/* ------------------------------------------------------ FID_MEM splits */

struct rbk_mem_case {
	const char *name;
	u32 len;
};

static const struct rbk_mem_case rbk_mem_cases[] = {
	{ "0", 0 },
	{ "1", 1 },
	{ "room", RBK_ROOM },
	{ "room+1", RBK_ROOM + 1 },
	{ "4096", 4096 },
	{ "room+max_seg", RBK_ROOM + RB_MEM_MAX_SEG },
	{ "room+max_seg+1", RBK_ROOM + RB_MEM_MAX_SEG + 1 },
	{ "65536", 65536 },
};

static void rbk_mem_case_desc(const struct rbk_mem_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s (%u bytes)", c->name,
		 c->len);
}

KUNIT_ARRAY_PARAM(rbk_mem, rbk_mem_cases, rbk_mem_case_desc);

/*
 * One frame collecting len bytes on a fresh ring: the first entry fills
 * the first page, each further one a page of its own, in consecutive
 * slots, with consecutive addresses and the source's bytes.
 */
static void rb_test_mem_split(struct kunit *test)
{
	const struct rbk_mem_case *c = test->param_value;
	struct rb *rb = rbk_create(test, 24, false);
	u32 cpu = rbk_cpu(), segs = 0, want_segs, bad_slot, bad_off;
	u8 *src = rbk_vzalloc(test, c->len + 1);
	u64 addr = (uintptr_t)src, next = addr, left = c->len;
	u64 stream = RBK_FRAME_HDR;
	struct rb_frame_ref ref;
	struct rb_frame_iter it;
	struct rb_entry_view v;
	struct rbk_frame f = {
		.tp = 7, .time = 1, .mem = true, .addr = addr,
		.mem_len = c->len,
	};
	struct rb_stats st;
	u8 *buf;
	int ret;

	rbk_fill(src, c->len, c->len);
	want_segs = 1;
	if (c->len > RBK_ROOM)
		want_segs += DIV_ROUND_UP(c->len - RBK_ROOM, RB_MEM_MAX_SEG);

	KUNIT_ASSERT_EQ(test, rbk_write(rb, cpu, &f), 0);
	KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
	KUNIT_ASSERT_EQ(test, rb_index_count(rb), 1ULL);
	KUNIT_ASSERT_EQ(test, rb_index_get(rb, 0, &ref), 0);
	KUNIT_EXPECT_EQ(test, ref.cpu, cpu);
	KUNIT_EXPECT_EQ(test, ref.tp, 7U);

	rb_frame_iter_init(&it, rb, &ref);
	while ((ret = rb_frame_iter_next(&it, &v)) > 0) {
		u64 want = min_t(u64, left, segs ? RB_MEM_MAX_SEG : RBK_ROOM);

		KUNIT_ASSERT_EQ(test, v.type, (u8)FID_MEM);
		KUNIT_ASSERT_EQ(test, (u64)v.len, want);
		KUNIT_EXPECT_EQ(test, v.addr, next);
		KUNIT_EXPECT_EQ(test, v.hole_len, 0U);
		KUNIT_EXPECT_EQ(test, memcmp(v.data, src + (next - addr), v.len),
				0);
		/* The frame starts in slot 0; segment i lies in slot i. */
		KUNIT_EXPECT_EQ(test, rbk_slot_of(rb, cpu, v.data), (int)segs);
		if (v.len)
			KUNIT_EXPECT_EQ(test,
					rbk_slot_of(rb, cpu,
						    (const u8 *)v.data + v.len - 1),
					(int)segs);
		next += v.len;
		left -= v.len;
		stream += RBK_M_HDR + v.len;
		segs++;
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, rb_frame_iter_valid(&it));
	KUNIT_EXPECT_EQ(test, left, 0ULL);
	KUNIT_EXPECT_EQ(test, segs, want_segs);
	if (c->len >= 65536)
		KUNIT_EXPECT_GT(test, segs, 2U);
	KUNIT_EXPECT_EQ(test, (u64)ref.stream_size, stream);
	KUNIT_EXPECT_EQ(test, rb_stream_size(rb), stream);

	/* The stream carries the same bytes, as 'M' blocks. */
	buf = rbk_vzalloc(test, stream);
	KUNIT_ASSERT_EQ(test, rbk_stream_all(test, rb, buf, stream, 1000),
			stream);
	KUNIT_EXPECT_EQ(test, rbk_check_m_blocks(test, buf, stream, 7, addr,
						 src, c->len),
			(u64)c->len);

	rb_stats_cpu(rb, cpu, &st);
	KUNIT_EXPECT_EQ(test, st.written, 1ULL);
	KUNIT_EXPECT_EQ(test, st.dropped_big, 0ULL);
	KUNIT_EXPECT_EQ(test, rb_pos_page(st.next), (u64)want_segs - 1);
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off), 0);
}

/* -------------------------------------------- holes from nofault copy */

/*
 * Memory ranges around one vmalloc'd page P, read by a callback that
 * uses copy_from_kernel_nofault(): what lies outside P faults (vmalloc's
 * guard page after it, the page before it) or is refused (a user
 * address), and must be recorded as a hole, zero-filled.
 */
struct rbk_hole_case {
	const char *name;
	long off;		/* start, from P */
	u32 len;
	bool user;		/* start at a user address instead */
	bool before;		/* reads the page before P */
};

static const struct rbk_hole_case rbk_hole_cases[] = {
	{ "tail into guard page", PAGE_SIZE - 100, 300 },
	{ "guard page only", PAGE_SIZE, 64 },
	{ "page then guard page, split", 0, PAGE_SIZE + 200 },
	{ "user address", 0, 64, true },
	{ "page before, then page", -100, 300, false, true },
};

static void rbk_hole_case_desc(const struct rbk_hole_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rbk_hole, rbk_hole_cases, rbk_hole_case_desc);

static void rb_test_mem_hole(struct kunit *test)
{
	const struct rbk_hole_case *c = test->param_value;
	struct rb *rb = rbk_create(test, 8, false);
	u8 *page = rbk_vzalloc(test, PAGE_SIZE);
	u64 lo = (uintptr_t)page, hi = lo + PAGE_SIZE;
	u64 addr = c->user ? 16 : lo + c->off, next = addr;
	u32 cpu = rbk_cpu(), slot, segs = 0, bad_slot, bad_off;
	u64 stream = RBK_FRAME_HDR, readable = 0;
	unsigned int faults = 0;
	struct rbk_frame f = {
		.tp = 9, .time = 1, .mem = true, .addr = addr,
		.mem_len = c->len, .copy = rbk_copy_nofault, .ctx = &faults,
	};
	struct rb_frame_ref ref;
	struct rb_frame_iter it;
	struct rb_entry_view v;
	u8 probe, *buf;
	int ret;

	if (c->before &&
	    !copy_from_kernel_nofault(&probe, page - 1, 1))
		kunit_skip(test, "the page before a vmalloc area is mapped");
	rbk_fill(page, PAGE_SIZE, 5);

	/* Dirty the ring's data, so a hole left unfilled would show. */
	for (slot = 0; slot < rb_pages_per_cpu(rb); slot++)
		memset((u8 *)rb_page(rb, cpu, slot) + RB_DATA_START, 0xaa,
		       RB_DATA_SIZE);
	rb_reset(rb, false);

	KUNIT_ASSERT_EQ(test, rbk_write(rb, cpu, &f), 0);
	KUNIT_EXPECT_GT(test, faults, 0U);
	KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
	KUNIT_ASSERT_EQ(test, rb_index_get(rb, 0, &ref), 0);

	rb_frame_iter_init(&it, rb, &ref);
	while ((ret = rb_frame_iter_next(&it, &v)) > 0) {
		/* The readable part of this segment: one run, maybe empty. */
		u64 r0 = clamp(next, lo, hi), r1 = clamp(next + v.len, lo, hi);
		u32 good = (u32)(r1 - r0);
		u32 hole_off = r0 > next || !good ? 0 : good;
		const u8 *d = v.data;
		u32 i;

		KUNIT_ASSERT_EQ(test, v.type, (u8)FID_MEM);
		KUNIT_EXPECT_EQ(test, v.addr, next);
		KUNIT_EXPECT_EQ(test, v.hole_len, v.len - good);
		if (v.hole_len)
			KUNIT_EXPECT_EQ(test, v.hole_off, hole_off);
		for (i = 0; i < v.len; i++) {
			bool in = next + i >= r0 && next + i < r1;
			u8 want = in ? page[next + i - lo] : 0;

			if (d[i] != want) {
				KUNIT_FAIL(test, "segment %u byte %u: %#x, want %#x",
					   segs, i, d[i], want);
				break;
			}
		}
		if (good)
			stream += RBK_M_HDR + good;
		readable += good;
		next += v.len;
		segs++;
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, next, addr + c->len);
	KUNIT_EXPECT_EQ(test, (u64)ref.stream_size, stream);
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off), 0);

	/* The stream leaves the hole out: 'M' blocks of readable bytes. */
	KUNIT_ASSERT_EQ(test, rb_stream_size(rb), stream);
	buf = rbk_vzalloc(test, stream);
	KUNIT_ASSERT_EQ(test, rbk_stream_all(test, rb, buf, stream, 4096),
			stream);
	KUNIT_EXPECT_EQ(test, rbk_check_m_blocks(test, buf, stream, 9, lo,
						 page, PAGE_SIZE),
			readable);
}

/* ---------------------------------------------------- stop when full */

static void rb_test_stop_when_full(struct kunit *test)
{
	struct rb *rb = rbk_create(test, RB_MIN_PAGES, false);
	u32 n = rb_pages_per_cpu(rb), cpu, i, ok, bad_slot, bad_off;
	u32 frame = RB_ENTRY_HDR + sizeof(struct rb_head) + RB_ENTRY_HDR + 1000;
	u8 *regs = rbk_regs(test, 1000), *buf;
	u64 total = 0, cap;
	struct rb_stats st;
	int err = 0, id;

	for_each_possible_cpu(cpu) {
		for (ok = 0; ok < 100; ok++) {
			err = rbk_write_reg(rb, cpu, ok, ok, regs, 1000);
			if (err)
				break;
		}
		KUNIT_EXPECT_EQ(test, err, -ENOSPC);
		KUNIT_EXPECT_GT(test, ok, 0U);
		for (i = 0; i < 5; i++)
			KUNIT_EXPECT_EQ(test,
					rbk_write_reg(rb, cpu, 0, 0, regs, 1000),
					-ENOSPC);
		rb_stats_cpu(rb, cpu, &st);
		KUNIT_EXPECT_EQ(test, st.written, (u64)ok);
		KUNIT_EXPECT_EQ(test, st.frames, (u64)ok);
		KUNIT_EXPECT_EQ(test, st.dropped_full, 6ULL);
		KUNIT_EXPECT_EQ(test, st.dropped_big, 0ULL);
		KUNIT_EXPECT_EQ(test, st.overwritten, 0ULL);
		KUNIT_EXPECT_TRUE(test, st.full);
		/* Full: the last page is in use, no room for one more. */
		KUNIT_EXPECT_EQ(test, rb_pos_page(st.next), (u64)n - 1);
		KUNIT_EXPECT_LT(test, st.bytes_free, (u64)frame);
		KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
				0);
		total += ok;
	}
	rb_stats_total(rb, &st);
	KUNIT_EXPECT_EQ(test, st.written, total);
	KUNIT_EXPECT_EQ(test, st.dropped_full, 6ULL * num_possible_cpus());

	/* The dropped frames left no trace: everything written is there. */
	KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
	KUNIT_EXPECT_EQ(test, rb_index_count(rb), total);

	/* A consumer that has read everything lets the writer go on. */
	id = rb_consumer_attach(rb);
	KUNIT_ASSERT_GE(test, id, 0);
	cap = rb_stream_size(rb) + 1;
	buf = rbk_vzalloc(test, cap);
	KUNIT_EXPECT_EQ(test, rbk_consume_all(test, rb, id, buf, cap, 4096),
			cap - 1);
	KUNIT_EXPECT_EQ(test, rb_consumer_frames(rb, id), total);
	for_each_possible_cpu(cpu) {
		for (i = 0; i < 100; i++) {
			err = rbk_write_reg(rb, cpu, i, 1000 + i, regs, 1000);
			if (err)
				break;
		}
		KUNIT_EXPECT_EQ(test, err, -ENOSPC);
		KUNIT_EXPECT_GT(test, i, 0U);
		rb_stats_cpu(rb, cpu, &st);
		KUNIT_EXPECT_GT(test, st.recycled, 0ULL);
		KUNIT_EXPECT_EQ(test, st.frames, st.written - st.recycled);
		KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
				0);
	}
	rb_consumer_detach(rb, id);
}

/* ------------------------------------------------- circular overwrite */

static void rb_test_circular_overwrite(struct kunit *test)
{
	struct rb *rb = rbk_create(test, RB_MIN_PAGES, true);
	u32 cpu, i, n = 100, bad_slot, bad_off;
	u8 *regs = rbk_regs(test, 500), *buf;
	u64 frames = 0, f1, f2, written = 0, cap, idx;
	struct rb_frame_ref ref;
	struct rb_stats st;
	int id;

	for_each_possible_cpu(cpu) {
		for (i = 0; i < n; i++)
			KUNIT_ASSERT_EQ(test, rbk_write_reg(rb, cpu, i, i, regs,
							    500), 0);
		rb_stats_cpu(rb, cpu, &st);
		KUNIT_EXPECT_EQ(test, st.written, (u64)n);
		KUNIT_EXPECT_GT(test, st.overwritten, 0ULL);
		KUNIT_EXPECT_GT(test, st.pages_overwritten, 0ULL);
		KUNIT_EXPECT_GE(test, st.wraps, 1ULL);
		KUNIT_EXPECT_EQ(test, st.frames, st.written - st.overwritten);
		KUNIT_EXPECT_EQ(test, st.dropped_full, 0ULL);
		KUNIT_EXPECT_EQ(test, st.dropped_big, 0ULL);
		KUNIT_EXPECT_FALSE(test, st.full);
		KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
				0);
		frames += st.frames;
		written += n;
	}

	/*
	 * The index holds exactly the frames left, each CPU's from the
	 * first one not overwritten (sequence numbers start at 0).
	 */
	KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
	KUNIT_EXPECT_EQ(test, rb_index_count(rb), frames);
	for_each_possible_cpu(cpu) {
		u64 want;

		rb_stats_cpu(rb, cpu, &st);
		want = st.overwritten;
		for (idx = 0; !rb_index_get(rb, idx, &ref); idx++) {
			if (ref.cpu != cpu)
				continue;
			KUNIT_EXPECT_EQ(test, ref.seq, want);
			want++;
		}
		KUNIT_EXPECT_EQ(test, want, (u64)n);
	}

	/* A consumer reads what is left, and counts what it then misses. */
	id = rb_consumer_attach(rb);
	KUNIT_ASSERT_GE(test, id, 0);
	cap = 2 * (u64)nr_cpu_ids * RB_MIN_PAGES * RB_PAGE_SIZE;
	buf = rbk_vzalloc(test, cap);
	KUNIT_EXPECT_EQ(test, rbk_consume_all(test, rb, id, buf, cap, 4096),
			rb_stream_size(rb));
	f1 = rb_consumer_frames(rb, id);
	KUNIT_EXPECT_EQ(test, f1, frames);
	KUNIT_EXPECT_EQ(test, rb_consumer_overrun(rb, id), 0ULL);

	for_each_possible_cpu(cpu)
		for (i = 0; i < n; i++)
			KUNIT_ASSERT_EQ(test, rbk_write_reg(rb, cpu, n + i, n + i,
							    regs, 500), 0);
	rb_stats_total(rb, &st);
	f2 = st.frames;
	rbk_consume_all(test, rb, id, buf, cap, 4096);
	KUNIT_EXPECT_EQ(test, rb_consumer_frames(rb, id), f1 + f2);
	/* Frames written after the first read and gone before the second. */
	KUNIT_EXPECT_EQ(test, rb_consumer_overrun(rb, id),
			st.written - written - f2);
	rb_consumer_detach(rb, id);
}

/* ------------------------------------------------- too big for the ring */

static void rb_test_too_big(struct kunit *test)
{
	u32 cpu = rbk_cpu(), i, bad_slot, bad_off;
	u8 *src = rbk_vzalloc(test, 4 * RB_PAGE_SIZE);
	u8 *regs = rbk_regs(test, 200);
	struct rbk_frame f = {
		.tp = 1, .time = 100, .mem = true, .addr = (uintptr_t)src,
		.mem_len = 4 * RB_PAGE_SIZE,
	};
	u8 buf[RBK_FRAME_HDR + 1 + 200];
	struct rb_frame_ref ref;
	struct rb_stats st;
	int circular;

	/*
	 * Refused in either mode; in circular mode the ring has wrapped
	 * first, and the refused frame overwrites pages before it fails.
	 */
	for (circular = 0; circular < 2; circular++) {
		struct rb *rb = rbk_create(test, RB_MIN_PAGES, circular);
		u32 count = circular ? 60 : 5;

		for (i = 0; i < count; i++)
			KUNIT_ASSERT_EQ(test, rbk_write_reg(rb, cpu, i, i, regs,
							    200), 0);
		KUNIT_EXPECT_EQ(test, rbk_write(rb, cpu, &f), -E2BIG);
		KUNIT_EXPECT_EQ(test, rbk_write_reg(rb, cpu, count, 1000, regs,
						    200), 0);
		rb_stats_cpu(rb, cpu, &st);
		KUNIT_EXPECT_EQ(test, st.dropped_big, 1ULL);
		KUNIT_EXPECT_EQ(test, st.written, (u64)count + 1);
		if (circular)
			KUNIT_EXPECT_GT(test, st.overwritten, 0ULL);
		KUNIT_EXPECT_EQ(test, st.frames, st.written - st.overwritten);
		KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
				0);
		KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
		KUNIT_EXPECT_EQ(test, rb_index_count(rb), st.frames);
		/* The frame after the refused one is the newest, whole. */
		KUNIT_ASSERT_EQ(test, rb_index_get(rb, rb_index_count(rb) - 1,
						   &ref), 0);
		KUNIT_EXPECT_EQ(test, ref.tp, count);
		KUNIT_EXPECT_EQ(test, rb_frame_encode(rb, &ref, 0, buf,
						      ref.stream_size),
				(s64)ref.stream_size);
	}
}

/* ------------------------------------------------------- nested begin */

static void rb_test_nested(struct kunit *test)
{
	struct rb *rb = rbk_create(test, RB_MIN_PAGES, false);
	u32 cpu = rbk_cpu(), other = rbk_other_cpu();
	int e1, e2, e3 = 0, e3c = 0, e1v, e1c, e4, e4c = 0;
	struct rb_writer w1, w2, w3;
	struct rb_frame_ref ref;
	struct rb_frame_iter it;
	struct rb_entry_view v;
	struct rb_stats st;

	preempt_disable();
	e1 = rb_frame_begin(rb, &w1, cpu, 1, 10);
	/* An interrupting writer on the same ring... */
	e2 = rb_frame_begin(rb, &w2, cpu, 2, 11);
	/* ...while another ring takes frames as usual. */
	if (other < nr_cpu_ids) {
		e3 = rb_frame_begin(rb, &w3, other, 3, 12);
		if (!e3)
			e3c = rb_frame_commit(&w3);
	}
	e1v = e1 ? e1 : rb_frame_var(&w1, 7, -5);
	e1c = e1 ? e1 : rb_frame_commit(&w1);
	e4 = rb_frame_begin(rb, &w2, cpu, 4, 13);
	if (!e4)
		e4c = rb_frame_commit(&w2);
	preempt_enable();

	KUNIT_EXPECT_EQ(test, e1, 0);
	KUNIT_EXPECT_EQ(test, e2, -EBUSY);
	KUNIT_EXPECT_EQ(test, e3, 0);
	KUNIT_EXPECT_EQ(test, e3c, 0);
	KUNIT_EXPECT_EQ(test, e1v, 0);
	KUNIT_EXPECT_EQ(test, e1c, 0);
	KUNIT_EXPECT_EQ(test, e4, 0);
	KUNIT_EXPECT_EQ(test, e4c, 0);

	rb_stats_cpu(rb, cpu, &st);
	KUNIT_EXPECT_EQ(test, st.written, 2ULL);
	KUNIT_EXPECT_EQ(test, st.dropped_nested, 1ULL);
	KUNIT_EXPECT_EQ(test, st.dropped_full, 0ULL);
	if (other < nr_cpu_ids) {
		rb_stats_cpu(rb, other, &st);
		KUNIT_EXPECT_EQ(test, st.written, 1ULL);
		KUNIT_EXPECT_EQ(test, st.dropped_nested, 0ULL);
	}

	/* The interrupted frame is whole. */
	KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
	KUNIT_ASSERT_EQ(test, rb_index_get(rb, 0, &ref), 0);
	KUNIT_EXPECT_EQ(test, ref.tp, 1U);
	KUNIT_EXPECT_EQ(test, ref.cpu, cpu);
	rb_frame_iter_init(&it, rb, &ref);
	KUNIT_ASSERT_EQ(test, rb_frame_iter_next(&it, &v), 1);
	KUNIT_EXPECT_EQ(test, v.type, (u8)FID_VAR);
	KUNIT_EXPECT_EQ(test, v.num, 7U);
	KUNIT_EXPECT_EQ(test, v.value, -5LL);
	KUNIT_EXPECT_EQ(test, rb_frame_iter_next(&it, &v), 0);
	KUNIT_EXPECT_EQ(test, rb_index_count(rb),
			other < nr_cpu_ids ? 3ULL : 2ULL);
}

/* ------------------------------------------- index order across CPUs */

static void rb_test_index_order(struct kunit *test)
{
	struct rb *rb = rbk_create(test, 8, false);
	u32 ncpu = num_possible_cpus(), rounds = 20, k, r, cpu, tp;
	u32 total = rounds * ncpu + ncpu;
	u64 *times = kunit_kcalloc(test, total, sizeof(*times), GFP_KERNEL);
	u32 *cpus = kunit_kcalloc(test, total, sizeof(*cpus), GFP_KERNEL);
	bool *seen = kunit_kcalloc(test, total, sizeof(*seen), GFP_KERNEL);
	u8 *regs = rbk_regs(test, 16);
	struct rb_frame_ref prev = {}, ref;
	struct rbk_frame f = { .regs = regs, .reg_len = 16, .var = true };
	u64 i, stream = 0;

	KUNIT_ASSERT_NOT_NULL(test, times);
	KUNIT_ASSERT_NOT_NULL(test, cpus);
	KUNIT_ASSERT_NOT_NULL(test, seen);

	/*
	 * Round r: every CPU writes one frame, later CPUs with earlier
	 * times, so the CPUs interleave; in round 5 all times are equal
	 * and the CPU number decides.
	 */
	for (r = 0, tp = 0; r < rounds; r++) {
		k = 0;
		for_each_possible_cpu(cpu) {
			u64 slotno = (u64)r * ncpu + (r == 5 ? 0 : ncpu - 1 - k);

			times[tp] = 100 + 10 * slotno;
			cpus[tp] = cpu;
			f.tp = tp;
			f.time = times[tp];
			f.var_num = tp;
			f.var_value = (s64)times[tp];
			KUNIT_ASSERT_EQ(test, rbk_write(rb, cpu, &f), 0);
			tp++;
			k++;
		}
	}
	KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
	KUNIT_EXPECT_EQ(test, rb_index_count(rb), (u64)rounds * ncpu);

	/* Late frames, stamped before most of what is indexed. */
	k = 0;
	for_each_possible_cpu(cpu) {
		times[tp] = 100 + 10 * (3ULL * ncpu + k) + 5;
		cpus[tp] = cpu;
		f.tp = tp;
		f.time = times[tp];
		f.var_num = tp;
		f.var_value = (s64)times[tp];
		KUNIT_ASSERT_EQ(test, rbk_write(rb, cpu, &f), 0);
		tp++;
		k++;
	}
	KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
	KUNIT_ASSERT_EQ(test, rb_index_count(rb), (u64)total);

	for (i = 0; i < total; i++) {
		struct rb_frame_iter it;
		struct rb_entry_view v;

		KUNIT_ASSERT_EQ(test, rb_index_get(rb, i, &ref), 0);
		KUNIT_ASSERT_LT(test, ref.tp, total);
		KUNIT_EXPECT_FALSE(test, seen[ref.tp]);
		seen[ref.tp] = true;
		KUNIT_EXPECT_EQ(test, ref.time, times[ref.tp]);
		KUNIT_EXPECT_EQ(test, ref.cpu, cpus[ref.tp]);
		if (i) {
			bool ordered = prev.time < ref.time ||
				       (prev.time == ref.time &&
					(prev.cpu < ref.cpu ||
					 (prev.cpu == ref.cpu &&
					  prev.seq < ref.seq)));

			KUNIT_EXPECT_TRUE_MSG(test, ordered,
					      "frame %llu (tp %u) out of order",
					      i, ref.tp);
		}
		/* The frame itself: its register block and its variable. */
		rb_frame_iter_init(&it, rb, &ref);
		KUNIT_EXPECT_EQ(test, rb_frame_iter_next(&it, &v), 1);
		KUNIT_EXPECT_EQ(test, v.type, (u8)FID_REG);
		KUNIT_EXPECT_EQ(test, v.len, 16U);
		KUNIT_EXPECT_EQ(test, rb_frame_iter_next(&it, &v), 1);
		KUNIT_EXPECT_EQ(test, v.type, (u8)FID_VAR);
		KUNIT_EXPECT_EQ(test, v.num, ref.tp);
		KUNIT_EXPECT_EQ(test, v.value, (s64)ref.time);
		KUNIT_EXPECT_EQ(test, rb_frame_iter_next(&it, &v), 0);
		stream += ref.stream_size;
		prev = ref;
	}
	KUNIT_EXPECT_EQ(test, rb_index_get(rb, total, &ref), -ENOENT);
	KUNIT_EXPECT_EQ(test, rb_stream_size(rb), stream);
}

/* ----------------------------------- stream read equals consumer read */

static void rb_test_stream_equals_consumer(struct kunit *test)
{
	u8 *regs = rbk_regs(test, 700), *src, *guarded, *a, *b, *c;
	u32 i, cpu, ncpu = num_possible_cpus(), per_cpu;
	u64 size, cap, frames, time;
	int circular, id;

	src = rbk_vzalloc(test, 6000);
	rbk_fill(src, 6000, 11);
	guarded = rbk_vzalloc(test, PAGE_SIZE);
	rbk_fill(guarded, PAGE_SIZE, 13);

	for (circular = 0; circular < 2; circular++) {
		/* Circular: a small ring, written over several times. */
		u32 pages = circular ? 6 : 48;
		struct rb *rb = rbk_create(test, pages, circular);

		per_cpu = circular ? 40 : 12;
		for (i = 0, time = 1000; i < per_cpu; i++) {
			u32 k = 0;

			for_each_possible_cpu(cpu) {
				struct rbk_frame f = {
					.tp = i * ncpu + k,
					/* Every third round, one time for all. */
					.time = i % 3 ? time++ : time,
					.regs = regs,
					.reg_len = 8 + (i * 56 + k * 8) % 690,
					.var = i & 1,
					.var_num = i,
					.var_value = -(s64)i,
				};

				switch ((i + k) % 4) {
				case 1:
					f.mem = true;
					f.addr = (uintptr_t)src + i;
					f.mem_len = 3;
					break;
				case 2:
					f.mem = true;
					f.addr = (uintptr_t)src + k % 1000;
					f.mem_len = 5000;
					break;
				case 3:
					/* Runs into the guard page: a hole. */
					f.mem = true;
					f.addr = (uintptr_t)guarded +
						 PAGE_SIZE - 40;
					f.mem_len = 100;
					f.copy = rbk_copy_nofault;
					break;
				}
				KUNIT_ASSERT_EQ(test, rbk_write(rb, cpu, &f), 0);
				k++;
			}
			if (!(i % 3))
				time++;
		}

		KUNIT_ASSERT_EQ(test, rb_index_refresh(rb), 0);
		frames = rb_index_count(rb);
		size = rb_stream_size(rb);
		KUNIT_ASSERT_GT(test, frames, 0ULL);
		cap = size + 4096;
		a = rbk_vzalloc(test, cap);
		b = rbk_vzalloc(test, cap);
		c = rbk_vzalloc(test, cap);

		/* Odd-sized pieces, then one read of it all. */
		KUNIT_EXPECT_EQ(test, rbk_stream_all(test, rb, a, cap, 333), size);
		KUNIT_EXPECT_EQ(test, rb_stream_read(rb, 0, b, cap), (s64)size);
		KUNIT_EXPECT_EQ(test, rb_stream_read(rb, size, b, cap), 0LL);
		KUNIT_EXPECT_EQ(test, rbk_stream_frames(test, a, size), frames);

		id = rb_consumer_attach(rb);
		KUNIT_ASSERT_GE(test, id, 0);
		KUNIT_EXPECT_EQ(test, rbk_consume_all(test, rb, id, c, cap, 777),
				size);
		KUNIT_EXPECT_EQ(test, rb_consumer_frames(rb, id), frames);
		KUNIT_EXPECT_EQ(test, rb_consumer_overrun(rb, id), 0ULL);
		KUNIT_EXPECT_EQ(test, rb_consumer_read(rb, id, c, cap), 0LL);
		rb_consumer_detach(rb, id);

		KUNIT_EXPECT_EQ(test, memcmp(a, b, size), 0);
		KUNIT_EXPECT_EQ(test, memcmp(a, c, size), 0);
		if (circular) {
			struct rb_stats st;

			rb_stats_total(rb, &st);
			KUNIT_EXPECT_GT(test, st.overwritten, 0ULL);
		}
	}
}

/* -------------------------------------------------- raw ring checking */

static void rb_test_check_cpu(struct kunit *test)
{
	struct rb *rb = rbk_create(test, 4, false);
	u32 cpu = rbk_cpu(), i, bad_slot = ~0U, bad_off = ~0U;
	/* Frame 1's head follows frame 0: a head and a 1000-byte block. */
	u32 head1 = RB_DATA_START + 2 * RB_ENTRY_HDR + sizeof(struct rb_head) +
		    rb_align(1000);
	u8 *regs = rbk_regs(test, 1000);
	struct rb_head *h;
	struct rb_entry *e;
	void *p0, *p1, *saved;
	u16 check;
	u64 seq;

	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, rbk_write_reg(rb, cpu, i, i, regs, 1000),
				0);
	p0 = rb_page(rb, cpu, 0);
	p1 = rb_page(rb, cpu, 1);
	KUNIT_ASSERT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, rb_check_page(rb_page(rb, cpu, i), i,
						    &bad_off), 0);
	/* The right page, but not the sequence number the caller expects. */
	KUNIT_EXPECT_EQ(test, rb_check_page(p1, 2, &bad_off), -EBADMSG);
	KUNIT_EXPECT_EQ(test, bad_off, (u32)RB_LINK_SIZE);

	/* A damaged entry header. */
	e = (struct rb_entry *)((u8 *)p1 + RB_DATA_START);
	check = e->check;
	e->check ^= 0xffff;
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad_slot, 1U);
	KUNIT_EXPECT_EQ(test, bad_off, (u32)RB_DATA_START);
	KUNIT_EXPECT_EQ(test, rb_check_page(p1, 1, &bad_off), -EBADMSG);
	e->check = check;
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off), 0);

	/* A frame sequence number out of line. */
	e = (struct rb_entry *)((u8 *)p0 + head1);
	KUNIT_ASSERT_EQ(test, e->type, (u8)FID_HEAD);
	h = (struct rb_head *)(e + 1);
	seq = h->seq;
	KUNIT_EXPECT_EQ(test, seq, 1ULL);
	h->seq = 5;
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad_slot, 0U);
	KUNIT_EXPECT_EQ(test, bad_off, head1);
	h->seq = seq;
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off), 0);

	/* Broken links, one way and the other. */
	saved = *(void **)((u8 *)p0 + RB_PAGE_SIZE - RB_LINK_SIZE);
	*(void **)((u8 *)p0 + RB_PAGE_SIZE - RB_LINK_SIZE) = p0;
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad_slot, 0U);
	KUNIT_EXPECT_EQ(test, bad_off, (u32)(RB_PAGE_SIZE - RB_LINK_SIZE));
	*(void **)((u8 *)p0 + RB_PAGE_SIZE - RB_LINK_SIZE) = saved;

	saved = *(void **)p1;
	*(void **)p1 = p1;
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad_slot, 1U);
	KUNIT_EXPECT_EQ(test, bad_off, 0U);
	*(void **)p1 = saved;
	KUNIT_EXPECT_EQ(test, rb_check_cpu(rb, cpu, &bad_slot, &bad_off), 0);
}

static struct kunit_case rb_test_cases[] = {
	KUNIT_CASE(rb_test_create),
	KUNIT_CASE(rb_test_page_links),
	KUNIT_CASE_PARAM(rb_test_mem_split, rbk_mem_gen_params),
	KUNIT_CASE_PARAM(rb_test_mem_hole, rbk_hole_gen_params),
	KUNIT_CASE(rb_test_stop_when_full),
	KUNIT_CASE(rb_test_circular_overwrite),
	KUNIT_CASE(rb_test_too_big),
	KUNIT_CASE(rb_test_nested),
	KUNIT_CASE(rb_test_index_order),
	KUNIT_CASE(rb_test_stream_equals_consumer),
	KUNIT_CASE(rb_test_check_cpu),
	{}
};

static struct kunit_suite rb_test_suite = {
	.name = "gtp_rb",
	.test_cases = rb_test_cases,
};

kunit_test_suite(rb_test_suite);

MODULE_DESCRIPTION("KUnit suite of the gtp ring buffer (rb/)");
MODULE_LICENSE("GPL");
