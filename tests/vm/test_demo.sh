#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo` is one of the README's two commands: its script
# (scripts/demo, after make and make target) must run to the end and
# show what it says it shows.  Checked here from its output: the live
# memory reads, every frame GDB walks with the values the target module
# passed and the hostnames the guest had, the trace saved and read back
# with target tfile, GDB inside the guest creating both tracepoints from
# the agent's and reading a frame, and a guest log with no report.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

out=$("$top/scripts/demo" 2>&1)
rc=$?
expect_eq "scripts/demo exits 0" 0 "$rc"

# The sections of the output, by the demo's own headings.
part() { sed -n "/^$1/,/^$2/p" <<<"$out"; }
host=$(part '=== Host GDB session' '=== GDB inside the guest')
guest=$(part '=== GDB inside the guest' '=== Stopping the guest')
frames=$(part '--- walk the frames' '--- save the trace')
file=$(part '--- save the trace' '=== GDB inside the guest')

expect_match "the status file is shown" '^state: idle$' "$out"
expect_match "live memory: a struct of the module" \
	'^[$]1 = \{x = 3, y = -4, name = "origin' "$host"
expect_match "live memory: a string of the module" \
	'^[$]2 = "tracepoints over the wire' "$host"
expect_match "the run collected 5 frames" '^Collected 5 trace frames\.' "$host"
expect_match "frame 0: the arguments and the local" \
	'^frame 0: a=1 b=1000 local=3$' "$frames"
expect_match "frame 0: the struct behind the pointer" \
	'^[$]3 = \{x = 3, y = -4' "$frames"
expect_match "frame 0: the 64 KiB array, first and last bytes" \
	'^64 KiB array: first bytes 0 7 14, last 236$' "$frames"
expect_match "frame 0: the registers" '^rsi +0x3e8 +1000$' "$frames"
expect_match "the second call of the module's function" \
	'^next frame of tracepoint 1: a=2$' "$frames"
expect_match "sethostname: the hostname before the first rename" \
	'^sethostname hit on cpu [0-9]+ by pid [0-9]+; hostname was "\(none\)"$' \
	"$frames"
expect_match "sethostname: the hostname before the second rename" \
	'^second sethostname: hostname was "alpha"$' "$frames"
expect_match "the live hostname after the run" \
	'^live hostname now: "beta"$' "$frames"
expect_match "target tfile: the saved trace opens" '^Using a trace file\.' "$file"
expect_match "target tfile: its status" '^Collected 5 trace frames\.' "$file"
expect_match "target tfile: frame 0 from the file" \
	'^from the file, frame 0: a=1 b=1000$' "$file"
expect_match "GDB in the guest creates the module's tracepoint" \
	'^Created tracepoint [0-9]+ for target.s tracepoint 1 ' "$guest"
expect_match "GDB in the guest creates sethostname's tracepoint" \
	'^Created tracepoint [0-9]+ for target.s tracepoint 2 ' "$guest"
expect_eq "GDB in the guest skips no tracepoint" "" \
	"$(grep -i 'failed to create' <<<"$guest")"
expect_match "GDB in the guest reads a frame" \
	'^frame 0, read in the guest: a=1 b=1000$' "$guest"
expect_match "the guest stopped with no kernel report" \
	"^vm: guest 'demo-[0-9]+' stopped$" "$out"

if [ "$failures" -gt 0 ]; then
	echo "--- scripts/demo's output"
	echo "$out"
fi
finish
