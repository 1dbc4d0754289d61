#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What keeps the agent root's: every debugfs file is root-only and a
# non-root opener is refused; a probe on a function the kernel forbids
# kprobes on (its kprobe blacklist) is refused at tstart with a GDB error
# naming the tracepoint, and the run does not start.  (Memory writes
# without allow_write=1 are tests/gdb/cases.sh's errors case; lockdown is
# test_lockdown.sh.)
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name security)
if ! start_guest "$g" --load 'gtp gtp_adump_sim'; then
	fail "security guest boot"
	exit 1
fi
D=/sys/kernel/debug

for f in gtp:600 gtpframe:400 gtpframe_pipe:400 gtp_agent/status:400 \
	gtp_agent/adump:600; do
	expect_eq "root-only: $D/${f%:*} is ${f#*:}" "${f#*:}" \
		"$(vm exec --name "$g" -- stat -c %a "$D/${f%:*}")"
done

# A process of user nobody (the host's python3, in the guest's kernel).
for f in gtp gtpframe gtpframe_pipe gtp_agent/status; do
	out=$(vm exec --name "$g" -- chroot /host python3 -c "
import os
os.setgid(65534)
os.setuid(65534)
try:
    open('$D/$f', 'rb')
    print('opened')
except OSError as e:
    print('refused:', e.strerror)" 2>&1)
	expect_eq "a non-root opener of $f is refused" "refused: Permission denied" "$out"
done

# The first function of the kernel's kprobe blacklist.
bl=$(vm exec --name "$g" -- "sed -n '1s/-.*//p' $D/kprobes/blacklist")
name=$(vm exec --name "$g" -- "sed -n '1s/.*\t//p' $D/kprobes/blacklist")
port=$(vm port --name "$g")
out=$(timeout 120 gdb -nx -batch -ex 'set architecture i386:x86-64' \
	-ex "target remote :$port" -ex "trace *$bl" -ex tstart -ex tstatus 2>&1)
while IFS= read -r line; do echo "  gdb: $line"; done <<<"$out"
expect_match "a probe on blacklisted $name is refused, naming the tracepoint" \
	"error code '\\.tracepoint 1 at $bl: cannot install a probe \\(error -[0-9]+\\)'" "$out"
expect_match "the refused run did not start" \
	'Trace has not been run|No trace has been run' "$out"
if grep -q 'Trace started at' <<<"$out"; then
	fail "the refused run has no start time: tstatus shows one"
else
	pass "the refused run has no start time"
fi
expect "guest log clean" vm stop --name "$g"
finish
