/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the ring buffer's unit tests (tests/host/test_rb.c,
 * test_rb_read.c): rings and buffers freed in teardown, a fake source
 * address space (the byte at address a is pat(a); a test may mark whole
 * RB_FAULT_GRANULE-sized granules unreadable, see fake_copy()), frames
 * described by the tests and written with put_frame(), and an
 * independent parser of the tfile frame section that checks streams.
 */
#ifndef GTP_TESTS_RB_FIXTURE_H
#define GTP_TESTS_RB_FIXTURE_H

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
static inline u64 rpos(u64 page, u32 off)
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

static inline int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

static inline int teardown(void **state)
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

static inline void *talloc(struct fix *f, size_t size)
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
static inline struct rb *mk(struct fix *f, u32 cpus, u32 pages, bool circular)
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
static inline void unmk(struct fix *f, struct rb *rb)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->rb); i++) {
		if (f->rb[i] == rb) {
			rb_destroy(rb);
			f->rb[i] = NULL;
		}
	}
}

/* Every page's prev/next links, as rb/ and a raw dump see them. */
static inline void check_links(const struct rb *rb)
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

static inline void check_cpus(const struct rb *rb)
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

static inline u8 pat(u64 a)
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

static inline bool refused(const struct fake_src *s, u64 addr)
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
static inline size_t fake_copy(void *dst, u64 src, size_t len, void *ctx)
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

static inline u8 reg_byte(u32 seed, u32 i)
{
	return (u8)(seed * 131u + i * 7u + (i >> 8) + 1);
}

static inline void add_reg(struct tframe *f, u32 len, u32 seed)
{
	assert_true(f->n < MAX_ITEMS);
	f->it[f->n++] = (struct item){ .type = FID_REG, .len = len,
				       .seed = seed };
}

static inline void add_mem(struct tframe *f, u64 addr, u32 len)
{
	assert_true(f->n < MAX_ITEMS);
	f->it[f->n++] = (struct item){ .type = FID_MEM, .len = len,
				       .addr = addr };
}

static inline void add_var(struct tframe *f, u32 num, s64 value)
{
	assert_true(f->n < MAX_ITEMS);
	f->it[f->n++] = (struct item){ .type = FID_VAR, .num = num,
				       .value = value };
}

/*
 * Write @f; every step must agree with the error rb_frame_commit()
 * reports.  Returns the first error, 0 when stored.
 */
static inline int put_frame(struct rb *rb, const struct tframe *f)
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
static inline int put_small(struct rb *rb, u32 cpu, u32 tp, u64 time)
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

static inline u64 le(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* The time of the small frame encoded at @p (see put_small()). */
static inline u64 small_time(const u8 *p)
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

static inline void free_parsed(struct pframe *pf, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		free(pf[i].blk);
	free(pf);
}

/* Parse @buf[0, len), register blocks being @regsize bytes. */
static inline struct pframe *parse_stream(const u8 *buf, u64 len, u32 regsize,
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
static inline void check_pframe(const struct pframe *pf, const struct tframe *tf,
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
static inline void check_stream(struct rb *rb, const struct tframe *exp, u32 n,
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
static inline int frame_entries(struct rb *rb, u64 n, struct rb_frame_ref *ref,
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
static inline u32 slot_of(const struct rb *rb, u32 cpu, const void *p)
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

#endif /* GTP_TESTS_RB_FIXTURE_H */
