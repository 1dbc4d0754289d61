#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/setup: nothing to do when everything is present; a non-root
# user with a package missing gets the package names and the command, and
# a non-zero exit, with no apt run.  The "missing" package is simulated
# by a dpkg-query shim first on PATH; the script itself is unchanged.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

out=$("$top/scripts/setup" 2>&1)
rc=$?
expect_eq "setup with everything present succeeds" 0 "$rc"
expect_match "setup does no apt work when complete" '^setup: all [0-9]+ packages present$' "$out"

shim=$(mktemp -d)
trap 'rm -rf "$shim"; stop_guests' EXIT
cat >"$shim/dpkg-query" <<'SHIM'
#!/bin/bash
# Pretend sparse is not installed; defer to the real dpkg-query otherwise.
for a in "$@"; do [ "$a" = sparse ] && exit 1; done
exec /usr/bin/dpkg-query "$@"
SHIM
cat >"$shim/apt-get" <<'SHIM'
#!/bin/bash
echo "apt-get must not run" >&2
exit 99
SHIM
cat >"$shim/id" <<'SHIM'
#!/bin/bash
[ "${1:-}" = -u ] && { echo 1000; exit 0; }
exec /usr/bin/id "$@"
SHIM
chmod +x "$shim"/*

out=$(PATH="$shim:$PATH" "$top/scripts/setup" 2>&1)
rc=$?
expect "non-root with a package missing fails" test "$rc" -ne 0
expect_match "it names the missing package" 'missing: sparse$' "$out"
expect_match "it gives the command" 'apt-get install --no-install-recommends sparse' "$out"
expect "it runs no apt" test -z "$(grep 'apt-get must not run' <<<"$out")"

finish
