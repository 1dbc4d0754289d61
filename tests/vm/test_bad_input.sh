#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Raw malformed traffic on the agent's endpoint (tests/vm/bad_input.py:
# bad checksums, cut and 1 MiB packets, invalid hex, every QTDP field out
# of range, bytecode bombs), then a normal GDB session on the same agent.
# Nothing may oops, leak or wedge the endpoint: `scripts/vm stop` checks
# the guest's log.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

g=$(guest_name badin)
if ! start_guest "$g"; then
	fail "bad input guest boot"
	exit 1
fi
port=$(vm port --name "$g")
func=$(ksym "$g" __x64_sys_sethostname)
data=$(ksym "$g" init_uts_ns)

timeout 600 python3 tests/vm/bad_input.py "$port" "$func" "$data" \
	"$top/scripts/vm exec --name $g -- hostname bombed" ||
	failures=$((failures + 1))

out=$(timeout 120 gdb -nx -batch -ex 'set architecture i386:x86-64' \
	-ex "target remote :$port" -ex "trace *$func" -ex tstart \
	-ex "shell $top/scripts/vm exec --name $g -- hostname fine" \
	-ex tstop -ex tstatus 2>&1)
expect_match "a normal GDB session after it all" 'Collected 1 trace frames' "$out"
expect_match "status file still readable" '^state: stopped$' \
	"$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)"
expect "guest log clean" vm stop --name "$g"
finish
