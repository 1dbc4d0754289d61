#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hit against hit, in one guest (Debian's kernel, QEMU TCG, 2 vCPUs): the
# cost per call of a loop of getppid() pinned to one CPU, with
#   (a)  no probe;
#   (b)  an ftrace kprobe event on __x64_sys_getppid fetching 512 bytes of
#        stack (p:gtpbench/getppid __x64_sys_getppid stk=+0($stack):x64[64]),
#        which the kernel puts on the function's ftrace call site;
#   (b') the same event at the address gtp really probes (the instruction
#        after the ftrace site, agent/trace.c), so that the handlers are
#        compared on the same probe type;
#   (c)  gtp's tracepoint on __x64_sys_getppid from host GDB, collecting
#        $regs and 512 bytes of stack;
#   (d)  (c) with a condition, always true, that GDB sends as bytecode.
# One probe at a time (probes on one address are merged).  Each probed
# run checks that every hit was recorded (kprobe_profile hits against
# the entries of the trace buffer, no overrun, no miss; GDB's frame count
# against gtp's hit count, nothing dropped) and says how the kernel
# probed (kprobes/list: [FTRACE], [OPTIMIZED] or int3; gtp's tpN_probe).
# The table gives the median ns per call over the rounds of each
# configuration, the cost of a hit over (a), and the ratios (c-a)/(b-a)
# (goal: at most 0.5) and (c-a)/(b'-a).  (a) runs first and last, so its
# two figures show the drift within the boot.
#
# Before a probed loop, the kprobe optimizer is given $opt_wait seconds to
# turn an int3 into a jump.  Timings under TCG are inflated and compare
# only within one run.  A hit not recorded prints a PROBLEM line and makes
# the figures invalid; like every benchmark, this one fails only when it
# cannot run at all.
#
#   tests/bench/bench_hits.sh [CALLS [ROUNDS]]      default 20000 5
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

calls=${1:-20000}
rounds=${2:-5}
if ! [[ "$calls" =~ ^[1-9][0-9]*$ && "$rounds" =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: tests/bench/bench_hits.sh [CALLS [ROUNDS]]" >&2
	exit 2
fi
warmup=$((calls / 10))
# The loop's CPU; the guest's shell and the exec requests mostly run on
# the other one.
cpu=1
func_name=__x64_sys_getppid
# How kprobes/list names a probe in it: the kernel prints one of the
# function's aliases, __do_sys_getppid+0x5.
probe_pat=_sys_getppid+
# Seconds to wait for the kprobe optimizer to turn an int3 into a jump.
opt_wait=10
# shellcheck disable=SC2016 # kprobe_events syntax, not the shell's
ev_stack='stk=+0($stack):x64[64]'

die() {
	echo "bench_hits: $*" >&2
	exit 1
}

mkdir -p build/bench-guest
gcc -static -O2 -Wall -o build/bench-guest/syscall_loop \
	tests/bench/guest/syscall_loop.c || die "cannot build syscall_loop"

# Buffers large enough for every hit of a configuration with room to
# spare: the loop's calls and a few stray getppid calls.  An ftrace
# event of 512 bytes takes 536 bytes, 7 to a page (585 bytes each); a
# gtp frame ($regs, 512 bytes, headers) about 1.2 KiB, and gtp's size is
# for all CPUs together while only one CPU hits.
hits=$((warmup + calls * rounds))
ev_kb=$((hits * 585 * 5 / 4 / 1024 + 1024))
gtp_bytes=$((hits * 1300 * 2 * 5 / 4 + (4 << 20)))
need_mb=$((ev_kb * 2 / 1024))
[ $((gtp_bytes >> 20)) -le "$need_mb" ] || need_mb=$((gtp_bytes >> 20))
mem=$((need_mb + 512))
[ "$mem" -ge 1024 ] || mem=1024

g=$(guest_name bench-hits)
if ! start_guest "$g" --smp 2 --mem "$mem" >/dev/null; then
	die "guest boot failed"
fi
share=$(vm share --name "$g")
tmp=$(mktemp -d /tmp/bench-hits.XXXXXX)
# lib.sh's trap stops the guest; keep it and remove the temporary files.
trap 'rm -rf "$tmp"; stop_guests' EXIT
mkdir -p "$share/bench"
cp build/bench-guest/syscall_loop "$share/bench/"

# Guest side: wait until the probe on $func_name is on its final type (the
# optimizer turns an int3 into a jump a moment after it is armed, or
# never), and print its kprobes/list line.  probe.sh PATTERN SECONDS
cat >"$share/bench/probe.sh" <<'SH'
n=0
while :; do
	l=$(grep -F "$1" /sys/kernel/debug/kprobes/list)
	case "$l" in *OPTIMIZED* | *FTRACE*) break ;; esac
	[ $n -lt $(($2 * 5)) ] || break
	sleep 0.2
	n=$((n + 1))
done
echo "${l:-none}"
SH
# Guest side: a kprobe event.  on NAME KB PLACE FETCH: define and enable
# it with a trace buffer of KB per CPU; off NAME: disable and remove it,
# give the buffer its size back and print the event's figures
# (kprobe_profile: hits, misses; the trace buffer, summed over the CPUs:
# entries, overrun, commit overrun, dropped, read).
cat >"$share/bench/kevent.sh" <<'SH'
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T || exit 1
case "$1" in
on)
	# "7 (expanded: 1408)" while the buffer was never used.
	sed 's/.*expanded: \([0-9]*\).*/\1/' $T/buffer_size_kb >/tmp/bench_kb
	echo "$3" >$T/buffer_size_kb || exit 1
	echo >$T/trace
	echo "p:gtpbench/$2 $4 $5" >>$T/kprobe_events || exit 1
	echo 1 >"$T/events/gtpbench/$2/enable"
	;;
off)
	echo 0 >"$T/events/gtpbench/$2/enable"
	awk -v n="$2" '$1 == n { print "hits:", $2; print "misses:", $3 }' \
		$T/kprobe_profile
	cat $T/per_cpu/cpu*/stats | awk -F': *' '
		{ s[$1] += $2 }
		END {
			print "entries:", s["entries"] + 0
			print "overrun:", s["overrun"] + 0
			print "commit_overrun:", s["commit overrun"] + 0
			print "dropped:", s["dropped events"] + 0
			print "read:", s["read events"] + 0
		}'
	echo "-:gtpbench/$2" >>$T/kprobe_events
	echo >$T/trace
	cat /tmp/bench_kb >$T/buffer_size_kb
	;;
esac
SH

# The loop; its output is kept in $tmp/loop.$1.
loop() {
	vm exec --name "$g" --timeout 900 -- /share/bench/syscall_loop \
		"$cpu" "$calls" "$rounds" "$warmup" >"$tmp/loop.$1"
}

# Median of the rounds in the given loop outputs.
median() {
	sed -n 's/^round [0-9]*: \([0-9.]*\) ns\/call$/\1/p' "$@" | sort -g |
		awk '{ v[NR] = $1 }
		END {
			if (!NR) { print "nan"; exit }
			m = int((NR + 1) / 2)
			print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2
		}'
}

rounds_of() {
	sed -n 's/^round [0-9]*: \([0-9.]*\) ns\/call$/\1/p' "$1" | tr '\n' ' '
}

calls_of() {
	sed -n 's/^calls: //p' "$1"
}

# key: value from a file.
field() {
	awk -v k="$2:" '$1 == k { print $2; exit }' "$1"
}

probes_on_func() {
	vm exec --name "$g" -- grep -F "$probe_pat" /sys/kernel/debug/kprobes/list
}

func=$(ksym "$g" "$func_name")
[ "$func" != 0x ] || die "no $func_name in the guest's kallsyms"
port=$(vm port --name "$g")
echo "guest: kernel $(vm exec --name "$g" -- uname -r)," \
	"$(vm exec --name "$g" -- nproc) CPUs, $mem MiB; $func_name at $func;" \
	"loop on CPU $cpu: $rounds rounds of $calls calls after $warmup"

problems=0
problem() {
	echo "  PROBLEM: $*"
	problems=$((problems + 1))
}

# Is the loop's call count what the probe saw?
check_calls() {
	local c
	c=$(calls_of "$tmp/loop.$1")
	[ "$c" = $((warmup + calls * rounds)) ] ||
		problem "$1: the loop reports '$c' calls"
	[ "${2:-0}" -ge "${c:-0}" ] 2>/dev/null ||
		problem "$1: $2 hits for $c calls"
}

declare -A type=()
# b2 is (b') in what is printed.
label() {
	if [ "$1" = b2 ]; then echo "b'"; else echo "$1"; fi
}

# ---------------------------------------------------------------- (a)
echo "(a) no probe"
[ -z "$(probes_on_func)" ] || problem "a: a probe is on $func_name"
loop a || die "the loop failed"
echo "  rounds: $(rounds_of "$tmp/loop.a")"
type[a]=-

# ------------------------------------------------------- (b) and (b')
# kevent KEY NAME PLACE: one kprobe event run.
kevent() {
	local key=$1 name=$2 place=$3 f=$tmp/kevent.$1 l h e
	echo "($(label "$key")) kprobe event p:gtpbench/$name $place $ev_stack"
	if ! vm exec --name "$g" -- sh /share/bench/kevent.sh on "$name" \
		"$ev_kb" "$place" "$ev_stack"; then
		problem "$key: cannot define the kprobe event"
		return
	fi
	l=$(vm exec --name "$g" -- sh /share/bench/probe.sh "$probe_pat" "$opt_wait")
	echo "  kprobes/list: $l"
	case "$l" in
	*FTRACE*) type[$key]=FTRACE ;;
	*OPTIMIZED*) type[$key]=OPTIMIZED ;;
	none) type[$key]=none ;;
	*) type[$key]=int3 ;;
	esac
	type[$key]+=" +$(sed -n "s/.*$probe_pat\(0x[0-9a-f]*\).*/\1/p" <<<"$l")"
	loop "$key" || problem "$key: the loop failed"
	l=$(probes_on_func)
	vm exec --name "$g" -- sh /share/bench/kevent.sh off "$name" >"$f"
	echo "  rounds: $(rounds_of "$tmp/loop.$key")"
	echo "  after the loop: $l"
	echo "  $(tr '\n' ' ' <"$f")"
	h=$(field "$f" hits)
	e=$(field "$f" entries)
	if [ -z "$h" ] || [ "$h" != "$e" ]; then
		problem "$key: $h hits, $e entries in the trace buffer"
	fi
	[ "$(field "$f" misses)$(field "$f" overrun)$(field "$f" dropped)" = 000 ] ||
		problem "$key: misses, overrun or dropped events"
	[ "$(field "$f" commit_overrun)$(field "$f" read)" = 00 ] ||
		problem "$key: commit overrun or events read"
	check_calls "$key" "$h"
	echo "  recorded: $e of $h hits"
}

kevent b getppid "$func_name"

# ------------------------------------------------------- (c) and (d)
# ours KEY [CONDITION]: one gtp run driven by host GDB.  The stack is
# collected from $rsp: GDB refuses to trace $sp, a user register.
ours() {
	local key=$1 cond=${2:-} f=$tmp/gdb.$1 out tp h fr
	echo "($(label "$key")) gtp: trace *$func${cond:+ if $cond}; collect \$regs," \
		"*(unsigned char (*)[512])\$rsp"
	cat >"$f.gdb" <<GDB
set pagination off
set confirm off
target remote :$port
delete
set trace-buffer-size $gtp_bytes
trace *$func${cond:+ if $cond}
actions
collect \$regs
collect *(unsigned char (*)[512])\$rsp
end
set debug remote 1
tstart
set debug remote 0
shell "$top/scripts/vm" exec --name "$g" -- sh /share/bench/probe.sh $probe_pat $opt_wait >"$f.list"
shell "$top/scripts/vm" exec --name "$g" -- grep '^tp[0-9]*_probe:' /sys/kernel/debug/gtp_agent/status >"$f.probe"
shell "$top/scripts/vm" exec --name "$g" --timeout 900 -- /share/bench/syscall_loop $cpu $calls $rounds $warmup >"$tmp/loop.$key"
shell "$top/scripts/vm" exec --name "$g" -- grep -F $probe_pat /sys/kernel/debug/kprobes/list >"$f.after"
tstop
tstatus
info tracepoints
detach
GDB
	out=$(timeout 1800 gdb -nx -batch -x "$f.gdb" 2>&1)
	vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status >"$f.status"
	echo "  rounds: $(rounds_of "$tmp/loop.$key")"
	echo "  kprobes/list: $(cat "$f.list")"
	echo "  after the loop: $(cat "$f.after")"
	echo "  status: $(cat "$f.probe")"
	# The tracepoint as GDB sent it: a condition is ":X<len>,<bytecode>"
	# on the QTDP packet that defines the tracepoint.
	grep -o 'QTDP:[^#]*' <<<"$out" | cut -c1-120 | sed 's/^/  sent: /'
	if [ -n "$cond" ] && ! grep -Eq \
		'QTDP:[0-9a-f]+:[0-9a-f]+:E:[0-9a-f]+:[0-9a-f]+:X[0-9a-f]+,' \
		<<<"$out"; then
		problem "$key: GDB did not send the condition as bytecode"
	fi
	grep -E 'Collected|Trace buffer|Trace stopped|Trace is running|hit [0-9]+ time|trace only if|^[0-9]+ +tracepoint' \
		<<<"$out" | sed 's/^/  gdb: /'
	if ! grep -Eq 'Trace stopped by a tstop' <<<"$out"; then
		problem "$key: the run did not last until tstop; GDB said:"
		grep -v '^\[remote\]' <<<"$out" | tail -n 20 | sed 's/^/    /'
	fi

	tp=$(sed -n 's/^tp\([0-9]*\)_probe:.*/\1/p' "$f.probe" | head -n 1)
	[ -n "$tp" ] || tp=$(sed -n 's/^tp\([0-9]*\)_hits:.*/\1/p' "$f.status" | head -n 1)
	h=$(field "$f.status" "tp${tp}_hits")
	fr=$(sed -n 's/.*Collected \([0-9]*\) trace frames.*/\1/p' <<<"$out")
	if [ -z "$h" ] || [ "$h" != "$fr" ] ||
		[ "$h" != "$(field "$f.status" frames)" ]; then
		problem "$key: $h hits, GDB says $fr frames," \
			"the status $(field "$f.status" frames)"
	fi
	local k bad=""
	for k in "tp${tp}_dropped" "tp${tp}_read_faults" nested_hits_dropped \
		dropped_full dropped_nested dropped_too_big overwritten \
		pages_overwritten; do
		[ "$(field "$f.status" "$k")" = 0 ] || bad+=" $k=$(field "$f.status" "$k")"
	done
	[ -z "$bad" ] || problem "$key:$bad"
	check_calls "$key" "$h"
	echo "  recorded: $fr frames of $h hits; $(field "$f.status" "tp${tp}_bytes")" \
		"bytes, $(field "$f.status" bytes_used) used of the buffer"
	local p
	p=$(sed -n 's/^tp[0-9]*_probe: //p' "$f.probe" | head -n 1)
	if [[ "$p" =~ ^[a-z0-9]+\ at\ (0x[0-9a-f]+)$ ]]; then
		ouraddr=${BASH_REMATCH[1]}
		type[$key]="${p%% at *} +0x$(printf %x $((ouraddr - func)))"
	else
		problem "$key: no tpN_probe line in the status file"
	fi
}

ouraddr=""
ours c
# shellcheck disable=SC2016 # GDB's register, not the shell's
ours d '$rdi != 0'

# (b'): where gtp probed, so both are on the same probe type.
if [[ "$ouraddr" =~ ^0x[0-9a-f]+$ ]]; then
	kevent b2 getppid_gtp "$func_name+$((ouraddr - func))"
else
	problem "b': gtp's probe address is unknown"
fi

echo "(a) again: no probe"
[ -z "$(probes_on_func)" ] || problem "a: a probe is on $func_name"
loop a2 || problem "a2: the loop failed"
echo "  rounds: $(rounds_of "$tmp/loop.a2")"

# ---------------------------------------------------------------- table
ns_a=$(median "$tmp/loop.a" "$tmp/loop.a2")
ns() {
	if [ "$1" = a ]; then echo "$ns_a"; else median "$tmp/loop.$1"; fi
}
echo
printf '%-5s %-36s %-15s %9s %9s\n' "" configuration probe ns/call hit-a
row() {
	local m
	m=$(ns "$1")
	printf '%-5s %-36s %-15s %9s %9s\n' "($(label "$1"))" "$2" \
		"${type[$1]:-?}" "$m" "$(awk -v m="$m" -v a="$ns_a" \
		'BEGIN { if (m == "nan") print "nan"; else printf "%.1f", m - a }')"
}
row a "no probe"
row b "kprobe event, 512 B of stack"
row b2 "kprobe event at gtp's address"
row c "gtp: \$regs + 512 B of stack"
row d "gtp: (c) if \$rdi != 0 (bytecode)"
ratio() {
	awk -v a="$ns_a" -v x="$(ns "$1")" -v y="$(ns "$2")" 'BEGIN {
		if (x != "nan" && y != "nan" && y - a > 0)
			printf "%.2f", (x - a) / (y - a)
		else
			print "n/a"
	}'
}
echo "(c-a)/(b-a)  = $(ratio c b)  (goal: at most 0.5)"
echo "(c-a)/(b'-a) = $(ratio c b2)  (the same probe type)"
echo "(d-a)/(c-a)  = $(ratio d c)  (with the condition, to without)"
echo "ns/call: median of $rounds rounds of $calls calls; (a): of both runs" \
	"(first $(median "$tmp/loop.a"), last $(median "$tmp/loop.a2"));" \
	"hit-a: the cost of a hit.  TCG timings compare only within this run."
if [ "$problems" -ne 0 ]; then
	echo "bench_hits: $problems problem(s) above: figures not valid" >&2
fi

vm stop --name "$g" >/dev/null || echo "bench_hits: guest logged a kernel report" >&2
