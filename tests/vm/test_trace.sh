#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A traced frame end to end: host GDB defines a tracepoint on a kernel
# function, starts the trace, the guest runs the traced code, GDB stops
# the trace and reads the frame back: registers, collected memory
# reassembled from the ring buffer, status figures, and the frame stream
# (tsave) opened again as a trace file.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name trace)
if ! start_guest "$g"; then
	fail "trace guest boot"
	exit 1
fi

func=$(ksym "$g" __x64_sys_sethostname)
uts=$(printf '0x%x' $(( $(ksym "$g" init_uts_ns) + 65 )))
port=$(vm port --name "$g")
tfile=$(mktemp /tmp/gtp-trace.XXXXXX)
trap 'rm -f "$tfile" "$tfile.gdb" "$tfile.run"' EXIT

vm exec --name "$g" -- hostname alpha >/dev/null

# The hostname at entry to sethostname is still the old one: the frame
# must hold "alpha" while the live kernel says "beta".
cat >"$tfile.gdb" <<GDB
set pagination off
set confirm off
target remote :$port
info tvariables
trace *$func
actions
collect \$regs
collect {char[65]} $uts
collect \$cpu_id, \$current_task_pid, \$clock
end
tstart
shell "$top/scripts/vm" exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status >"$tfile.run"
shell "$top/scripts/vm" exec --name "$g" -- hostname beta
shell "$top/scripts/vm" exec --name "$g" -- hostname gamma
tstop
tstatus
info tracepoints
tfind 0
printf "frame0-rip=%lx\n", \$rip
printf "frame0-name=%s\n", (char *) $uts
tfind 1
printf "frame1-name=%s\n", (char *) $uts
printf "frame1-rsp=%lx\n", \$rsp
printf "frame1-pid=%d cpu=%d clock=%lu\n", \$current_task_pid, \$cpu_id, \$clock
tfind
tfind none
printf "live-name=%s\n", (char *) $uts
tsave $tfile
detach
target tfile $tfile
tfind 1
printf "tfile-name=%s\n", (char *) $uts
printf "tfile-rip=%lx\n", \$rip
GDB
out=$(timeout 300 gdb -nx -batch -x "$tfile.gdb" 2>&1)
while IFS= read -r line; do echo "  gdb: $line"; done <<<"$out"

expect_match "tracepoint defined" "Tracepoint 1 at $func" "$out"
expect_match "tstatus counts two frames" "Collected 2 trace frames" "$out"
expect_match "tracepoint hit twice" "tracepoint already hit 2 times" "$out"
expect_match "tfind 0 finds the first frame" "Found trace frame 0, tracepoint 1" "$out"
expect_eq "frame 0 PC is the probed address" "frame0-rip=${func#0x}" \
	"$(grep -o 'frame0-rip=[0-9a-f]*' <<<"$out" | sed 's/=0*/=/')"
expect_match "frame 0 memory is the old hostname" "frame0-name=alpha" "$out"
expect_match "frame 1 memory is the next hostname" "frame1-name=beta" "$out"
expect_match "frame 1 has a kernel stack pointer" "frame1-rsp=ffff[0-9a-f]{12}" "$out"
expect_match "agent's variables are listed" "\\\$current_task_pid +0 +<undefined>" "$out"
expect_match "frame 1 has the task's pid, cpu and clock" \
	'frame1-pid=[1-9][0-9]* cpu=[01] clock=[1-9][0-9]{6,}' "$out"
expect_match "no frame after the last" "No trace frame found" "$out"
expect_match "live memory after tfind none" "live-name=gamma" "$out"
expect_eq "tsave writes a trace file (\\x7fTRACE0\\n)" "7f5452414345300a" \
	"$(head -c 8 "$tfile" | od -An -tx1 | tr -d ' \n')"
expect_match "target tfile reads the frames back" "tfile-name=beta" "$out"
expect_match "target tfile has the registers" "tfile-rip=${func#0x}" "$out"

status=$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)
expect_match "status: stopped by tstop" $'state: stopped\nstop_reason: tstop' "$status"
expect_match "status: hits of tracepoint 1" '^tp1_hits: 2$' "$status"
expect_match "status: frames" '^frames: 2$' "$status"
expect_match "status: probe removed at tstop" '^tp1_installed: 0$' "$status"
# A function's entry is its ftrace call site; the probe goes on the next
# instruction (agent/trace.c says why), and frames still say $func.
expect_match "probe on the instruction after the ftrace site" \
	"^tp1_probe: (int3|jump) at $(printf '0x%x' $((func + 5)))\$" \
	"$(cat "$tfile.run")"

# A new GDB connection sees the stopped trace: uploaded tracepoints with
# their actions, status and frames.
out=$(timeout 120 gdb -nx -batch -ex 'set pagination off' \
	-ex "target remote :$port" -ex 'info tracepoints' -ex tstatus \
	-ex 'tfind 1' -ex "printf \"again-name=%s\\n\", (char *) $uts" \
	-ex detach 2>&1)
while IFS= read -r line; do echo "  gdb2: $line"; done <<<"$out"
expect_match "reconnect uploads the tracepoint" \
	"Created tracepoint 1 for target's tracepoint 1 at $func" "$out"
expect_match "uploaded actions come back" 'collect \{char\[65\]\}' "$out"
expect_match "reconnect sees the frames" "Collected 2 trace frames" "$out"
expect_match "reconnect reads a frame" "again-name=beta" "$out"

# Disconnected tracing: the run outlives GDB, and the module can go
# while it runs (its probes are removed first).
out=$(timeout 120 gdb -nx -batch -ex 'set confirm off' \
	-ex "target remote :$port" -ex 'set disconnected-tracing on' \
	-ex tstart -ex detach 2>&1)
vm exec --name "$g" -- hostname delta >/dev/null
status=$(vm exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status)
expect_match "trace runs after GDB detached" '^state: running$' "$status"
expect_match "hits while disconnected" '^tp1_hits: 1$' "$status"
expect "rmmod while tracing" \
	vm exec --name "$g" -- 'gtp-bridge stop; rmmod gtp'
expect "traced code runs after unload" \
	vm exec --name "$g" -- hostname epsilon

# ftrace_probes=1: probes stay on ftrace call sites (ftrace-based
# kprobes).  Armed while nothing runs through the function, which is
# when that is safe on 6.1 (Documentation/reliability.rst).
expect "gtp.ko loads with ftrace_probes=1" vm exec --name "$g" -- \
	'insmod /lib/modules/gtp/gtp.ko ftrace_probes=1 && gtp-bridge start'
cat >"$tfile.gdb" <<GDB
set pagination off
set confirm off
target remote :$port
trace *$func
actions
collect {char[65]} $uts
end
tstart
shell "$top/scripts/vm" exec --name "$g" -- cat /sys/kernel/debug/gtp_agent/status >"$tfile.run"
shell "$top/scripts/vm" exec --name "$g" -- hostname zeta
tstop
tstatus
tfind 0
printf "ft0-name=%s\n", (char *) $uts
printf "ft0-rip=%lx\n", \$pc
detach
GDB
out=$(timeout 300 gdb -nx -batch -x "$tfile.gdb" 2>&1)
while IFS= read -r line; do echo "  gdb-ftrace: $line"; done <<<"$out"
expect_match "ftrace_probes=1: the probe is on the ftrace site" \
	"^tp1_probe: ftrace at $func\$" "$(cat "$tfile.run")"
expect_match "ftrace_probes=1: the hit is collected" "Collected 1 trace frames" "$out"
expect_match "ftrace_probes=1: frame memory" "ft0-name=epsilon" "$out"
expect_eq "ftrace_probes=1: frame PC is the function" "ft0-rip=${func#0x}" \
	"$(grep -o 'ft0-rip=[0-9a-f]*' <<<"$out" | sed 's/=0*/=/')"

expect "guest log clean" vm stop --name "$g"
finish
