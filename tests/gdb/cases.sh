# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# GDB's own $variables fill the regexes and scripts here, literally;
# tmp, gdb and gdb_args come from tests/gdb/lib.sh and its runner.
# shellcheck disable=SC2016,SC2028,SC2154
#
# The GDB sessions the tracing targets share (the host simulator, the
# kernel agent in the VM), modelled on gdb.trace's tests: collections,
# conditions, agent expressions against GDB's own evaluation, every tfind
# form, tstatus, passcount, buffer full and circular, 64 KiB and 1 MiB
# collections byte for byte, tsave and target tfile, disconnected
# tracing, tracepoints changed during a run, errors.  Source
# tests/gdb/lib.sh and provide its backend first.  Every case is
# deterministic: the traced code runs only when a session says @RUN N.

# ---- collection: arguments, locals, globals, registers, expressions ----

case_collect() {
target_reset
session collect <<'EOF'
trace @ARGS_SITE
actions
collect a, b, p, *p, local, $regs
collect gtpt_points[1].name, *gtpt_point_ptr, gtpt_bits
collect gtpt_small[2] + gtpt_small[3]
end
trace gtpt_loop if n % 3 == 0
actions
collect n, gtpt_counter
end
tstart
@RUN 20
tstop
tstatus
info tracepoints
tfind start
printf "a=%d b=%ld local=%d\n", a, b, local
print *p
print gtpt_points[1].name
print *gtpt_point_ptr
print gtpt_bits
print gtpt_small[2]
print gtpt_small[0]
print gtpt_counter
print $pc == gtpt_args || $pc > gtpt_args
x/i $pc
tfind tracepoint 2
printf "n=%ld counter=%ld\n", n, gtpt_counter
tfind tracepoint 2
printf "n=%ld counter=%ld\n", n, gtpt_counter
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
expect collect_pc collect '^\$8 = 1$'
expect collect_pc_insn collect '^=> 0x[0-9a-f]+ <gtpt_args\+[0-9]+>:'
expect collect_tfind_tracepoint collect '^Found trace frame 2, tracepoint 2$'
expect collect_condition_value collect '^n=3 counter=3$'
expect collect_tfind_tracepoint_next collect '^n=6 counter=6$'
expect collect_tfind_next collect '^next a=6$'
expect collect_tfind_number collect '^four a=4$'
expect collect_tfind_previous collect '^minus a=3$'
expect collect_tfind_end collect '^No longer looking at any trace frame$'
expect collect_tfind_past_end collect '^(No trace frame found|Target failed to find requested trace frame\.)$'
}

# ---- agent expressions: the agent's value is GDB's value ----
#
# Each expression is compiled by GDB into bytecode (teval $eN = EXPR, at
# every hit of gtpt_loop), verified and run by the agent; after the run
# GDB prints the variable (qTV) next to its own evaluation of EXPR over
# the same memory.  The operands do not change during a run.  The cast
# is needed: GDB 13 compiles `$v = lvalue` into a setv of the lvalue's
# address (`maint agent-eval -at gtpt_loop, $e0 = gtpt_schar` shows setv
# before ref8), and a cast makes it load the value first.
case_exprs() {
exprs=(
	'gtpt_schar'
	'gtpt_uchar'
	'gtpt_short'
	'gtpt_ushort'
	'gtpt_int'
	'gtpt_uint'
	'gtpt_long'
	'gtpt_ull >> 60'
	'gtpt_bits.mid'
	'gtpt_bits.hi + gtpt_bits.lo'
	'gtpt_bits.mid * gtpt_schar / 3'
	'gtpt_points[2].x * gtpt_points[1].y'
	'gtpt_point_ptr->y - gtpt_origin.y'
	'gtpt_small[3] / gtpt_small[2]'
	'gtpt_small[gtpt_bits.lo]'
	'gtpt_uint / 7'
	'gtpt_int % 1000'
	'gtpt_uint % 1000'
	'gtpt_long < gtpt_int'
	'gtpt_uint > gtpt_int'
	'(gtpt_int ^ 0xff) & 0xfff'
	'gtpt_schar < 0 ? 11 : 22'
	'!gtpt_null_ptr'
	'gtpt_string[4]'
	'*gtpt_string_ptr'
	'~gtpt_short'
	'-gtpt_long'
	'gtpt_short << 3'
	'gtpt_int >> 4'
	'gtpt_uint >> 4'
	'(unsigned char) gtpt_int'
	'(short) gtpt_uint'
	'gtpt_bits.lo == 5 && gtpt_bits.hi > 2999'
	'gtpt_bits.lo == 4 || gtpt_origin.x != 3'
	'sizeof (gtpt_origin)'
	'gtpt_origin.name[1] - gtpt_points[0].name[2]'
)
{
	for i in "${!exprs[@]}"; do
		echo "tvariable \$e$i"
	done
	echo "trace gtpt_loop"
	echo "actions"
	for i in "${!exprs[@]}"; do
		echo "teval \$e$i = (long long) (${exprs[$i]})"
	done
	echo "end"
	echo "tstart"
	echo "@RUN 10"
	echo "tstop"
	echo "tstatus"
	for i in "${!exprs[@]}"; do
		echo "printf \"expr $i agent %lld gdb %lld\\n\", \$e$i, (long long) (${exprs[$i]})"
	done
} >"$tmp/exprs.in"
target_reset
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
}

# ---- conditions: which hits make frames (after trace-condition.exp) ----

case_conditions() {
target_reset
session conditions <<'EOF'
tvariable $hits = 0
trace gtpt_loop if n % 7 == 0
trace gtpt_loop if n > 95
trace gtpt_loop if gtpt_counter == n && n < 4
trace gtpt_loop if gtpt_small[n % 8] < 0
trace gtpt_loop if gtpt_null_ptr != 0
trace gtpt_loop if *gtpt_null_ptr == 0
trace gtpt_args if a == 50 || b == 60000
trace gtpt_loop if $hits >= 90
actions
collect n
end
trace gtpt_args
actions
teval $hits = $hits + 1
end
tstart
@RUN 100
tstop
tstatus
info tracepoints
print $hits
EOF
clean conditions
# 14 + 5 + 3 + 50 + 0 + 0 + 2 + 10 + 100: tracepoint 9 counts in
# gtpt_args, after gtpt_loop in each tick, so tracepoint 8 sees $hits
# 90..99 at ticks 91..100 (no order between probes at one address is
# assumed).
expect conditions_frames conditions '^Collected 184 trace frames\.$'
for want in "1 14" "2 5" "3 3" "4 50" "5 0" "6 0" "7 2" "8 10" "9 100"; do
	read -r num n <<<"$want"
	hits "condition_tp$num" conditions "$num" "$n"
done
expect conditions_tsv conditions '^\$1 = 100$'
}

# ---- passcount: the run stops with tpasscount ----

case_passcount() {
target_reset
session passcount <<'EOF'
trace gtpt_args
actions
collect a
end
passcount 5 1
trace gtpt_loop
tstart
@RUN 100
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
}

# ---- buffer full, then tstart again; circular ----

case_buffer() {
target_reset
session buffer <<'EOF'
set trace-buffer-size 20000
trace gtpt_loop
actions
collect n, gtpt_huge[0]@2048
end
tstart
@RUN 100
tstatus
tfind start
printf "first n=%ld\n", n
tstart
@RUN 100
tstatus
set circular-trace-buffer on
tstart
@RUN 100
tstop
tstatus
tfind start
printf "oldest n=%ld\n", n
tfind end
EOF
clean buffer
expect buffer_full buffer '^Trace stopped because the buffer was full\.$'
# One CPU's ring is 3 pages: 4 or 5 frames of 2 KiB; two rings, more.
expect buffer_full_frames buffer '^Collected [4-9] trace frames\.$'
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
expect buffer_circular_oldest buffer '^oldest n=2[89][0-9]$'
}

# ---- 64 KiB and 1 MiB collections, byte for byte ----

case_big() {
target_reset
session big <<'EOF'
set trace-buffer-size 8388608
trace gtpt_rare
actions
collect gtpt_big
end
trace gtpt_rare
actions
collect gtpt_huge
end
tstart
@RUN 10
tstop
tstatus
tfind tracepoint 1
printf "rare len=%lu\n", len
EOF
clean big
expect big_frames big '^Collected 2 trace frames\.$'
commands big_dump \
	"tfind tracepoint 1" "dump binary value $tmp/big.frame gtpt_big" \
	"tfind tracepoint 2" "dump binary value $tmp/huge.frame gtpt_huge" \
	"print gtpt_huge[1048575]" \
	"tfind none" "dump binary value $tmp/big.live gtpt_big" \
	"dump binary value $tmp/huge.live gtpt_huge"
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
}

# ---- tsave and target tfile ----

case_tsave() {
target_reset
session tsave <<EOF
trace gtpt_args
actions
collect a, b, *p, \$regs
end
trace gtpt_loop if n == 7
actions
collect n
end
tstart
@RUN 20
tstop
tsave $tmp/run.tf
tfind 3
printf "live frame a=%d b=%ld\n", a, b
EOF
clean tsave
{
	echo "set pagination off"
	gdb_symbols
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
timeout 120 "$gdb" -nx -batch -x "$tmp/tfile.gdb" "${gdb_args[@]}" \
	>"$tmp/tfile.log" 2>&1 || true
expect tsave_live tsave '^live frame a=4 b=4000$'
expect tfile_open tfile '^Collected 21 trace frames\.$'
expect tfile_tracepoints tfile 'collect a, b, \*p, \$regs'
expect tfile_frame tfile '^file frame a=4 b=4000$'
expect tfile_struct tfile '^\$1 = \{x = 3, y = -4, name = "origin'
expect tfile_register tfile '^rdi +0x4 +4$'
expect tfile_condition_frame tfile '^file n=7$'
}

# ---- tfind by pc, range and outside; what cannot be read ----

case_tfind_forms() {
target_reset
session tfind_forms <<'EOF'
trace gtpt_loop
actions
collect n
end
trace gtpt_rare
actions
collect s, len
end
tstart
@RUN 12
tstop
tfind tracepoint 2
set $p2 = $pc
tfind start
set $p1 = $pc
tfind pc $p2
tfind start
tfind range $p2, $p2 + 1
tfind outside $p2, $p2
printf "outside n=%ld\n", n
tfind pc $p1
printf "pc n=%ld\n", n
tfind start
tfind line gtpt_rare
printf "line frame=%d tp=%d\n", $trace_frame, $tracepoint
tfind start
tfind line
printf "next line frame=%d tp=%d\n", $trace_frame, $tracepoint
tfind none
tfind range 0, 1
EOF
clean tfind_forms
expect tfind_pc tfind_forms '^Found trace frame 10, tracepoint 2$'
expect tfind_range tfind_forms '^Found trace frame 10, tracepoint 2$'
expect tfind_outside tfind_forms '^outside n=11$'
expect tfind_pc_next tfind_forms '^pc n=12$'
# tfind line SPEC: a range search over the line's code; bare tfind
# line: the next frame outside the current frame's line.
expect tfind_line tfind_forms '^line frame=10 tp=2$'
expect tfind_line_next tfind_forms '^next line frame=10 tp=2$'
expect tfind_range_none tfind_forms '^(No trace frame found|Target failed to find requested trace frame\.)$'
}

case_unreadable() {
target_reset
session unreadable <<'EOF'
trace gtpt_loop
actions
collect n, *gtpt_null_ptr
collect *(char (*)[8]) 0x10
collect/s gtpt_string_ptr + 0
end
tstart
@RUN 5
tstop
tstatus
tfind 0
print *gtpt_null_ptr
print *(char (*)[8]) 0x10
x/s gtpt_string
tfind 4
printf "last n=%ld\n", n
EOF
clean unreadable
# Unreadable addresses leave holes; the run goes on.
expect unreadable_run_goes_on unreadable '^Collected 5 trace frames\.$'
expect unreadable_null unreadable '^\$1 = <unavailable>$'
expect unreadable_low unreadable '^\$2 = <unavailable>$'
expect unreadable_string unreadable '^0x[0-9a-f]+ <gtpt_string>:	"tracepoints over the wire"$'
expect unreadable_last unreadable '^last n=5$'
}

# ---- disconnected tracing: the run outlives GDB, a new GDB sees it ----

case_disconnected() {
target_reset
session disconn1 <<'EOF'
set disconnected-tracing on
tvariable $count = 0
trace gtpt_loop
actions
collect n
teval $count = $count + 1
end
tstart
@RUN 20
tstatus
detach
EOF
clean disconn1
expect disconn_running disconn1 '^Trace is running on the target\.$'
expect disconn_setting disconn1 '^Trace will continue if GDB disconnects\.$'
# Nobody is connected: the run goes on.
run_ticks 30
session disconn2 --keep <<'EOF'
tstatus
info tracepoints
info tvariables
tstop
tstatus
tfind start
printf "first n=%ld\n", n
tfind none
print $count
EOF
clean disconn2
expect disconn_still_running disconn2 '^Trace is running on the target\.$'
expect disconn_upload_tp disconn2 '^1 +tracepoint +keep y +0x[0-9a-f]+ in gtpt_loop'
expect disconn_upload_actions disconn2 '^ +collect n$'
expect disconn_upload_tsv disconn2 '^\$count +0 +50 *$'
expect disconn_stopped disconn2 '^Trace stopped by a tstop command'
expect disconn_frames disconn2 '^Collected 50 trace frames\.$'
expect disconn_first disconn2 '^first n=1$'

# Without disconnected tracing, GDB going away stops the run.
target_reset
session nodisconn1 <<'EOF'
trace gtpt_loop
tstart
@RUN 5
detach
EOF
run_ticks 5
session nodisconn2 <<'EOF'
tstatus
EOF
clean nodisconn2
expect nodisconn_stopped nodisconn2 '^Trace stopped because of disconnection\.$'
expect nodisconn_frames nodisconn2 '^Collected 5 trace frames\.$'
}

# ---- tracepoints changed during a run: disable, enable, new ones ----

case_during() {
target_reset
session during <<'EOF'
trace gtpt_loop
trace gtpt_args
tstart
@RUN 10
disable 1
@RUN 10
tstatus
info tracepoints
enable 1
trace gtpt_rare
@RUN 20
tstop
tstatus
info tracepoints
tfind tracepoint 3
print $pc
EOF
clean during
# Disabled, tracepoint 1 stays at 10 while 2 goes on; enabled, it counts
# again; the one made during the run (InstallInTrace) counts from then.
hits during_disabled during 1 "10 30"
hits during_other_runs_on during 2 "20 40"
hits during_install_in_trace during 3 "2"
expect during_install_in_trace_frame during '^Found trace frame [0-9]+, tracepoint 3$'
expect during_install_in_trace_pc during '^\$1 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <gtpt_rare(\+[0-9]+)?>$'
}

# ---- errors GDB shows ----

case_errors() {
target_reset
commands errors \
	"trace *0x1000" "tstart" "tstatus" \
	"delete" "tfind start" "tfind 3" \
	"x/2xb 0x10" "print gtpt_int" "set var gtpt_int = 5" "print gtpt_int"
clean errors
expect errors_probe errors "^Target returns error code '\\.tracepoint 1 at 0x1000: cannot install a probe \\(error -[0-9]+\\)'\\.\$"
expect errors_not_run errors '^Trace has not been run\.$|^No trace has been run on the target\.$'
expect errors_tfind_no_frames errors '^(No trace frame found|Target failed to find requested trace frame\.)$'
expect errors_memory errors '^0x10:	Cannot access memory at address 0x10$'
expect errors_write_refused errors '^Cannot access memory at address 0x[0-9a-f]+$'
expect errors_value_unchanged errors '^\$2 = -123456$'
}

# All of them, in order.
run_all_cases() {
	case_collect
	case_exprs
	case_conditions
	case_passcount
	case_buffer
	case_big
	case_tsave
	case_tfind_forms
	case_unreadable
	case_disconnected
	case_during
	case_errors
}
