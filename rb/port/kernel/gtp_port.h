/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform header of the portable core (rb/, proto/), kernel side.
 *
 * The core includes "gtp_port.h" and finds this file through the Kbuild
 * include path; the host build finds rb/port/host/gtp_port.h instead.  Both
 * give the same names: fixed-size integers (u8..u64, s8..s64), size_t,
 * bool, memcpy/memset/memcmp/strlen, ARRAY_SIZE, min_t, likely/unlikely
 * and the errno constants.
 */
#ifndef GTP_PORT_H
#define GTP_PORT_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/types.h>

#endif /* GTP_PORT_H */
