#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM tiers again, on the project's debug kernel (KASAN, lockdep,
# sleep-in-atomic checks, debug objects; scripts/build-debug-kernel) with
# the modules of `make debug-modules`.  A guest whose log holds any report
# fails its test at `scripts/vm stop`, as on the stock kernel.
#
# Usage: tests/debug/test_debug_vm.sh ['TEST [ARG...]'...]  (from tests/vm/)
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1
export GTP_VM_KERNEL=debug

if ! kdir=$(scripts/build-debug-kernel --kdir 2>&1); then
	fail "debug kernel: $kdir (make debug-modules)"
	exit 1
fi
for ko in gtp/gtp.ko target/gtp_target.ko; do
	if [ ! -f "build/kdebug/$ko" ]; then
		fail "debug kernel: build/kdebug/$ko not built (make debug-modules)"
		exit 1
	fi
done

# That the checkers are really there (KASAN, lockdep) is test_kunit.sh's
# first check, in its guest.

# Tests that hold for any kernel (test_harness checks for the stock one,
# test_oops and test_two_guests test the harness itself).  make check
# runs the GDB cases that reach the most kernel code (probes, nofault
# reads of kernel, user and bad memory, large collections, runs changed
# while live) and the audio collector with a shorter capture at the
# board's rate; GTP_DEBUG_FULL=1 runs every test and case.
if [ $# -gt 0 ]; then
	tests=("$@")
elif [ -n "${GTP_DEBUG_FULL:-}" ]; then
	tests=(test_module test_endpoint test_trace test_gtpframe test_gdb_target
		test_adump)
else
	tests=("test_gdb_target case_collect case_big case_unreadable
		case_during case_user_memory" test_adump)
	export GTP_ADUMP_SECONDS=3
fi
out=$(mktemp)
trap 'stop_guests; rm -f "$out"' EXIT
for t in "${tests[@]}"; do
	# Each result line names the kernel and the test it came from.
	# shellcheck disable=SC2086 # a test name and its arguments
	set -- $t
	t=$1
	shift
	if [ ! -f "tests/vm/$t.sh" ]; then
		fail "debug $t: no such test"
		continue
	fi
	bash "tests/vm/$t.sh" "$@" >"$out" 2>&1
	rc=$?
	sed -E "s/^(PASS|FAIL|SKIP) /\\1 debug $t: /" "$out"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
		fail "debug $t: exited with status $rc"
		tail -n 20 "$out"
	fi
	failures=$((failures + $(grep -c '^FAIL ' "$out")))
done

finish
