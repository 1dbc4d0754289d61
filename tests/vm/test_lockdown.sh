#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel lockdown, raised at run time to confidentiality while the agent
# is loaded and GDB is connected (a locked-down kernel refuses unsigned
# modules, so this is how the agent meets it): live memory reads and
# collections of memory are refused, GDB shows the memory unavailable,
# the status file and the kernel log say why, and a new opener of the
# endpoint is refused by debugfs.  Nothing oopses.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name lockdown)
if ! start_guest "$g"; then
	fail "lockdown guest boot"
	exit 1
fi
tmp=$(mktemp -d)
trap 'stop_guests; rm -rf "$tmp"' EXIT

vm exec --name "$g" -- 'mkdir -p /sys/kernel/security
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null; true'
lsm=$(vm exec --name "$g" -- cat /sys/kernel/security/lockdown 2>&1)
if ! grep -q confidentiality <<<"$lsm"; then
	echo "SKIP lockdown: this kernel has no lockdown LSM ($lsm)"
	exit 77
fi
expect_match "lockdown: none before" '^lockdown: none$' \
	"$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)"

port=$(vm port --name "$g")
jiffies=$(ksym "$g" jiffies_64)
func=$(ksym "$g" __x64_sys_sethostname)
guest() { echo "shell $top/scripts/vm exec --name $g -- '$1'"; }
# A failed command ends a GDB script: the refused read ends the first.
cat >"$tmp/live.gdb" <<GDB
set pagination off
set architecture i386:x86-64
target remote :$port
x/2xg $jiffies
$(guest "echo confidentiality >/sys/kernel/security/lockdown")
x/2xg $jiffies
GDB
cat >"$tmp/trace.gdb" <<GDB
set pagination off
set confirm off
set architecture i386:x86-64
target remote :$port
trace *$func
actions
collect *(long *)$jiffies
end
tstart
$(guest "hostname locked")
tstop
tfind 0
x/2xg $jiffies
tfind none
tstatus
GDB
out=$(timeout 300 gdb -nx -batch -x "$tmp/live.gdb" 2>&1
	timeout 300 gdb -nx -batch -x "$tmp/trace.gdb" 2>&1)
while IFS= read -r line; do echo "  gdb: $line"; done <<<"$out"

expect_match "live read works before lockdown" "^$jiffies <jiffies_64>:|^$jiffies:\s+0x" "$out"
expect_match "live read refused after lockdown" \
	"Cannot access memory at address $jiffies" "$out"
expect_match "the collection is unavailable in the frame" \
	"^$jiffies.*:\s+<unavailable>\s+<unavailable>" "$out"
expect_match "the hit counted and stored" '^tp1_hits: 1$' \
	"$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)"
expect_match "the run goes on: one frame" 'Collected 1 trace frames' "$out"
status=$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)
expect_match "status says confidentiality" '^lockdown: confidentiality$' "$status"
expect_match "the kernel log says why" 'kernel is locked down: memory reads refused' \
	"$(vm exec --name "$g" -- dmesg)"
err=$(vm exec --name "$g" -- 'gtp-bridge stop; sleep 0.5; cat /sys/kernel/debug/gtp 2>&1 </dev/null')
expect_match "a new opener of the endpoint is refused" 'Operation not permitted' "$err"
expect "guest log clean" vm stop --name "$g"
finish
