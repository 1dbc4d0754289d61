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

dir=$(mktemp -d)
trap 'rm -rf "$dir"; stop_guests' EXIT
kver=$("$top/scripts/stock-kernel")
kdir=$("$top/scripts/stock-kernel" --kdir)
ko=$dir/gtp_bench.ko

check=()
if command -v sparse >/dev/null 2>&1; then
	check=(C=1 W=1)
else
	echo "SKIP sparse on the benchmark module: sparse is not installed"
fi

out=$(make -C "$top" bench-modules KDIR="$kdir" BENCH_KMOD_DIR="$dir" "${check[@]}" 2>&1)
rc=$?
expect_eq "make bench-modules succeeds" 0 "$rc"
expect "gtp_bench.ko is produced" test -f "$ko"
[ -f "$ko" ] || echo "$out" | tail -n 30
expect_match "it is built for $kver" "^$kver " \
	"$(modinfo -F vermagic "$ko" 2>/dev/null)"
expect_eq "compiler and sparse report nothing" "" \
	"$(grep -E ': (warning|error):' <<<"$out")"
expect_eq "modpost warns about nothing" "" "$(grep '^WARNING: modpost' <<<"$out")"
expect_match "it drives the ftrace ring buffer" ' U ring_buffer_lock_reserve$' \
	"$(nm "$ko" 2>/dev/null)"
expect_match "it has its own rb/ writer" ' [Tt] rb_frame_begin$' \
	"$(nm "$ko" 2>/dev/null)"
missing=$(comm -23 <(nm -u "$ko" 2>/dev/null | awk '{ print $2 }' | sort -u) \
	<(awk '{ print $2 }' "$kdir/Module.symvers" | sort -u))
expect_eq "every undefined symbol is exported by $kver" "" "$missing"

finish
