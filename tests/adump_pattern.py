# SPDX-License-Identifier: GPL-2.0
"""The simulated audio block's samples (hw/adump_pattern.h), for the
tests that check audio from the collector: tests/vm/adump_verify.py and
tests/host/test_adump2wav.sh.

Frame n (counted from the block's run start, 32 bits) of page p is
n = p * 128 + f; channel 7 holds n, channels 0..6 hold
n * (channel + 1) * ADUMP_PATTERN_STEP, all modulo 2^32.
"""
import struct

STEP = 39370533         # ADUMP_PATTERN_STEP
FRAMES = 128            # sample frames in a 4 KiB page
CHANNELS = 8
PAGE = FRAMES * CHANNELS * 4
M32 = 0xFFFFFFFF


def page_samples(page):
    """The 1024 samples of a page, as a tuple of unsigned 32-bit ints."""
    out = []
    for f in range(FRAMES):
        n = (page * FRAMES + f) & M32
        for ch in range(CHANNELS):
            out.append(n if ch == 7 else (n * (ch + 1) * STEP) & M32)
    return tuple(out)


def page_bytes(page):
    """The page as the block writes it: S32_LE samples, frame by frame."""
    return struct.pack("<%dI" % (FRAMES * CHANNELS), *page_samples(page))
