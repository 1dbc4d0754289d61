#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The trace buffer as GDB trace files.  Before any trace, gtpframe and
# gtpframe_pipe read as an empty trace file.  After a run driven by host
# GDB, gtpframe opens with `target tfile` (host GDB on a copy, GDB in the
# guest on the debugfs file itself) and finds the frames with the right
# memory, and reads at any offset give the bytes of one whole read.
# During a second run four gtpframe_pipe readers in the guest stream the
# frames as they come, a fifth is refused with EBUSY, a reader blocked
# for data dies on a signal, and at tstop every stream ends in a trace
# file GDB opens, holding the frames gtpframe holds; the status file
# counts what each reader got and lost.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

g=$(guest_name gtpframe)
if ! start_guest "$g"; then
	fail "gtpframe guest boot"
	exit 1
fi

func=$(ksym "$g" __x64_sys_sethostname)
uts=$(printf '0x%x' $(( $(ksym "$g" init_uts_ns) + 65 )))
port=$(vm port --name "$g")
share=$(vm share --name "$g")
tmp=$(mktemp -d /tmp/gtp-gtpframe.XXXXXX)
trap 'rm -rf "$tmp"; stop_guests' EXIT
dfs=/sys/kernel/debug
status() { vm exec --name "$g" -- cat $dfs/gtp_agent/status; }

# Offset just past a trace file's header (the empty line ends it).
header_len() {
	perl -0777 -ne 'my $i = index($_, "\n\n"); print $i < 0 ? -1 : $i + 2' "$1"
}

# hostgdb_tfile FILE CMDS...: host GDB on a trace file.
hostgdb_tfile() {
	local f=$1
	shift
	timeout 120 gdb -nx -batch -ex 'set pagination off' \
		-ex "target tfile $f" "$@" 2>&1
}

# ---- no trace yet -------------------------------------------------------

expect_eq "gtpframe is root-only" 400 \
	"$(vm exec --name "$g" -- stat -c %a $dfs/gtpframe)"
expect_eq "gtpframe_pipe is root-only" 400 \
	"$(vm exec --name "$g" -- stat -c %a $dfs/gtpframe_pipe)"
vm exec --name "$g" -- "cat $dfs/gtpframe >/share/empty; \
	timeout 20 cat $dfs/gtpframe_pipe >/share/empty_pipe"
expect "no trace yet: pipe reads header then EOF" test $? -eq 0
expect_eq "no trace yet: gtpframe is a trace file" "7f5452414345300a" \
	"$(head -c 8 "$share/empty" | od -An -tx1 | tr -d ' \n')"
expect_eq "no trace yet: it ends after the header" \
	"$(($(header_len "$share/empty") + 2))" "$(stat -c %s "$share/empty")"
expect "no trace yet: pipe gives the same file" \
	cmp -s "$share/empty" "$share/empty_pipe"
out=$(hostgdb_tfile "$share/empty" -ex tstatus -ex 'tfind 0')
while IFS= read -r line; do echo "  gdb-empty: $line"; done <<<"$out"
expect_match "no trace yet: GDB opens it" 'Using a trace file' "$out"
expect_match "no trace yet: no frames" 'No traceframes present' "$out"

# ---- a run, then gtpframe -----------------------------------------------

vm exec --name "$g" -- hostname alpha >/dev/null

# At entry to sethostname the hostname is still the old one: frame 0
# holds "alpha", frame 1 "beta".
cat >"$tmp/run1.gdb" <<GDB
set pagination off
set confirm off
target remote :$port
trace *$func
actions
collect \$regs
collect {char[65]} $uts
end
tstart
shell "$top/scripts/vm" exec --name "$g" -- hostname beta
shell "$top/scripts/vm" exec --name "$g" -- hostname gamma
tstop
detach
GDB
out=$(timeout 300 gdb -nx -batch -x "$tmp/run1.gdb" 2>&1)
while IFS= read -r line; do echo "  gdb-run1: $line"; done <<<"$out"
expect_match "run 1: tracepoint defined" "Tracepoint 1 at $func" "$out"

vm exec --name "$g" -- "cat $dfs/gtpframe >/share/f"
f=$share/f
expect_eq "gtpframe starts with the tfile magic" "7f5452414345300a" \
	"$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')"
expect_match "gtpframe: register block of 560 bytes" '^R 230$' \
	"$(head -c 2000 "$f" | tr -c '[:print:]\n' '?' | sed -n 2p)"
expect_match "gtpframe: status line of a stopped run" \
	'^status 0;tstop:[0-9a-f]*:0;tframes:2;' \
	"$(head -c 4000 "$f" | tr -c '[:print:]\n' '?' | grep '^status ')"
expect_match "gtpframe: the tracepoint's definition" \
	"^tp T1:${func#0x}:E:0:0" \
	"$(head -c 4000 "$f" | tr -c '[:print:]\n' '?' | grep '^tp T')"
expect_eq "gtpframe ends with tracepoint 0" "0000" \
	"$(tail -c 2 "$f" | od -An -tx1 | tr -d ' \n')"

out=$(hostgdb_tfile "$f" -ex tstatus -ex 'info tracepoints' \
	-ex 'tfind 0' -ex "printf \"f0-name=%s\\n\", (char *) $uts" \
	-ex "printf \"f0-rip=%lx\\n\", \$rip" \
	-ex 'tfind 1' -ex "printf \"f1-name=%s\\n\", (char *) $uts" \
	-ex 'tfind 2')
while IFS= read -r line; do echo "  gdb-tfile: $line"; done <<<"$out"
expect_match "host GDB: two frames in the file" 'Collected 2 trace frames' "$out"
expect_match "host GDB: the tracepoint comes back" \
	"Created tracepoint 1 for target's tracepoint 1 at $func" "$out"
expect_match "host GDB: frame 0 memory" 'f0-name=alpha' "$out"
expect_match "host GDB: frame 0 registers" "f0-rip=${func#0x}" "$out"
expect_match "host GDB: frame 1 memory" 'f1-name=beta' "$out"
expect_match "host GDB: no third frame" 'No trace frame found' "$out"

# GDB in the guest, straight on the debugfs file.
out=$(vm exec --name "$g" -- "gdb-local -batch \
	-ex 'target tfile $dfs/gtpframe' -ex tstatus \
	-ex 'tfind 0' -ex 'printf \"g0-name=%s\\n\", (char *) $uts' \
	-ex 'tfind 1' -ex 'printf \"g1-name=%s\\n\", (char *) $uts' \
	-ex 'printf \"g1-rip=%lx\\n\", \$rip' -ex 'tfind 2' 2>&1")
while IFS= read -r line; do echo "  gdb-local: $line"; done <<<"$out"
expect_match "guest GDB: target tfile on gtpframe" 'Collected 2 trace frames' "$out"
expect_match "guest GDB: frame 0 memory" 'g0-name=alpha' "$out"
expect_match "guest GDB: frame 1 memory" 'g1-name=beta' "$out"
expect_match "guest GDB: frame 1 registers" "g1-rip=${func#0x}" "$out"
expect_match "guest GDB: two frames only" 'No trace frame found' "$out"

# Reads at offsets (dd seeks, then reads) against one whole read; bs=1
# reads every byte on its own, across header, frames and end.
cat >"$share/offsets.sh" <<'SH'
f=/sys/kernel/debug/gtpframe
cat $f >/tmp/whole
for a in "1 0" "1 5" "7 13" "64 3" "100 9" "512 1" "4096 0" "1000 1000"; do
	set -- $a
	x=$(dd if=$f bs=$1 skip=$2 2>/dev/null | md5sum)
	y=$(dd if=/tmp/whole bs=$1 skip=$2 2>/dev/null | md5sum)
	if [ "$x" = "$y" ]; then echo "same $1 $2"; else echo "differ $1 $2"; fi
done
cmp /tmp/whole /share/f && echo "stable"
SH
out=$(vm exec --name "$g" -- 'sh /share/offsets.sh' 2>&1)
while IFS= read -r line; do echo "  offsets: $line"; done <<<"$out"
expect_eq "reads at offsets give the bytes of a whole read" 0 \
	"$(grep -c differ <<<"$out")"
expect_eq "every offset was read" 8 "$(grep -c '^same' <<<"$out")"
expect_match "a stopped trace reads the same twice" '^stable$' "$out"

# ---- a run read through gtpframe_pipe ------------------------------------

# Readers in the guest, started once the run is on.  One is killed while
# it waits for data; four stream the run; a fifth finds no slot.
cat >"$share/pipes.sh" <<'SH'
p=/sys/kernel/debug/gtpframe_pipe
s=/sys/kernel/debug/gtp_agent/status
rm -f /share/pids /share/p[0-9]*
cat $p >/dev/null &
k=$!
sleep 1
kill $k
for t in $(seq 50); do kill -0 $k 2>/dev/null || break; sleep 0.1; done
kill -0 $k 2>/dev/null && echo "killed reader still there" || echo "killed reader gone"
# O_NONBLOCK: the header, then EAGAIN while no frame is there (the
# host's perl, through the chroot GDB runs in).
chroot /host perl -MFcntl -MErrno=EAGAIN -e '
	sysopen(my $fh, $ARGV[0], O_RDONLY | O_NONBLOCK) or die "open: $!";
	my ($all, $buf, $n) = ("");
	while ($n = sysread($fh, $buf, 65536)) { $all .= $buf; }
	printf "nonblock: %s after %d bytes, header %s\n",
		defined $n ? "eof" : $!{EAGAIN} ? "EAGAIN" : "error $!",
		length $all, $all =~ /\n\n$/ ? "whole" : "cut";
' $p
for i in 1 2 3 4; do
	cat $p >/share/p$i 2>/share/p$i.err </dev/null &
	echo $! >>/share/pids
done
for t in $(seq 100); do
	[ "$(grep -c '^pipe[0-3]_open: 1$' $s)" = 4 ] && break
	sleep 0.2
done
cat $p >/share/p5 2>/share/p5.err
echo "fifth=$?"
SH
cat >"$share/pipes_end.sh" <<'SH'
for i in $(cat /share/pids); do
	for t in $(seq 100); do kill -0 $i 2>/dev/null || break; sleep 0.1; done
	kill -0 $i 2>/dev/null && echo "reader $i still running"
done
echo "readers done"
SH

cat >"$tmp/run2.gdb" <<GDB
set pagination off
set confirm off
target remote :$port
delete
trace *$func
actions
collect \$regs
collect {char[65]} $uts
end
tstart
shell "$top/scripts/vm" exec --name "$g" -- 'sh /share/pipes.sh' >"$tmp/pipes.out" 2>&1
shell "$top/scripts/vm" exec --name "$g" -- hostname delta
shell "$top/scripts/vm" exec --name "$g" -- hostname epsilon
shell "$top/scripts/vm" exec --name "$g" -- 'cat /sys/kernel/debug/gtpframe >/share/live'
tstop
detach
GDB
out=$(timeout 300 gdb -nx -batch -x "$tmp/run2.gdb" 2>&1)
while IFS= read -r line; do echo "  gdb-run2: $line"; done <<<"$out"
out=$(cat "$tmp/pipes.out")
while IFS= read -r line; do echo "  pipes: $line"; done <<<"$out"
expect_match "a reader waiting for data dies on a signal" 'killed reader gone' "$out"
expect_match "O_NONBLOCK: the header, then EAGAIN" \
	'nonblock: EAGAIN after [1-9][0-9]* bytes, header whole' "$out"
expect_match "a fifth concurrent reader is refused" 'fifth=1' "$out"
expect_match "... with EBUSY" 'Device or resource busy' "$(cat "$share/p5.err")"

out=$(vm exec --name "$g" -- 'sh /share/pipes_end.sh' 2>&1)
expect_eq "every pipe reader ends (EOF) after tstop" "readers done" "$out"

# gtpframe during the run: a snapshot GDB opens.
out=$(hostgdb_tfile "$share/live" -ex 'tfind 1' \
	-ex "printf \"live1-name=%s\\n\", (char *) $uts")
expect_match "gtpframe read while tracing runs" 'live1-name=delta' "$out"

vm exec --name "$g" -- "cat $dfs/gtpframe >/share/f2"
fh=$(header_len "$share/f2")
for i in 1 2 3 4; do
	p=$share/p$i
	expect_eq "pipe $i: a trace file" "7f5452414345300a" \
		"$(head -c 8 "$p" | od -An -tx1 | tr -d ' \n')"
	ph=$(header_len "$p")
	expect "pipe $i: the frames gtpframe has, then the end" \
		cmp -s <(tail -c +$((fh + 1)) "$share/f2") <(tail -c +$((ph + 1)) "$p")
	out=$(hostgdb_tfile "$p" -ex 'tfind 0' \
		-ex "printf \"p0-name=%s\\n\", (char *) $uts" -ex 'tfind 1' \
		-ex "printf \"p1-name=%s\\n\", (char *) $uts" -ex 'tfind 2')
	[ "$i" = 1 ] && while IFS= read -r line; do echo "  gdb-pipe: $line"; done <<<"$out"
	expect_match "pipe $i: frame 0" 'p0-name=gamma' "$out"
	expect_match "pipe $i: frame 1" 'p1-name=delta' "$out"
	expect_match "pipe $i: two frames" 'No trace frame found' "$out"
done

# GDB in the guest on a pipe's output.
out=$(vm exec --name "$g" -- "gdb-local -batch -ex 'target tfile /mnt/p1' \
	-ex 'tfind 1' -ex 'printf \"gp1-name=%s\\n\", (char *) $uts' 2>&1")
expect_match "guest GDB: target tfile on a pipe's output" 'gp1-name=delta' "$out"

st=$(status)
expect_match "status: pipe readers closed" '^pipe3_open: 0$' "$st"
expect_match "status: a pipe reader got both frames" '^pipe0_frames: 2$' "$st"
for i in 0 1 2 3; do
	expect_match "status: pipe $i lost nothing" "^pipe${i}_overrun: 0$" "$st"
done
expect_match "status: frames of the run" '^frames: 2$' "$st"

# ---- one open, one header ------------------------------------------------

# GDB reads a trace file's header a byte at a time.  While a trace runs,
# the figures in it change between reads; one open file must go on
# reading the header its first read saw, not a splice of two.  The guest
# reads 40 bytes through one open file, takes a whole copy through
# another, makes a hit (the header's figures change), then reads the
# rest through the first: the two headers must be the same, and a read
# after the hit must see the new figures.
cat >"$share/split.sh" <<'SH'
f=/sys/kernel/debug/gtpframe
exec 3<$f
dd bs=40 count=1 <&3 >/share/split 2>/dev/null
cat $f >/share/before
hostname theta
cat <&3 >>/share/split
cat $f >/share/after
exec 3<&-
SH
cat >"$tmp/run3.gdb" <<GDB
set pagination off
set confirm off
target remote :$port
delete
trace *$func
actions
collect \$regs
end
tstart
shell "$top/scripts/vm" exec --name "$g" -- hostname eta
shell "$top/scripts/vm" exec --name "$g" -- 'sh /share/split.sh'
tstop
detach
GDB
out=$(timeout 300 gdb -nx -batch -x "$tmp/run3.gdb" 2>&1)
while IFS= read -r line; do echo "  gdb-run3: $line"; done <<<"$out"
hb=$(header_len "$share/before")
hs=$(header_len "$share/split")
ha=$(header_len "$share/after")
expect "live header: one open file reads one header" \
	cmp -s <(head -c "$hb" "$share/before") <(head -c "$hs" "$share/split")
expect_match "live header: it counts the frame before the split" \
	'^status 1;tnotrun:0;tframes:1;' \
	"$(head -c "$hs" "$share/split" | tr -c '[:print:]\n' '?' | grep '^status ')"
expect_match "live header: a read after the hit sees two frames" \
	'^status 1;tnotrun:0;tframes:2;' \
	"$(head -c "$ha" "$share/after" | tr -c '[:print:]\n' '?' | grep '^status ')"
expect "live header: the split read ends like a whole file" \
	cmp -s <(tail -c 2 "$share/split") <(printf '\0\0')

expect "guest log clean" vm stop --name "$g"
finish
