#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: every CPU of a guest calls traced functions as fast as it can
# while the rest of the agent is used at once, round after round, and
# every hit must be accounted for.
#
#   tests/stress/stress.sh [--smp N] [--seconds S] [--hammer MS]
#
# One guest (the kernel of $GTP_VM_KERNEL: the debug kernel in
# `make stress` and `make check`) with gtp, gtp_target and the simulated
# audio block.  Rounds, in turn, until S seconds have passed (at least
# one of each):
#
#   pipes     host GDB defines three tracepoints on the stress functions
#             of tests/target/gtp_target.c (one plain with $regs, one
#             with a condition, one collecting 64 KiB), sets the buffer
#             size (a different one each round), tstart; four
#             gtpframe_pipe readers attach, the audio collector is armed,
#             every CPU runs the stress loop for MS ms while GDB polls
#             tstatus, the guest copies gtpframe and GDB in the guest
#             walks it as a trace file; tstop, GDB walks frames.
#             Checked: hits per tracepoint equal the calls the target
#             counted; every stream holds hits - dropped frames of each
#             tracepoint and every audio frame, all parsing and ending
#             with the end marker; the status totals add up.
#   circular  the same in a small circular buffer that wraps: hits -
#             dropped + audio frames = frames left + frames overwritten.
#   cycles    tstart/tstop five times while the CPUs keep hitting; each
#             run's gtpframe holds hits - dropped frames per tracepoint.
#   rmmod     disconnected tracing, GDB detaches, the CPUs hit, the
#             audio block captures, two readers stream; gtp.ko is
#             removed under that load and loaded again.
#
# Between rounds the agent is reloaded (numbers restart at 1).  Any
# kernel report in the guest log fails the test (scripts/vm stop).
# Prints a table of the rounds and one PASS/FAIL line per check.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

smp=2
seconds=60
hammer=2000
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--hammer) hammer=$2; shift 2 ;;
	*) echo "usage: $0 [--smp N] [--seconds S] [--hammer MS]" >&2; exit 2 ;;
	esac
done

ko=$(target_module)
[ -f "$ko" ] || { echo "FAIL stress: $ko not built"; exit 1; }

g=$(guest_name "stress$smp")
if ! start_guest "$g" --smp "$smp" --mem 1024 \
	--load "gtp gtp_target gtp_adump_sim"; then
	echo "FAIL stress_boot: guest with $smp CPUs"
	exit 1
fi
tmp=$(mktemp -d /tmp/gtp-stress.XXXXXX)
share=$(vm share --name "$g")
trap 'stop_guests; [[ -n ${KEEP:-} ]] || rm -rf "$tmp"' EXIT
dfs=/sys/kernel/debug
port=$(vm port --name "$g")
vme() { vm exec --name "$g" --timeout 600 -- "$@"; }

# shellcheck disable=SC2016 # expanded by the guest's shell
sections=$(vme 'cd /sys/module/gtp_target/sections &&
	for s in .text* .data* .bss* .rodata*; do
		[ -f "$s" ] && echo "-s $s $(cat "$s")"
	done' | tr '\n' ' ')
origin=$(ksym "$g" gtpt_origin)
big=$(ksym "$g" gtpt_big)
# The board's rate: 375 pages of audio a second.
vme "echo 375 >/sys/module/gtp_adump_sim/parameters/rate"

# The guest's helpers, through the share.
cat >"$share/hammer.sh" <<'SH'
# hammer.sh MS: the stress loop on every CPU, each pinned to its own;
# hammer.sh stop: end the loops early (they stop on SIGKILL).
if [ "$1" = stop ]; then
	kill -9 $(cat /share/hammer.pids) 2>/dev/null
	exit 0
fi
echo 0 >/sys/kernel/debug/gtp_target/stress_counts
rm -f /share/hammer.pids
n=$(nproc)
c=0
while [ $c -lt "$n" ]; do
	taskset -c $c sh -c "echo $1 >/sys/kernel/debug/gtp_target/stress" &
	echo $! >>/share/hammer.pids
	c=$((c + 1))
done
wait
SH
cat >"$share/readers.sh" <<'SH'
# readers.sh N: N gtpframe_pipe readers into /share/pipeK; wait until
# all have attached.
s=/sys/kernel/debug/gtp_agent/status
rm -f /share/pipe[0-9]* /share/readers.pids
k=0
while [ $k -lt "$1" ]; do
	cat /sys/kernel/debug/gtpframe_pipe >/share/pipe$k </dev/null &
	echo $! >>/share/readers.pids
	k=$((k + 1))
done
for t in $(seq 150); do
	[ "$(grep -c '^pipe[0-3]_open: 1$' $s)" -ge "$1" ] && exit 0
	sleep 0.2
done
echo "readers did not attach" >&2
exit 1
SH
cat >"$share/readers_end.sh" <<'SH'
for p in $(cat /share/readers.pids); do
	for t in $(seq 300); do kill -0 $p 2>/dev/null || break; sleep 0.1; done
	kill -0 $p 2>/dev/null && echo "reader $p still running"
done
echo readers done
SH

# The tracepoints of every round; tp 1 hot, 2 cond, 3 bulk (fresh agent).
gdb_prologue() {
	cat <<GDB
set pagination off
set confirm off
set architecture i386:x86-64
add-symbol-file $ko $sections
target remote :$port
trace gtpt_hot
actions
collect \$regs, \$cpu_id
end
trace gtpt_cond if n % 8 == 0
actions
collect \$regs, gtpt_origin
end
trace gtpt_bulk
actions
collect gtpt_big
end
GDB
}

# GDB polls tstatus until the driver says the CPUs are done.
gdb_poll() {
	cat <<GDB
python
import os, time
polls = 0
while not os.path.exists("$tmp/done"):
    gdb.execute("tstatus", to_string=True)
    polls += 1
    time.sleep(0.3)
print("tstatus polls: %d" % polls)
end
GDB
}

# tstop, unless the run stopped itself (tfull): then GDB's error would
# end the script.
gdb_tstop() {
	cat <<'GDB'
python
try:
    gdb.execute("tstop")
except gdb.error as e:
    print("tstop: %s" % e)
end
GDB
}

# After tstop: the figures, and a walk over the first frames.
gdb_epilogue() {
	cat <<'GDB'
tstatus
info tracepoints
tfind start
tdump
tfind tracepoint 3
tfind tracepoint 2
tdump
set $k = 0
while $k < 20
  tfind
  set $k = $k + 1
end
tfind end
detach
GDB
}

reload_agent() {
	unload_gtp "$g" >/dev/null &&
		vme 'insmod /lib/modules/gtp/gtp.ko && gtp-bridge start' >/dev/null
}

st() { sed -n "s/^$1: //p" "$2"; }

check_checker() {
	local name=$1 out
	shift
	if out=$(python3 tests/stress/frames_check.py --ncpus "$smp" \
		--origin "$origin" --big "$big" --tp 1=hot --tp 2=cond \
		--tp 3=bulk --tp 1000=audio "$@" 2>&1); then
		pass "$name ($(head -n1 <<<"$out"))"
	else
		fail "$name: $(tr '\n' '|' <<<"$out" | head -c 1500)"
	fi
}

total_hits=0 total_frames=0 total_dropped=0 total_audio=0 runs=0
table=()
record() {	# record ROUND BUFFER STATUSFILE
	local h=0 d=0 tp
	for tp in 1 2 3; do
		h=$((h + $(st "tp${tp}_hits" "$3")))
		d=$((d + $(st "tp${tp}_dropped" "$3")))
	done
	local f a
	f=$(st written "$3")
	a=$(st adump_frames "$3")
	total_hits=$((total_hits + h))
	total_dropped=$((total_dropped + d))
	total_frames=$((total_frames + f))
	total_audio=$((total_audio + ${a:-0}))
	runs=$((runs + 1))
	table+=("$(printf '%-9s %8s %10s %10s %10s %8s' "$1" "$2" "$h" "$f" "$d" "${a:-0}")")
}

# Per tracepoint: the GDB view and the status file agree, and hits are
# the calls the target made: all of them when the run outlived the
# CPUs' loops (tstop), no more when it stopped itself (tfull).
check_hits() {
	local r=$1 stat=$2 counts=$3 gdbout=$4 tp want got
	for tp in 1 2 3; do
		got=$(st "tp${tp}_hits" "$stat")
		case $tp in
		1) want=$(st hot "$counts") ;;
		2) want=$(st cond_true "$counts") ;;
		3) want=$(st bulk "$counts") ;;
		esac
		if [ "$(st stop_reason "$stat")" = tstop ]; then
			expect_eq "$r: tp$tp hits = target's calls" "$want" "$got"
		else
			expect "$r: tp$tp hits ($got) <= target's calls ($want)" \
				test "$got" -le "$want"
		fi
	done
	expect_match "$r: GDB sees tp1's hits" \
		"tracepoint already hit $(st tp1_hits "$stat") time" "$gdbout"
}

# hits - dropped per tracepoint, as --expect options, and the frames of
# the tracepoints plus the audio frames must be the frames written.
expect_args() {
	local stat=$1 tp sum=0 n
	for tp in 1 2 3; do
		n=$(($(st "tp${tp}_hits" "$stat") - $(st "tp${tp}_dropped" "$stat")))
		sum=$((sum + n))
		echo "--expect $tp=$n"
	done
	n=$(($(st adump_frames "$stat") + $(st adump_gaps "$stat")))
	echo "--expect 1000=$n"
	echo "#sum $((sum + n))"
}

round_pipes() {	# round_pipes NAME BUFFER CIRCULAR
	local r=$1 size=$2 circ=$3 out k args
	rm -f "$tmp/done" "$share"/pipe* "$share"/snap*
	{
		gdb_prologue
		echo "set trace-buffer-size $size"
		echo "set circular-trace-buffer $circ"
		echo "tstart"
		echo "shell touch $tmp/started"
		gdb_poll
		gdb_tstop
		gdb_epilogue
	} >"$tmp/$r.gdb"
	timeout 900 gdb -nx -batch -x "$tmp/$r.gdb" >"$tmp/$r.gdbout" 2>&1 &
	local gpid=$!
	for _ in $(seq 300); do [ -e "$tmp/started" ] && break; sleep 0.2; done
	rm -f "$tmp/started"
	if [ "$circ" = off ]; then
		expect "$r: four readers attach" vme 'sh /share/readers.sh 4'
	fi
	vme "echo start >$dfs/gtp_agent/adump"
	# The CPUs hit while the guest reads gtpframe and GDB in the guest
	# walks it as a trace file.
	vme "sh /share/hammer.sh $hammer" &
	local hpid=$!
	sleep 1
	# One read is one snapshot (agent/frame_files.c): its frames must
	# parse; a whole copy during a run need not hold together, but
	# reading it must be harmless.
	vme "dd if=$dfs/gtpframe of=/share/snap0 bs=131072 count=1 \
		2>/share/snap0.err;
		cat $dfs/gtpframe >/dev/null"
	vme "gdb-local -batch -ex 'target tfile $dfs/gtpframe' \
		-ex 'tfind start' -ex 'tfind tracepoint 3' -ex 'tfind end' \
		-ex 'tstatus'" >"$tmp/$r.localgdb" 2>&1
	wait "$hpid"
	vme "cat $dfs/gtp_target/stress_counts" >"$tmp/$r.counts"
	vme "echo stop >$dfs/gtp_agent/adump"
	touch "$tmp/done"
	wait "$gpid"
	out=$(cat "$tmp/$r.gdbout")
	vme "cat $dfs/gtp_agent/status" >"$tmp/$r.status"
	vme "cat $dfs/gtpframe >/share/final"
	expect_match "$r: GDB polled tstatus" "tstatus polls: [1-9]" "$out"
	expect_match "$r: GDB walked the frames" "Found trace frame 0," "$out"
	expect_match "$r: GDB in the guest read the live gtpframe" \
		"Using a trace file" "$(cat "$tmp/$r.localgdb")"
	grep -q "Using a trace file" "$tmp/$r.localgdb" ||
		sed 's/^/  local gdb: /' "$tmp/$r.localgdb"
	check_hits "$r" "$tmp/$r.status" "$tmp/$r.counts" "$out"
	check_checker "$r: one read of live gtpframe parses" --prefix \
		"$share/snap0"
	[ -s "$share/snap0" ] || echo "  dd: $(tr '\n' ' ' <"$share/snap0.err")"
	args=$(expect_args "$tmp/$r.status")
	local sum=${args##*#sum }
	args=$(grep -v '^#' <<<"$args" | tr '\n' ' ')
	if [ "$circ" = off ]; then
		expect "$r: readers end at tstop" \
			grep -q 'readers done' <(vme 'sh /share/readers_end.sh')
		for k in 0 1 2 3; do
			# shellcheck disable=SC2086 # the options split
			check_checker "$r: stream $k holds hits - dropped" \
				--trailer $args "$share/pipe$k"
		done
		expect_eq "$r: frames written = hits - dropped + audio" \
			"$sum" "$(st written "$tmp/$r.status")"
		expect_eq "$r: frames written = left + recycled" \
			"$(st written "$tmp/$r.status")" \
			"$(($(st frames "$tmp/$r.status") + $(st recycled "$tmp/$r.status")))"
		check_checker "$r: gtpframe after the readers parses" \
			--trailer "$share/final"
	else
		local left over
		check_checker "$r: gtpframe parses" --trailer "$share/final"
		left=$(python3 tests/stress/frames_check.py --tp 1=hot --tp 2=cond \
			--tp 3=bulk --tp 1000=audio "$share/final" 2>/dev/null |
			sed -n 's/^frames=\([0-9]*\).*/\1/p')
		over=$(st overwritten "$tmp/$r.status")
		expect "$r: the buffer wrapped" test "${over:-0}" -gt 0
		expect_eq "$r: hits - dropped + audio = left + overwritten" \
			"$sum" "$((left + over))"
		expect_eq "$r: frames written = hits - dropped + audio" \
			"$sum" "$(st written "$tmp/$r.status")"
	fi
	record "$r" "$size" "$tmp/$r.status"
}

round_cycles() {
	local r=$1 c
	rm -f "$share"/cycle*
	{
		gdb_prologue
		echo "set trace-buffer-size 8388608"
		for c in 1 2 3 4 5; do
			echo "tstart"
			echo "shell sleep 0.3"
			gdb_tstop
			echo "shell $top/scripts/vm exec --name $g -- 'cat $dfs/gtp_agent/status >/share/cycle$c.status; cat $dfs/gtpframe >/share/cycle$c.tf'"
		done
		echo "detach"
	} >"$tmp/$r.gdb"
	vme "sh /share/hammer.sh 600000" &
	local hpid=$!
	sleep 1
	timeout 900 gdb -nx -batch -x "$tmp/$r.gdb" >"$tmp/$r.gdbout" 2>&1
	vme "sh /share/hammer.sh stop"
	wait "$hpid"
	for c in 1 2 3 4 5; do
		local args
		args=$(expect_args "$share/cycle$c.status" | grep -v '^#' | tr '\n' ' ')
		# shellcheck disable=SC2086 # the options split
		check_checker "$r: run $c's gtpframe holds hits - dropped" \
			--trailer $args "$share/cycle$c.tf"
		expect "$r: run $c had hits" test "$(st tp1_hits "$share/cycle$c.status")" -gt 0
		record "$r$c" 8M "$share/cycle$c.status"
	done
}

round_rmmod() {
	local r=$1
	{
		gdb_prologue
		echo "set disconnected-tracing on"
		echo "set trace-buffer-size 4194304"
		echo "tstart"
		echo "detach"
	} >"$tmp/$r.gdb"
	timeout 600 gdb -nx -batch -x "$tmp/$r.gdb" >"$tmp/$r.gdbout" 2>&1
	expect_match "$r: run goes on after detach" "running" \
		"$(vme "grep '^state:' $dfs/gtp_agent/status")"
	vme 'sh /share/readers.sh 2' >/dev/null
	vme "echo start >$dfs/gtp_agent/adump"
	vme "sh /share/hammer.sh $((hammer * 2))" &
	local hpid=$!
	sleep 1
	# Readers hold the module: they go first, then gtp under load.
	# shellcheck disable=SC2016 # expanded by the guest's shell
	vme 'kill $(cat /share/readers.pids)' 2>/dev/null
	expect "$r: gtp.ko removed while the CPUs hit" unload_gtp "$g"
	wait "$hpid"
	expect "$r: gtp.ko loads again" \
		vme 'insmod /lib/modules/gtp/gtp.ko && gtp-bridge start'
	expect_match "$r: the new agent is idle" "state: idle" \
		"$(vme "cat $dfs/gtp_agent/status")"
	runs=$((runs + 1))
	table+=("$(printf '%-9s %8s %10s %10s %10s %8s' "$r" 4M - - - -)")
}

sizes=(4194304 16777216 1048576 8388608)
start=$(date +%s)
n=0
while :; do
	size=${sizes[$((n % ${#sizes[@]}))]}
	n=$((n + 1))
	round_pipes "pipes$n" "$size" off
	reload_agent
	round_pipes "circ$n" 524288 on
	reload_agent
	round_cycles "cycle$n"
	reload_agent
	round_rmmod "rmmod$n"
	[ $(($(date +%s) - start)) -lt "$seconds" ] || break
	reload_agent
done

echo "stress: $smp CPUs, $(vm_kernel) kernel, $runs runs in $(($(date +%s) - start)) s"
printf '%-9s %8s %10s %10s %10s %8s\n' round buffer hits frames dropped audio
printf '%s\n' "${table[@]}"
printf '%-9s %8s %10s %10s %10s %8s\n' total "" "$total_hits" "$total_frames" \
	"$total_dropped" "$total_audio"

if vm stop --name "$g" >"$tmp/stop.log" 2>&1; then
	pass "stress: guest log has no kernel report"
else
	fail "stress: kernel report: $(tail -n 30 "$tmp/stop.log" | tr '\n' '|')"
fi
finish
