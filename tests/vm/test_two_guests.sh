#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Named guests run side by side without sharing ports, files or state.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

a=$(guest_name twin-a)
b=$(guest_name twin-b)
start_guest "$a" --append gtp_test_id=aaa >/dev/null &
pa=$!
start_guest "$b" --smp 1 --mem 384 --append gtp_test_id=bbb >/dev/null &
pb=$!
wait $pa
expect "first guest boots" test $? -eq 0
wait $pb
expect "second guest boots beside it" test $? -eq 0
# start_guest ran in subshells: register both for the exit trap here.
guests+=("$a" "$b")

expect_match "guest a is itself" 'gtp_test_id=aaa' \
	"$(vm exec --name "$a" -- cat /proc/cmdline)"
expect_match "guest b is itself" 'gtp_test_id=bbb' \
	"$(vm exec --name "$b" -- cat /proc/cmdline)"
expect_eq "guest b has its own CPU count" 1 "$(vm exec --name "$b" -- nproc)"
pa=$(vm port --name "$a")
pb=$(vm port --name "$b")
expect "ports differ" test "$pa" != "$pb"

vm exec --name "$a" -- 'echo only-a >/tmp/mark'
expect_eq "guests do not share files" missing \
	"$(vm exec --name "$b" -- 'cat /tmp/mark 2>/dev/null || echo missing')"

expect "stop a" vm stop --name "$a"
expect_eq "b still answers after a stops" ok "$(vm exec --name "$b" -- echo ok)"
expect "stop b" vm stop --name "$b"

finish
