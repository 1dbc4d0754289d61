// SPDX-License-Identifier: GPL-2.0
/*
 * A GDB trace file of audio-dump frames, made the way the agent makes
 * one, for the tests of scripts/adump2wav (tests/host/test_adump2wav.sh).
 *
 * The trace is a real one (proto/trace.c, with a fake agent): it has a
 * GDB tracepoint, 1, and a run, whose buffer (rb_create() through
 * gtp_trace_start()) takes the audio frames the collector would write:
 *
 * - a page frame: rb_frame_var($adump_page = page number) and
 *   rb_frame_mem() of the page's 4096 bytes at its physical address in
 *   the board's default ring, filled by adump_pattern_page(); the ring
 *   buffer splits it into 'M' blocks where its pages end;
 * - a gap frame: $adump_page = first lost page, $adump_lost = how many.
 *
 * Between them, hits of tracepoint 1 (registers and 64 bytes of memory)
 * through gtp_trace_hit(), as a kprobe would write them.  Audio frames
 * alternate between CPUs 0 and 1 and CPU 1's are stamped --skew page
 * periods early, so the file, in time order, is not in page order.  The
 * file is the header of proto/tfile.c, rb_stream_read()'s frame section
 * and the two zero bytes, as /sys/kernel/debug/gtpframe serves it.
 *
 * Usage: adump_tfile_gen [options] OUTPUT   (see print_usage() below)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtp_port.h"
#include "hw/adump_pattern.h"
#include "proto/packets.h"
#include "proto/tfile.h"
#include "proto/trace.h"
#include "rb/rb.h"

#define GEN_CPUS		2
#define MAX_LIST	32
#define OTHER_TP	1
#define OTHER_ADDR	0xffffffff81000000ULL
#define OTHER_DATA	0xffffffff82000000ULL
/* Where the pages are: the board's ring, seen from a dump base. */
#define DUMP_BASE	0x80000000ULL
#define RING_PAGES	((ADUMP_DEFAULT_END - ADUMP_DEFAULT_START) / \
			 ADUMP_PAGE_SIZE)
#define PAGE_NS		(1000000000ULL / ADUMP_BOARD_PAGES_PER_S)
#define START_NS	1000000000ULL

#define VAR_PAGE	(GTP_SPECIAL_TSV_BASE + GTP_TSV_ADUMP_PAGE)
#define VAR_LOST	(GTP_SPECIAL_TSV_BASE + GTP_TSV_ADUMP_LOST)

struct gen {
	u64 first, pages;	/* pages first..first+pages-1 */
	u32 tp;			/* the collector's tracepoint */
	int cpu;		/* all audio on this CPU; -1: both */
	u64 skew;		/* CPU 1's frames this many periods early */
	u64 other;		/* a tracepoint-1 hit after every N pages */
	u64 gap_first, gap_count;
	u64 missing[MAX_LIST], dup[MAX_LIST];
	u32 nr_missing, nr_dup;

	struct gtp_trace t;
	struct gtp_trace_ops ops;
	u8 g[RSP_REG_BLOCK_X86_64];
	u8 page[ADUMP_PAGE_SIZE];
	u64 page_addr;		/* physical address of page[] */
};

static int fake_arm(void *target, struct gtp_tracepoint *tp)
{
	return 0;
}

static void fake_disarm(void *target, struct gtp_tracepoint *tp)
{
}

static u64 fake_now(void *target)
{
	return START_NS / 1000;
}

static void fake_stop_request(void *target)
{
}

/* The page being written, at its physical address. */
static size_t page_copy(void *dst, u64 src, size_t len, void *ctx)
{
	struct gen *g = ctx;

	memcpy(dst, g->page + (src - g->page_addr), len);
	return len;
}

/* Kernel memory of tracepoint 1's hits: each byte its address's low byte. */
static size_t data_copy(void *dst, u64 src, size_t len, void *ctx)
{
	u8 *d = dst;
	size_t i;

	for (i = 0; i < len; i++)
		d[i] = (u8)(src + i);
	return len;
}

static bool listed(const u64 *list, u32 n, u64 page)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (list[i] == page)
			return true;
	return false;
}

static u32 cpu_of(const struct gen *g, u64 page)
{
	return g->cpu >= 0 ? (u32)g->cpu : (u32)(page % GEN_CPUS);
}

/* CPU 1 runs ahead of CPU 0 by skew periods and a half. */
static u64 time_of(const struct gen *g, u64 page, u32 cpu)
{
	u64 t = START_NS + (page - g->first + g->skew + 1) * PAGE_NS;

	if (cpu == 1)
		t -= g->skew * PAGE_NS + PAGE_NS / 2;
	return t;
}

/* One audio frame: a page (@content: the pattern of which page) or a gap. */
static int audio_frame(struct gen *g, u64 page, u64 content, u64 lost,
		       u64 time)
{
	u32 cpu = cpu_of(g, page);
	struct rb_writer w;
	int err;

	err = rb_frame_begin(g->t.rb, &w, cpu, g->tp, time);
	if (err)
		return err;
	rb_frame_var(&w, VAR_PAGE, (s64)page);
	if (lost) {
		rb_frame_var(&w, VAR_LOST, (s64)lost);
	} else {
		adump_pattern_page(content, g->page);
		g->page_addr = DUMP_BASE + ADUMP_DEFAULT_START +
			       (page % RING_PAGES) * ADUMP_PAGE_SIZE;
		rb_frame_mem(&w, g->page_addr, ADUMP_PAGE_SIZE, page_copy, g);
	}
	return rb_frame_commit(&w);
}

static void other_hit(struct gen *g, u32 cpu, u64 time)
{
	struct gtp_hit h = {
		.cpu = cpu,
		.time = time,
		.regs = g->g,
		.regs_size = sizeof(g->g),
		.copy = data_copy,
	};
	u64 pc = OTHER_ADDR;
	int i;

	for (i = 0; i < 8; i++, pc >>= 8)
		g->g[RSP_PC_OFFSET_X86_64 + i] = (u8)pc;
	gtp_trace_hit(&g->t, gtp_trace_find(&g->t, OTHER_TP), &h);
}

static int define(struct gen *g, const char *args)
{
	const char *why = NULL;

	if (!gtp_trace_define(&g->t, args, strlen(args), &why))
		return 0;
	fprintf(stderr, "adump_tfile_gen: QTDP:%s refused: %s\n", args,
		why ? why : "?");
	return -1;
}

static int run(struct gen *g)
{
	const char *why = NULL;
	char args[128];
	u64 p, n = 0;
	int err;

	snprintf(args, sizeof(args), "%u:%llx:E:0:0-", OTHER_TP,
		 (unsigned long long)OTHER_ADDR);
	if (define(g, args))
		return -1;
	snprintf(args, sizeof(args), "-%u:%llx:R3ffffffff-", OTHER_TP,
		 (unsigned long long)OTHER_ADDR);
	if (define(g, args))
		return -1;
	snprintf(args, sizeof(args), "-%u:%llx:M-1,%llx,40", OTHER_TP,
		 (unsigned long long)OTHER_ADDR,
		 (unsigned long long)OTHER_DATA);
	if (define(g, args))
		return -1;
	if (gtp_trace_start(&g->t, &why)) {
		fprintf(stderr, "adump_tfile_gen: tstart: %s\n", why ? why : "?");
		return -1;
	}

	for (p = g->first; p < g->first + g->pages; p++) {
		u64 time = time_of(g, p, cpu_of(g, p));
		bool lost = g->gap_count && p >= g->gap_first &&
			    p - g->gap_first < g->gap_count;
		bool write = !lost && !listed(g->missing, g->nr_missing, p);

		err = 0;
		if (lost && p == g->gap_first)
			err = audio_frame(g, p, 0, g->gap_count, time);
		if (write)
			err = audio_frame(g, p, p, 0, time);
		/* The copy of a page seen twice has other content. */
		if (write && !err && listed(g->dup, g->nr_dup, p))
			err = audio_frame(g, p, p + 1000000, 0, time + PAGE_NS);
		if (err) {
			fprintf(stderr, "adump_tfile_gen: page %llu: error %d\n",
				(unsigned long long)p, err);
			return -1;
		}
		if (g->other && ++n % g->other == 0)
			other_hit(g, (u32)(n / g->other % GEN_CPUS),
				  time + PAGE_NS / 3);
	}
	return gtp_trace_stop(&g->t, GTP_STOP_USER);
}

static int write_file(struct gen *g, const char *path)
{
	static const u8 end[GTP_TFILE_END_LEN];
	size_t hsize = gtp_tfile_header_size(&g->t, RSP_REG_BLOCK_X86_64,
					     rsp_target_xml_x86_64_linux);
	char *header = malloc(hsize);
	u8 buf[16384];
	u64 off = 0;
	int ret = -1;
	FILE *f;
	s64 n;

	if (!header || rb_index_refresh(g->t.rb))
		goto out;
	n = gtp_tfile_header(&g->t, RSP_REG_BLOCK_X86_64,
			     rsp_target_xml_x86_64_linux, header, hsize);
	if (n < 0)
		goto out;
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		goto out;
	}
	fwrite(header, 1, n, f);
	while ((n = rb_stream_read(g->t.rb, off, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, n, f);
		off += n;
	}
	fwrite(end, 1, sizeof(end), f);
	if (fclose(f) == 0 && n == 0 && off == rb_stream_size(g->t.rb))
		ret = 0;
	else
		fprintf(stderr, "adump_tfile_gen: cannot write %s\n", path);
out:
	free(header);
	return ret;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: adump_tfile_gen [options] OUTPUT\n"
		"  --first P      first page number (default 0)\n"
		"  --pages N      how many page numbers (default 32)\n"
		"  --tp N         the collector's tracepoint (default 1000)\n"
		"  --gap P:N      a gap frame: pages P..P+N-1 lost at the source\n"
		"                 (P one of the pages)\n"
		"  --missing P    leave page P out, with no gap frame (repeat)\n"
		"  --dup P        write page P twice, the second copy wrong (repeat)\n"
		"  --cpu C        all audio frames on CPU C (0 or 1; default: both)\n"
		"  --skew K       CPU 1 stamped K pages early (default 3)\n"
		"  --other N      a tracepoint-1 hit after every N pages (default 3;\n"
		"                 0: none)\n");
	exit(2);
}

static u64 number(const char *s)
{
	char *end;
	u64 v = strtoull(s, &end, 0);

	if (!*s || *end)
		print_usage();
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "first", required_argument, NULL, 'f' },
		{ "pages", required_argument, NULL, 'n' },
		{ "tp", required_argument, NULL, 't' },
		{ "gap", required_argument, NULL, 'g' },
		{ "missing", required_argument, NULL, 'm' },
		{ "dup", required_argument, NULL, 'd' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "skew", required_argument, NULL, 's' },
		{ "other", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct gen *g = calloc(1, sizeof(*g));
	char *colon;
	int c, ret;

	if (!g)
		return 1;
	g->pages = 32;
	g->tp = 1000;
	g->cpu = -1;
	g->skew = 3;
	g->other = 3;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			g->first = number(optarg);
			break;
		case 'n':
			g->pages = number(optarg);
			break;
		case 't':
			g->tp = (u32)number(optarg);
			if (!g->tp || g->tp > GTP_TP_NUM_MAX || g->tp == OTHER_TP)
				print_usage();
			break;
		case 'g':
			colon = strchr(optarg, ':');
			if (!colon)
				print_usage();
			*colon = 0;
			g->gap_first = number(optarg);
			g->gap_count = number(colon + 1);
			break;
		case 'm':
			if (g->nr_missing == MAX_LIST)
				print_usage();
			g->missing[g->nr_missing++] = number(optarg);
			break;
		case 'd':
			if (g->nr_dup == MAX_LIST)
				print_usage();
			g->dup[g->nr_dup++] = number(optarg);
			break;
		case 'c':
			g->cpu = (int)number(optarg);
			if (g->cpu >= GEN_CPUS)
				print_usage();
			break;
		case 's':
			g->skew = number(optarg);
			break;
		case 'o':
			g->other = number(optarg);
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc - 1)
		print_usage();

	g->ops.arm = fake_arm;
	g->ops.disarm = fake_disarm;
	g->ops.now_us = fake_now;
	g->ops.stop_request = fake_stop_request;
	/* Stop-when-full, with room for every frame: 3 ring pages a page. */
	gtp_trace_init(&g->t, &g->ops, g, GEN_CPUS,
		       (g->pages + 2 * g->nr_dup + 8) * 3 * RB_PAGE_SIZE *
		       GEN_CPUS, false);
	ret = run(g) || write_file(g, argv[optind]) ? 1 : 0;
	gtp_trace_release(&g->t);
	free(g);
	return ret;
}
