// SPDX-License-Identifier: GPL-2.0
/*
 * rsp_time: the agent's reader side timed from inside a guest, for
 * tests/bench/bench_reader.sh.  It talks the GDB remote protocol straight
 * to /sys/kernel/debug/gtp (no GDB, no bridge: the endpoint takes one
 * opener), with acks and checksums, and switches to no-ack mode as GDB
 * does.  Built static on the host and run from the guest's /share.
 *
 *   rsp_time fill FRAMES FUNC ADDR BUFSIZE
 *	Tracepoint 1 at FUNC (hex) collects 8 bytes at ADDR (hex), with a
 *	passcount of FRAMES, in a stop-when-full buffer of BUFSIZE bytes;
 *	QTStart, then getppid() FRAMES times on CPU 0 (so FUNC should be
 *	__x64_sys_getppid), QTStop; prints the time a call and qTStatus.
 *   rsp_time time REPEAT PACKET...
 *	Sends the PACKETs in turn, REPEAT rounds, timing each request to
 *	its whole reply with clock_gettime(); prints per packet the median,
 *	minimum and maximum round trip in microseconds and its last reply.
 *   rsp_time read FILE BLOCK REPEAT
 *	Reads FILE to its end with BLOCK-byte read()s, REPEAT times; prints
 *	its size, the read() calls a pass and the median, min and max MB/s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "proto/hex.h"

#define EP		"/sys/kernel/debug/gtp"
#define PKT_MAX		(16384 + 8)

static int ep = -1;
static int noack;
static unsigned char rx[PKT_MAX * 2];
static size_t rx_pos, rx_len;
static char reply[PKT_MAX];
static char tx[PKT_MAX];
static size_t tx_len;

static void die(const char *what)
{
	fprintf(stderr, "rsp_time: %s: %s\n", what,
		errno ? strerror(errno) : "failed");
	exit(1);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void put(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(ep, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write " EP);
		p += n;
		len -= n;
	}
}

static int get(void)
{
	if (rx_pos == rx_len) {
		ssize_t n;

		do
			n = read(ep, rx, sizeof(rx));
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			if (!n)
				errno = 0;
			die("read " EP);
		}
		rx_pos = 0;
		rx_len = n;
	}
	return rx[rx_pos++];
}

/*
 * Wait for the reply to the packet in tx[]: '+' is the agent's ack, '-'
 * asks for tx[] again; a reply with a bad checksum is refused with '-'
 * in ack mode (the agent resends it) and fatal in no-ack mode.
 */
static const char *recv_reply(void)
{
	for (;;) {
		unsigned char sum = 0;
		size_t len = 0;
		int c, hi, lo, esc = 0;

		c = get();
		if (c == '-' && !noack)
			put(tx, tx_len);
		if (c != '$')
			continue;
		while ((c = get()) != '#') {
			sum += c;
			if (c == '$')
				die("reply cut by '$'");
			if (esc) {
				c ^= 0x20;
				esc = 0;
			} else if (c == '}') {
				esc = 1;
				continue;
			}
			if (len < sizeof(reply) - 1)
				reply[len++] = c;
		}
		reply[len] = 0;
		hi = rsp_hex_val(get());
		lo = rsp_hex_val(get());
		if (hi >= 0 && lo >= 0 && (hi << 4 | lo) == sum) {
			if (!noack)
				put("+", 1);
			return reply;
		}
		if (noack) {
			errno = 0;
			die("reply with a bad checksum");
		}
		put("-", 1);
	}
}

/* One round trip; the packet is plain text (no '$', '#', '}', '*'). */
static const char *rsp(const char *pkt)
{
	unsigned char sum = 0;
	const char *p;

	for (p = pkt; *p; p++)
		sum += (unsigned char)*p;
	tx_len = snprintf(tx, sizeof(tx), "$%s#%02x", pkt, sum);
	if (tx_len >= sizeof(tx)) {
		errno = 0;
		die("packet too long");
	}
	put(tx, tx_len);
	return recv_reply();
}

static void expect_ok(const char *pkt)
{
	const char *r = rsp(pkt);

	if (strcmp(r, "OK")) {
		fprintf(stderr, "rsp_time: %s: %s\n", pkt, r);
		exit(1);
	}
}

static void connect_ep(void)
{
	ep = open(EP, O_RDWR);
	if (ep < 0)
		die("open " EP " (is gtp-bridge running?)");
	rsp("qSupported:tracepoints+");
	expect_ok("QStartNoAckMode");
	noack = 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void fill_buffer(unsigned long frames, const char *func,
			const char *addr, unsigned long bufsize)
{
	char pkt[256];
	cpu_set_t cpu0;
	unsigned long i;
	double t;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		die("sched_setaffinity");
	connect_ep();
	expect_ok("QTinit");
	expect_ok("QTBuffer:circular:0");
	snprintf(pkt, sizeof(pkt), "QTBuffer:size:%lx", bufsize);
	expect_ok(pkt);
	snprintf(pkt, sizeof(pkt), "QTDP:1:%s:E:0:%lx-", func, frames);
	expect_ok(pkt);
	snprintf(pkt, sizeof(pkt), "QTDP:-1:%s:M-1,%s,8", func, addr);
	expect_ok(pkt);
	expect_ok("QTStart");
	t = now_us();
	for (i = 0; i < frames; i++)
		syscall(SYS_getppid);
	t = now_us() - t;
	expect_ok("QTStop");
	printf("fill: %lu calls in %.2f s, %.2f us a call\n", frames,
	       t / 1e6, t / frames);
	printf("status: %s\n", rsp("qTStatus"));
}

static void timing(int repeat, int npkt, char **pkts)
{
	double *us = calloc((size_t)npkt * repeat, sizeof(*us));
	char **last = calloc(npkt, sizeof(*last));
	int i, r;

	if (!us || !last)
		die("calloc");
	connect_ep();
	for (r = 0; r < repeat; r++)
		for (i = 0; i < npkt; i++) {
			double t = now_us();
			const char *rep = rsp(pkts[i]);

			us[i * repeat + r] = now_us() - t;
			if (r == repeat - 1)
				last[i] = strdup(rep);
		}
	for (i = 0; i < npkt; i++) {
		double *v = us + i * repeat;

		qsort(v, repeat, sizeof(*v), cmp_double);
		printf("%s %.1f %.1f %.1f %s\n", pkts[i], v[repeat / 2], v[0],
		       v[repeat - 1], last[i] ? last[i] : "");
	}
}

static void read_file(const char *path, size_t block, int repeat)
{
	double *mbs = calloc(repeat, sizeof(*mbs));
	char *buf = malloc(block);
	unsigned long long bytes = 0;
	unsigned long reads = 0;
	int r;

	if (!mbs || !buf)
		die("malloc");
	for (r = 0; r < repeat; r++) {
		int fd = open(path, O_RDONLY);
		double t;
		ssize_t n;

		if (fd < 0)
			die(path);
		bytes = 0;
		reads = 0;
		t = now_us();
		while ((n = read(fd, buf, block)) > 0) {
			bytes += n;
			reads++;
		}
		t = now_us() - t;
		if (n < 0)
			die(path);
		close(fd);
		mbs[r] = t > 0 ? bytes / t : 0;
	}
	qsort(mbs, repeat, sizeof(*mbs), cmp_double);
	printf("read %s bytes=%llu reads=%lu MB/s=%.1f min=%.1f max=%.1f\n",
	       path, bytes, reads, mbs[repeat / 2], mbs[0], mbs[repeat - 1]);
}

static void usage_exit(void)
{
	fprintf(stderr, "usage: rsp_time fill FRAMES FUNC ADDR BUFSIZE\n"
		"       rsp_time time REPEAT PACKET...\n"
		"       rsp_time read FILE BLOCK REPEAT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "fill") && strtoul(argv[2], NULL, 0))
		fill_buffer(strtoul(argv[2], NULL, 0), argv[3], argv[4],
		     strtoul(argv[5], NULL, 0));
	else if (argc >= 4 && !strcmp(argv[1], "time") && atoi(argv[2]) > 0)
		timing(atoi(argv[2]), argc - 3, argv + 3);
	else if (argc == 5 && !strcmp(argv[1], "read") &&
		 strtoul(argv[3], NULL, 0) && atoi(argv[4]) > 0)
		read_file(argv[2], strtoul(argv[3], NULL, 0), atoi(argv[4]));
	else
		usage_exit();
	return 0;
}
