// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side state of the port: the allocation-failure switch the unit
 * tests use to prove that a failed allocation leaves nothing half-built.
 */
#include "gtp_port.h"

/* Allocations left before they start failing; negative: never fail. */
long rb_host_fail_alloc_after = -1;
