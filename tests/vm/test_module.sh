#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gtp.ko loads, shows its debugfs files, refuses bad parameters without
# leaving anything behind, and unloads cleanly, many times over.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name module)
if ! start_guest "$g" --load ''; then
	fail "module guest boot"
	exit 1
fi
ko=/lib/modules/gtp/gtp.ko

expect "insmod gtp.ko" vm exec --name "$g" -- insmod $ko
status=$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)
expect_match "status file: state" '^state: idle$' "$status"
expect_match "status file: default buffer size" '^buffer_size: 4194304$' "$status"
expect_match "status file: writes off by default" '^allow_write: 0$' "$status"
expect_match "status file: CPUs" '^possible_cpus: 2$' "$status"
expect_eq "status file is root-only" 400 \
	"$(vm exec --name "$g" -- stat -c %a /sys/kernel/debug/gtp_agent/status)"
expect "rmmod gtp" vm exec --name "$g" -- rmmod gtp
expect "debugfs directory gone after rmmod" \
	vm exec --name "$g" -- test ! -e /sys/kernel/debug/gtp_agent

expect "insmod with parameters" vm exec --name "$g" -- \
	insmod $ko buffer_size=65536 circular=1
status=$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)
expect_match "parameters reach status" '^buffer_size: 65536$' "$status"
expect_match "circular parameter" '^circular: 1$' "$status"
expect "rmmod after parameters" vm exec --name "$g" -- rmmod gtp

err=$(vm exec --name "$g" -- insmod $ko buffer_size=0 2>&1)
expect "buffer_size=0 is refused" test $? -ne 0
expect_match "refusal says invalid argument" 'Invalid argument|-22' "$err"
expect "refused load leaves no debugfs files" \
	vm exec --name "$g" -- test ! -e /sys/kernel/debug/gtp_agent
expect_match "refused load says why" 'gtp: buffer_size must not be 0' \
	"$(vm exec --name "$g" -- dmesg)"

cycle="insmod $ko && cat /sys/kernel/debug/gtp_agent/status >/dev/null && rmmod gtp"
# shellcheck disable=SC2016 # expanded by the guest's shell
out=$(vm exec --name "$g" -- \
	'i=0; while [ $i -lt 25 ]; do '"$cycle"' || exit 1; i=$((i+1)); done; echo cycles=$i')
expect_eq "25 load/unload cycles" cycles=25 "$out"
expect "module not left loaded" vm exec --name "$g" -- test ! -d /sys/module/gtp

expect "guest log clean after cycles" vm stop --name "$g"

finish
