// SPDX-License-Identifier: GPL-2.0
/*
 * Hexadecimal numbers and byte strings of the GDB remote protocol.
 */
#include "gtp_port.h"
#include "proto/hex.h"

int rsp_hex_val(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool rsp_parse_u64(const char **pos, const char *end, u64 *val)
{
	const char *p = *pos;
	u64 v = 0;
	int d;

	if (p >= end || rsp_hex_val(*p) < 0)
		return false;
	for (; p < end && (d = rsp_hex_val(*p)) >= 0; p++) {
		if (v >> 60)
			return false;
		v = (v << 4) | (u64)d;
	}
	*pos = p;
	*val = v;
	return true;
}

bool rsp_hex_decode(u8 *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = rsp_hex_val(src[2 * i]);
		int lo = rsp_hex_val(src[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		dst[i] = (u8)(hi << 4 | lo);
	}
	return true;
}

size_t rsp_fmt_u64(char *buf, u64 val)
{
	size_t n = 0;
	int shift;

	for (shift = 60; shift > 0 && !(val >> shift); shift -= 4)
		;
	for (; shift >= 0; shift -= 4)
		buf[n++] = rsp_hex_digit((unsigned int)(val >> shift));
	buf[n] = '\0';
	return n;
}
