/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform header of the portable core (rb/, proto/), host side.
 *
 * Gives the core the same names the kernel does (see
 * rb/port/kernel/gtp_port.h), from the C library, so that rb/ and proto/
 * build unchanged as a host library for unit tests and sanitizers.
 */
#ifndef GTP_PORT_H
#define GTP_PORT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
/* The hosts the tests run on are little-endian, as x86-64 is. */
typedef uint32_t __le32;
#define cpu_to_le32(x)	((__le32)(x))
#define le32_to_cpu(x)	((u32)(x))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define min_t(type, a, b) \
	({ type __a = (a); type __b = (b); __a < __b ? __a : __b; })
#define max_t(type, a, b) \
	({ type __a = (a); type __b = (b); __a > __b ? __a : __b; })

/*
 * rb/ additions, mirroring the kernel's names.  The host library is used
 * by one thread per ring (tests simulate nesting and other CPUs by calling
 * in a chosen order), so compiler barriers and atomic loads and stores are
 * what the ordering needs; the fences are kept so the code is the same.
 */
#define RB_PAGE_SIZE	4096UL

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
/* Compiler barrier: what orders a writer against a same-CPU interrupt. */
static inline void barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/* Orders loads before later loads: a reader's copy before its recheck. */
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
/* Orders stores before later stores: a page's sequence before its data. */
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
/* The kernel's cmpxchg(): returns the value found at @p. */
#define cmpxchg(p, o, n) ({						\
	__typeof__(*(p)) __old = (o);					\
	__atomic_compare_exchange_n((p), &__old, (n), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__old;								\
})
/* Pairs with smp_store_release: commit, consumed[]. */
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
/* Publishes everything stored before it: commit, consumed[]. */
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

struct rb_host_local {
	u64 v;
};

#define rb_local_t		struct rb_host_local
#define rb_local_inc(l)		((void)((l)->v++))
#define rb_local_read(l)	((l)->v)
#define rb_local_set(l, x)	((void)((l)->v = (x)))

/* Tests may make allocations fail: see rb_host_fail_alloc_after. */
extern long rb_host_fail_alloc_after;

static inline bool rb_host_alloc_allowed(void)
{
	if (rb_host_fail_alloc_after < 0)
		return true;
	if (rb_host_fail_alloc_after == 0)
		return false;
	rb_host_fail_alloc_after--;
	return true;
}

static inline void *rb_port_page_alloc(u32 cpu)
{
	void *p;

	if (!rb_host_alloc_allowed())
		return NULL;
	p = aligned_alloc(RB_PAGE_SIZE, RB_PAGE_SIZE);
	if (p)
		memset(p, 0, RB_PAGE_SIZE);
	return p;
}

static inline void rb_port_page_free(void *addr)
{
	free(addr);
}

static inline void *rb_port_zalloc(size_t size)
{
	if (!rb_host_alloc_allowed())
		return NULL;
	return calloc(1, size ? size : 1);
}

static inline void rb_port_free(void *addr)
{
	free(addr);
}

static inline bool rb_port_cpu_possible(u32 cpu)
{
	return true;
}

static inline void rb_port_sort(void *base, size_t n, size_t size,
				int (*cmp)(const void *, const void *))
{
	qsort(base, n, size, cmp);
}

/* The kernel's bounded string copy: always terminated, -E2BIG if cut. */
static inline long strscpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (!size)
		return -E2BIG;
	for (n = 0; n < size - 1 && src[n]; n++)
		dst[n] = src[n];
	dst[n] = 0;
	return src[n] ? -E2BIG : (long)n;
}

/* The kernel's atomic64_t, from the compiler's atomics. */
struct host_atomic64 {
	s64 counter;
};

#define atomic64_t			struct host_atomic64
#define atomic64_set(a, v)		__atomic_store_n(&(a)->counter, (v), \
							 __ATOMIC_RELAXED)
#define atomic64_read(a)		__atomic_load_n(&(a)->counter, \
							__ATOMIC_RELAXED)
#define atomic64_inc_return(a)		__atomic_add_fetch(&(a)->counter, 1, \
							   __ATOMIC_SEQ_CST)

#endif /* GTP_PORT_H */
