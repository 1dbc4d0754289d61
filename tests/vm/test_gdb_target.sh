#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sessions of tests/gdb/cases.sh against the kernel agent: host GDB
# on the guest's endpoint traces tests/target/gtp_target.ko, whose
# symbols it loads with add-symbol-file and the section addresses the
# guest shows in /sys/module/gtp_target/sections.  The traced code runs
# when a session says so, through /sys/kernel/debug/gtp_target/run.  The
# guest must log no kernel report (scripts/vm stop checks).
#
# Usage: tests/vm/test_gdb_target.sh [CASE...]   (after make, make target)
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1
# The VM's pass/fail/expect are tests/lib.sh's; the GDB cases bring their
# own, with the same output.
# shellcheck source=tests/gdb/lib.sh
. tests/gdb/lib.sh
# shellcheck source=tests/gdb/cases.sh
. tests/gdb/cases.sh

ko=$(target_module)
if [ ! -f "$ko" ]; then
	echo "FAIL gdb_target: $ko not built (make target)"
	exit 1
fi

g=$(guest_name gdbt)
if ! start_guest "$g" --load "gtp gtp_target"; then
	echo "FAIL gdb_target: guest boot"
	exit 1
fi
tmp=$(mktemp -d)
trap 'stop_guests; [[ -n ${KEEP:-} ]] || rm -rf "$tmp"' EXIT

port=$(vm port --name "$g")
# add-symbol-file with every text, data and rodata section of the module.
# shellcheck disable=SC2016 # expanded by the guest's shell
sections=$(vm exec --name "$g" -- 'cd /sys/module/gtp_target/sections &&
	for s in .text* .data* .bss* .rodata*; do
		[ -f "$s" ] && echo "-s $s $(cat "$s")"
	done' | tr '\n' ' ')

# The backend of tests/gdb/lib.sh.
gdb_args=()
# Symbols first: on connecting, GDB matches the tracepoints it uploads
# from the agent to them.
# Before connecting GDB knows no architecture and would print the
# module's addresses in 32 bits.
gdb_symbols() {
	echo "set architecture i386:x86-64"
	echo "add-symbol-file $ko $sections"
}
gdb_connect() {
	gdb_symbols
	echo "target remote :$port"
}
run_cmd() {
	echo "$top/scripts/vm exec --name $g -- 'echo $1 >/sys/kernel/debug/gtp_target/run'"
}
# A fresh agent for each case: GDB would otherwise upload the previous
# case's tracepoints and number its own after them.  Reloading while the
# bridge is down is also what an engineer does between experiments.
target_reset() {
	unload_gtp "$g" >/dev/null
	vm exec --name "$g" -- 'insmod /lib/modules/gtp/gtp.ko && gtp-bridge start' >/dev/null
	run_ticks 0
}
args_site=gtp_target.c:$(grep -n 'gtpt-args-site \*/' tests/target/gtp_target.c | cut -d: -f1)

# What only a kernel has: user memory of the task that hit.  The write
# to .../gtp_target/run hands its user buffer to gtpt_run_write().
case_user_memory() {
	target_reset
	session user_memory <<'EOF'
trace gtpt_run_write
actions
collect count, *ubuf@4
end
tstart
@RUN 1234
tstop
tfind start
printf "user buffer: %c%c%c%c count=%lu\n", ubuf[0], ubuf[1], ubuf[2], ubuf[3], count
EOF
	clean user_memory
	expect user_memory_collected user_memory '^user buffer: 1234 count=5$'
}

# What only a kernel has: I/O memory, an ioremap mapping of a device
# (HPET or virtio-pci, in the 0xfc000000..0xfeffffff hole below 4 GiB),
# from /proc/vmallocinfo (real addresses with kptr_restrict=1).  Reading
# a device register can have effects, so neither a live read nor a
# collection touches it: unavailable, and the run goes on.
case_io_memory() {
	local io
	io=$(vm exec --name "$g" -- "echo 1 >/proc/sys/kernel/kptr_restrict;
		awk '/ phys=0x00000000f[c-e].* ioremap/ {
			sub(/-.*/, \"\", \$1); print \$1; exit }' /proc/vmallocinfo")
	if [ -z "$io" ]; then
		echo "FAIL io_memory_found: no ioremap mapping in /proc/vmallocinfo"
		return
	fi
	target_reset
	# The live read goes last: its error ends GDB's script.
	session io_memory <<EOF
trace gtpt_loop
actions
collect n, *(unsigned int (*)[4]) $io
end
tstart
@RUN 3
tstop
tstatus
tfind 0
print *(unsigned int (*)[4]) $io
printf "n=%ld\n", n
tfind none
x/4xw $io
EOF
	clean io_memory
	expect io_memory_live_refused io_memory "^Cannot access memory at address $io\$"
	expect io_memory_run_goes_on io_memory '^Collected 3 trace frames\.$'
	# shellcheck disable=SC2016 # GDB's $1
	expect io_memory_unavailable io_memory '^\$1 = <unavailable>$'
	expect io_memory_frame_has_n io_memory '^n=1$'
}

if [ $# -gt 0 ]; then
	for c in "$@"; do
		"$c"
	done
else
	run_all_cases
	case_user_memory
	case_io_memory
fi

if vm stop --name "$g" >"$tmp/stop.log" 2>&1; then
	echo "PASS gdb_target_guest_clean"
else
	echo "FAIL gdb_target_guest_clean: $(tail -n 20 "$tmp/stop.log" | tr '\n' '|')"
	failed=1
fi
failures=$failed	# tests/lib.sh keeps a failed guest's logs
exit "$failed"
