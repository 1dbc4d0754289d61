# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the build tests of the extra modules (test_kunit_build.sh,
# test_bench_build.sh), after tests/lib.sh: one make target built against
# the stock kernel's headers into a private directory, with sparse and
# W=1 when sparse is installed, and the checks every such module must
# pass.
#
#   build_module TARGET DIR_VAR MODULE.ko
#
# runs `make TARGET DIR_VAR=<private dir>` and checks it succeeds, makes
# MODULE.ko for the stock kernel, and that neither the compiler nor
# sparse reports anything.  It leaves the build's output in $out, the
# module's path in $ko and the kernel's build tree in $kdir, for the
# caller's own checks.  Sourcing it makes the private directory and sets
# the EXIT trap that removes it (and stops guests, as tests/lib.sh's).

: "${top:?source tests/lib.sh first}"
kver=$("$top/scripts/stock-kernel")
kdir=$("$top/scripts/stock-kernel" --kdir)
module_dir=$(mktemp -d)
trap 'rm -rf "$module_dir"; stop_guests' EXIT

build_module()
{
	local target=$1 dir_var=$2 check=() rc

	ko=$module_dir/$3
	if command -v sparse >/dev/null 2>&1; then
		check=(C=1 W=1)
	else
		echo "SKIP sparse on $3: sparse is not installed"
	fi
	out=$(make -C "$top" "$target" KDIR="$kdir" "$dir_var=$module_dir" \
		"${check[@]}" 2>&1)
	rc=$?
	expect_eq "make $target succeeds" 0 "$rc"
	expect "$3 is produced" test -f "$ko"
	[ -f "$ko" ] || echo "$out" | tail -n 30
	expect_match "it is built for $kver" "^$kver " \
		"$(modinfo -F vermagic "$ko" 2>/dev/null)"
	expect_eq "compiler and sparse report nothing" "" \
		"$(grep -E ': (warning|error):' <<<"$out")"
}

# The module's undefined symbols the kernel does not export.
unexported_symbols()
{
	comm -23 <(nm -u "$ko" 2>/dev/null | awk '{ print $2 }' | sort -u) \
		<(awk '{ print $2 }' "$kdir/Module.symvers" | sort -u)
}
