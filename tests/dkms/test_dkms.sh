#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove that dkms.conf builds gtp.ko with `dkms build`, without touching
# the system's DKMS state: the source tree, the DKMS tree, the install
# tree and the module signing key all live in a temporary directory that
# is removed on exit.  /usr/src and /var/lib/dkms are left as they were
# (the test checks that).
#
#   tests/dkms/test_dkms.sh             build for the stock kernel
#   GTP_DKMS_KVER=6.1.0-NN-amd64 tests/dkms/test_dkms.sh
#
# The last line printed is "PASS dkms build" or "FAIL dkms build: why".
set -euo pipefail

tmp=""
log=""

cleanup() {
	if [ -n "$tmp" ]; then
		rm -rf -- "$tmp"
	fi
}

fail() {
	if [ -n "$log" ] && [ -s "$log" ]; then
		echo "--- dkms output ---"
		cat -- "$log"
		for mlog in "$tmp"/dkms/gtp/*/build/make.log \
			    "$tmp"/dkms/gtp/*/*/*/log/make.log; do
			if [ -f "$mlog" ]; then
				echo "--- $mlog ---"
				cat -- "$mlog"
			fi
		done
	fi
	echo "FAIL dkms build: $*"
	exit 1
}

trap cleanup EXIT
trap 'fail "unexpected error (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

for tool in dkms:dkms modinfo:kmod git:git tar:tar openssl:openssl; do
	if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
		fail "${tool%%:*} not found: install Debian package ${tool#*:} (scripts/setup does)"
	fi
done

# One version, defined in agent/agent.h; dkms.conf must agree with it.
ver=$(sed -n 's/^#define[[:space:]]\{1,\}GTP_VERSION[[:space:]]\{1,\}"\([^"]*\)".*/\1/p' \
	"$top/agent/agent.h")
[ -n "$ver" ] || fail "no GTP_VERSION in agent/agent.h"
conf_name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$top/dkms.conf")
conf_ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$top/dkms.conf")
[ "$conf_name" = gtp ] || fail "dkms.conf PACKAGE_NAME is '$conf_name', expected 'gtp'"
if [ "$conf_ver" != "$ver" ]; then
	fail "dkms.conf PACKAGE_VERSION '$conf_ver' differs from GTP_VERSION '$ver' in agent/agent.h"
fi

kver=${GTP_DKMS_KVER:-$("$top/scripts/stock-kernel")}
[ -d "/lib/modules/$kver/build" ] ||
	fail "no headers for $kver in /lib/modules/$kver/build: run scripts/setup"

# What the system's DKMS state looks like now, to show it is not touched:
# the DKMS tree and any gtp source in /usr/src.
system_state() {
	find /var/lib/dkms -maxdepth 3 -print 2>/dev/null | sort
	find /usr/src -maxdepth 1 -name 'gtp-*' -print 2>/dev/null | sort
}
state_before=$(system_state)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gtp-dkms.XXXXXX")
log="$tmp/dkms.log"
src="$tmp/src/gtp-$ver"
mkdir -p "$src" "$tmp/dkms" "$tmp/install"

# The source as a release would ship it: tracked files plus new files not
# yet committed, never build products (.gitignore keeps those out).
(
	cd "$top"
	git ls-files -z -co --exclude-standard |
		while IFS= read -r -d '' f; do
			if [ -f "$f" ]; then
				printf '%s\0' "$f"
			fi
		done |
		tar --null -T - -cf -
) | tar -C "$src" -xf -
[ -f "$src/dkms.conf" ] || fail "dkms.conf is not in the source copy (not tracked?)"

# dkms signs what it builds when the kernel's sign-file is installed; with
# no key configured it would create one in /var/lib/dkms.  Point it at a
# throw-away key instead (framework.conf settings, if any, still win).
export mok_signing_key="$tmp/mok.key"
export mok_certificate="$tmp/mok.pub"

if ! dkms build -m gtp -v "$ver" -k "$kver" \
	--sourcetree "$tmp/src" --dkmstree "$tmp/dkms" \
	--installtree "$tmp/install" >"$log" 2>&1; then
	fail "dkms build -m gtp -v $ver -k $kver exited non-zero"
fi

arch=$(uname -m)
ko=""
for f in "$tmp/dkms/gtp/$ver/$kver/$arch/module/gtp.ko" \
	 "$tmp/dkms/gtp/$ver/$kver/$arch/module/gtp.ko".{xz,gz,zst}; do
	if [ -f "$f" ]; then
		ko=$f
		break
	fi
done
[ -n "$ko" ] || fail "no gtp.ko under $tmp/dkms/gtp/$ver/$kver/$arch/module/"

vermagic=$(modinfo -F vermagic "$ko")
if [ "${vermagic%% *}" != "$kver" ]; then
	fail "gtp.ko vermagic is '$vermagic', expected it to start with '$kver'"
fi
modver=$(modinfo -F version "$ko")
[ "$modver" = "$ver" ] || fail "gtp.ko MODULE_VERSION is '$modver', expected '$ver'"

signer=""
if [ -f "$tmp/mok.pub" ]; then
	# dkms found sign-file and made the throw-away key: it must have signed.
	signer=$(modinfo -F signer "$ko")
	[ -n "$signer" ] || fail "dkms created a signing key but gtp.ko is not signed"
fi

status=$(dkms status -m gtp -v "$ver" -k "$kver" --dkmstree "$tmp/dkms" 2>&1 || true)
case "$status" in
*": built"*) ;;
*) fail "dkms status does not say built: $status" ;;
esac

[ "$(system_state)" = "$state_before" ] ||
	fail "/var/lib/dkms or /usr/src changed during the test"

echo "dkms: ${ko#"$tmp"/dkms/}"
echo "dkms: vermagic $vermagic"
echo "dkms: $status"
if [ -n "$signer" ]; then
	echo "dkms: signed by '$signer' (throw-away key)"
fi
echo "PASS dkms build"
