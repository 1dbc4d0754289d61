#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real GDB sessions against the whole engine (proto/ and rb/) on the host:
# build/host/gtp_sim serves it over TCP on 127.0.0.1 with a synthetic
# target, its own memory and the functions of tests/host/sim_program.c,
# whose symbols GDB reads from the executable.  The sessions are those of
# tests/gdb/cases.sh, the ones the kernel agent runs in the VM
# (tests/vm/test_gdb_target.sh), plus what only the simulator can do:
# memory writes with a target that allows them.
#
# Usage: tests/host/test_gdb_sim.sh [CASE...]   (after make host)
#   CASE: a function of tests/gdb/cases.sh (default: all of them)
# Environment: BUILD (default build/host), GDB (default gdb), KEEP=1 to
# keep the logs.  Prints "PASS <name>" or "FAIL <name>: <reason>" per
# check; exits 1 if any check failed, 77 (skip) if gdb is missing.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
build=${BUILD:-build/host}
sim="$build/gtp_sim"
# shellcheck source=tests/gdb/lib.sh
. tests/gdb/lib.sh
# shellcheck source=tests/gdb/cases.sh
. tests/gdb/cases.sh

if ! command -v "$gdb" >/dev/null 2>&1; then
	echo "SKIP gdb_sim: $gdb not found"
	exit 77
fi
if [[ ! -x $sim ]]; then
	echo "FAIL gdb_sim: $sim not built"
	exit 1
fi

tmp=$(mktemp -d)
sim_pid=
stop_sim() {
	if [[ -n $sim_pid ]]; then
		kill "$sim_pid" 2>/dev/null || true
		wait "$sim_pid" 2>/dev/null || true
		sim_pid=
	fi
}
trap 'stop_sim; [[ -n ${KEEP:-} ]] || rm -rf "$tmp"' EXIT

# start_sim ARGS...: a fresh simulator; sets $port.
start_sim() {
	stop_sim
	rm -f "$tmp/port"
	"$sim" --port-file "$tmp/port" --control "$tmp/ctl" "$@" \
		2>>"$tmp/sim.err" &
	sim_pid=$!
	local i
	for i in $(seq 100); do
		[[ -s $tmp/port && -p $tmp/ctl.done ]] && break
		sleep 0.05
	done
	port=$(cat "$tmp/port")
}

# The backend of tests/gdb/lib.sh.
gdb_args=("$sim")
gdb_symbols() { :; }
gdb_connect() { echo "target remote 127.0.0.1:$port"; }
run_cmd() { echo "echo $1 >$tmp/ctl && head -n1 $tmp/ctl.done >/dev/null"; }
target_reset() { start_sim; }
args_site=sim_program.c:$(grep -n 'gtpt-args-site \*/' tests/host/sim_program.c | cut -d: -f1)

# Memory writes only when the target allows them.
case_writes() {
	start_sim --allow-writes
	commands writes "set var gtpt_int = 5" "print gtpt_int" \
		"set var gtpt_int = -123456"
	clean writes
	expect writes_allowed writes '^[$]1 = 5$'
}

if [[ $# -gt 0 ]]; then
	for c in "$@"; do
		"$c"
	done
else
	run_all_cases
	case_writes
fi
exit "$failed"
