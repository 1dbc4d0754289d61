#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a WAV from scripts/adump2wav against the simulated block's audio.

  adump_verify.py WAV [--gap FIRST:COUNT]...

Page k of the WAV (k from 0) must hold the pattern of hw/adump_pattern.h
for the block's page p0 + k, sample for sample, where p0 is read from the
first page's counter channel (the block numbers pages from its run
start, the collector from its capture start).  Pages named by --gap must
be silence.  Prints "pages=N p0=P silent=S" and exits 0, or names the
first mismatch and exits 1.
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from adump_pattern import FRAMES, PAGE, page_bytes as expect  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('wav')
    ap.add_argument('--gap', action='append', default=[])
    a = ap.parse_args()
    silent = set()
    for g in a.gap:
        first, count = (int(x) for x in g.split(':'))
        silent.update(range(first, first + count))
    data = open(a.wav, 'rb').read()
    at = data.find(b'data')
    if data[:4] != b'RIFF' or at < 0:
        sys.exit('adump_verify: %s is not a WAV file' % a.wav)
    size = struct.unpack_from('<I', data, at + 4)[0]
    body = data[at + 8:at + 8 + size]
    if len(body) % PAGE:
        sys.exit('adump_verify: %d data bytes: not whole pages' % len(body))
    pages = len(body) // PAGE
    first_live = next((k for k in range(pages) if k not in silent), None)
    if first_live is None:
        sys.exit('adump_verify: no page with audio')
    n0 = struct.unpack_from('<I', body, first_live * PAGE + 7 * 4)[0]
    if n0 % FRAMES:
        sys.exit('adump_verify: page %d starts at frame %d, not a page start'
                 % (first_live, n0))
    p0 = n0 // FRAMES - first_live
    zero = bytes(PAGE)
    for k in range(pages):
        got = body[k * PAGE:(k + 1) * PAGE]
        want = zero if k in silent else expect(p0 + k)
        if got != want:
            sys.exit('adump_verify: page %d (block page %d) differs from %s'
                     % (k, p0 + k, 'silence' if k in silent else 'the pattern'))
    print('pages=%d p0=%d silent=%d' % (pages, p0, len(silent)))


if __name__ == '__main__':
    main()
