/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper: frame wire payload bytes (already escaped) the way GDB
 * does, "$<payload>#<checksum>", NUL-terminated.  Returns the frame's
 * length without the NUL; @out needs @n + 5 bytes.
 */
#ifndef GTP_TESTS_RSP_FRAME_H
#define GTP_TESTS_RSP_FRAME_H

#include "gtp_port.h"
#include "proto/hex.h"

static inline size_t frame(char *out, const void *payload, size_t n)
{
	const u8 *b = payload;
	u8 sum = 0;
	size_t i;

	out[0] = '$';
	for (i = 0; i < n; i++) {
		sum += b[i];
		out[1 + i] = (char)b[i];
	}
	out[1 + n] = '#';
	out[2 + n] = rsp_hex_digit(sum >> 4);
	out[3 + n] = rsp_hex_digit(sum);
	out[4 + n] = '\0';
	return n + 4;
}

#endif /* GTP_TESTS_RSP_FRAME_H */
