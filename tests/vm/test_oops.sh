#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `scripts/vm stop` is the net every VM test relies on: a guest whose
# kernel crashed must make it fail and print the report.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name oops)
if ! start_guest "$g" --smp 1; then
	fail "oops guest boot"
	exit 1
fi

vm exec --name "$g" --timeout 60 -- 'echo c >/proc/sysrq-trigger' >/dev/null 2>&1
expect "exec reports the guest's death" test $? -ne 0

out=$(vm stop --name "$g" 2>&1)
rc=$?
expect "stop fails after a crash" test "$rc" -ne 0
expect_match "stop prints the report" 'Kernel panic - not syncing: sysrq triggered crash' "$out"
expect_match "stop prints the call trace" 'sysrq_handle_crash' "$out"
expect "stop reaps the crashed guest" test -z "$(vm list | awk -v n="$g" '$1 == n')"

# A report that does not kill the guest: a WARNING from the kernel.  The
# guest stays up; only stop's scan of its log can catch it.
g=$(guest_name warn)
if ! start_guest "$g" --smp 1; then
	fail "warn guest boot"
	exit 1
fi
# The line goes into the kernel log through /dev/kmsg at KERN_WARNING,
# the way WARN() prints it; what is tested is stop's scan, not WARN().
vm exec --name "$g" -- 'echo "<4>WARNING: CPU: 0 PID: 1 at test/injected.c:1 injected" >/dev/kmsg'
out=$(vm stop --name "$g" 2>&1)
rc=$?
expect "stop fails on a WARNING in the log" test "$rc" -ne 0
expect_match "stop prints the WARNING" 'WARNING: CPU: 0 PID: 1 at test/injected.c' "$out"

finish
