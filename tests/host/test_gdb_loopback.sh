#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real GDB against the protocol layer: GDB runs build/host/rsp_loopback (a
# server built from proto/ with a fake target: 256 bytes 0..255 at 0x1000,
# no registers, no writes) through a pipe, and we check what GDB prints.
#
# Usage: tests/host/test_gdb_loopback.sh   (after make -f tests/host/host.mk)
# Environment: BUILD (default build/host), GDB (default gdb).
# Prints "PASS <name>" or "FAIL <name>: <reason>" per check; exits 1 if any
# check failed, 77 (skip) if gdb is missing.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
build=${BUILD:-build/host}
gdb=${GDB:-gdb}
server="$build/rsp_loopback"
failed=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failed=1; }

if ! command -v "$gdb" >/dev/null 2>&1; then
	echo "SKIP gdb_loopback: $gdb not found"
	exit 77
fi
if [[ ! -x $server ]]; then
	echo "FAIL gdb_loopback: $server not built"
	exit 1
fi

# run_gdb OUTFILE GDB-ARGS...: batch GDB connected to the server.
run_gdb() {
	local out=$1
	shift
	local rc=0
	timeout 60 "$gdb" -nx -batch \
		-ex "target remote | $server" "$@" >"$out" 2>&1 || rc=$?
	echo "$rc"
}

# expect NAME FILE REGEX: FILE has a line matching the extended REGEX.
expect() {
	if grep -Eq -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1" "no line matching /$3/ in: $(tr '\n' '|' <"$2")"
	fi
}

# expect_not NAME FILE REGEX: no line of FILE matches.
expect_not() {
	local line
	if line=$(grep -E -m1 -- "$3" "$2"); then
		fail "$1" "unexpected: $line"
	else
		pass "$1"
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The brief's session, plus partial reads, a refused write and continue.
out="$tmp/session.log"
rc=$(run_gdb "$out" \
	-ex 'x/8xb 0x1000' \
	-ex 'x/2xb 0x5000' \
	-ex 'info registers rip' \
	-ex 'info registers rsp' \
	-ex 'x/4xb 0x10fe' \
	-ex 'set var *(char *)0x1000 = 1' \
	-ex 'continue' \
	-ex 'x/2xb 0x1000' \
	-ex 'detach')
if [[ $rc == 0 ]]; then
	pass "gdb_exit_status"
else
	fail "gdb_exit_status" "gdb exited with $rc: $(tr '\n' '|' <"$out")"
fi
expect_not "connect_clean" "$out" \
	"Remote connection closed|packet reply is too long|not available|Ignoring packet error|Malformed|Remote replied unexpectedly"
expect "connect_stopped_at_pc_0" "$out" '^0x0000000000000000 in \?\? \(\)$'
expect "read_8_bytes" "$out" \
	$'^0x1000:\t0x00\t0x01\t0x02\t0x03\t0x04\t0x05\t0x06\t0x07$'
expect "read_fault" "$out" \
	$'^0x5000:\tCannot access memory at address 0x5000$'
expect "pc_reads_0" "$out" '^rip +0x0 +0x0$'
expect "regs_unavailable" "$out" '^rsp +<unavailable>$'
expect "read_partial" "$out" \
	$'^0x10fe:\t0xfe\t0xff\tCannot access memory at address 0x1100$'
expect "write_refused" "$out" '^Cannot access memory at address 0x1000$'
expect "continue_refused" "$out" 'Remote failure reply: E01'
expect "read_after_continue" "$out" $'^0x1000:\t0x00\t0x01$'
expect "detach" "$out" '^\[Inferior 1 \(Remote target\) detached\]$'

# The same reads with acknowledgments on (no QStartNoAckMode).
out="$tmp/ack.log"
rc=$(run_gdb "$out" -ex 'x/8xb 0x10f8' -ex 'detach' \
	-iex 'set remote noack-packet off')
if [[ $rc == 0 ]]; then
	pass "ack_mode_exit_status"
else
	fail "ack_mode_exit_status" "gdb exited with $rc"
fi
expect "ack_mode_read" "$out" \
	$'^0x10f8:\t0xf8\t0xf9\t0xfa\t0xfb\t0xfc\t0xfd\t0xfe\t0xff$'
expect "ack_mode_detach" "$out" '^\[Inferior 1 \(Remote target\) detached\]$'

# The whole region in one command.
out="$tmp/dump.log"
rc=$(run_gdb "$out" -ex 'x/256xb 0x1000' -ex 'detach')
lines=$(grep -Ec $'^0x1[0-9a-f]{3}:\t' "$out" || true)
if [[ $rc == 0 && $lines == 32 ]]; then
	pass "read_256_bytes"
else
	fail "read_256_bytes" "rc $rc, $lines lines of 8 bytes"
fi
expect "read_256_last" "$out" \
	$'^0x10f8:\t0xf8\t0xf9\t0xfa\t0xfb\t0xfc\t0xfd\t0xfe\t0xff$'

exit "$failed"
