#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suites of tests/kunit/ in the debug kernel: each module is
# loaded in a guest, its suite runs at load, and its KTAP lines in the
# kernel log become one PASS or FAIL line per test case (named), plus
# the suite's own result.  KASAN, lockdep and the other checkers watch
# the suite as it runs: a report fails the test at `scripts/vm stop`.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1
export GTP_VM_KERNEL=debug

modules=(gtp_rb_kunit gtp_proto_kunit)
for m in "${modules[@]}"; do
	if ! find build/kdebug -name "$m.ko" | grep -q .; then
		fail "kunit: $m.ko not built for the debug kernel (make debug-modules)"
		exit 1
	fi
done

g=$(guest_name kunit)
# allnoconfig left KUNIT_DEFAULT_ENABLED off: enable KUnit at boot.
if ! start_guest "$g" --load '' --append kunit.enable=1; then
	fail "kunit: debug kernel guest boot"
	exit 1
fi

# The checkers are really there: a guest of this kernel says so at boot.
expect_match "debug kernel boots" "^Linux version [0-9.]+-gtp-debug " \
	"$(vm exec --name "$g" -- cat /proc/version)"
boot=$(vm exec --name "$g" -- dmesg)
expect_match "debug kernel: KASAN on" 'KernelAddressSanitizer initialized' "$boot"
expect_match "debug kernel: lockdep on" 'Lock dependency validator' "$boot"

for m in "${modules[@]}"; do
	if ! vm exec --name "$g" --timeout 600 -- \
		"dmesg -c >/dev/null; insmod /lib/modules/gtp/$m.ko"; then
		fail "kunit: insmod $m"
		continue
	fi
	# Without printk timestamps, or with them stripped.
	log=$(vm exec --name "$g" -- dmesg | sed 's/^\[[^]]*\] //')
	# KTAP: test cases are indented "ok N name" / "not ok N name" under
	# "# Subtest: SUITE"; the suite's own line is not indented.
	suite=$(sed -n 's/^ *# Subtest: \(.*\)$/\1/p' <<<"$log" | head -n 1)
	if [ -z "$suite" ]; then
		fail "kunit: $m printed no KTAP suite"
		continue
	fi
	cases=0
	while IFS= read -r line; do
		if [[ $line =~ ^[[:space:]]+ok\ [0-9]+\ (-\ )?([^ #]+)(.*)$ ]]; then
			if [[ ${BASH_REMATCH[3]} == *"# SKIP"* ]]; then
				echo "SKIP kunit $suite: ${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
			else
				pass "kunit $suite: ${BASH_REMATCH[2]}"
			fi
			cases=$((cases + 1))
		elif [[ $line =~ ^[[:space:]]+not\ ok\ [0-9]+\ (-\ )?([^ #]+) ]]; then
			fail "kunit $suite: ${BASH_REMATCH[2]}"
			cases=$((cases + 1))
		fi
	done <<<"$log"
	# What KUnit says of each failed expectation: file, line, values.
	grep -E -A 4 'EXPECTATION FAILED|ASSERTION FAILED' <<<"$log" | sed 's/^/    /'
	expect "kunit $suite: test cases reported ($cases)" test "$cases" -gt 0
	expect_match "kunit $suite: the suite passed" "^ok [0-9]+ (- )?$suite\$" "$log"
	expect "kunit: rmmod $m" vm exec --name "$g" -- rmmod "$m"
done

expect "kunit: guest log clean" vm stop --name "$g"
finish
