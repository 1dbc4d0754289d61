// SPDX-License-Identifier: GPL-2.0
/*
 * gtp_sim: proto/ and rb/ serving GDB over TCP on 127.0.0.1, with a
 * synthetic target in place of the kernel, so that real GDB sessions
 * drive the whole engine on the host:
 *
 *   build/host/gtp_sim --port-file F &
 *   gdb build/host/gtp_sim -ex "target remote 127.0.0.1:$(cat F)" ...
 *
 * The target is this process.  Its memory is read through /proc/self/mem
 * (a failed read is a short read, never a crash: the nofault copy of the
 * host) and GDB reads the symbols of the same executable.  The traced
 * program is sim_program.c, run on demand as the VM tests run the kernel
 * target module: a line "N" written to the control FIFO runs N ticks
 * ("0" restarts the counter) and "done" comes back on FIFO.done once
 * they ran, so a GDB script can say
 *
 *   shell echo 100 >CTL && head -n1 CTL.done >/dev/null
 *
 * Each traced function's hook fires the tracepoints armed inside that
 * function, with its argument registers, frame pointer and stack pointer
 * in GDB's x86-64 `g` layout and the PC at the tracepoint.  A tracepoint
 * outside the traced functions cannot be armed, as a kprobe on an
 * address that is not an instruction cannot.
 *
 * Connections are served one after another and the trace outlives them:
 * a connection that ends while a trace runs stops it unless GDB asked for
 * disconnected tracing, as the kernel agent does.  Two simulated CPUs
 * take alternate ticks, so frames interleave in two rings.
 *
 * Options:
 *   --port N          listen on 127.0.0.1:N (default 0: any free port)
 *   --port-file F     write the port to F once listening
 *   --control FIFO    run ticks on demand (FIFO and FIFO.done are made)
 *   --stdio           serve one connection on stdin/stdout instead
 *   --buffer-size B   default trace buffer size in bytes (default 1 MiB)
 *   --allow-writes    let GDB write memory (M, X); refused by default
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "gtp_port.h"
#include "proto/packets.h"
#include "proto/trace.h"
#include "tests/host/sim_program.h"

#define SIM_CPUS	2
#define SIM_REG_RDX	3
#define SIM_REG_RSI	4
#define SIM_REG_RDI	5
#define SIM_REG_RBP	6
#define SIM_REG_RSP	7

static struct {
	int mem_fd;
	bool allow_writes;
	int ctl_fd, done_fd;	/* the control FIFOs, or -1 */
	u64 last_us;
	bool stop_requested;
	u32 cpu;		/* the simulated CPU of the current tick */
	struct gtp_trace trace;
	/* Armed tracepoints by site, in arming order. */
	struct gtp_tracepoint *armed[SIM_NR_SITES][GTP_MAX_TRACEPOINTS];
	u32 nr_armed[SIM_NR_SITES];
} sim;

/* ---- memory: this process, without faulting ---- */

static size_t sim_read(u64 addr, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(sim.mem_fd, (u8 *)buf + done, len - done,
				  (off_t)(addr + done));

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

static size_t sim_copy(void *dst, u64 src, size_t len, void *ctx)
{
	return sim_read(src, dst, len);
}

static size_t sim_target_read(void *target, u64 addr, void *buf, size_t len)
{
	return sim_read(addr, buf, len);
}

static int sim_target_write(void *target, u64 addr, const void *buf,
			    size_t len)
{
	if (!sim.allow_writes)
		return -EPERM;
	if (pwrite(sim.mem_fd, buf, len, (off_t)addr) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

static const struct rsp_target_ops sim_target_ops = {
	.reg_block_size = RSP_REG_BLOCK_X86_64,
	.pc_offset = RSP_PC_OFFSET_X86_64,
	.pc_size = RSP_PC_SIZE_X86_64,
	.target_xml = rsp_target_xml_x86_64_linux,
	.read_memory = sim_target_read,
	.write_memory = sim_target_write,
};

/* ---- probes: tracepoints armed inside the traced functions ---- */

static int sim_site_of(u64 addr)
{
	int i;

	for (i = 0; i < SIM_NR_SITES; i++)
		if (addr >= (uintptr_t)sim_sites[i].start &&
		    addr < (uintptr_t)sim_sites[i].end)
			return i;
	return -1;
}

static int sim_arm(void *target, struct gtp_tracepoint *tp)
{
	int site = sim_site_of(tp->addr);

	if (site < 0)
		return -EINVAL;
	sim.armed[site][sim.nr_armed[site]++] = tp;
	tp->probe = &sim.armed[site];
	return 0;
}

static void sim_disarm(void *target, struct gtp_tracepoint *tp)
{
	int site = sim_site_of(tp->addr);
	u32 i;

	if (site < 0)
		return;
	for (i = 0; i < sim.nr_armed[site]; i++) {
		if (sim.armed[site][i] != tp)
			continue;
		memmove(&sim.armed[site][i], &sim.armed[site][i + 1],
			(sim.nr_armed[site] - i - 1) * sizeof(tp));
		sim.nr_armed[site]--;
		break;
	}
	tp->probe = NULL;
}

/* Strictly increasing, so every run has its own start time. */
static u64 sim_now_us(void *target)
{
	struct timeval tv;
	u64 now;

	gettimeofday(&tv, NULL);
	now = (u64)tv.tv_sec * 1000000 + (u64)tv.tv_usec;
	if (now <= sim.last_us)
		now = sim.last_us + 1;
	sim.last_us = now;
	return now;
}

static void sim_stop_request(void *target)
{
	sim.stop_requested = true;
}

static const struct gtp_trace_ops sim_trace_ops = {
	.arm = sim_arm,
	.disarm = sim_disarm,
	.now_us = sim_now_us,
	.stop_request = sim_stop_request,
};

static void put_le64(u8 *dst, u64 val)
{
	int i;

	for (i = 0; i < 8; i++, val >>= 8)
		dst[i] = (u8)val;
}

static void sim_hit(int site, const struct sim_regs *r)
{
	u8 g[RSP_REG_BLOCK_X86_64];
	struct gtp_hit hit;
	struct timespec ts;
	u32 i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(&hit, 0, sizeof(hit));
	hit.cpu = sim.cpu;
	hit.time = (u64)ts.tv_sec * 1000000000 + (u64)ts.tv_nsec;
	hit.task = (uintptr_t)&sim;
	hit.pid = getpid();
	hit.regs = g;
	hit.regs_size = sizeof(g);
	hit.copy = sim_copy;
	memset(g, 0, sizeof(g));
	put_le64(g + 8 * SIM_REG_RDI, r->rdi);
	put_le64(g + 8 * SIM_REG_RSI, r->rsi);
	put_le64(g + 8 * SIM_REG_RDX, r->rdx);
	put_le64(g + 8 * SIM_REG_RBP, r->rbp);
	put_le64(g + 8 * SIM_REG_RSP, r->rsp);
	/*
	 * Only the PC differs between the tracepoints of one site.  A hit
	 * that stops the run only asks for the stop (sim_housekeeping()
	 * disarms later), so the list does not change under this loop.
	 */
	for (i = 0; i < sim.nr_armed[site]; i++) {
		struct gtp_tracepoint *tp = sim.armed[site][i];

		put_le64(g + RSP_PC_OFFSET_X86_64, tp->addr);
		gtp_trace_hit(&sim.trace, tp, &hit);
	}
}

/* ---- the program's clock ---- */

/* What the agent's stop work does: finish a stop the hit path began. */
static void sim_housekeeping(void)
{
	if (sim.stop_requested) {
		sim.stop_requested = false;
		gtp_trace_stop(&sim.trace, GTP_STOP_NONE);
	}
}

static void sim_run_ticks(unsigned long n)
{
	if (!n)
		sim_program_reset();
	while (n--) {
		sim.cpu = (u32)(gtpt_counter % SIM_CPUS);
		sim_tick();
		sim_housekeeping();
	}
}

/* Lines "N" on the control FIFO: run N ticks, then answer "done". */
static void sim_control(void)
{
	static char line[64];
	static size_t len;
	char c;

	while (read(sim.ctl_fd, &c, 1) == 1) {
		if (c != '\n') {
			if (len < sizeof(line) - 1)
				line[len++] = c;
			continue;
		}
		line[len] = 0;
		len = 0;
		sim_run_ticks(strtoul(line, NULL, 0));
		if (write(sim.done_fd, "done\n", 5) != 5)
			perror("gtp_sim: control");
	}
}

static int open_control(const char *path)
{
	char done[4096];

	snprintf(done, sizeof(done), "%s.done", path);
	unlink(path);
	unlink(done);
	if (mkfifo(path, 0600) || mkfifo(done, 0600)) {
		perror(path);
		return -1;
	}
	/* Read-write: never EOF, never blocks opening with no peer. */
	sim.ctl_fd = open(path, O_RDWR | O_NONBLOCK);
	sim.done_fd = open(done, O_RDWR);
	return sim.ctl_fd < 0 || sim.done_fd < 0 ? -1 : 0;
}

/*
 * Wait for @fd to be readable, running what the control FIFO asks
 * meanwhile.  Returns false on a poll error.
 */
static bool wait_for(int fd)
{
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = sim.ctl_fd, .events = POLLIN },
		};

		sim_housekeeping();
		if (poll(pfd, sim.ctl_fd >= 0 ? 2 : 1,
			 sim.stop_requested ? 0 : 100) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (pfd[1].revents)
			sim_control();
		if (pfd[0].revents)
			return true;
	}
}

/* ---- connections ---- */

static bool write_all(int fd, const u8 *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool flush_output(struct rsp_session *s, int fd)
{
	u8 buf[4096];
	size_t n;

	while ((n = rsp_output(&s->conn, buf, sizeof(buf))))
		if (!write_all(fd, buf, n))
			return false;
	return true;
}

/* Serve one GDB connection until it closes or detaches. */
static void serve(int in, int out)
{
	static struct rsp_session session;
	u8 buf[4096];

	rsp_session_init(&session, &sim_target_ops, NULL);
	session.trace = &sim.trace;
	while (!session.detached) {
		ssize_t got;
		size_t done = 0;

		if (!wait_for(in))
			break;
		got = read(in, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		while (done < (size_t)got) {
			done += rsp_input(&session.conn, buf + done,
					  (size_t)got - done);
			if (!flush_output(&session, out))
				goto gone;
		}
		sim_housekeeping();
	}
gone:
	flush_output(&session, out);
	if (sim.trace.state == GTP_RUNNING && !sim.trace.disconnected)
		gtp_trace_stop(&sim.trace, GTP_STOP_DISCONNECTED);
}

static int listen_on(unsigned int port, const char *port_file)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd, one = 1;
	FILE *f;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((u16)port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		perror("gtp_sim: listen");
		exit(EXIT_FAILURE);
	}
	fprintf(stderr, "gtp_sim: listening on 127.0.0.1:%u\n",
		ntohs(sa.sin_port));
	if (port_file) {
		f = fopen(port_file, "w");
		if (!f || fprintf(f, "%u\n", ntohs(sa.sin_port)) < 0 ||
		    fclose(f)) {
			perror(port_file);
			exit(EXIT_FAILURE);
		}
	}
	return fd;
}

/* Wait for the next connection, running the program meanwhile. */
static int next_connection(int lfd)
{
	int one = 1, fd;

	do {
		if (!wait_for(lfd))
			return -1;
		fd = accept(lfd, NULL, NULL);
	} while (fd < 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: %s [--port N] [--port-file F] [--control FIFO] [--stdio]\n"
		"               [--buffer-size BYTES] [--allow-writes]\n",
		"gtp_sim");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *port_file = NULL, *control = NULL;
	unsigned long port = 0, buffer_size = 1 << 20;
	bool stdio = false;
	int i, lfd;

	sim.ctl_fd = -1;
	sim.done_fd = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--stdio")) {
			stdio = true;
		} else if (!strcmp(a, "--allow-writes")) {
			sim.allow_writes = true;
		} else if (!strcmp(a, "--port") && v) {
			port = strtoul(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--port-file") && v) {
			port_file = v;
			i++;
		} else if (!strcmp(a, "--control") && v) {
			control = v;
			i++;
		} else if (!strcmp(a, "--buffer-size") && v) {
			buffer_size = strtoul(v, NULL, 0);
			i++;
		} else {
			print_usage();
		}
	}
	signal(SIGPIPE, SIG_IGN);
	sim.mem_fd = open("/proc/self/mem", O_RDWR);
	if (sim.mem_fd < 0) {
		perror("gtp_sim: /proc/self/mem");
		return EXIT_FAILURE;
	}
	if (control && open_control(control))
		return EXIT_FAILURE;
	sim_program_init(sim_hit);
	for (i = 0; i < SIM_NR_SITES; i++) {
		if (sim_sites[i].end <= sim_sites[i].start) {
			fprintf(stderr, "gtp_sim: %s: functions out of order\n",
				sim_sites[i].name);
			return EXIT_FAILURE;
		}
	}
	gtp_trace_init(&sim.trace, &sim_trace_ops, NULL, SIM_CPUS,
		       buffer_size, false);

	if (stdio) {
		serve(STDIN_FILENO, STDOUT_FILENO);
	} else {
		lfd = listen_on((unsigned int)port, port_file);
		for (;;) {
			int fd = next_connection(lfd);

			if (fd < 0)
				break;
			serve(fd, fd);
			close(fd);
		}
	}
	gtp_trace_release(&sim.trace);
	return EXIT_SUCCESS;
}
