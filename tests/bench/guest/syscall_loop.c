// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_loop: the guest side of tests/bench/bench_hits.sh.
 *
 * Pins itself to one CPU, makes WARMUP getppid system calls untimed, then
 * ROUNDS rounds of CALLS calls each, timed with CLOCK_MONOTONIC, and
 * prints one line per round with the mean cost of a call in that round,
 * and a last line with the number of calls made in all, for the caller
 * to compare with the number of probe hits.  Built static on the host
 * (gcc -static -O2) so that it runs in the initramfs guest as is.
 *
 *   syscall_loop CPU CALLS ROUNDS WARMUP
 *
 * Output:
 *   round 1: 1234.5 ns/call
 *   ...
 *   calls: 110000
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long arg(const char *s, const char *what, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || end == s || v < min) {
		fprintf(stderr, "syscall_loop: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The measured loop: nothing but the system call. */
static void calls(long n)
{
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
}

int main(int argc, char **argv)
{
	unsigned long long t0, t1;
	long cpu, n, rounds, warmup, r;
	cpu_set_t set;

	if (argc != 5) {
		fputs("usage: syscall_loop CPU CALLS ROUNDS WARMUP\n", stderr);
		return 2;
	}
	cpu = arg(argv[1], "CPU", 0);
	n = arg(argv[2], "CALLS", 1);
	rounds = arg(argv[3], "ROUNDS", 1);
	warmup = arg(argv[4], "WARMUP", 0);
	if (cpu >= CPU_SETSIZE) {
		fprintf(stderr, "syscall_loop: bad CPU %ld\n", cpu);
		return 2;
	}

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "syscall_loop: cannot pin to CPU %ld: %s\n",
			cpu, strerror(errno));
		return 1;
	}

	calls(warmup);
	for (r = 1; r <= rounds; r++) {
		t0 = now_ns();
		calls(n);
		t1 = now_ns();
		printf("round %ld: %.1f ns/call\n", r, (double)(t1 - t0) / n);
	}
	printf("calls: %ld\n", warmup + n * rounds);
	return 0;
}
