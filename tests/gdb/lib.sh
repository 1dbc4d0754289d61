# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# tmp and gdb_args come from the runner, which reads failed.
# shellcheck disable=SC2154,SC2034
#
# Real GDB sessions against a tracing target, for tests/gdb/cases.sh.  A
# runner sources this file, provides the backend and calls the cases:
#
#   gdb_symbols        prints the GDB commands that load the symbols of
#                      the traced code (if gdb_args does not)
#   gdb_connect        prints gdb_symbols' commands, then those that
#                      connect to the target
#   gdb_args           array: more arguments for gdb (an executable)
#   run_cmd N          prints a shell command that runs N ticks of the
#                      traced code and returns once they ran (0: the
#                      counter restarts)
#   target_reset       called before each case: a target with the traced
#                      code's counter at 0 and no trace running
#   args_site          linespec of the line marked gtpt-args-site in
#                      gtpt_args, where its arguments and local are live
#
# The traced code is tests/host/sim_program.c on the host simulator and
# tests/target/gtp_target.c in the VM: the same gtpt_* names and data.
# Results go to $tmp (the runner makes it); "PASS name" / "FAIL name: why"
# lines, and $failed set to 1 on any failure.

gdb=${GDB:-gdb}
failed=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failed=1; }

# session NAME [--keep]: run the GDB commands on stdin, starting from no
# tracepoints and no trace state variables on GDB's side (--keep: with
# the ones GDB uploaded from the target).  A line "@RUN N" runs N ticks;
# @ARGS_SITE stands for $args_site.
# The output goes to $tmp/NAME.log.  A command that fails ends the
# script, as in any GDB command file.
session() {
	local name=$1 uploads=${2:-} line
	{
		echo "set pagination off"
		echo "set confirm off"
		echo "set width 0"
		echo "set max-value-size unlimited"
		gdb_connect
		if [[ $uploads != --keep ]]; then
			echo "delete"
			echo "delete tvariable"
		fi
		while IFS= read -r line; do
			if [[ $line =~ ^@RUN\ ([0-9]+)$ ]]; then
				echo "shell $(run_cmd "${BASH_REMATCH[1]}")"
			else
				printf '%s\n' "${line//@ARGS_SITE/$args_site}"
			fi
		done
	} >"$tmp/$name.gdb"
	timeout 300 "$gdb" -nx -batch -x "$tmp/$name.gdb" "${gdb_args[@]}" \
		>"$tmp/$name.log" 2>&1 || true
}

# commands NAME CMD...: each CMD a -ex, so that one failing does not stop
# the others (for errors GDB is expected to show).
commands() {
	local name=$1 c line
	shift
	local args=(-ex "set pagination off" -ex "set confirm off"
		    -ex "set max-value-size unlimited")
	while IFS= read -r line; do
		args+=(-ex "$line")
	done < <(gdb_connect)
	for c in "$@"; do
		args+=(-ex "$c")
	done
	timeout 300 "$gdb" -nx -batch "${args[@]}" "${gdb_args[@]}" \
		>"$tmp/$name.log" 2>&1 || true
}

# run_ticks N: run N ticks from the test script itself.
run_ticks() {
	sh -c "$(run_cmd "$1")"
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

# hits NAME LOG NUM N: `info tracepoints` (after tstatus) says tracepoint
# NUM was hit N times; GDB prints no hit line for 0.  With several
# listings in LOG, N is the list of counts, space-separated.
hits() {
	local got
	got=$(awk -v n="$3" '
		$1 == n && $2 == "tracepoint" { f = 1; c = 0; next }
		$1 ~ /^[0-9]+$/ || /^Num / { if (f) print c; f = 0 }
		f && /already hit/ { for (i = 1; i <= NF; i++)
			if ($i == "hit") c = $(i + 1) }
		END { if (f) print c }' "$tmp/$2.log" | paste -sd' ')
	if [[ $got == "$4" ]]; then
		pass "$1"
	else
		fail "$1" "tracepoint $3 hit '$got' times, not '$4'"
	fi
}
