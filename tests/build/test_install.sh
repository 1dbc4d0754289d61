#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` puts the modules where modprobe finds them: here into a
# private INSTALL_MOD_PATH, so the test leaves the system untouched.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

dest=$(mktemp -d)
trap 'rm -rf "$dest"; stop_guests' EXIT
kver=$("$top/scripts/stock-kernel")

out=$(make -C "$top" install INSTALL_MOD_PATH="$dest" 2>&1)
expect "make install succeeds" test $? -eq 0
ko=$(find "$dest/lib/modules/$kver" -name 'gtp.ko*' | head -n 1)
expect "gtp.ko installed under lib/modules/$kver" test -n "$ko"
expect_match "installed module is for $kver" "^$kver " \
	"$(modinfo -F vermagic "${ko:-/nonexistent}" 2>/dev/null)"
expect_match "depmod indexed it" 'gtp.ko' \
	"$(cat "$dest/lib/modules/$kver/modules.dep" 2>/dev/null)"
[ -n "$ko" ] || echo "$out" | tail -n 20

finish
