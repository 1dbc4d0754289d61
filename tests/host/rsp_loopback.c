// SPDX-License-Identifier: GPL-2.0
/*
 * A GDB remote server on stdin/stdout built from proto/, for checking the
 * protocol layer against a real GDB:
 *
 *   gdb -batch -ex 'target remote | build/host/rsp_loopback' -ex ...
 *
 * The fake target is x86-64 Linux (its target description says so), has
 * 256 bytes of memory at 0x1000 holding 0..255, no registers and refuses
 * writes.  The program ends at end of input or once
 * GDB detached and the last reply is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gtp_port.h"
#include "proto/packets.h"

#define FAKE_BASE	0x1000
#define FAKE_SIZE	256

static u8 fake_mem[FAKE_SIZE];

static size_t fake_read(void *target, u64 addr, void *buf, size_t len)
{
	size_t n;

	if (addr < FAKE_BASE || addr >= FAKE_BASE + FAKE_SIZE)
		return 0;
	n = min_t(size_t, len, FAKE_BASE + FAKE_SIZE - addr);
	memcpy(buf, fake_mem + (addr - FAKE_BASE), n);
	return n;
}

static const struct rsp_target_ops fake_ops = {
	.reg_block_size = RSP_REG_BLOCK_X86_64,
	.pc_offset = RSP_PC_OFFSET_X86_64,
	.pc_size = RSP_PC_SIZE_X86_64,
	.target_xml = rsp_target_xml_x86_64_linux,
	.read_memory = fake_read,
};

static bool write_all(const u8 *p, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool flush_output(struct rsp_conn *c)
{
	u8 buf[4096];
	size_t n;

	while ((n = rsp_output(c, buf, sizeof(buf))))
		if (!write_all(buf, n))
			return false;
	return true;
}

int main(void)
{
	static struct rsp_session session;
	u8 buf[4096];
	size_t i;

	for (i = 0; i < FAKE_SIZE; i++)
		fake_mem[i] = (u8)i;
	rsp_session_init(&session, &fake_ops, NULL);

	while (!session.detached) {
		ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));
		size_t done = 0;

		if (got <= 0)
			break;
		while (done < (size_t)got) {
			done += rsp_input(&session.conn, buf + done,
					  (size_t)got - done);
			if (!flush_output(&session.conn))
				return EXIT_FAILURE;
		}
	}
	return flush_output(&session.conn) ? EXIT_SUCCESS : EXIT_FAILURE;
}
