#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader side in the guest (Debian's kernel, QEMU TCG, 2 vCPUs): how
# long the agent takes to answer `tfind N` (QTFrame:N) at the start, the
# middle and the end of a buffer of 100,000 and of 1,000,000 frames, and
# qTStatus on the same buffers, next to a trivial packet (`?`) as the
# floor; then how fast /sys/kernel/debug/gtpframe reads the whole trace
# file, next to a plain debugfs blob of the same size (gtp_bench.ko,
# `make bench-modules`).  The frame index (rb/index.c) should make tfind
# independent of N and of the buffer's size, and the status O(1).
#
# tests/bench/guest/rsp_time talks RSP straight to the agent's endpoint
# inside the guest and times each round trip there (the packets in turn,
# REPEAT rounds, the median); it fills the buffer with real frames: a
# tracepoint on getppid() collecting 8 bytes, passcount FRAMES, hit
# FRAMES times on CPU 0 (us/hit: one getppid() with its hit and frame).
# The first tfind after a run builds the index of its frames: its time
# is given on its own.  Timings under TCG are inflated and compare only
# within one run.
#
#   tests/bench/bench_reader.sh [REPEAT [FRAMES...]]
#	REPEAT defaults to 50, FRAMES to 100000 1000000.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

repeat=${1:-50}
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100000 1000000)
block=4194304	# read() size for the throughput rows
passes=5	# whole-file reads a throughput figure is the median of

max=0
for n in "${counts[@]}"; do
	if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
		echo "bench_reader: frame counts are positive numbers, not '$n'" >&2
		exit 2
	fi
	[ "$n" -le "$max" ] || max=$n
done

bin=build/bench-guest/rsp_time
mkdir -p build/bench-guest
if ! gcc -static -O2 -Wall -I rb/port/host -I . -o "$bin" \
	tests/bench/guest/rsp_time.c proto/hex.c; then
	echo "bench_reader: cannot build $bin" >&2
	exit 1
fi
blob_ko=build/bench-kmod/gtp_bench.ko
[ -f "$blob_ko" ] || echo "bench_reader: $blob_ko not built (make" \
	"bench-modules): no blob rows" >&2

# A frame is a 40-byte head and a 32-byte FID_MEM entry in the ring, ~56
# to a page; all hits go to CPU 0, but the buffer is split over both
# CPUs: 2 x 80 bytes a frame plus slack.  The guest also holds the index
# (48 bytes a frame, doubled while it grows) and the blob.
bufsize() { echo $(($1 * 160 + 1048576)); }
mem=$((640 + max / 2500))

g=$(guest_name bench-reader)
if ! start_guest "$g" --load '' --smp 2 --mem "$mem" >/dev/null; then
	echo "bench_reader: guest boot failed" >&2
	exit 1
fi
share=$(vm share --name "$g")
cp "$bin" "$share/rsp_time"
[ ! -f "$blob_ko" ] || cp "$blob_ko" "$share/gtp_bench.ko"
D=/sys/kernel/debug
if ! vm exec --name "$g" -- insmod /lib/modules/gtp/gtp.ko; then
	echo "bench_reader: insmod gtp.ko failed" >&2
	exit 1
fi
func=$(ksym "$g" __x64_sys_getppid)
addr=$(ksym "$g" jiffies_64)

rsp() { vm exec --name "$g" --timeout 900 -- /share/rsp_time "$@"; }
# field NAME TEXT: the value of NAME in "NAME: v" lines or ";NAME:v;" text.
field() {
	grep -oE "(^|;)$1(:|: )[0-9a-fx]+" <<<"$2" | head -n 1 | sed 's/.*[: ]//'
}

declare -A res=()
for n in "${counts[@]}"; do
	echo "--- $n frames"
	out=$(rsp fill "$n" "${func#0x}" "${addr#0x}" "$(bufsize "$n")") || {
		echo "bench_reader: fill of $n frames failed: $out" >&2
		continue
	}
	echo "$out"
	res[$n,hit]=$(sed -n 's/^fill:.* \([0-9.]*\) us a call$/\1/p' <<<"$out")

	# What the buffer holds, from the agent twice: qTStatus and status.
	tframes=$(field tframes "$out")
	tframes=$((16#${tframes:-0}))
	tcreated=$(field tcreated "$out")
	tcreated=$((16#${tcreated:-0}))
	st=$(vm exec --name "$g" -- cat "$D/gtp_agent/status")
	frames=$(field frames "$st")
	hits=$(field tp1_hits "$st")
	lost=0
	for k in dropped_full dropped_nested dropped_too_big tp1_dropped \
		overwritten pages_overwritten; do
		v=$(field "$k" "$st")
		lost=$((lost + ${v:-0}))
	done
	echo "qTStatus: tframes $tframes tcreated $tcreated;" \
		"status: frames $frames tp1_hits $hits, dropped or overwritten $lost"
	if [ "$tframes" -eq "$n" ] && [ "$tcreated" -eq "$n" ] &&
		[ "$frames" = "$n" ] && [ "$hits" = "$n" ] && [ "$lost" -eq 0 ]; then
		res[$n,check]=ok
	else
		res[$n,check]=WRONG
		echo "bench_reader: the buffer does not hold exactly $n frames" >&2
	fi

	# The first QTFrame indexes the run's frames; then the round trips.
	mid=$(printf '%x' $((n / 2)))
	last=$(printf '%x' $((n - 1)))
	out=$(rsp time 1 QTFrame:0)
	res[$n,index]=$(awk '{ printf "%.1f", $2 / 1000 }' <<<"$out")
	pkts=('?' QTFrame:0 "QTFrame:$mid" "QTFrame:$last" qTStatus)
	out=$(rsp time "$repeat" "${pkts[@]}")
	echo "$out"
	for i in "${!pkts[@]}"; do
		res[$n,$i]=$(awk -v p="${pkts[i]}" \
			'$1 == p { print $2 " (" $3 ")" }' <<<"$out")
	done
	for f in 0 "$mid" "$last"; do
		grep -q "^QTFrame:$f .* F${f}T1$" <<<"$out" ||
			echo "bench_reader: QTFrame:$f did not select frame $f" >&2
	done

	out=$(rsp read "$D/gtpframe" "$block" "$passes")
	echo "$out"
	bytes=$(sed -n 's/.* bytes=\([0-9]*\) .*/\1/p' <<<"$out")
	res[$n,bytes]=$bytes
	res[$n,reads]=$(sed -n 's/.* reads=\([0-9]*\) .*/\1/p' <<<"$out")
	res[$n,frame_mbs]=$(sed -n 's|.* MB/s=\([0-9.]*\) .*|\1|p' <<<"$out")
	res[$n,blob_mbs]=-
	if [ -f "$blob_ko" ] && [ -n "$bytes" ] &&
		out=$(vm exec --name "$g" -- "insmod /share/gtp_bench.ko blob_bytes=$bytes &&
			/share/rsp_time read $D/gtp_bench/blob $block $passes; r=\$?
			rmmod gtp_bench; exit \$r"); then
		echo "$out"
		res[$n,blob_mbs]=$(sed -n 's|.* MB/s=\([0-9.]*\) .*|\1|p' <<<"$out")
		res[$n,blob_reads]=$(sed -n 's/.* reads=\([0-9]*\) .*/\1/p' <<<"$out")
	fi
done

echo
echo "RSP round trips inside the guest, us: median of $repeat (minimum);" \
	"'index ms' is the first tfind after the run, which indexes its frames"
printf '%-9s %-6s %8s %9s %15s %15s %15s %15s %15s\n' frames check \
	'us/hit' 'index ms' '? (floor)' 'tfind 0' 'tfind N/2' 'tfind N-1' qTStatus
for n in "${counts[@]}"; do
	printf '%-9s %-6s %8s %9s %15s %15s %15s %15s %15s\n' "$n" \
		"${res[$n,check]:-fail}" "${res[$n,hit]:--}" "${res[$n,index]:--}" \
		"${res[$n,0]:--}" "${res[$n,1]:--}" "${res[$n,2]:--}" \
		"${res[$n,3]:--}" "${res[$n,4]:--}"
done
echo
echo "Whole trace file read with $block-byte reads, MB/s: median of $passes"
printf '%-9s %12s %14s %14s %12s %12s\n' frames 'file bytes' \
	'gtpframe MB/s' 'reads a pass' 'blob MB/s' 'blob reads'
for n in "${counts[@]}"; do
	printf '%-9s %12s %14s %14s %12s %12s\n' "$n" "${res[$n,bytes]:--}" \
		"${res[$n,frame_mbs]:--}" "${res[$n,reads]:--}" \
		"${res[$n,blob_mbs]:--}" "${res[$n,blob_reads]:--}"
done
vm stop --name "$g" >/dev/null || echo "bench_reader: guest logged a kernel report" >&2
