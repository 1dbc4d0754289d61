#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Buffer against buffer, in one guest boot (Debian's kernel, QEMU TCG, 2
# vCPUs): the kernel's ftrace ring buffer and rb/'s writer, driven the
# same way by gtp_bench.ko (tests/bench/kernel/bench_buffers.c), for
# payloads of 8 to 4000 bytes, each writer alone and with a reader on the
# other CPU; then rb/ alone for collections ftrace cannot store in one
# event (16 KiB, 64 KiB, 1 MiB).  rb-nofault is rb/ copying with
# copy_from_kernel_nofault(), as the agent copies collected memory.
#
# Each cell is the median over ROUNDS rounds of a run of MS ms; the order
# of the writers alternates from round to round, and the ratio is the
# median of the rounds' own ratios, so a drift of the emulator's speed
# slower than a round cancels out.  Both writers stamp events with
# trace_clock_local() (ftrace's own clock); the last line prices one read
# of it against ktime_get_mono_fast_ns(), the agent's.  Times under TCG
# are inflated: only ratios mean anything.
#
#   tests/bench/bench_buffers.sh [ROUNDS] [MS]
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

rounds=${1:-5}
ms=${2:-300}
ko=build/bench-kmod/gtp_bench.ko
[ -f "$ko" ] || { echo "bench_buffers: $ko missing: run make bench-modules" >&2; exit 1; }

g=$(guest_name bench-buffers)
if ! start_guest "$g" --load '' --mem 1024 >/dev/null; then
	echo "bench_buffers: guest boot failed" >&2
	exit 1
fi
cp "$ko" "$(vm share --name "$g")/"
vm exec --name "$g" -- insmod /share/gtp_bench.ko >/dev/null || exit 1
ctl=/sys/kernel/debug/gtp_bench/buffers

# run WRITER SIZE [reader]: ns per event of one run, on stdout.
run() {
	local out
	out=$(vm exec --name "$g" -- "echo '$*' >$ctl && cat $ctl") || {
		echo "bench_buffers: '$*' failed" >&2
		return 1
	}
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	       if (v["refused"] != 0) printf "refused %s ", v["refused"] > "/dev/stderr"
	       printf "%.1f\n", v["ns"] / v["events"] }' <<<"$out"
}

# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# cell SIZE WRITERS... [-- reader]: median ns of each writer, then the
# median ratio of each to the first, all on one line.
cell() {
	local size=$1 mode=$2 w r
	shift 2
	local -a ws=("$@")
	declare -A ns=() ratio=()
	for ((r = 0; r < rounds; r++)); do
		local -a order=("${ws[@]}")
		((r % 2)) && mapfile -t order < <(printf '%s\n' "${ws[@]}" | tac)
		declare -A this=()
		for w in "${order[@]}"; do
			this[$w]=$(run "$w" "$size" "$ms" ${mode:+"$mode"}) || return 1
			ns[$w]+=" ${this[$w]}"
		done
		for w in "${ws[@]:1}"; do
			ratio[$w]+=" $(awk -v a="${this[$w]}" -v b="${this[${ws[0]}]}" 'BEGIN { printf "%.3f", a / b }')"
		done
	done
	for w in "${ws[@]}"; do
		# shellcheck disable=SC2086 # one word per figure
		printf ' %10s' "$(median ${ns[$w]})"
	done
	for w in "${ws[@]:1}"; do
		# shellcheck disable=SC2086
		printf ' %8s' "$(median ${ratio[$w]})"
	done
	echo
}

echo "ns per event, median of $rounds runs of $ms ms; ratio = rb / ftrace (goal: at most 1.0)"
for mode in alone reader; do
	echo
	echo "writer $mode$([ $mode = reader ] && echo ' (a reader on the other CPU)'):"
	printf '%8s %10s %10s %10s %8s %8s\n' size ftrace rb rb-nofault \
		'rb/ft' 'nf/ft'
	m=$([ $mode = reader ] && echo reader)
	for size in 8 64 256 1024 4000; do
		printf '%8s' "$size"
		cell "$size" "$m" ftrace rb rb-nofault || exit 1
	done
done
echo
echo "rb/ alone, collections larger than a page (ftrace cannot store them):"
printf '%8s %10s %10s %8s\n' size rb rb-nofault 'nf/rb'
for size in 16384 65536 1048576; do
	printf '%8s' "$size"
	cell "$size" '' rb rb-nofault || exit 1
done
echo
echo "one clock read alone: ftrace's and the rb writer's here, and the agent's:"
printf '%8s %10s %10s %8s\n' '' local mono 'mono/loc'
printf '%8s' ns
cell 8 '' clock-local clock-mono || exit 1
vm stop --name "$g" >/dev/null || echo "bench_buffers: guest logged a kernel report" >&2
