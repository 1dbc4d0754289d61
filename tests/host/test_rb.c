// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ring buffer (rb/): creation and allocation failure,
 * page links, FID_MEM splitting and holes, stop-when-full and circular
 * accounting, nested writers, the time-ordered index, consumers, raw-dump
 * validation, the tfile frame stream and the status figures.
 *
 * Memory collected by the frames comes from a fake address space: the
 * byte at address a is pat(a), and a test may mark whole
 * RB_FAULT_GRANULE-sized granules unreadable (see fake_copy()).  Streams
 * are checked with an independent parser of the tfile frame section.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "gtp_port.h"
#include "rb/rb.h"

#define PG		RB_PAGE_SIZE
#define HEAD_SIZE	(RB_ENTRY_HDR + sizeof(struct rb_head))

/* A "small" frame: a head and 40 register bytes, 88 ring bytes. */
#define SMALL_REG	40
#define SMALL_SIZE	(HEAD_SIZE + RB_ENTRY_HDR + SMALL_REG)
#define SMALL_PER_PAGE	(RB_DATA_SIZE / SMALL_SIZE)
#define SMALL_STREAM	(2 + 4 + 1 + SMALL_REG)

_Static_assert(SMALL_PER_PAGE * SMALL_SIZE == RB_DATA_SIZE,
	       "small frames must fill a page exactly");

/* Ring positions, as rb/ counts them. */
static u64 rpos(u64 page, u32 off)
{
	return page * PG + off;
}

#define FAKE_BASE	0x10000000ULL
#define MAX_ITEMS	12

/* ---- fixture: everything a test allocates is freed in teardown ---- */

struct fix {
	struct rb *rb[4];
	void *mem[32];
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	unsigned int i;

	rb_host_fail_alloc_after = -1;
	for (i = 0; i < ARRAY_SIZE(f->rb); i++)
		rb_destroy(f->rb[i]);
	for (i = 0; i < ARRAY_SIZE(f->mem); i++)
		free(f->mem[i]);
	free(f);
	return 0;
}

static void *talloc(struct fix *f, size_t size)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->mem); i++) {
		if (!f->mem[i]) {
			f->mem[i] = calloc(1, size ? size : 1);
			assert_non_null(f->mem[i]);
			return f->mem[i];
		}
	}
	fail_msg("fixture: too many buffers");
	return NULL;
}

/* A ring of exactly @pages pages per CPU. */
static struct rb *mk(struct fix *f, u32 cpus, u32 pages, bool circular)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->rb); i++) {
		if (!f->rb[i]) {
			assert_int_equal(rb_create(&f->rb[i], cpus,
						   (u64)cpus * pages * PG,
						   circular), 0);
			assert_non_null(f->rb[i]);
			assert_int_equal(rb_pages_per_cpu(f->rb[i]), pages);
			assert_int_equal(rb_nr_cpus(f->rb[i]), cpus);
			assert_int_equal(rb_circular(f->rb[i]), circular);
			return f->rb[i];
		}
	}
	fail_msg("fixture: too many rings");
	return NULL;
}

/* Destroy a ring made by mk() before the end of the test. */
static void unmk(struct fix *f, struct rb *rb)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->rb); i++) {
		if (f->rb[i] == rb) {
			rb_destroy(rb);
			f->rb[i] = NULL;
		}
	}
}

static void check_cpus(const struct rb *rb)
{
	u32 cpu, slot = ~0u, off = ~0u;

	for (cpu = 0; cpu < rb_nr_cpus(rb); cpu++) {
		int err = rb_check_cpu(rb, cpu, &slot, &off);

		if (err)
			fail_msg("rb_check_cpu(cpu %u) = %d at slot %u off %u",
				 cpu, err, slot, off);
	}
}

/* ---- the fake source memory ---- */

/* For reads whose bytes do not matter. */
static u8 scratch[SMALL_STREAM * 100];

static u8 pat(u64 a)
{
	return (u8)((a * 0x9E3779B97F4A7C15ULL) >> 56);
}

struct fake_src {
	u64 refused[8];		/* granule numbers, addr / RB_FAULT_GRANULE */
	int nr;
	bool flaky;		/* also stop short at random points */
	u32 rnd;
	int calls;
};

static bool refused(const struct fake_src *s, u64 addr)
{
	int i;

	if (!s)
		return false;
	for (i = 0; i < s->nr; i++)
		if (s->refused[i] == addr / RB_FAULT_GRANULE)
			return true;
	return false;
}

/* Copies up to the first unreadable byte, like a nofault copy. */
static size_t fake_copy(void *dst, u64 src, size_t len, void *ctx)
{
	struct fake_src *s = ctx;
	size_t i, stop = len;
	u8 *d = dst;

	if (s) {
		s->calls++;
		if (s->flaky) {
			s->rnd = s->rnd * 1103515245u + 12345u;
			if ((s->rnd >> 16) % 3 == 0 && len)
				stop = (s->rnd >> 8) % len;
		}
	}
	for (i = 0; i < stop; i++) {
		if (refused(s, src + i))
			break;
		d[i] = pat(src + i);
	}
	return i;
}

/* ---- frames described by the tests ---- */

struct item {
	u8 type;		/* FID_REG, FID_MEM or FID_VAR */
	u32 len;		/* REG, MEM */
	u64 addr;		/* MEM */
	u32 seed;		/* REG: byte pattern */
	u32 num;		/* VAR */
	s64 value;		/* VAR */
};

struct tframe {
	u32 cpu;
	u32 tp;
	u64 time;
	int n;
	struct item it[MAX_ITEMS];
	struct fake_src *src;
};

static u8 reg_byte(u32 seed, u32 i)
{
	return (u8)(seed * 131u + i * 7u + (i >> 8) + 1);
}

static void add_reg(struct tframe *f, u32 len, u32 seed)
{
	assert_true(f->n < MAX_ITEMS);
	f->it[f->n++] = (struct item){ .type = FID_REG, .len = len,
				       .seed = seed };
}

static void add_mem(struct tframe *f, u64 addr, u32 len)
{
	assert_true(f->n < MAX_ITEMS);
	f->it[f->n++] = (struct item){ .type = FID_MEM, .len = len,
				       .addr = addr };
}

static void add_var(struct tframe *f, u32 num, s64 value)
{
	assert_true(f->n < MAX_ITEMS);
	f->it[f->n++] = (struct item){ .type = FID_VAR, .num = num,
				       .value = value };
}

/*
 * Write @f; every step must agree with the error rb_frame_commit()
 * reports.  Returns the first error, 0 when stored.
 */
static int put_frame(struct rb *rb, const struct tframe *f)
{
	static u8 regs[RB_PAGE_SIZE];
	struct rb_writer w;
	int k, err, first = 0;
	u32 i;

	err = rb_frame_begin(rb, &w, f->cpu, f->tp, f->time);
	if (err)
		return err;
	for (k = 0; k < f->n; k++) {
		const struct item *it = &f->it[k];

		switch (it->type) {
		case FID_REG:
			for (i = 0; i < it->len && i < sizeof(regs); i++)
				regs[i] = reg_byte(it->seed, i);
			err = rb_frame_reg(&w, regs, it->len);
			break;
		case FID_MEM:
			err = rb_frame_mem(&w, it->addr, it->len, fake_copy,
					   f->src);
			break;
		default:
			err = rb_frame_var(&w, it->num, it->value);
			break;
		}
		if (err && !first)
			first = err;
		if (first)
			assert_int_equal(err, first);
	}
	err = rb_frame_commit(&w);
	assert_int_equal(err, first);
	return err;
}

/* A small frame whose registers say which frame it is. */
static int put_small(struct rb *rb, u32 cpu, u32 tp, u64 time)
{
	struct rb_writer w;
	u8 regs[SMALL_REG];
	u32 i;
	int err;

	for (i = 0; i < 8; i++)
		regs[i] = (u8)(time >> (8 * i));
	for (; i < SMALL_REG; i++)
		regs[i] = (u8)(cpu * 17 + tp * 3 + i);
	err = rb_frame_begin(rb, &w, cpu, tp, time);
	if (err)
		return err;
	assert_int_equal(rb_frame_reg(&w, regs, sizeof(regs)), 0);
	return rb_frame_commit(&w);
}

static u64 le(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* The time of the small frame encoded at @p (see put_small()). */
static u64 small_time(const u8 *p)
{
	assert_int_equal(le(p + 2, 4), SMALL_STREAM - 6);
	assert_int_equal(p[6], 'R');
	return le(p + 7, 8);
}

/* ---- an independent parser of the tfile frame section ---- */

struct pblk {
	u8 type;		/* 'R', 'M' or 'V' */
	u64 addr;
	u32 len;
	const u8 *data;
	u32 num;
	s64 value;
};

struct pframe {
	u16 tp;
	u32 size;
	u32 nblk;
	struct pblk *blk;
};

static void free_parsed(struct pframe *pf, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		free(pf[i].blk);
	free(pf);
}

/* Parse @buf[0, len), register blocks being @regsize bytes. */
static struct pframe *parse_stream(const u8 *buf, u64 len, u32 regsize,
				   u32 *nr)
{
	struct pframe *pf = NULL;
	u32 n = 0, cap = 0, bcap;
	u64 off = 0, end;

	while (off < len) {
		struct pframe *f;

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			pf = realloc(pf, cap * sizeof(*pf));
			assert_non_null(pf);
		}
		f = &pf[n++];
		memset(f, 0, sizeof(*f));
		bcap = 0;
		assert_true(len - off >= 6);
		f->tp = (u16)le(buf + off, 2);
		f->size = (u32)le(buf + off + 2, 4);
		off += 6;
		assert_true(f->size <= len - off);
		end = off + f->size;
		while (off < end) {
			struct pblk *b;

			if (f->nblk == bcap) {
				bcap = bcap ? bcap * 2 : 16;
				f->blk = realloc(f->blk, bcap * sizeof(*b));
				assert_non_null(f->blk);
			}
			b = &f->blk[f->nblk++];
			memset(b, 0, sizeof(*b));
			b->type = buf[off++];
			switch (b->type) {
			case 'R':
				assert_true(end - off >= regsize);
				b->len = regsize;
				b->data = buf + off;
				off += regsize;
				break;
			case 'M':
				assert_true(end - off >= 10);
				b->addr = le(buf + off, 8);
				b->len = (u32)le(buf + off + 8, 2);
				off += 10;
				assert_true(end - off >= b->len);
				b->data = buf + off;
				off += b->len;
				break;
			case 'V':
				assert_true(end - off >= 12);
				b->num = (u32)le(buf + off, 4);
				b->value = (s64)le(buf + off + 4, 8);
				off += 12;
				break;
			default:
				fail_msg("bad block type %#x at %llu", b->type,
					 (unsigned long long)off - 1);
			}
		}
	}
	*nr = n;
	return pf;
}

/*
 * Check a parsed frame against what was written.  Exact: the 'M' blocks
 * of a FID_MEM collection cover exactly its readable bytes, in address
 * order.  Not exact (a copy that may stop short): they cover only
 * readable bytes, in order, with the right values.
 */
static void check_pframe(const struct pframe *pf, const struct tframe *tf,
			 bool exact)
{
	u32 b = 0, i;
	int k;

	assert_int_equal(pf->tp, (u16)tf->tp);
	for (k = 0; k < tf->n; k++) {
		const struct item *it = &tf->it[k];
		const struct pblk *p;
		u64 cur, end;

		switch (it->type) {
		case FID_REG:
			assert_true(b < pf->nblk);
			p = &pf->blk[b++];
			assert_int_equal(p->type, 'R');
			assert_int_equal(p->len, it->len);
			for (i = 0; i < it->len; i++)
				assert_int_equal(p->data[i],
						 reg_byte(it->seed, i));
			break;
		case FID_VAR:
			assert_true(b < pf->nblk);
			p = &pf->blk[b++];
			assert_int_equal(p->type, 'V');
			assert_int_equal(p->num, it->num);
			assert_true(p->value == it->value);
			break;
		case FID_MEM:
			if (!it->len) {
				assert_true(b < pf->nblk);
				p = &pf->blk[b++];
				assert_int_equal(p->type, 'M');
				assert_true(p->addr == it->addr);
				assert_int_equal(p->len, 0);
				break;
			}
			cur = it->addr;
			end = it->addr + it->len;
			for (;;) {
				while (exact && cur < end &&
				       refused(tf->src, cur))
					cur++;
				if (cur == end)
					break;
				if (!exact && (b == pf->nblk ||
					       pf->blk[b].type != 'M' ||
					       pf->blk[b].addr < cur ||
					       pf->blk[b].addr >= end))
					break;
				assert_true(b < pf->nblk);
				p = &pf->blk[b++];
				assert_int_equal(p->type, 'M');
				if (exact)
					assert_true(p->addr == cur);
				else
					assert_true(p->addr >= cur);
				assert_true(p->len > 0);
				assert_true(p->addr + p->len <= end);
				for (i = 0; i < p->len; i++) {
					assert_false(refused(tf->src,
							     p->addr + i));
					assert_int_equal(p->data[i],
							 pat(p->addr + i));
				}
				cur = p->addr + p->len;
			}
			break;
		}
	}
	assert_int_equal(b, pf->nblk);
}

/*
 * Refresh the index and check it and the whole stream against @exp, in
 * that order.
 */
static void check_stream(struct rb *rb, const struct tframe *exp, u32 n,
			 u32 regsize, bool exact)
{
	struct rb_frame_ref ref;
	struct pframe *pf;
	u64 size, sum = 0;
	u32 nr, i;
	s64 got;
	u8 *buf;

	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), n);
	size = rb_stream_size(rb);
	buf = malloc(size + 16);
	assert_non_null(buf);
	got = rb_stream_read(rb, 0, buf, size + 16);
	assert_int_equal(got, size);
	pf = parse_stream(buf, size, regsize, &nr);
	assert_int_equal(nr, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(rb_index_get(rb, i, &ref), 0);
		assert_int_equal(ref.cpu, exp[i].cpu);
		assert_int_equal(ref.tp, exp[i].tp);
		assert_true(ref.time == exp[i].time);
		assert_int_equal(ref.stream_size, 6 + pf[i].size);
		sum += ref.stream_size;
		check_pframe(&pf[i], &exp[i], exact);
	}
	assert_true(sum == size);
	assert_int_equal(rb_index_get(rb, n, &ref), -ENOENT);
	free_parsed(pf, nr);
	free(buf);
}

/* Every entry of frame @n of the index; returns how many. */
static int frame_entries(struct rb *rb, u64 n, struct rb_frame_ref *ref,
			 struct rb_entry_view *v, int max)
{
	struct rb_frame_iter it;
	int k = 0, ret;

	assert_int_equal(rb_index_get(rb, n, ref), 0);
	rb_frame_iter_init(&it, rb, ref);
	while ((ret = rb_frame_iter_next(&it, &v[k])) == 1) {
		k++;
		assert_true(k < max);
	}
	assert_int_equal(ret, 0);
	assert_true(rb_frame_iter_valid(&it));
	return k;
}

/* The ring slot of @cpu whose page holds @p. */
static u32 slot_of(const struct rb *rb, u32 cpu, const void *p)
{
	u32 s;

	for (s = 0; s < rb_pages_per_cpu(rb); s++) {
		const u8 *page = rb_page(rb, cpu, s);

		if ((const u8 *)p >= page && (const u8 *)p < page + PG)
			return s;
	}
	fail_msg("pointer %p is in no page of cpu %u", p, cpu);
	return 0;
}

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

static void check_links(const struct rb *rb)
{
	u32 n = rb_pages_per_cpu(rb), cpu, s;

	for (cpu = 0; cpu < rb_nr_cpus(rb); cpu++) {
		for (s = 0; s < n; s++) {
			u8 *page = rb_page(rb, cpu, s);
			void *prev = rb_page(rb, cpu, (s + n - 1) % n);
			void *next = rb_page(rb, cpu, (s + 1) % n);

			assert_ptr_equal(rb_page_prev(page), prev);
			assert_ptr_equal(rb_page_next(page), next);
			/* The raw bytes, as a dump parser reads them. */
			assert_memory_equal(page, &prev, sizeof(size_t));
			assert_memory_equal(page + PG - sizeof(size_t), &next,
					    sizeof(size_t));
		}
	}
}

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
