#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make kunit` builds the KUnit suite of rb/ (tests/kunit/) as
# gtp_rb_kunit.ko against the stock kernel's headers, here into a private
# KUNIT_DIR.  That kernel has no CONFIG_KUNIT, so this is a compile-only
# check: the module must hold the suite, and the only symbols it cannot
# resolve must be KUnit's own, so a real missing symbol in rb/ or in the
# suite fails.  Running the suite needs a KUnit kernel (tests/kunit/README).
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"; stop_guests' EXIT
kver=$("$top/scripts/stock-kernel")
kdir=$("$top/scripts/stock-kernel" --kdir)
ko=$dir/gtp_rb_kunit.ko

# sparse (C=1) and gcc's W=1 warnings on the suite and its rb/ copy.
check=()
if command -v sparse >/dev/null 2>&1; then
	check=(C=1 W=1)
else
	echo "SKIP sparse on the KUnit suite: sparse is not installed"
fi

out=$(make -C "$top" kunit KDIR="$kdir" KUNIT_DIR="$dir" "${check[@]}" 2>&1)
rc=$?
expect_eq "make kunit succeeds" 0 "$rc"
expect "gtp_rb_kunit.ko is produced" test -f "$ko"
[ -f "$ko" ] || echo "$out" | tail -n 30
expect_match "it is built for $kver" "^$kver " \
	"$(modinfo -F vermagic "$ko" 2>/dev/null)"
expect_eq "compiler and sparse report nothing" "" \
	"$(grep -E ': (warning|error):' <<<"$out")"

# The suite: registered in .kunit_test_suites, named gtp_rb.
expect_match "it has a .kunit_test_suites section" '[[:space:]]\.kunit_test_suites[[:space:]]' \
	"$(objdump -h "$ko" 2>/dev/null)"
expect_match "it defines the suite rb_test_suite" ' rb_test_suite$' \
	"$(nm "$ko" 2>/dev/null)"
strs=$(strings -a "$ko" 2>/dev/null)
expect_match "the suite is named gtp_rb" '^gtp_rb$' "$strs"
expect_match "it has the FID_MEM split cases" '^rb_test_mem_split$' "$strs"

# What modpost could not resolve: KUnit's symbols, and nothing else.
undef=$(sed -n 's/^WARNING: modpost: "\([^"]*\)" .* undefined!$/\1/p' <<<"$out" | sort)
if grep -q '^CONFIG_KUNIT=[ym]' "$kdir/include/config/auto.conf" 2>/dev/null; then
	expect_eq "modpost resolves every symbol" "" "$undef"
else
	expect_match "modpost warns about the kunit_* symbols" 'kunit_' "$undef"
	expect_eq "every symbol modpost could not resolve is KUnit's" "" \
		"$(grep -Ev '^_*kunit_' <<<"$undef")"
fi
expect_eq "modpost warns about nothing else" "" \
	"$(grep '^WARNING: modpost' <<<"$out" | grep -v ' undefined!$')"

# The same from the module itself, whatever modpost printed: every
# undefined symbol is exported by the kernel, or is KUnit's.
missing=$(comm -23 <(nm -u "$ko" 2>/dev/null | awk '{ print $2 }' | sort -u) \
	<(awk '{ print $2 }' "$kdir/Module.symvers" | sort -u) |
	grep -Ev '^_*kunit_')
expect_eq "every other undefined symbol is exported by $kver" "" "$missing"

finish
