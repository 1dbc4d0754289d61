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
# shellcheck source=tests/build/module_build.sh
. "$(dirname "$0")/module_build.sh"

build_module kunit KUNIT_DIR gtp_rb_kunit.ko

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
missing=$(unexported_symbols | grep -Ev '^_*kunit_')
expect_eq "every other undefined symbol is exported by $kver" "" "$missing"

finish
