/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform header of the portable core (rb/, proto/), host side.
 *
 * Gives the core the same names the kernel does (see
 * rb/port/kernel/gtp_port.h), from the C library, so that rb/ and proto/
 * build unchanged as a host library for unit tests and sanitizers.
 */
#ifndef GTP_PORT_H
#define GTP_PORT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define min_t(type, a, b) \
	({ type __a = (a); type __b = (b); __a < __b ? __a : __b; })
#define max_t(type, a, b) \
	({ type __a = (a); type __b = (b); __a > __b ? __a : __b; })

#endif /* GTP_PORT_H */
