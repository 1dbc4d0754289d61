#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real GDB sessions against the whole engine (proto/ and rb/) on the host:
# build/host/gtp_sim serves it over TCP on 127.0.0.1 with a synthetic
# target (its own memory and the functions of tests/host/sim_program.c,
# which GDB reads symbols of), and `gdb -batch` scripts trace it the way
# gdb.trace's tests do: collections, conditions, trace state variables,
# every tfind form, tstatus, passcount, buffer full and circular, large
# collections, tsave and target tfile, disconnected tracing, tracepoints
# changed during a run, and the errors GDB shows.  Agent expressions are
# checked against GDB itself: the value the agent computes for an
# expression (teval into a trace state variable) must be the one GDB
# prints for it.
#
# Usage: tests/host/test_gdb_sim.sh   (after make -f tests/host/host.mk)
# Environment: BUILD (default build/host), GDB (default gdb).
# Prints "PASS <name>" or "FAIL <name>: <reason>" per check; exits 1 if any
# check failed, 77 (skip) if gdb is missing.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
build=${BUILD:-build/host}
gdb=${GDB:-gdb}
sim="$build/gtp_sim"
failed=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failed=1; }

if ! command -v "$gdb" >/dev/null 2>&1; then
	echo "SKIP gdb_sim: $gdb not found"
	exit 77
fi
if [[ ! -x $sim ]]; then
	echo "FAIL gdb_sim: $sim not built"
	exit 1
fi

tmp=$(mktemp -d)
sim_pid=
stop_sim() {
	if [[ -n $sim_pid ]]; then
		kill "$sim_pid" 2>/dev/null || true
		wait "$sim_pid" 2>/dev/null || true
		sim_pid=
	fi
}
trap 'stop_sim; [[ -n ${KEEP:-} ]] || rm -rf "$tmp"' EXIT

# start_sim ARGS...: a fresh simulator; sets $port.
start_sim() {
	stop_sim
	rm -f "$tmp/port"
	"$sim" --port-file "$tmp/port" "$@" 2>>"$tmp/sim.err" &
	sim_pid=$!
	local i
	for i in $(seq 100); do
		[[ -s $tmp/port ]] && break
		sleep 0.05
	done
	port=$(cat "$tmp/port")
}

# session NAME [--keep]: run the GDB commands on stdin against the
# simulator, with the executable's symbols, starting from no tracepoints
# and no trace state variables on GDB's side (--keep: with the ones GDB
# uploaded from the target).  The output goes to $tmp/NAME.log.  A
# command that fails ends the script, as in any GDB command file.
session() {
	local name=$1 keep=${2:-}
	{
		echo "set pagination off"
		echo "set confirm off"
		echo "set width 0"
		echo "target remote 127.0.0.1:$port"
		if [[ $keep != --keep ]]; then
			echo "delete"
			echo "delete tvariable"
		fi
		cat
	} >"$tmp/$name.gdb"
	timeout 120 "$gdb" -nx -batch -x "$tmp/$name.gdb" "$sim" \
		>"$tmp/$name.log" 2>&1 || true
}

# commands NAME CMD...: each CMD a -ex, so that one failing does not stop
# the others (for errors GDB is expected to show).
commands() {
	local name=$1 c
	shift
	local args=(-ex "set pagination off" -ex "set confirm off"
		    -ex "target remote 127.0.0.1:$port")
	for c in "$@"; do
		args+=(-ex "$c")
	done
	timeout 120 "$gdb" -nx -batch "${args[@]}" "$sim" \
		>"$tmp/$name.log" 2>&1 || true
}

# expect NAME LOG REGEX: a line of $tmp/LOG.log matches the extended REGEX.
expect() {
	if grep -Eq -- "$3" "$tmp/$2.log"; then
		pass "$1"
	else
		fail "$1" "no line matching /$3/ in $2.log: $(tail -n 12 "$tmp/$2.log" | tr '\n' '|')"
	fi
}

# expect_not NAME LOG REGEX: no line matches.
expect_not() {
	local line
	if line=$(grep -E -m1 -- "$3" "$tmp/$2.log"); then
		fail "$1" "unexpected: $line"
	else
		pass "$1"
	fi
}

# No session may show a protocol problem.
clean() {
	expect_not "$1_protocol_clean" "$1" \
		"Remote connection closed|packet reply is too long|Ignoring packet error|Malformed|Bogus|error in outgoing packet|Remote replied unexpectedly|internal-error"
}

# ---- collection: arguments, locals, globals, registers, expressions ----

start_sim --ticks 20
session collect <<'EOF'
trace sim_args
actions
collect a, b, p, *p, local, $regs
collect sim_points[1].name, *sim_point_ptr, sim_bits
collect sim_small[2] + sim_small[3]
end
trace sim_loop if n % 3 == 0
actions
collect n, sim_counter
end
tstart
shell sleep 0.5
tstop
tstatus
info tracepoints
tfind start
printf "a=%d b=%ld local=%d\n", a, b, local
print *p
print sim_points[1].name
print *sim_point_ptr
print sim_bits
print sim_small[2]
print sim_small[0]
print sim_counter
info registers rdi
print $pc == sim_args || $pc > sim_args
x/i $pc
tfind tracepoint 2
printf "n=%ld counter=%ld\n", n, sim_counter
tfind tracepoint 2
printf "n=%ld counter=%ld\n", n, sim_counter
tfind
printf "next a=%d\n", a
tfind 4
printf "four a=%d\n", a
tfind -
printf "minus a=%d\n", a
tfind end
tfind 1000
EOF
clean collect
expect collect_frames collect '^Collected 26 trace frames\.$'
expect collect_stopped collect '^Trace stopped by a tstop command'
expect collect_hits_tp1 collect 'tracepoint already hit 20 times'
expect collect_hits_tp2 collect 'tracepoint already hit 6 times'
expect collect_usage collect 'trace buffer usage [1-9][0-9]* bytes'
expect collect_first collect '^Found trace frame 0, tracepoint 1$'
expect collect_args collect '^a=1 b=1000 local=3$'
expect collect_struct_ptr collect '^\$1 = \{x = 3, y = -4, name = "origin'
expect collect_member collect '^\$2 = "two'
expect collect_deref collect '^\$3 = \{x = -7, y = 7, name = "three'
expect collect_bitfields collect '^\$4 = \{lo = 5, mid = -9, hi = 3000\}$'
expect collect_expr_operand collect '^\$5 = 3$'
expect collect_uncollected collect '^\$6 = <unavailable>$'
expect collect_uncollected_global collect '^\$7 = <unavailable>$'
expect collect_register collect '^rdi +0x1 +1$'
expect collect_pc collect '^\$8 = 1$'
expect collect_pc_insn collect '^=> 0x[0-9a-f]+ <sim_args\+[0-9]+>:'
expect collect_tfind_tracepoint collect '^Found trace frame 2, tracepoint 2$'
expect collect_condition_value collect '^n=3 counter=3$'
expect collect_tfind_tracepoint_next collect '^n=6 counter=6$'
expect collect_tfind_next collect '^next a=6$'
expect collect_tfind_number collect '^four a=4$'
expect collect_tfind_previous collect '^minus a=3$'
expect collect_tfind_end collect '^No longer looking at any trace frame$'
expect collect_tfind_past_end collect '^(No trace frame found|Target failed to find requested trace frame\.)$'

# ---- agent expressions: the agent's value is GDB's value ----
#
# Each expression is compiled by GDB into bytecode (teval $eN = EXPR, at
# every hit of sim_loop), verified and run by the agent; after the run
# GDB prints the variable (qTV) next to its own evaluation of EXPR over
# the same memory.  The operands do not change during a run.  The cast
# is needed: GDB 13 compiles `$v = lvalue` into a setv of the lvalue's
# address (`maint agent-eval -at sim_loop, $e0 = sim_schar` shows setv
# before ref8), and a cast makes it load the value first.
exprs=(
	'sim_schar'
	'sim_uchar'
	'sim_short'
	'sim_ushort'
	'sim_int'
	'sim_uint'
	'sim_long'
	'sim_ull >> 60'
	'sim_bits.mid'
	'sim_bits.hi + sim_bits.lo'
	'sim_bits.mid * sim_schar / 3'
	'sim_points[2].x * sim_points[1].y'
	'sim_point_ptr->y - sim_origin.y'
	'sim_small[3] / sim_small[2]'
	'sim_small[sim_bits.lo]'
	'sim_uint / 7'
	'sim_int % 1000'
	'sim_uint % 1000'
	'sim_long < sim_int'
	'sim_uint > sim_int'
	'(sim_int ^ 0xff) & 0xfff'
	'sim_schar < 0 ? 11 : 22'
	'!sim_null_ptr'
	'sim_string[4]'
	'*sim_string_ptr'
	'~sim_short'
	'-sim_long'
	'sim_short << 3'
	'sim_int >> 4'
	'sim_uint >> 4'
	'(unsigned char) sim_int'
	'(short) sim_uint'
	'sim_bits.lo == 5 && sim_bits.hi > 2999'
	'sim_bits.lo == 4 || sim_origin.x != 3'
	'sizeof (sim_origin)'
	'sim_origin.name[1] - sim_points[0].name[2]'
)
{
	for i in "${!exprs[@]}"; do
		echo "tvariable \$e$i"
	done
	echo "trace sim_loop"
	echo "actions"
	for i in "${!exprs[@]}"; do
		echo "teval \$e$i = (long long) (${exprs[$i]})"
	done
	echo "end"
	echo "tstart"
	echo "shell sleep 0.5"
	echo "tstop"
	echo "tstatus"
	for i in "${!exprs[@]}"; do
		echo "printf \"expr $i agent %lld gdb %lld\\n\", \$e$i, (long long) (${exprs[$i]})"
	done
} >"$tmp/exprs.in"
start_sim --ticks 10
session exprs <"$tmp/exprs.in"
clean exprs
expect exprs_run exprs '^Collected 10 trace frames\.$'
for i in "${!exprs[@]}"; do
	line=$(grep -E "^expr $i agent " "$tmp/exprs.log" || true)
	read -r _ _ _ agent _ want <<<"$line"
	if [[ -n $line && $agent == "$want" ]]; then
		pass "expr_$i"
	else
		fail "expr_$i" "'${exprs[$i]}': ${line:-no value}"
	fi
done

# ---- conditions: which hits make frames (after trace-condition.exp) ----

# hits NAME LOG NUM N: `info tracepoints` says tracepoint NUM was hit N
# times (GDB prints no hit line for 0).
hits() {
	local got
	got=$(awk -v n="$3" '
		$1 == n && $2 == "tracepoint" { f = 1; next }
		$1 ~ /^[0-9]+$/ { f = 0 }
		f && /already hit/ { for (i = 1; i <= NF; i++)
			if ($i == "hit") print $(i + 1) }' "$tmp/$2.log")
	if [[ ${got:-0} == "$4" ]]; then
		pass "$1"
	else
		fail "$1" "tracepoint $3 hit ${got:-0} times, not $4"
	fi
}

start_sim --ticks 100
session conditions <<'EOF'
tvariable $hits = 0
trace sim_loop if n % 7 == 0
trace sim_loop if n > 95
trace sim_loop if sim_counter == n && n < 4
trace sim_loop if sim_small[n % 8] < 0
trace sim_loop if sim_null_ptr != 0
trace sim_loop if *sim_null_ptr == 0
trace sim_args if a == 50 || b == 60000
trace sim_loop if $hits >= 90
actions
collect n
end
trace sim_loop
actions
teval $hits = $hits + 1
end
tstart
shell sleep 0.5
tstop
tstatus
info tracepoints
print $hits
EOF
clean conditions
# 14 + 5 + 3 + 50 + 0 + 0 + 2 + 10 + 100: tracepoint 8 runs before 9 at
# each hit, so it sees $hits 90..99 at ticks 91..100.
expect conditions_frames conditions '^Collected 184 trace frames\.$'
for want in "1 14" "2 5" "3 3" "4 50" "5 0" "6 0" "7 2" "8 10" "9 100"; do
	read -r num n <<<"$want"
	hits "condition_tp$num" conditions "$num" "$n"
done
expect conditions_tsv conditions '^\$1 = 100$'

# ---- passcount: the run stops with tpasscount ----

start_sim --ticks 100
session passcount <<'EOF'
trace sim_args
actions
collect a
end
passcount 5 1
trace sim_loop
tstart
shell sleep 0.5
tstatus
tfind tracepoint 1
tfind tracepoint 1
tfind tracepoint 1
tfind tracepoint 1
tfind tracepoint 1
printf "last a=%d\n", a
tfind tracepoint 1
EOF
clean passcount
expect passcount_stop passcount '^Trace stopped by tracepoint 1\.$'
expect passcount_frames passcount '^Collected 10 trace frames\.$'
expect passcount_last passcount '^last a=5$'

# ---- buffer full, then tstart again; circular ----

start_sim --ticks 100
session buffer <<'EOF'
set trace-buffer-size 20000
trace sim_loop
actions
collect n, sim_huge[0]@2048
end
tstart
shell sleep 0.5
tstatus
tfind start
printf "first n=%ld\n", n
tstart
shell sleep 0.5
tstatus
set circular-trace-buffer on
tstart
shell sleep 0.5
tstop
tstatus
tfind start
printf "oldest n=%ld\n", n
tfind end
EOF
clean buffer
expect buffer_full buffer '^Trace stopped because the buffer was full\.$'
expect buffer_full_frames buffer '^Collected [5-9] trace frames\.$'
if [[ $(grep -c '^Trace stopped because the buffer was full\.$' "$tmp/buffer.log") == 2 ]]; then
	pass buffer_full_again
else
	fail buffer_full_again "the second run did not fill the buffer again"
fi
expect buffer_circular_created buffer '^Buffer contains [0-9]+ trace frames \(of 100 created total\)\.$'
expect buffer_size buffer '^Trace buffer has [0-9]+ bytes of 24576 bytes free'
expect buffer_first_frame buffer '^first n=1$'
expect buffer_circular buffer '^Trace buffer is circular\.$'
expect buffer_circular_stop buffer '^Trace stopped by a tstop command'
expect buffer_circular_oldest buffer '^oldest n=([2-9][0-9])$'

# ---- 64 KiB and 1 MiB collections, byte for byte ----

start_sim --ticks 10 --buffer-size 8388608
session big <<'EOF'
trace sim_rare
actions
collect sim_big
end
trace sim_rare
actions
collect sim_huge
end
tstart
shell sleep 1
tstop
tstatus
tfind tracepoint 1
printf "rare len=%lu\n", len
EOF
clean big
expect big_frames big '^Collected 2 trace frames\.$'
commands big_dump "set max-value-size unlimited" \
	"tfind tracepoint 1" "dump binary value $tmp/big.frame sim_big" \
	"tfind tracepoint 2" "dump binary value $tmp/huge.frame sim_huge" \
	"print sim_huge[1048575]" \
	"tfind none" "dump binary value $tmp/big.live sim_big" \
	"dump binary value $tmp/huge.live sim_huge"
clean big_dump
for f in big huge; do
	want=65536
	[[ $f == huge ]] && want=1048576
	if [[ -s $tmp/$f.frame ]] && [[ $(stat -c %s "$tmp/$f.frame") == "$want" ]] &&
	   cmp -s "$tmp/$f.frame" "$tmp/$f.live"; then
		pass "collect_${f}_exact"
	else
		fail "collect_${f}_exact" "frame copy differs from live memory"
	fi
done

# ---- tsave and target tfile ----

start_sim --ticks 20
session tsave <<EOF
trace sim_args
actions
collect a, b, *p, \$regs
end
trace sim_loop if n == 7
actions
collect n
end
tstart
shell sleep 0.5
tstop
tsave $tmp/run.tf
tfind 3
printf "live frame a=%d b=%ld\n", a, b
EOF
clean tsave
{
	echo "set pagination off"
	echo "target tfile $tmp/run.tf"
	echo "tstatus"
	echo "info tracepoints"
	echo "tfind 3"
	echo 'printf "file frame a=%d b=%ld\n", a, b'
	echo "print *p"
	echo "info registers rdi"
	echo "tfind tracepoint 2"
	echo 'printf "file n=%ld\n", n'
} >"$tmp/tfile.gdb"
timeout 60 "$gdb" -nx -batch -x "$tmp/tfile.gdb" "$sim" >"$tmp/tfile.log" 2>&1 || true
expect tsave_live tsave '^live frame a=4 b=4000$'
expect tfile_open tfile '^Collected 21 trace frames\.$'
expect tfile_tracepoints tfile 'collect a, b, \*p, \$regs'
expect tfile_frame tfile '^file frame a=4 b=4000$'
expect tfile_struct tfile '^\$1 = \{x = 3, y = -4, name = "origin'
expect tfile_register tfile '^rdi +0x4 +4$'
expect tfile_condition_frame tfile '^file n=7$'

# ---- disconnected tracing: the run outlives GDB, a new GDB sees it ----

start_sim --ticks 100000 --tick-ms 2
session disconn1 <<'EOF'
set disconnected-tracing on
tvariable $count = 0
trace sim_loop
actions
collect n
teval $count = $count + 1
end
tstart
shell sleep 0.3
tstatus
detach
EOF
clean disconn1
expect disconn_running disconn1 '^Trace is running on the target\.$'
expect disconn_setting disconn1 '^Trace will continue if GDB disconnects\.$'
sleep 0.3
session disconn2 --keep <<'EOF'
tstatus
info tracepoints
info tvariables
tstop
tstatus
tfind start
printf "first n=%ld\n", n
EOF
clean disconn2
expect disconn_still_running disconn2 '^Trace is running on the target\.$'
expect disconn_upload_tp disconn2 '^1 +tracepoint +keep y +0x[0-9a-f]+ in sim_loop'
expect disconn_upload_actions disconn2 '^ +collect n$'
expect disconn_upload_tsv disconn2 '^\$count +0 +[1-9][0-9]* *$'
expect disconn_stopped disconn2 '^Trace stopped by a tstop command'
expect disconn_frames disconn2 '^first n=1$'

# Without disconnected tracing, GDB going away stops the run.
start_sim --ticks 100000 --tick-ms 2
session nodisconn1 <<'EOF'
trace sim_loop
tstart
shell sleep 0.2
detach
EOF
session nodisconn2 <<'EOF'
tstatus
EOF
clean nodisconn2
expect nodisconn_stopped nodisconn2 '^Trace stopped because of disconnection\.$'

# ---- tracepoints changed during a run: disable, enable, new ones ----

start_sim --ticks 100000 --tick-ms 2
session during <<'EOF'
trace sim_loop
trace sim_args
tstart
shell sleep 0.3
disable 1
tstatus
info tracepoints
shell sleep 0.3
tstatus
info tracepoints
enable 1
trace sim_rare
shell sleep 0.5
tstop
tstatus
info tracepoints
tfind tracepoint 3
print $pc
EOF
clean during
# Disabled: tracepoint 1's count stays while 2's goes on.
mapfile -t c1 < <(awk '$1 == 1 && $2 == "tracepoint" {f = 1; next}
	$1 ~ /^[0-9]+$/ {f = 0} f && /already hit/ {print $4}' "$tmp/during.log")
mapfile -t c2 < <(awk '$1 == 2 && $2 == "tracepoint" {f = 1; next}
	$1 ~ /^[0-9]+$/ {f = 0} f && /already hit/ {print $4}' "$tmp/during.log")
if [[ ${#c1[@]} == 3 && ${c1[0]} == "${c1[1]}" && ${c1[2]} -gt ${c1[1]} ]]; then
	pass during_disable_enable
else
	fail during_disable_enable "tracepoint 1 hits: ${c1[*]}"
fi
if [[ ${#c2[@]} == 3 && ${c2[1]} -gt ${c2[0]} && ${c2[2]} -gt ${c2[1]} ]]; then
	pass during_other_runs_on
else
	fail during_other_runs_on "tracepoint 2 hits: ${c2[*]}"
fi
# GDB downloads a tracepoint made during a run at once (InstallInTrace).
expect during_install_in_trace during '^Found trace frame [0-9]+, tracepoint 3$'
expect during_install_in_trace_pc during '^\$1 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <sim_rare\+[0-9]+>$'

# ---- errors GDB shows ----

start_sim --ticks 10
commands errors \
	"trace *0x1000" "tstart" "tstatus" \
	"delete" "tfind start" "tfind 3" \
	"x/2xb 0x10" "print sim_int" "set var sim_int = 5" "print sim_int" \
	"trace sim_loop" "actions" \
	"tstart" "tstart" "tstop" "tfind none" "tstop"
clean errors
expect errors_probe errors "^Target returns error code '\\.tracepoint 1 at 0x1000: cannot install a probe \\(error -22\\)'\\.$"
expect errors_not_run errors '^Trace has not been run\.$|^No trace has been run on the target\.$'
expect errors_tfind_no_frames errors '^(No trace frame found|Target failed to find requested trace frame\.)$'
expect errors_memory errors '^0x10:	Cannot access memory at address 0x10$'
expect errors_write_refused errors '^Cannot access memory at address 0x[0-9a-f]+$'
expect errors_value_unchanged errors '^\$2 = -123456$'

# Memory writes only when the target allows them.
start_sim --allow-writes
commands writes "set var sim_int = 5" "print sim_int" "set var sim_int = -123456"
clean writes
expect writes_allowed writes '^\$1 = 5$'

exit "$failed"
