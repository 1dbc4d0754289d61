#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures on purpose, in the debug kernel (failslab and
# fail_page_alloc through debugfs): slab allocations failing while GDB
# defines a tracepoint (QTDP), page allocations failing at tstart after
# a new buffer size (QTBuffer:size).  Each must give GDB a clear error and
# leave the agent usable: the same GDB then traces normally.  Only the
# task that feeds the endpoint (the bridge's writer, in whose context
# packets are handled) is made to fail, so the rest of the guest runs.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1
export GTP_VM_KERNEL=debug

g=$(guest_name fault)
if ! start_guest "$g"; then
	fail "fault injection: debug kernel guest boot"
	exit 1
fi
tmp=$(mktemp -d)
trap 'stop_guests; rm -rf "$tmp"' EXIT
port=$(vm port --name "$g")
func=$(ksym "$g" __x64_sys_sethostname)
D=/sys/kernel/debug

# RSP framing of a payload: $payload#checksum.
pkt() {
	local sum=0 i c
	for ((i = 0; i < ${#1}; i++)); do
		printf -v c '%d' "'${1:i:1}"
		sum=$(((sum + c) % 256))
	done
	printf '$%s#%02x' "$1" "$sum"
}

# fail_once KIND SPACE SETUP_PKT... -- PKT [AFTER]: on the endpoint (the bridge
# stopped), send the SETUP packets, then PKT with one allocation of the
# kind KIND (failslab, fail_page_alloc) failing, once SPACE of that kind
# was allocated (bytes of slab, pages).  Only the shell sending it is made to fail, and
# only once (times=1).  A slab allocation of the shell's comes only from
# the agent's handler; pages also from the shell's own copy-on-write
# faults, so for pages SPACE lets a few through and the failure lands
# inside the agent's allocation of the buffer.  Prints the endpoint's
# answers; the bridge is started again.
fail_once() {
	local kind=$1 space=$2 setup=() last after
	shift 2
	while [ "$1" != -- ]; do
		setup+=("$(pkt "$1")")
		shift
	done
	last=$(pkt "$2")
	# One packet may follow, sent with the failures off.
	after=${3:+$(pkt "$3")}
	# shellcheck disable=SC2016 # the guest's shell expands these
	vm exec --name "$g" -- sh -c '
		D=/sys/kernel/debug; kind=$1; space=$2; last=$3; after=$4; shift 4
		gtp-bridge stop; sleep 0.3
		exec 3<>$D/gtp
		# Each reply acknowledged with "+", as GDB does, or the agent
		# keeps it for a resend and its output queue fills.
		for p in "$@"; do
			printf "%s" "$p" >&3
			timeout 5 dd bs=4096 count=1 <&3 2>/dev/null; echo
			printf + >&3
		done
		cd $D/$kind
		echo Y >task-filter; echo N >ignore-gfp-wait
		[ ! -e ignore-gfp-highmem ] || echo N >ignore-gfp-highmem
		[ ! -e min-order ] || echo 0 >min-order	# default: order 1 up
		echo $space >space; echo 1 >interval; echo 0 >verbose
		echo 1 >times; echo 100 >probability
		echo 1 >/proc/self/make-it-fail
		printf "%s" "$last" >&3
		echo 0 >/proc/self/make-it-fail
		echo 0 >probability
		timeout 5 dd bs=4096 count=1 <&3 2>/dev/null; echo
		printf + >&3
		echo "failures left: $(cat times)"
		if [ -n "$after" ]; then
			printf "%s" "$after" >&3
			timeout 5 dd bs=4096 count=1 <&3 2>/dev/null; echo
			printf + >&3
		fi
		exec 3>&-
		# The readers above let go of the endpoint as they exit.
		n=0
		until (exec 4<>$D/gtp) 2>/dev/null || [ $n -ge 50 ]; do
			sleep 0.1; n=$((n + 1))
		done
		gtp-bridge start' _ "$kind" "$space" "$last" "$after" "${setup[@]}"
}

session() {
	timeout 300 gdb -nx -batch -ex 'set architecture i386:x86-64' \
		-ex "target remote :$port" "$@" 2>&1
}

expect "fault injection: debugfs controls present" vm exec --name "$g" -- \
	"test -d $D/failslab -a -d $D/fail_page_alloc"
addr=${func#0x}

# ---- a slab allocation fails in QTDP ----
out=$(fail_once failslab 0 QTinit -- "QTDP:1:$addr:E:0:0")
while IFS= read -r line; do echo "  endpoint: $line"; done <<<"$out"
expect_match "failslab in QTDP: a clear error" '[$]E[.]out of memory#' "$out"
expect_match "failslab in QTDP: the failure was ours" '^failures left: 0$' "$out"
# shellcheck disable=SC2016 # $regs is GDB's
out=$(session -ex 'info tracepoints' -ex "trace *$func" -ex 'actions' \
	-ex 'collect $regs' -ex 'end' -ex tstart \
	-ex "shell $top/scripts/vm exec --name $g -- hostname fi1" -ex tstop -ex tstatus)
expect_match "after failslab: nothing was left defined" 'No tracepoints' "$out"
expect_match "after failslab: the agent traces again" 'Collected 1 trace frames' "$out"

# ---- a page allocation fails at tstart, after a new buffer size ----
# 8 MiB: more than any buffer before, so tstart must allocate; the
# failure comes after 256 pages of it (fail_page_alloc counts pages),
# and what was had must be given back.
out=$(fail_once fail_page_alloc 256 QTinit "QTDP:1:$addr:E:0:0" \
	QTBuffer:size:800000 -- QTStart qTStatus)
while IFS= read -r line; do echo "  endpoint: $line"; done <<<"$out"
expect_match "fail_page_alloc at tstart: a clear error" \
	'[$]E[.]cannot allocate the trace buffer#' "$out"
expect_match "fail_page_alloc at tstart: the failure was ours" '^failures left: 0$' "$out"
expect_match "fail_page_alloc at tstart: no run; the last run's buffer kept" '[$]T0;tstop::0;tframes:1;' "$out"
out=$(session -ex 'set trace-buffer-size 8388608' -ex "trace *$func" -ex tstart \
	-ex "shell $top/scripts/vm exec --name $g -- hostname fi2" -ex tstop -ex tstatus)
# GDB takes up tracepoint 1 of the raw session and adds its own 2.
expect_match "after fail_page_alloc: tstart, a frame of each tracepoint" \
	'Collected 2 trace frames' "$out"
expect_match "after fail_page_alloc: the new size holds" 'bytes of 83[0-9]{5} bytes free' "$out"

status=$(vm exec --name "$g" -- cat $D/gtp_agent/status)
expect_match "status file still readable" '^state: stopped$' "$status"
expect "rmmod after the failures" vm exec --name "$g" -- 'gtp-bridge stop; sleep 0.5; rmmod gtp'
expect "guest log clean" vm stop --name "$g"
finish
