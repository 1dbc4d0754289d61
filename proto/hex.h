/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hexadecimal text as the GDB remote protocol writes it: numbers without
 * leading zeros or prefix, byte strings as two lower-case digits a byte.
 */
#ifndef GTP_PROTO_HEX_H
#define GTP_PROTO_HEX_H

#include "gtp_port.h"

/* Value of one hex digit (either case), or -1 if @c is not a hex digit. */
int rsp_hex_val(u8 c);

/* Lower-case hex digit of the low four bits of @v. */
static inline char rsp_hex_digit(unsigned int v)
{
	return "0123456789abcdef"[v & 0xf];
}

/*
 * Parse an unsigned hex number at *@pos, not reading at or past @end.
 * Needs at least one digit; leading zeros are allowed, a value that does
 * not fit 64 bits is refused.  On success *@pos points past the digits.
 */
bool rsp_parse_u64(const char **pos, const char *end, u64 *val);

/*
 * Decode @n bytes from 2 * @n hex digits at @src into @dst.  @dst may be
 * @src itself (decoding in place).  Returns false on a non-hex digit.
 */
bool rsp_hex_decode(u8 *dst, const char *src, size_t n);

/*
 * Write @val in hex, without leading zeros, to @buf (17 bytes at least,
 * NUL-terminated).  Returns the number of digits.
 */
size_t rsp_fmt_u64(char *buf, u64 val);

#endif /* GTP_PROTO_HEX_H */
