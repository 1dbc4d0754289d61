#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# /sys/kernel/debug/gtp end to end: host GDB through the guest's serial
# bridge and GDB inside the guest read the live kernel through nofault
# copies; bad addresses are errors, writes are refused by default, and
# the endpoint takes one connection at a time.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name endpoint)
if ! start_guest "$g"; then
	fail "endpoint guest boot"
	exit 1
fi

banner=$(ksym "$g" linux_banner)
jiffies=$(ksym "$g" jiffies_64)
port=$(vm port --name "$g")
# The release of the kernel the guest booted (stock or debug).
kver=$(vm exec --name "$g" -- uname -r)

hostgdb() {
	timeout 120 gdb -nx -batch -ex 'set pagination off' \
		-ex "target remote :$port" "$@" -ex detach 2>&1
}

out=$(hostgdb -ex "printf \"banner=%s\", (char *)$banner" \
	-ex "printf \"j1=%lu\\n\", *(unsigned long *)$jiffies" \
	-ex 'shell sleep 1' \
	-ex "printf \"j2=%lu\\n\", *(unsigned long *)$jiffies" \
	-ex 'x/xg 0' -ex 'x/xg 0xffffffffffff0000' \
	-ex "set {char}$banner = 0x4c" -ex 'info registers rsp')
expect_match "host gdb connects" 'Remote target|0x0000000000000000 in \?\? \(\)' "$out"
expect_match "host gdb reads linux_banner" "banner=Linux version $kver " "$out"
j1=$(sed -n 's/^j1=//p' <<<"$out")
j2=$(sed -n 's/^j2=//p' <<<"$out")
expect "live reads see jiffies advance" test "${j2:-0}" -gt "${j1:-0}"
expect_match "NULL is an error, not an oops" 'Cannot access memory at address 0x0' "$out"
expect_match "unmapped kernel address is an error" 'Cannot access memory at address 0xffffffffffff0000' "$out"
expect_match "writes refused by default" 'Cannot access memory at address '"$banner" "$out"
expect_match "no registers outside a frame" 'rsp +<unavailable>' "$out"
expect_match "host gdb detaches" 'detached' "$out"

# A second connection while the bridge holds the endpoint.
err=$(vm exec --name "$g" -- 'cat /sys/kernel/debug/gtp' 2>&1)
expect_match "second opener gets EBUSY" 'Device or resource busy' "$err"
expect_eq "endpoint is root-only" 600 \
	"$(vm exec --name "$g" -- stat -c %a /sys/kernel/debug/gtp)"

# GDB inside the guest, straight on the debugfs file.
out=$(vm exec --name "$g" -- "gtp-bridge stop; gdb-local -batch \
	-ex 'target remote /sys/kernel/debug/gtp' \
	-ex 'printf \"banner=%s\", (char *)$banner' -ex detach 2>&1; gtp-bridge start")
expect_match "gdb in the guest reads the kernel" "banner=Linux version $kver " "$out"

# Reconnect from the host after the local session: a fresh session.
out=$(hostgdb -ex "printf \"banner=%s\", (char *)$banner")
expect_match "host gdb reconnects" "banner=Linux version $kver " "$out"

# The module cannot go while a connection holds it, and can once closed.
expect "rmmod refused while connected" \
	vm exec --name "$g" -- '! rmmod gtp 2>/dev/null'
expect "rmmod after the bridge closes" \
	vm exec --name "$g" -- 'gtp-bridge stop; rmmod gtp'

expect "guest log clean" vm stop --name "$g"
finish
