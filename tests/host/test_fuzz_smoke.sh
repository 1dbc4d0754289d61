#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The libFuzzer targets of tests/fuzz/ run briefly: each on every file of
# its corpus (tests/fuzz/corpus/<target>/), then a short mutation burst
# seeded from it (make -f tests/fuzz/fuzz.mk smoke).  Builds the targets
# first if needed.  Long runs are `make -f tests/fuzz/fuzz.mk run`.
#
# Usage: tests/host/test_fuzz_smoke.sh
# Environment: FUZZ_CC (default clang), FUZZ_BUILD (default build/fuzz),
# FUZZ_SMOKE_RUNS (mutations per target, default 2000).
# Prints "PASS <target>" or "FAIL <target>: <reason>" per target; exits 1
# if any failed, 77 (skip) if the compiler has no libFuzzer.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top" || exit 1
cc=${FUZZ_CC:-clang}
build=${FUZZ_BUILD:-build/fuzz}
runs=${FUZZ_SMOKE_RUNS:-2000}
failed=0

pass() { echo "PASS $1"; }
fail() {
	echo "FAIL $1: $2"
	failed=1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# libFuzzer's runtime ships apart from clang in some distributions.
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	'{ return 0; }' >"$tmp/probe.c"
if ! command -v "$cc" >/dev/null 2>&1 ||
	! "$cc" -fsanitize=fuzzer,address,undefined -o "$tmp/probe" \
		"$tmp/probe.c" >/dev/null 2>&1; then
	echo "SKIP fuzz: clang lacks libFuzzer"
	exit 77
fi

make_fuzz() {
	make --no-print-directory -f tests/fuzz/fuzz.mk FUZZ_CC="$cc" \
		FUZZ_BUILD="$build" FUZZ_SMOKE_RUNS="$runs" "$@"
}

if ! make_fuzz -j2 >"$tmp/build.log" 2>&1; then
	fail fuzz_build "$(grep -m1 -E 'error|Error' "$tmp/build.log")"
	exit 1
fi

start=$SECONDS
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	log="$tmp/$t.log"
	files=$(find "tests/fuzz/corpus/$t" -type f 2>/dev/null | wc -l)
	if [[ $files -eq 0 ]]; then
		fail "$t" "no corpus in tests/fuzz/corpus/$t"
		continue
	fi
	t0=$SECONDS
	if make_fuzz smoke FUZZ_TARGETS="$t" >"$log" 2>&1; then
		took=$((SECONDS - t0))
		pass "$t ($files corpus files, $runs mutations, $took s)"
		continue
	fi
	why=$(grep -m1 -E 'fuzz invariant broken|ERROR: |SUMMARY: ' "$log")
	unit=$(grep -m1 -o 'Test unit written to .*' "$log")
	fail "$t" "${why:-exited with an error}${unit:+ ($unit)}"
	tail -n 40 "$log" | sed 's/^/    /'
done
echo "fuzz smoke: $((SECONDS - start)) s"

exit "$failed"
