#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/adump2wav on real trace files: build/host/adump_tfile_gen writes
# them through rb/ and proto/ as the agent does (audio page frames over two
# CPUs, out of page order, gap frames, hits of another tracepoint), and
# every sample of the WAV is checked against hw/adump_pattern.h's formula.
#
# Usage: tests/host/test_adump2wav.sh   (after make host)
# Environment: BUILD (default build/host), KEEP=1 to keep the files.
# Prints "PASS <name>" or "FAIL <name>: <reason>" per check; exits 1 if
# any failed.  The checks that read the WAV with sox say SKIP without it.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top" || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh
build=${BUILD:-build/host}
gen=$build/adump_tfile_gen
a2w=scripts/adump2wav

if [[ ! -x $gen ]]; then
	fail "adump2wav: $gen not built (make host)"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	fail "adump2wav: python3 not found (scripts/setup installs it)"
	exit 1
fi

tmp=$(mktemp -d)
trap '[[ -n ${KEEP:-} ]] && echo "files kept in $tmp" || rm -rf "$tmp"' EXIT

# check_wav WAV FIRST PAGES ZEROS: the WAV's header is 8-channel S32_LE
# at 48 kHz, WAVE_FORMAT_EXTENSIBLE/PCM, with PAGES pages from page
# FIRST; the pages in ZEROS ("a-b,c,...") are silence and every sample of
# every other page is adump_pattern_sample(page, frame, ch).  Prints "ok"
# or what is wrong.
check_wav() {
	PYTHONPATH=$top/tests python3 - "$@" <<'EOF'
import struct, sys
from adump_pattern import page_samples

path, first, pages, zeros = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
silent = set()
for part in filter(None, zeros.split(",")):
    lo, _, hi = part.partition("-")
    silent.update(range(int(lo), int(hi or lo) + 1))
d = open(path, "rb").read()
pcm = struct.pack("<IHH", 1, 0, 0x10) + bytes.fromhex("800000aa00389b71")
want = (b"RIFF" + struct.pack("<I", 60 + pages * 4096) + b"WAVEfmt " +
        struct.pack("<IHHIIHHHHI", 40, 0xfffe, 8, 48000, 48000 * 32, 32, 32,
                    22, 32, 0) + pcm + b"data" + struct.pack("<I", pages * 4096))
if d[:68] != want:
    sys.exit(print(f"header {d[:68].hex()} is not {want.hex()}"))
if len(d) != 68 + pages * 4096:
    sys.exit(print(f"{len(d)} bytes, not {68 + pages * 4096}"))
zero = (0,) * 1024
for i in range(pages):
    page = first + i
    got = struct.unpack_from("<1024I", d, 68 + i * 4096)
    exp = zero if page in silent else page_samples(page)
    if got != exp:
        k = next(j for j in range(1024) if got[j] != exp[j])
        sys.exit(print(f"page {page} frame {k // 8} ch {k % 8}: "
                       f"{got[k]:#x}, expected {exp[k]:#x}"))
print("ok")
EOF
}

# tf_order TFILE TP: the page numbers of TP's page frames in file order,
# then the most 'M' blocks one page frame has.
tf_order() {
	python3 - "$@" <<'EOF'
import struct, sys

d = open(sys.argv[1], "rb").read()
tp_want = int(sys.argv[2])
i = d.index(b"\n\n") + 2
order, most = [], 0
while i + 6 <= len(d):
    tp, size = struct.unpack_from("<HI", d, i)
    if tp == 0:
        break
    j, end, page, nm = i + 6, i + 6 + size, None, 0
    while tp == tp_want and j < end:
        k = d[j]
        if k == ord("V"):
            num, val = struct.unpack_from("<iq", d, j + 1)
            page = val if num == 0x7f05 and page is None else page
            page = None if num == 0x7f06 else page
            j += 13
        elif k == ord("M"):
            j += 11 + struct.unpack_from("<H", d, j + 9)[0]
            nm += 1
        else:
            j += 1 + 560
    if page is not None and nm:
        order.append(page)
        most = max(most, nm)
    i = end
print(" ".join(map(str, order)))
print(most)
EOF
}

# sox_is NAME WAV CHANNELS RATE BITS SAMPLES: what `sox --i` reports.
sox_is() {
	local name=$1 wav=$2 got
	if ! command -v sox >/dev/null 2>&1; then
		echo "SKIP $name: sox not installed (scripts/setup installs it)"
		return
	fi
	got="$(sox --i -c "$wav") $(sox --i -r "$wav") $(sox --i -b "$wav") $(sox --i -s "$wav") $(sox --i -e "$wav")"
	expect_eq "$name" "$3 $4 $5 $6 Signed Integer PCM" "$got"
}

# ---- a capture over two CPUs: a gap, two missing pages, a page twice,
# tracepoint-1 hits in between; 1300 pages, more than adump2wav holds
# before it knows where the capture starts.

"$gen" --pages 1300 --gap 100:50 --missing 170 --missing 171 --dup 20 \
	"$tmp/a.tf"
mapfile -t info < <(tf_order "$tmp/a.tf" 1000)
sorted=$(tr ' ' '\n' <<<"${info[0]}" | sort -n | tr '\n' ' ')
if [[ "${info[0]} " != "$sorted" && ${info[1]:-0} -ge 2 ]]; then
	pass "adump2wav input: pages out of order, split in 'M' blocks"
else
	fail "adump2wav input: pages in order or unsplit: ${info[0]:0:80}... (most M blocks ${info[1]:-?})"
fi

rc=0
"$a2w" "$tmp/a.tf" "$tmp/a.wav" 2>"$tmp/a.err" || rc=$?
err=$(cat "$tmp/a.err")
expect_eq "adump2wav exit status" 0 "$rc"
sox_is "adump2wav sox --i: 8 ch, 48000 Hz, 32-bit, 1300 pages" \
	"$tmp/a.wav" 8 48000 32 $((1300 * 128))
expect_eq "adump2wav samples: pattern, gap and missing pages silent" ok \
	"$(check_wav "$tmp/a.wav" 0 1300 100-149,170-171)"
expect_match "adump2wav reports the gap" \
	'^adump2wav: gap: pages 100\.\.149 \(50 pages, 133\.3 ms\) lost at the source$' "$err"
expect_match "adump2wav reports missing pages" \
	'^adump2wav: missing: pages 170\.\.171 \(2 pages, 5\.3 ms\) not in the input \(no gap frame\)$' "$err"
expect_match "adump2wav reports the page seen twice" \
	'^adump2wav: error: page 20 appears twice; the first copy is kept$' "$err"
# 1300 - 50 - 2 pages; a tracepoint-1 hit every third page number.
expect_match "adump2wav summary" \
	'^adump2wav: summary: 1248 pages written, 50 gap pages, 2 missing pages, 3\.467 s \(166400 frames from page 0\) in .*; 433 frames of other tracepoints skipped$' "$err"
rc=0
"$a2w" --strict "$tmp/a.tf" "$tmp/strict.wav" 2>"$tmp/strict.err" || rc=$?
expect_eq "adump2wav --strict fails on missing pages" 1 "$rc"
expect_match "adump2wav --strict says why" \
	'error: --strict: 2 pages missing without a gap frame; 1 page seen twice$' \
	"$(cat "$tmp/strict.err")"

# ---- stdin: the same WAV.
rc=0
"$a2w" - "$tmp/stdin.wav" <"$tmp/a.tf" 2>/dev/null || rc=$?
if [[ $rc -eq 0 ]] && cmp -s "$tmp/a.wav" "$tmp/stdin.wav"; then
	pass "adump2wav reads standard input"
else
	fail "adump2wav reads standard input: exit $rc or a different WAV"
fi

# ---- CPU 1 so far ahead that page 0 comes after 1024 other pages, when
# the WAV's start is fixed: reported and dropped, not misplaced.
"$gen" --pages 2200 --skew 2100 --other 0 "$tmp/far.tf"
rc=0
err=$("$a2w" --strict "$tmp/far.tf" "$tmp/far.wav" 2>&1) || rc=$?
expect_match "adump2wav: a page before the fixed start is reported" \
	'^1 .*error: page 0 comes after the start of the WAV \(page 1\) was fixed, more than 1024 pages out of order: dropped.*--strict: 1 frame not used$' \
	"$rc $(tr '\n' ' ' <<<"$err" | sed 's/ $//')"
expect_eq "adump2wav: ... and the WAV starts at page 1" ok \
	"$(check_wav "$tmp/far.wav" 1 2199 "")"

# ---- another tracepoint, from page 1000, starting with a gap, on CPU 1;
# a hit of tracepoint 1 after every page.
"$gen" --tp 1234 --first 1000 --pages 64 --gap 1000:5 --cpu 1 --other 1 \
	"$tmp/b.tf"
rc=0
err=$("$a2w" "$tmp/b.tf" "$tmp/b0.wav" 2>&1) || rc=$?
expect_eq "adump2wav: no frame of the tracepoint: exit 1" 1 "$rc"
expect_match "adump2wav: no frame of the tracepoint: says so" \
	'error: no audio frame of tracepoint 1000 in .*b\.tf \(frames of tracepoints 1, 1234: another --tp\?\)' "$err"
if [[ -e $tmp/b0.wav ]]; then
	fail "adump2wav: no WAV without audio: $tmp/b0.wav written"
else
	pass "adump2wav: no WAV without audio"
fi
rc=0
err=$("$a2w" --strict --tp 1234 "$tmp/b.tf" "$tmp/b.wav" 2>&1) || rc=$?
expect_eq "adump2wav --tp 1234 --strict, gap only: exit 0" 0 "$rc"
expect_eq "adump2wav --tp 1234 samples from page 1000" ok \
	"$(check_wav "$tmp/b.wav" 1000 64 1000-1004)"
expect_match "adump2wav --tp 1234: 64 other frames skipped, gap at the start" \
	'gap: pages 1000\.\.1004 \(5 pages, 13\.3 ms\).*summary: 59 pages written, 5 gap pages, 0 missing pages, 170\.7 ms \(8192 frames from page 1000\) in .*; 64 frames of other' \
	"$(tr '\n' ' ' <<<"$err")"
sox_is "adump2wav sox --i: 64 pages" "$tmp/b.wav" 8 48000 32 $((64 * 128))

# ---- not a trace file, an empty file, a header only.
printf 'RIFF, not a trace\n' >"$tmp/text"
rc=0
err=$("$a2w" "$tmp/text" "$tmp/text.wav" 2>&1) || rc=$?
expect_eq "adump2wav: not a trace file: exit 1" 1 "$rc"
expect_match "adump2wav: not a trace file: says so" \
	'error: .*text is not a GDB trace file' "$err"
rc=0
err=$("$a2w" - "$tmp/empty.wav" </dev/null 2>&1) || rc=$?
expect_eq "adump2wav: empty input: exit 1, no WAV" "1 no" \
	"$rc $([[ -e $tmp/empty.wav ]] && echo yes || echo no)"
head -c 300 "$tmp/a.tf" >"$tmp/header"
rc=0
err=$("$a2w" "$tmp/header" "$tmp/header.wav" 2>&1) || rc=$?
expect_match "adump2wav: cut in the header: exit 1, says so" \
	'^1 .*ends inside the trace file header' "$rc $err"

# ---- a pipe cut short: one CPU, no other frames, so the last frame is
# page 39's; cut in its middle, then with only the end marker gone.
"$gen" --pages 40 --cpu 0 --other 0 "$tmp/c.tf"
size=$(stat -c %s "$tmp/c.tf")
head -c $((size - 2 - 2000)) "$tmp/c.tf" >"$tmp/cut.tf"
rc=0
err=$("$a2w" - "$tmp/cut.wav" <"$tmp/cut.tf" 2>&1) || rc=$?
expect_eq "adump2wav: truncated stream: exit 0" 0 "$rc"
expect_match "adump2wav: truncated stream: warns" \
	'warning: standard input ends inside the frame at offset [0-9]+ \([0-9]+ of its 4131 bytes\): it is dropped' "$err"
expect_eq "adump2wav: truncated stream: the 39 whole pages" ok \
	"$(check_wav "$tmp/cut.wav" 0 39 "")"
head -c $((size - 2)) "$tmp/c.tf" >"$tmp/noend.tf"
rc=0
err=$("$a2w" "$tmp/noend.tf" "$tmp/noend.wav" 2>&1) || rc=$?
expect_eq "adump2wav: no end marker: exit 0, all 40 pages, no warning" \
	"0 ok" "$rc $(check_wav "$tmp/noend.wav" 0 40 "")$(grep -c warning <<<"$err" | sed 's/^0$//')"

finish
