# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the shell tests.  A test prints one line per assertion,
# "PASS name" or "FAIL name: why", and exits non-zero if any failed;
# tests/run counts those lines.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export top
failures=0
guests=()

pass() { echo "PASS $*"; }

fail() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

# expect NAME CMD...: the command must succeed.
expect() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name: '$*' failed"; fi
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# expect_match NAME REGEX TEXT
expect_match() {
	if grep -Eq -- "$2" <<<"$3"; then
		pass "$1"
	else
		fail "$1: no match for /$2/ in: $(head -c 600 <<<"$3")"
	fi
}

vm() { "$top/scripts/vm" "$@"; }

# The kernel the guests of this run boot (scripts/vm start's default).
vm_kernel() { echo "${GTP_VM_KERNEL:-stock}"; }

# Host path of gtp_target.ko as built for that kernel (add-symbol-file).
target_module() {
	case "$(vm_kernel)" in
	debug) echo "$top/build/kdebug/target/gtp_target.ko" ;;
	*) echo "$top/tests/target/gtp_target.ko" ;;
	esac
}

# unload_gtp NAME: stop guest NAME's endpoint bridge and remove gtp.ko.
# The bridge's readers take a moment to let go of the endpoint, so the
# removal is tried for up to 4 s; fails if the module is still there.
unload_gtp() {
	# shellcheck disable=SC2016 # the guest expands $n
	vm exec --name "$1" -- 'gtp-bridge stop; n=0
		while [ -d /sys/module/gtp ] && [ $n -lt 20 ]; do
			rmmod gtp 2>/dev/null || sleep 0.2; n=$((n + 1))
		done; [ ! -d /sys/module/gtp ]'
}

# Address of kernel symbol $2 in guest $1, in hex with 0x, from kallsyms.
ksym() {
	echo "0x$(vm exec --name "$1" -- "awk '\$3 == \"$2\" { print \$1; exit }' /proc/kallsyms")"
}

# start_guest NAME [vm start options]: boot a guest that is stopped when
# the test exits, whatever happens; the watchdog catches the rest.
start_guest() {
	local name=$1
	shift
	guests+=("$name")
	vm start --name "$name" --max-life "${GTP_TEST_GUEST_LIFE:-1800}" "$@"
}

# Stop what is still running; a passing test also removes its guests'
# state, a failing one keeps the logs (scripts/vm log --name NAME).
stop_guests() {
	local g state=${GTP_VM_STATE:-/tmp/gtp-vm}
	for g in "${guests[@]}"; do
		if [ -n "$(vm list | awk -v n="$g" '$1 == n')" ]; then
			vm stop --name "$g" >/dev/null 2>&1 || true
		fi
		[ "$failures" -ne 0 ] || rm -rf "${state:?}/$g"
	done
}
trap stop_guests EXIT

# A guest name unique to this run, so parallel runs cannot collide.
guest_name() { echo "t$$-$1"; }

finish() {
	[ "$failures" -eq 0 ]
}
