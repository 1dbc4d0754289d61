/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform header of the portable core (rb/, proto/), kernel side.
 *
 * The core includes "gtp_port.h" and finds this file through the Kbuild
 * include path; the host build finds rb/port/host/gtp_port.h instead.  Both
 * give the same names: fixed-size integers (u8..u64, s8..s64), size_t,
 * bool, memcpy/memset/memcmp/strlen, ARRAY_SIZE, min_t, likely/unlikely
 * and the errno constants.
 */
#ifndef GTP_PORT_H
#define GTP_PORT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/topology.h>
#include <linux/types.h>
#include <asm/barrier.h>
#include <asm/local64.h>

/*
 * rb/ additions.  Memory ordering uses the kernel's own primitives
 * (READ_ONCE, WRITE_ONCE, smp_rmb, smp_wmb, smp_load_acquire,
 * smp_store_release, barrier), which the host header mirrors.
 */
#define RB_PAGE_SIZE	PAGE_SIZE

/* A counter a writer and an interrupting writer on one CPU both bump. */
#define rb_local_t		local64_t
#define rb_local_inc(l)		local64_inc(l)
#define rb_local_read(l)	((u64)local64_read(l))
#define rb_local_set(l, v)	local64_set((l), (v))

static inline void *rb_port_page_alloc(u32 cpu)
{
	struct page *page;

	page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
	return page ? page_address(page) : NULL;
}

static inline void rb_port_page_free(void *addr)
{
	free_page((unsigned long)addr);
}

/* Reader-side memory: process context, may sleep, may be large. */
static inline void *rb_port_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void rb_port_free(void *addr)
{
	kvfree(addr);
}

static inline bool rb_port_cpu_possible(u32 cpu)
{
	return cpu < nr_cpu_ids && cpu_possible(cpu);
}

static inline void rb_port_sort(void *base, size_t n, size_t size,
				int (*cmp)(const void *, const void *))
{
	sort(base, n, size, cmp, NULL);
}

#endif /* GTP_PORT_H */
