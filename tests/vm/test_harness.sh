#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM harness's contract: start, exec (stdout, stderr, exit status,
# argument quoting, stdin), port, log and a clean stop.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name harness)
if ! start_guest "$g"; then
	fail "harness boot: scripts/vm start failed"
	exit 1
fi
pass "harness boot"

kver=$("$top/scripts/stock-kernel")
expect_match "exec stdout: guest runs the stock kernel" "^Linux version $kver " \
	"$(vm exec --name "$g" -- cat /proc/version)"

out=$(vm exec --name "$g" -- 'echo to-out; echo to-err >&2; exit 7' 2>/dev/null)
rc=$?
expect_eq "exec relays exit status" 7 "$rc"
expect_eq "exec relays stdout alone" to-out "$out"
err=$(vm exec --name "$g" -- 'echo to-out; echo to-err >&2' 2>&1 >/dev/null)
expect_eq "exec relays stderr alone" to-err "$err"

# shellcheck disable=SC2016 # the guest must not expand it either
out=$(vm exec --name "$g" -- printf '%s|' 'two words' "a'quote" '$HOME')
expect_eq "exec keeps arguments as given" "two words|a'quote|\$HOME|" "$out"

out=$(printf 'line1\nline2\n' | vm exec --name "$g" --stdin -- 'wc -l')
expect_eq "exec passes stdin" 2 "$(echo "$out" | tr -d ' ')"

vm exec --name "$g" --timeout 1 -- sleep 5 >/dev/null 2>&1
expect_eq "exec --timeout gives 124" 124 "$?"

# Concurrent requests are served concurrently, each gets its own result.
for i in 1 2 3 4; do
	vm exec --name "$g" -- "sleep 1; echo r$i" >"/tmp/$g.$i" &
done
wait
got=$(cat "/tmp/$g".[1-4] | tr '\n' ' ')
rm -f "/tmp/$g".[1-4]
expect_eq "concurrent execs" "r1 r2 r3 r4 " "$got"

port=$(vm port --name "$g")
expect_match "port is a TCP port" '^[0-9]+$' "$port"
expect "port listens on loopback" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"

expect_match "gdb runs inside the guest" '^GNU gdb' \
	"$(vm exec --name "$g" -- gdb-local -batch -ex 'show version')"

expect_match "log holds the boot" "vm-init: ready, kernel $kver" "$(vm log --name "$g")"

out=$(vm stop --name "$g" 2>&1)
expect_eq "clean guest stops with status 0" 0 "$?"
expect "stop reaps qemu" test -z "$(vm list | awk -v n="$g" '$1 == n')"
vm exec --name "$g" -- true >/dev/null 2>&1
expect_eq "exec on a stopped guest fails" 1 "$?"

finish
