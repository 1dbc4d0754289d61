#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The audio collector (hw/) against the simulated block (gtp_adump_sim.ko)
# in the guest: every page the block completes is in a frame, counted as
# lost (and described by a gap frame, or the run's terror) or counted as
# dropped, and every collected page holds exactly the block's audio.  The
# audio comes back through gtpframe and scripts/adump2wav, and is checked
# sample by sample (tests/vm/adump_verify.py).
#
# Each scenario reloads both modules: a fresh trace run, a fresh block.
# GTP_ADUMP_SECONDS shortens the capture at the board's rate (10.2 s of
# audio by default), for the debug kernel's second pass.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

g=$(guest_name adump)
if ! start_guest "$g" --load '' --mem 1024; then
	fail "adump guest boot"
	exit 1
fi
share=$(vm share --name "$g")
tmp=$(mktemp -d)
trap 'stop_guests; rm -rf "$tmp"' EXIT
D=/sys/kernel/debug

# reload "GTP PARAMS" "SIM PARAMS": fresh modules, a 64 MiB buffer.
reload() {
	vm exec --name "$g" -- 'rmmod gtp_adump_sim 2>/dev/null; true' &&
		unload_gtp "$g" &&
		vm exec --name "$g" -- "insmod /lib/modules/gtp/gtp.ko buffer_size=67108864 $1 &&
			insmod /lib/modules/gtp/gtp_adump_sim.ko $2 && gtp-bridge start"
}

# The collector's status as shell variables: a_pages, a_frames, ...
a_bound=0 a_capturing=0 a_pages=0 a_frames=0 a_lost=0 a_dropped=0 a_gaps=0
a_overruns=0 a_counter_resets=0 a_rate=0 a_error=none a_ring_address=0
adump_status() {
	local k v
	while IFS=': ' read -r k v; do
		[[ $k =~ ^[a-z_]+$ ]] && printf -v "a_$k" '%s' "$v"
	done < <(vm exec --name "$g" -- cat $D/gtp_agent/adump)
}

# Every page accounted for, once.
expect_accounted() {
	expect_eq "$1: pages = frames + lost + dropped" "$a_pages" \
		"$((a_frames + a_lost + a_dropped))"
}

# wav NAME [adump2wav options]: the buffer as a WAV, stderr in NAME.err.
wav() {
	local name=$1
	shift
	vm exec --name "$g" -- "cat $D/gtpframe >/share/$name.tf" &&
		scripts/adump2wav "$@" "$share/$name.tf" "$tmp/$name.wav" \
			2>"$tmp/$name.err"
}

# check_gaps NAME: the gaps adump2wav reports for NAME.wav add up to the
# lost pages, and the audio around them is the block's, the gaps silent.
check_gaps() {
	local name=$1 gp sum=0 args=() gaps
	# One "gap: pages A..B (N pages" line a gap.
	mapfile -t gaps < <(sed -n 's/.*gap: pages \([0-9]*\)\.\.[0-9]* (\([0-9]*\) pages.*/\1:\2/p' "$tmp/$name.err")
	for gp in "${gaps[@]}"; do
		sum=$((sum + ${gp#*:}))
		args+=(--gap "$gp")
	done
	expect_eq "$name: the WAV's gaps are the lost pages" "$a_lost" "$sum"
	expect_match "$name: audio around the gaps is the block's, the gaps silent" \
		"^pages=$a_pages p0=0 silent=$a_lost\$" \
		"$(python3 tests/vm/adump_verify.py "$tmp/$name.wav" "${args[@]}" 2>&1)"
}

# ---- at the board's rate, 10 s of audio: all of it, byte for byte ----
secs=${GTP_ADUMP_SECONDS:-10.2}
reload "" ""
expect_match "block bound" '^bound: 1$' "$(vm exec --name "$g" -- cat $D/gtp_agent/adump)"
vm exec --name "$g" -- "echo start >$D/gtp_agent/adump; sleep $secs; echo stop >$D/gtp_agent/adump"
adump_status
expect "board rate: $secs s of pages ($a_pages)" \
	test "$a_pages" -ge "$(awk -v s="$secs" 'BEGIN { print int(375 * (s - 0.2)) }')"
expect_eq "board rate: every page in a frame" "$a_pages" "$a_frames"
expect_eq "board rate: nothing lost" 0 "$((a_lost + a_dropped + a_gaps))"
expect "board rate: measured $a_rate pages/s" test "$a_rate" -ge 360 -a "$a_rate" -le 390
expect_accounted "board rate"
if wav board; then
	info=$(sox --i "$tmp/board.wav" 2>&1)
	expect_match "board rate: WAV of 8 channels" 'Channels +: 8' "$info"
	expect_match "board rate: WAV at 48 kHz" 'Sample Rate +: 48000' "$info"
	expect_match "board rate: WAV of 32-bit samples" 'Precision +: 32-bit' "$info"
	expect_match "board rate: WAV holds every page" \
		"= $((a_pages * 128)) samples" "$info"
	out=$(python3 tests/vm/adump_verify.py "$tmp/board.wav" 2>&1)
	expect_match "board rate: every sample is the block's, in order" \
		"^pages=$a_pages p0=0 silent=0\$" "$out"
else
	fail "board rate: adump2wav: $(cat "$tmp/board.err")"
fi

# ---- the counter crosses 65536 ----
reload "" "start_count=65000 rate=1875"
vm exec --name "$g" -- "echo start >$D/gtp_agent/adump; sleep 2; echo stop >$D/gtp_agent/adump"
adump_status
expect "wrap: crossed 65536 ($a_pages pages from 65000)" test "$a_pages" -ge 600
expect_eq "wrap: nothing lost" 0 "$((a_lost + a_dropped + a_counter_resets))"
expect_accounted "wrap"
if wav wrap; then
	expect_match "wrap: every sample is the block's" "^pages=$a_pages p0=0 silent=0\$" \
		"$(python3 tests/vm/adump_verify.py "$tmp/wrap.wav" 2>&1)"
else
	fail "wrap: adump2wav: $(cat "$tmp/wrap.err")"
fi

# ---- the block stalls, then bursts out what it owed ----
reload "" ""
vm exec --name "$g" -- "echo start >$D/gtp_agent/adump; sleep 1
	echo stall 3000 >$D/gtp_adump_sim/inject; sleep 4; echo stop >$D/gtp_agent/adump"
adump_status
expect "stall and burst: 5 s of pages ($a_pages)" test "$a_pages" -ge 1800
expect_eq "stall and burst: nothing lost" 0 "$((a_lost + a_dropped))"
if wav stall; then
	expect_match "stall and burst: every sample is the block's" \
		"^pages=$a_pages p0=0 silent=0\$" \
		"$(python3 tests/vm/adump_verify.py "$tmp/stall.wav" 2>&1)"
else
	fail "stall: adump2wav: $(cat "$tmp/stall.err")"
fi

# ---- overrun, skip policy: a gap frame with the exact count ----
# A poll a second and a 1024-page ring: 5000 pages at once lap it.
reload "adump_period_us=1000000 adump_ring_pages=1024" ""
vm exec --name "$g" -- "echo start >$D/gtp_agent/adump; sleep 1.5
	echo overrun 5000 >$D/gtp_adump_sim/inject; sleep 2.5"
status=$(vm exec --name "$g" -- cat $D/gtp_agent/status)
vm exec --name "$g" -- "echo stop >$D/gtp_agent/adump"
adump_status
expect "skip: the overrun lost pages ($a_lost)" test "$a_lost" -ge $((5000 - 1024))
expect "skip: overruns seen ($a_overruns)" test "$a_overruns" -ge 1
expect_eq "skip: a gap frame for each overrun" "$a_overruns" "$a_gaps"
expect_accounted "skip"
expect_match "skip: the run goes on" '^state: running$' "$status"
expect_match "skip: status shows the lost pages" "^adump_lost: [1-9]" "$status"
if wav skip; then
	check_gaps skip
else
	fail "skip: adump2wav: $(cat "$tmp/skip.err")"
fi

# ---- a stalled collector: more than one counter wrap between polls ----
# 0.3 s of polls every 10 ms measure the block's 20000 pages/s; then one
# poll in 4 s sees the counter 80000 pages on, 14464 modulo 65536: the
# rate says one more wrap, and the lapped pages are a gap of exactly
# what is not in the buffer.
if [ -z "${GTP_ADUMP_SECONDS:-}" ]; then
	reload "buffer_size=201326592" "rate=20000"
	vm exec --name "$g" -- "echo gtp-test: two wraps >/dev/kmsg
		echo start >$D/gtp_agent/adump; sleep 0.3
		echo 4000000 >/sys/module/gtp/parameters/adump_period_us; sleep 4.5
		echo stop >$D/gtp_agent/adump"
	adump_status
	expect "two wraps: the block made $a_pages pages" test "$a_pages" -ge 80000
	expect "two wraps: the gap is the lapped pages ($a_lost)" \
		test "$a_lost" -ge $((80000 - 8192 - 6000))
	expect_eq "two wraps: nothing dropped, a gap frame each time" \
		"0 $a_overruns" "$a_dropped $a_gaps"
	expect_accounted "two wraps"
	# The scenario's own log: the gap frames of pages the block laps
	# while the collector copies the backlog can come after this line.
	expect_match "two wraps: the wrap was inferred" 'counter wraps inferred' \
		"$(vm exec --name "$g" -- dmesg | sed -n '/gtp-test: two wraps/,$p')"
	if wav wraps; then
		check_gaps wraps
	else
		fail "two wraps: adump2wav: $(cat "$tmp/wraps.err")"
	fi
fi

# ---- overrun, stop policy: the run ends with terror, and says why ----
reload "adump_period_us=1000000 adump_ring_pages=1024 adump_policy=stop" ""
vm exec --name "$g" -- "echo start >$D/gtp_agent/adump; sleep 1.5
	echo overrun 5000 >$D/gtp_adump_sim/inject; sleep 2.5"
status=$(vm exec --name "$g" -- cat $D/gtp_agent/status)
adump_status
expect_match "stop: the run stopped with terror" '^stop_reason: terror$' "$status"
expect_match "stop: the error names the lost pages" \
	'^last_error: audio overrun: pages [0-9]+\.\.[0-9]+ \([0-9]+\) lapped by the block' "$status"
expect_eq "stop: capture ended with the run" 0 "$a_capturing"
expect_eq "stop: no gap frame" 0 "$a_gaps"
expect_accounted "stop"
port=$(vm port --name "$g")
out=$(timeout 120 gdb -nx -batch -ex 'set architecture i386:x86-64' \
	-ex "target remote :$port" -ex tstatus -ex 'maint packet qTStatus' 2>&1)
expect_match "stop: GDB's tstatus shows the reason" \
	'Trace stopped by an error \(audio overrun: pages [0-9]+\.\.[0-9]+ \([0-9]+\) lapped' "$out"
expect_match "stop: qTStatus carries the collector's figures" \
	'adump_pages:[0-9a-f]+;adump_frames:[0-9a-f]+;adump_lost:[1-9a-f]' "$out"

# ---- stop flushes: pages since the last poll are collected ----
reload "adump_period_us=1000000" ""
vm exec --name "$g" -- "echo start >$D/gtp_agent/adump; sleep 2.6; echo stop >$D/gtp_agent/adump"
adump_status
# Polls at 0, 1 and 2 s alone would hold at most 2 s of pages.
expect "flush: pages after the last poll collected ($a_frames)" \
	test "$a_frames" -gt $((375 * 2 + 100))
expect_eq "flush: every page in a frame" "$a_pages" "$a_frames"
ring=$a_ring_address	# where the ring is, for GDB below

# ---- the block goes away during a capture; so does the agent ----
reload "" ""
vm exec --name "$g" -- "echo start >$D/gtp_agent/adump; sleep 1"
expect "rmmod of the block while capturing" vm exec --name "$g" -- rmmod gtp_adump_sim
adump_status
expect_eq "block gone: capture stopped, unbound" "0 0" "$a_capturing $a_bound"
expect_match "block gone: status says why" 'removed during capture' "$a_error"
expect_eq "block gone: every page it made is in a frame" "$a_pages" "$a_frames"
vm exec --name "$g" -- "insmod /lib/modules/gtp/gtp_adump_sim.ko
	echo start >$D/gtp_agent/adump; sleep 1"
expect "rmmod of gtp while capturing" unload_gtp "$g"
expect "sim unloads after" vm exec --name "$g" -- rmmod gtp_adump_sim

# ---- audio and a GDB tracepoint share the buffer; GDB reads audio ----
# A slower block: tsave brings the buffer over the serial line.
reload "" "rate=100"
func=$(ksym "$g" __x64_sys_sethostname)
cat >"$tmp/share.gdb" <<GDB
set pagination off
set confirm off
set architecture i386:x86-64
target remote :$port
trace *$func
actions
collect \$regs
end
tstart
shell "$top/scripts/vm" exec --name "$g" -- "(cat $D/gtpframe_pipe >/share/pipe.tf &)"
shell "$top/scripts/vm" exec --name "$g" -- "echo start >$D/gtp_agent/adump"
shell "$top/scripts/vm" exec --name "$g" -- 'i=0; while [ \$i -lt 20 ]; do hostname h\$i; i=\$((i+1)); done; sleep 1'
tstop
tstatus
info tvariables
tfind tracepoint 1000
printf "audio page=%d\n", \$adump_page
tfind tracepoint 1000
printf "audio page=%d\n", \$adump_page
x/4xw $ring + 4096
dump binary memory $tmp/page1.raw $(printf '%#x %#x' $((ring + 4096)) $((ring + 8192)))
tfind tracepoint 1
printf "hit pc=%lx\n", \$pc
tsave $tmp/shared.tf
GDB
out=$(timeout 300 gdb -nx -batch -x "$tmp/share.gdb" 2>&1)
while IFS= read -r line; do echo "  gdb: $line"; done <<<"$out"
status=$(vm exec --name "$g" -- cat $D/gtp_agent/status)
adump_status
hits=$(sed -n 's/^tp1_hits: //p' <<<"$status")
frames=$(sed -n 's/^frames: //p' <<<"$status")
expect_eq "shared: 20 hits of the tracepoint" 20 "$hits"
expect_eq "shared: buffer frames = hits + audio frames" "$frames" "$((hits + a_frames))"
expect_accounted "shared"
expect_match "shared: tstatus counts both" "Collected $frames trace frames" "$out"
expect_match "shared: GDB lists the collector's variables" '[$]adump_page' "$out"
expect_match "shared: tfind tracepoint 1000 walks audio frames" \
	'Found trace frame [0-9]+, tracepoint 1000' "$out"
expect_match "shared: \$adump_page of the second audio frame" '^audio page=1$' "$out"
# Page 1, its first frame (n = 128): channels 0..3 of hw/adump_pattern.h.
expect_match "shared: x/4xw reads the page from the frame" \
	':\s+0x2c5f9280\s+0x58bf2500\s+0x851eb780\s+0xb17e4a00' "$out"
expect_match "shared: and GDB's tracepoint frames too" "^hit pc=0*${func#0x}\$" "$out"
# The page GDB dumped from its frame is page 1 of the WAV.
if scripts/adump2wav "$tmp/shared.tf" "$tmp/shared.wav" 2>"$tmp/shared.err"; then
	expect_match "shared: tsave file to WAV, every sample the block's" \
		"^pages=$a_frames p0=0 silent=0\$" \
		"$(python3 tests/vm/adump_verify.py "$tmp/shared.wav" 2>&1)"
	expect_match "shared: adump2wav skips the tracepoint's frames" \
		"$hits frames of other tracepoints skipped" "$(cat "$tmp/shared.err")"
	expect_eq "shared: dump memory gives page 1's bytes" \
		"$(tail -c +$((68 + 4096 + 1)) "$tmp/shared.wav" | head -c 4096 | md5sum)" \
		"$(md5sum <"$tmp/page1.raw")"
else
	fail "shared: adump2wav of the tsave file: $(cat "$tmp/shared.err")"
fi
# The gtpframe_pipe stream, read during the run, ended at tstop.
if scripts/adump2wav "$share/pipe.tf" "$tmp/pipe.wav" 2>"$tmp/pipe.err"; then
	expect_eq "shared: the gtpframe_pipe stream gives the same WAV" \
		"$(md5sum <"$tmp/shared.wav")" "$(md5sum <"$tmp/pipe.wav")"
else
	fail "shared: adump2wav of the pipe: $(cat "$tmp/pipe.err")"
fi

expect "guest log clean" vm stop --name "$g"
finish
