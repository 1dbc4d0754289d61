#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The audio collector's throughput in the guest (Debian's kernel, QEMU
# TCG, 2 vCPUs): the simulated block runs at rising page rates for a few
# seconds each; the table gives, next to the board's 375 pages/s, what
# the block made, what reached frames, what was lost, and the collector
# thread's CPU time per page.  The highest rate with nothing lost is the
# figure; the goal is 100 times the board (37500 pages/s).
#
# The buffer is circular (64 MiB): the rates are far beyond what a
# stop-when-full buffer holds for long, and what is measured is the
# collector, not the buffer's size.  Timings under TCG are inflated and
# compare only within one run.
#
#   tests/bench/bench_adump.sh [SECONDS] [RATE...]
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

secs=${1:-3}
shift || true
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(375 3750 37500 75000 100000 150000)

g=$(guest_name bench-adump)
if ! start_guest "$g" --load '' --mem 1024 >/dev/null; then
	echo "bench_adump: guest boot failed" >&2
	exit 1
fi
D=/sys/kernel/debug

printf '%-10s %-8s %10s %10s %10s %8s %8s %8s %12s\n' rate x-board \
	made/s pages frames lost torn dropped 'cpu us/page'
best=0
for r in "${rates[@]}"; do
	out=$(vm exec --name "$g" -- "rmmod gtp_adump_sim 2>/dev/null; rmmod gtp 2>/dev/null
		insmod /lib/modules/gtp/gtp.ko buffer_size=67108864 circular=1 &&
		insmod /lib/modules/gtp/gtp_adump_sim.ko rate=$r &&
		echo start >$D/gtp_agent/adump && sleep $secs &&
		echo stop >$D/gtp_agent/adump && cat $D/gtp_agent/adump")
	declare -A a=()
	while IFS=': ' read -r k v; do a[$k]=$v; done <<<"$out"
	pages=${a[pages]:-0} frames=${a[frames]:-0} lost=${a[lost]:-0}
	torn=${a[torn]:-0} dropped=${a[dropped]:-0} cpu=${a[cpu_ns]:-0}
	per=$(awk -v c="$cpu" -v p="$pages" 'BEGIN { printf "%.1f", p ? c / p / 1000 : 0 }')
	made=$((pages / secs))
	printf '%-10s %-8s %10s %10s %10s %8s %8s %8s %12s\n' "$r" \
		"$((r / 375))x" "$made" "$pages" "$frames" "$lost" "$torn" \
		"$dropped" "$per"
	if [ "$lost" -eq 0 ] && [ "$dropped" -eq 0 ] && [ "$pages" -gt 0 ] &&
		[ "$made" -gt "$best" ]; then
		best=$made
	fi
done
echo "board: 375 pages/s (1.5 MB/s); highest rate made with nothing lost:" \
	"$best pages/s, $((best / 375)) times the board"
vm stop --name "$g" >/dev/null || echo "bench_adump: guest logged a kernel report" >&2
