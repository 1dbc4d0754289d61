// SPDX-License-Identifier: GPL-2.0
/*
 * Host micro-benchmark of the ring buffer's writer (rb/write.c).
 *
 * A frame is what a tracepoint hit that collects one memory range stores:
 * rb_frame_begin() + rb_frame_mem() of SIZE bytes + rb_frame_commit(),
 * stamped with one clock read.  It is written back to back into a
 * one-CPU circular ring, once of a ring that fits in L2 and once of one
 * that does not, and set beside a baseline that stores the same bytes
 * (the entry headers the ring stores - FID_PAGE_BEGIN per page, FID_HEAD
 * per frame, FID_MEM per segment - and the collected bytes) with memcpy
 * into the same memory - the ring's own pages, walked in the same order -
 * laid out exactly as the ring lays them out, and nothing else: no ring
 * bookkeeping.  After each frame size the program checks that both wrote
 * the same number of bytes; at the end it lets the ring write a lap of
 * its own over what the baseline left and checks that it is intact.
 *
 * The ratio rb/baseline is the writer's overhead over the copy it cannot
 * avoid.  Documentation/performance.rst explains the figures.
 *
 *   bench_rb [-C cpu] [-c mono|tsc] [-r runs] [-t ms] [ring-size...]
 *
 * ring-size takes K, M or G (default: 256K 64M).  The program pins itself
 * to one CPU (default: the last one it may run on), warms each ring up
 * (two laps at least), then times rounds of four runs of -t ms each: rb
 * and baseline, with and without the clock read.  It prints the median
 * of each over -r rounds, and the median of the rounds' ratios.  -c tsc
 * stamps frames with rdtsc instead of clock_gettime(CLOCK_MONOTONIC).
 * Build it optimised and without sanitizers (tests/host/host.mk does).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_TSC	1
#else
#define HAVE_TSC	0
#endif

#include "rb/rb.h"

#ifndef BENCH_OPT
#define BENCH_OPT	"(unknown flags)"
#endif

#define noinline	__attribute__((noinline))

enum bench_clock { CLK_NONE, CLK_MONO, CLK_TSC };

static const u32 frame_sizes[] = {
	8, 64, 256, 1024, 4000, 16384, 65536, 1048576
};
#define MAX_FRAME	1048576
/* The frames of the ring's own lap over the baseline's pages. */
#define LAP_FRAME	16384
#define MAX_RUNS	31
#define CAL_FRAMES	1000
#define MIN_FRAMES	200
#define WARM_NS		5000000ULL	/* per frame size, after two laps */
#define NSEC		1000000000ULL

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC + (u64)ts.tv_nsec;
}

/* The frame's time stamp: one clock read, or none (the frame number). */
static __always_inline u64 stamp(int clk, u64 i)
{
	if (clk == CLK_MONO)
		return now_ns();
#if HAVE_TSC
	if (clk == CLK_TSC)
		return __rdtsc();
#endif
	return i;
}

/* ------------------------------------------------------------ the ring */

static __always_inline int rb_loop(struct rb *rb, const u8 *src, u32 size,
				   u64 n, int clk)
{
	struct rb_writer w;
	u64 i;

	for (i = 0; i < n; i++) {
		if (rb_frame_begin(rb, &w, 0, 1, stamp(clk, i)))
			return -1;
		rb_frame_mem(&w, (u64)(uintptr_t)src, size, rb_copy_direct,
			     NULL);
		if (rb_frame_commit(&w))
			return -1;
	}
	return 0;
}

static noinline int rb_run(struct rb *rb, const u8 *src, u32 size, u64 n,
			   int clk)
{
	switch (clk) {
	case CLK_MONO:
		return rb_loop(rb, src, size, n, CLK_MONO);
	case CLK_TSC:
		return rb_loop(rb, src, size, n, CLK_TSC);
	default:
		return rb_loop(rb, src, size, n, CLK_NONE);
	}
}

/* -------------------------------------------------------- the baseline */

/*
 * The bytes the ring stores, copied once into pages walked in slot order,
 * split where the ring splits them.  Headers are stored field by field
 * straight into the page (what a memcpy of a prepared header compiles to;
 * building them on the stack and copying them costs a store-forwarding
 * stall per header on x86, which a fair peer must not pay); only time,
 * sequence, length and address change.  The collected bytes go with the
 * same memcpy rb_copy_direct() uses.
 */
struct base {
	u8 **pages;
	u32 nr_pages;
	u32 slot;
	u8 *page;
	u64 page_seq;
	u32 off;
	u64 frame_seq;
	u64 commit;
};

static u64 base_pos(const struct base *b)
{
	return b->page_seq * RB_PAGE_SIZE + b->off;
}

static __always_inline void base_entry(u8 *p, u8 type, u32 len)
{
	struct rb_entry *e = (struct rb_entry *)p;

	e->check = 0;
	e->type = type;
	e->flags = 0;
	e->len = (u16)len;
	e->reserved = 0;
}

static __always_inline void base_next_page(struct base *b)
{
	struct rb_page_begin *pb;

	if (++b->slot == b->nr_pages)
		b->slot = 0;
	b->page = b->pages[b->slot];
	b->page_seq++;
	base_entry(b->page + RB_LINK_SIZE, FID_PAGE_BEGIN, sizeof(*pb));
	pb = (struct rb_page_begin *)(b->page + RB_LINK_SIZE + RB_ENTRY_HDR);
	pb->page_seq = b->page_seq;
	pb->cont_seq = RB_SEQ_NONE;
	pb->commit = RB_DATA_START;
	pb->cpu = 0;
	pb->nr_heads = 0;
	b->off = RB_DATA_START;
}

static __always_inline void base_frame(struct base *b, const u8 *src,
				       u32 len, u64 time)
{
	u64 addr = (u64)(uintptr_t)src;
	struct rb_head *h;

	if (b->off + RB_ENTRY_HDR + sizeof(*h) > RB_DATA_END)
		base_next_page(b);
	base_entry(b->page + b->off, FID_HEAD, sizeof(*h));
	h = (struct rb_head *)(b->page + b->off + RB_ENTRY_HDR);
	h->seq = b->frame_seq++;
	h->time = time;
	h->end = 0;
	h->tp = 1;
	h->stream_size = 0;
	b->off += RB_ENTRY_HDR + sizeof(*h);
	do {
		u32 room = RB_DATA_END - b->off;
		struct rb_mem *m;
		u32 seg;

		if (room < RB_MEM_HDR + RB_ALIGN) {
			base_next_page(b);
			room = RB_DATA_END - b->off;
		}
		seg = len < room - RB_MEM_HDR ? len : room - (u32)RB_MEM_HDR;
		base_entry(b->page + b->off, FID_MEM, sizeof(*m) + seg);
		m = (struct rb_mem *)(b->page + b->off + RB_ENTRY_HDR);
		m->addr = addr;
		m->hole_off = 0;
		m->hole_len = 0;
		m->reserved = 0;
		memcpy(m + 1, src, seg);
		b->off += RB_MEM_HDR + rb_align(seg);
		addr += seg;
		src += seg;
		len -= seg;
	} while (len);
	/* Publish, as any buffer must. */
	__atomic_store_n(&b->commit, base_pos(b), __ATOMIC_RELEASE);
}

static __always_inline void base_loop(struct base *b, const u8 *src,
				      u32 size, u64 n, int clk)
{
	u64 i;

	for (i = 0; i < n; i++)
		base_frame(b, src, size, stamp(clk, i));
}

static noinline void base_run(struct base *b, const u8 *src, u32 size, u64 n,
			      int clk)
{
	switch (clk) {
	case CLK_MONO:
		base_loop(b, src, size, n, CLK_MONO);
		break;
	case CLK_TSC:
		base_loop(b, src, size, n, CLK_TSC);
		break;
	default:
		base_loop(b, src, size, n, CLK_NONE);
		break;
	}
}

/*
 * The ring's own pages, in slot order, from where the ring starts: the
 * two write the same memory, so each finds in the caches what the other
 * left there, and together they need no more cache than the ring alone.
 * The baseline spares the pages' links.
 */
static int base_init(struct base *b, const struct rb *rb)
{
	u32 i;

	memset(b, 0, sizeof(*b));
	b->nr_pages = rb_pages_per_cpu(rb);
	b->pages = calloc(b->nr_pages, sizeof(*b->pages));
	if (!b->pages)
		return -ENOMEM;
	for (i = 0; i < b->nr_pages; i++)
		b->pages[i] = rb_page(rb, 0, i);
	b->page = b->pages[0];
	b->off = RB_DATA_START;
	return 0;
}

static void base_free(struct base *b)
{
	free(b->pages);
}

/* ------------------------------------------------------------ measuring */

struct opts {
	int cpu;
	int clk;
	int runs;
	u64 run_ns;
};

static u8 src_buf[MAX_FRAME] __attribute__((aligned(64)));

static void die(const char *what)
{
	fflush(stdout);
	fprintf(stderr, "bench_rb: %s\n", what);
	exit(1);
}

static double time_rb(struct rb *rb, u32 size, u64 n, int clk)
{
	u64 t0 = now_ns();

	if (rb_run(rb, src_buf, size, n, clk))
		die("the ring refused a frame");
	return (double)(now_ns() - t0) / (double)n;
}

static double time_base(struct base *b, u32 size, u64 n, int clk)
{
	u64 t0 = now_ns();

	base_run(b, src_buf, size, n, clk);
	return (double)(now_ns() - t0) / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static u64 ring_next(const struct rb *rb)
{
	struct rb_stats st;

	rb_stats_cpu(rb, 0, &st);
	if (st.dropped_full || st.dropped_nested || st.dropped_big)
		die("the ring dropped frames");
	return st.next;
}

struct result {
	double rb, base, rb_noclk, base_noclk;
	double ratio, ratio_noclk;	/* medians of the rounds' ratios */
	double stored;		/* bytes stored per frame, headers included */
	u64 frames;		/* per timed run, 0: not run */
};

/* Frames of more than half the ring are not what a ring is sized for. */
static bool frame_fits(u32 size, u64 ring_bytes)
{
	return 2ULL * size <= ring_bytes;
}

/*
 * Both writers are given the same frames in the same order, so they stay
 * at the same ring position: checked at the end.  *lapped counts the
 * bytes written into this ring so far: the first frame size warms the ring
 * up until it has been lapped twice (so the writer has been overwriting
 * old frames for a while), the others only WARM_NS.
 */
static void measure(struct rb *rb, struct base *b, u32 size,
		    const struct opts *o, u64 ring_bytes, u64 *lapped,
		    struct result *res)
{
	double v[6][MAX_RUNS], est;
	u64 n, warm, pos0;
	int r;

	/* Calibrate, then warm up: a lap of the ring at least once. */
	est = time_rb(rb, size, CAL_FRAMES, o->clk);
	pos0 = base_pos(b);
	time_base(b, size, CAL_FRAMES, o->clk);
	res->stored = (double)(base_pos(b) - pos0) / CAL_FRAMES;
	*lapped += base_pos(b) - pos0;
	warm = (u64)((double)WARM_NS / est);
	if (*lapped < 2 * ring_bytes) {
		u64 lap = (u64)((double)(2 * ring_bytes - *lapped) /
				res->stored) + 1;

		if (lap > warm)
			warm = lap;
	}
	time_rb(rb, size, warm, o->clk);
	time_base(b, size, warm, o->clk);
	*lapped += (u64)(warm * res->stored);

	n = (u64)((double)o->run_ns / est);
	if (n < MIN_FRAMES)
		n = MIN_FRAMES;
	res->frames = n;
	/*
	 * Rounds of the four, each ratio taken within its round: the
	 * machine's speed drifts (a virtual machine's neighbours), and a
	 * drift slower than a round cancels out of the ratio.  Who goes
	 * first alternates.
	 */
	for (r = 0; r < o->runs; r++) {
		if (r % 2) {
			v[1][r] = time_base(b, size, n, o->clk);
			v[0][r] = time_rb(rb, size, n, o->clk);
			v[3][r] = time_base(b, size, n, CLK_NONE);
			v[2][r] = time_rb(rb, size, n, CLK_NONE);
		} else {
			v[0][r] = time_rb(rb, size, n, o->clk);
			v[1][r] = time_base(b, size, n, o->clk);
			v[2][r] = time_rb(rb, size, n, CLK_NONE);
			v[3][r] = time_base(b, size, n, CLK_NONE);
		}
		v[4][r] = v[0][r] / v[1][r];
		v[5][r] = v[2][r] / v[3][r];
	}
	*lapped += (u64)(4 * o->runs * n * res->stored);
	res->rb = median(v[0], o->runs);
	res->base = median(v[1], o->runs);
	res->rb_noclk = median(v[2], o->runs);
	res->base_noclk = median(v[3], o->runs);
	res->ratio = median(v[4], o->runs);
	res->ratio_noclk = median(v[5], o->runs);

	if (ring_next(rb) != base_pos(b)) {
		fprintf(stderr, "bench_rb: ring at %llu, baseline at %llu\n",
			(unsigned long long)ring_next(rb),
			(unsigned long long)base_pos(b));
		die("the baseline did not store what the ring stored");
	}
}

/* ------------------------------------------------------------- machine */

static u64 l2_bytes;

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static u64 parse_size(const char *s)
{
	char *end;
	u64 v = strtoull(s, &end, 10);

	switch (*end) {
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		end++;
		break;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	return *end || end == s ? 0 : v;
}

static void print_machine(int cpu)
{
	char line[4096], path[128], caches[256] = "", model[128] = "?";
	char flags[64] = "", family[16] = "?", num[16] = "?";
	struct utsname u;
	FILE *f;
	int i;

	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		v++;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = 0;
		if (!strncmp(line, "model name", 10) && model[0] == '?')
			snprintf(model, sizeof(model), "%s", v);
		else if (!strncmp(line, "cpu family", 10) && family[0] == '?')
			snprintf(family, sizeof(family), "%s", v);
		else if (!strncmp(line, "model\t", 6) && num[0] == '?')
			snprintf(num, sizeof(num), "%s", v);
		else if (!strncmp(line, "flags", 5) && !flags[0])
			snprintf(flags, sizeof(flags), "%s",
				 strstr(v, "hypervisor") ? ", virtual machine" :
				 "");
	}
	if (f)
		fclose(f);
	for (i = 0; i < 8; i++) {
		char lvl[16], type[32], size[32];

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/cache/index%d/level",
			 cpu, i);
		read_line(path, lvl, sizeof(lvl));
		if (!lvl[0])
			break;
		path[strlen(path) - 5] = 0;
		strcat(path, "type");
		read_line(path, type, sizeof(type));
		path[strlen(path) - 4] = 0;
		strcat(path, "size");
		read_line(path, size, sizeof(size));
		if (!strcmp(type, "Instruction"))
			continue;
		snprintf(caches + strlen(caches),
			 sizeof(caches) - strlen(caches), "%sL%s %s",
			 caches[0] ? ", " : "", lvl, size);
		if (!strcmp(lvl, "2"))
			l2_bytes = parse_size(size);
	}
	uname(&u);
	printf("cpu:      %s (family %s, model %s)%s, %ld online; pinned to CPU %d\n",
	       model, family, num, flags, sysconf(_SC_NPROCESSORS_ONLN), cpu);
	printf("caches:   %s (data/unified, from sysfs)\n",
	       caches[0] ? caches : "unknown");
#ifdef __clang__
	printf("compiler: clang %s, %s", __clang_version__, BENCH_OPT);
#else
	printf("compiler: gcc %s, %s", __VERSION__, BENCH_OPT);
#endif
#ifdef __SANITIZE_ADDRESS__
	printf(" WITH ASan: figures are meaningless\n");
#else
	printf(", no sanitizers\n");
#endif
	printf("kernel:   %s %s\n", u.sysname, u.release);
}

/* Best of a few batches of back-to-back reads. */
static double clock_cost(int clk)
{
	u64 n = 100000, i, sum = 0;
	double best = 1e9;
	int k;

	for (k = 0; k < 7; k++) {
		u64 t0 = now_ns();

		for (i = 0; i < n; i++)
			sum += stamp(clk, i);
		__asm__ __volatile__("" : : "r"(sum));
		if ((double)(now_ns() - t0) / (double)n < best)
			best = (double)(now_ns() - t0) / (double)n;
	}
	return best;
}

/* Times this thread was preempted so far: another task wanted the CPU. */
static long preemptions(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_nivcsw;
}

static const char *size_str(u64 bytes, char *buf, size_t len)
{
	if (bytes >= (1ULL << 30) && !(bytes % (1ULL << 30)))
		snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= (1ULL << 20) && !(bytes % (1ULL << 20)))
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	return buf;
}

static void bench_ring(u64 ring_bytes, const struct opts *o)
{
	struct result res[ARRAY_SIZE(frame_sizes)];
	char s1[32], s2[32];
	struct base b;
	struct rb *rb;
	u64 lapped = 0, t0 = now_ns();
	long preempted = preemptions();
	u32 bad_slot = 0, bad_off = 0;
	size_t i;

	if (rb_create(&rb, 1, ring_bytes, true))
		die("cannot create the ring");
	if (base_init(&b, rb))
		die("cannot allocate the baseline's page table");
	ring_bytes = (u64)rb_pages_per_cpu(rb) * RB_PAGE_SIZE;

	memset(res, 0, sizeof(res));
	for (i = 0; i < ARRAY_SIZE(frame_sizes); i++)
		if (frame_fits(frame_sizes[i], ring_bytes))
			measure(rb, &b, frame_sizes[i], o, ring_bytes,
				&lapped, &res[i]);
	/*
	 * The baseline's entries carry no checks: a lap of the ring's own,
	 * then every page must pass the raw-dump check.
	 */
	if (rb_run(rb, src_buf, LAP_FRAME, ring_bytes / LAP_FRAME + 2,
		   CLK_NONE))
		die("the ring refused a frame");
	if (rb_check_cpu(rb, 0, &bad_slot, &bad_off)) {
		fprintf(stderr, "bench_rb: bad entry in slot %u at %u\n",
			bad_slot, bad_off);
		die("the ring is damaged after the run");
	}

	printf("\nring %s (%u pages), %s L2 (%s); median of %d rounds, %.1f s\n",
	       size_str(ring_bytes, s1, sizeof(s1)), rb_pages_per_cpu(rb),
	       !l2_bytes ? "L2 size unknown:" :
	       ring_bytes <= l2_bytes ? "fits in" : "does not fit in",
	       l2_bytes ? size_str(l2_bytes, s2, sizeof(s2)) : "?", o->runs,
	       (double)(now_ns() - t0) / NSEC);
	preempted = preemptions() - preempted;
	if (preempted > o->runs)
		printf("note: preempted %ld times: the CPU was shared, figures are noisy\n",
		       preempted);
	printf("     size   stored |     rb ns   base ns  ratio  rb GB/s | no clock:    rb ns   base ns  ratio\n");
	for (i = 0; i < ARRAY_SIZE(frame_sizes); i++) {
		const struct result *r = &res[i];

		if (!r->frames) {
			printf("  %7u  (more than half the ring: not run)\n",
			       frame_sizes[i]);
			continue;
		}
		printf("  %7u  %7.0f | %9.1f %9.1f  %5.2f  %7.2f |           %9.1f %9.1f  %5.2f\n",
		       frame_sizes[i], r->stored, r->rb, r->base,
		       r->ratio, frame_sizes[i] / r->rb, r->rb_noclk,
		       r->base_noclk, r->ratio_noclk);
	}
	base_free(&b);
	rb_destroy(rb);
}

static int pick_cpu(int want)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity failed");
	if (want < 0)
		for (cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
			if (CPU_ISSET(cpu, &set)) {
				want = cpu;
				break;
			}
	CPU_ZERO(&set);
	CPU_SET(want, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("cannot pin to the CPU asked for");
	return want;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: bench_rb [-C cpu] [-c mono|tsc] [-r runs] [-t ms] [ring-size[K|M|G]...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = { .cpu = -1, .clk = CLK_MONO, .runs = 21,
			  .run_ns = 5000000 };
	u64 rings[8] = { 256 << 10, 64 << 20 };
	int nr_rings = 2, c, i;
	char date[32];
	time_t t = time(NULL);

	while ((c = getopt(argc, argv, "C:c:r:t:h")) != -1) {
		switch (c) {
		case 'C':
			o.cpu = atoi(optarg);
			break;
		case 'c':
			if (!strcmp(optarg, "mono"))
				o.clk = CLK_MONO;
			else if (!strcmp(optarg, "tsc") && HAVE_TSC)
				o.clk = CLK_TSC;
			else
				print_usage();
			break;
		case 'r':
			o.runs = atoi(optarg);
			if (o.runs < 1 || o.runs > MAX_RUNS)
				print_usage();
			break;
		case 't':
			o.run_ns = strtoull(optarg, NULL, 10) * 1000000;
			if (!o.run_ns)
				print_usage();
			break;
		default:
			print_usage();
		}
	}
	if (optind < argc) {
		nr_rings = 0;
		for (i = optind; i < argc && nr_rings < 8; i++) {
			rings[nr_rings] = parse_size(argv[i]);
			if (!rings[nr_rings])
				print_usage();
			nr_rings++;
		}
	}
	for (i = 0; i < MAX_FRAME; i++)
		src_buf[i] = (u8)(i * 7 + 1);

	setvbuf(stdout, NULL, _IOLBF, 0);
	o.cpu = pick_cpu(o.cpu);
	strftime(date, sizeof(date), "%Y-%m-%d", localtime(&t));
	printf("bench_rb: ns per frame (one clock read + FID_HEAD + one FID_MEM of SIZE bytes)\n");
	printf("          written into a one-CPU circular ring, against a memcpy of the same\n");
	printf("          bytes and headers into as many pages (see Documentation/performance.rst)\n");
	printf("date:     %s\n", date);
	print_machine(o.cpu);
	printf("clock:    one %s per frame; CLOCK_MONOTONIC %.1f ns/read",
	       o.clk == CLK_TSC ? "rdtsc" : "clock_gettime(CLOCK_MONOTONIC)",
	       clock_cost(CLK_MONO));
#if HAVE_TSC
	printf(", rdtsc %.1f ns/read", clock_cost(CLK_TSC));
#endif
	printf("\n");
	printf("columns:  stored = bytes the ring stores per frame (headers included);\n");
	printf("          ratio = rb / base; GB/s = SIZE bytes per rb ns\n");

	for (i = 0; i < nr_rings; i++)
		bench_ring(rings[i], &o);
	return 0;
}
