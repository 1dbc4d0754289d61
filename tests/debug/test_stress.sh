#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The short stress of `make check`: one round of each kind (pipes,
# circular, tstart/tstop cycles, rmmod under load) on the debug kernel
# with 2 CPUs.  `make stress` runs the long one on 2 and 4 CPUs.
exec env GTP_VM_KERNEL=debug "$(dirname "$0")/../stress/stress.sh" \
	--smp 2 --seconds 1 --hammer "${GTP_STRESS_HAMMER_MS:-1500}"
