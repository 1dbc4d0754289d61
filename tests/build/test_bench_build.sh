#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench-modules` builds gtp_bench.ko (tests/bench/kernel/), the
# module of the guest benchmarks, against the stock kernel's headers,
# here into a private BENCH_KMOD_DIR: it must build without a compiler or
# sparse warning, and every symbol it uses must be one the kernel exports
# (the ftrace ring buffer's are GPL-only), so `make bench` cannot find it
# broken.  What it measures is not tested here: benchmarks are not tests.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/build/module_build.sh
. "$(dirname "$0")/module_build.sh"

build_module bench-modules BENCH_KMOD_DIR gtp_bench.ko
expect_eq "modpost warns about nothing" "" "$(grep '^WARNING: modpost' <<<"$out")"
expect_match "it drives the ftrace ring buffer" ' U ring_buffer_lock_reserve$' \
	"$(nm "$ko" 2>/dev/null)"
expect_match "it has its own rb/ writer" ' [Tt] rb_frame_begin$' \
	"$(nm "$ko" 2>/dev/null)"
expect_eq "every undefined symbol is exported by $kver" "" "$(unexported_symbols)"

finish
