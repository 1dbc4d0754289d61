#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own kprobe events, no gtp loaded, armed and disarmed on
# functions every CPU runs through as fast as it can: the experiment that
# showed arming a probe on an ftrace call site under load crashes the
# 6.1 guests here (Documentation/reliability.rst, "Arming a probe on a
# hot function").  Not part of `make check`: with the default probes it
# is expected to oops the guest.
#
#   tests/stress/ftrace_site_arming.sh [--offset N] [--cycles N]
#
# --offset 0 (default) probes each function's first instruction, its
# ftrace call site, so kprobes go through ftrace; --offset 5 probes the
# next instruction (int3, then an optimized jump), as gtp does.  Prints
# the guest's first kernel report, or that there was none; exits 1 on a
# report.  GTP_VM_ACCEL=tcg,thread=single runs the guest's vCPUs on one
# host thread, where the crash has not shown (see the same section).
. "$(dirname "$0")/../lib.sh"

offset=0
cycles=20
while [ $# -gt 0 ]; do
	case $1 in
	--offset) offset=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	*) echo "usage: $0 [--offset N] [--cycles N]" >&2; exit 2 ;;
	esac
done

g=arming$$
if ! vm start --name "$g" --smp 2 --mem 1024 --load gtp_target >/dev/null; then
	echo "guest boot failed" >&2
	exit 2
fi
guests+=("$g")
share=$(vm share --name "$g")
cat >"$share/hammer.sh" <<'SH'
n=$(nproc); c=0
while [ $c -lt "$n" ]; do
	taskset -c $c sh -c "echo $1 >/sys/kernel/debug/gtp_target/stress" &
	c=$((c + 1))
done
wait
SH
cat >"$share/cycles.sh" <<'SH'
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T
# What gtp's stress collects: arguments, and 512 bytes of stack at the
# function that is called least and runs its handler longest.
{
	echo "p:k_hot gtpt_hot+$2 n=%di cpu=%si"
	echo "p:k_cond gtpt_cond+$2 n=%di"
	echo "p:k_bulk gtpt_bulk+$2 stk=+0(\$stack):x64[64]"
} >>$T/kprobe_events || exit 1
i=0
while [ $i -lt "$1" ]; do
	echo 1 >$T/events/kprobes/enable
	sleep 0.3
	echo 0 >$T/events/kprobes/enable
	i=$((i + 1))
done
cat $T/kprobe_profile
SH
vm exec --name "$g" -- "sh /share/hammer.sh $((cycles * 1000 + 5000))" \
	>/dev/null 2>&1 &
sleep 2
vm exec --name "$g" --timeout 600 -- "sh /share/cycles.sh $cycles $offset"
report=$(vm log --name "$g" | grep -m1 -n -E "BUG|Oops|WARNING|lockup|stall")
if [ -n "$report" ]; then
	echo "kernel report, probes at +$offset: $report"
	exit 1
fi
echo "no kernel report in $cycles cycles, probes at +$offset"
