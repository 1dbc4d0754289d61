#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse GDB trace files from the stress test and check every frame.

  frames_check.py [--tp NUM=KIND]... [--ncpus N] [--origin HEX]
                  [--big ADDR] [--expect NUM=COUNT]... [--trailer] FILE...

Each FILE is a trace file: a gtpframe snapshot, a gtpframe_pipe stream
or a tsave file.  Every frame must parse: a known tracepoint, blocks
('R' of the header's register size, 'M' address/length/bytes, 'V'
number/value) that end exactly at the frame's end, and contents that
fit its KIND (the stress functions of tests/target/gtp_target.c):

  hot    gtpt_hot(n, cpu) with `collect $regs, $cpu_id`: an 'R' block
         whose rsi (cpu) equals $cpu_id, below --ncpus; per CPU, n (rdi)
         only grows within a file (a CPU writes its frames in order).
  cond   gtpt_cond(n) if n % 8 == 0, `collect $regs, gtpt_origin`:
         rdi % 8 == 0 (the condition held) and gtpt_origin's bytes.
  bulk   gtpt_bulk(n), `collect gtpt_big`: 64 KiB from --big in 'M'
         blocks that tile it, every byte gtpt_pattern()'s.
  audio  the FPGA collector's page frames: $adump_page, and either
         $adump_lost (a gap) or the page's 4096 bytes, whose counter
         channel (7) counts the page's 128 sample frames.

--trailer: the file must end with the end-of-frames marker (a stopped
run's stream).  --prefix: the files are the first bytes of a trace file
(one read of gtpframe during a run, a snapshot of its own), so the last
frame may be cut short.  --expect NUM=COUNT: the frames of NUM over all files
must number COUNT.  Prints "frames=N tp<NUM>=N ..." and exits 0, or
prints the first problems and exits 1.
"""
import argparse
import struct
import sys

MAGIC = b"\x7fTRACE0\n"
REG_RSI = 4 * 8
REG_RDI = 5 * 8
VAR_CPU_ID = 0x7F01
VAR_ADUMP_PAGE = 0x7F05
VAR_ADUMP_LOST = 0x7F06
BIG_SIZE = 64 * 1024
AUDIO_PAGE = 4096
ORIGIN = struct.pack("<ii16s", 3, -4, b"origin")
KINDS = ("hot", "cond", "bulk", "audio")


def pattern(size):
    return bytes((i * 7 + (i >> 8) * 13 + (i >> 16)) & 0xFF
                 for i in range(size))


class Checker:
    def __init__(self, a):
        self.a = a
        self.kinds = {}
        for spec in a.tp:
            num, kind = spec.split("=")
            if kind not in KINDS:
                sys.exit(f"frames_check: unknown kind {kind}")
            self.kinds[int(num)] = kind
        self.big = pattern(BIG_SIZE)
        self.origin_addr = int(a.origin, 0) if a.origin else None
        self.big_addr = int(a.big, 0) if a.big else None
        self.counts = {}
        self.frames = 0
        self.errors = []

    def error(self, where, what):
        if len(self.errors) < 20:
            self.errors.append(f"{where}: {what}")
        else:
            self.errors.append(None)

    def blocks(self, body, reg_size):
        regs, mem, vars_ = None, [], {}
        i, n = 0, len(body)
        while i < n:
            kind = body[i]
            i += 1
            if kind == ord("R"):
                if reg_size is None or i + reg_size > n:
                    raise ValueError("'R' block past the frame's end")
                regs = body[i:i + reg_size]
                i += reg_size
            elif kind == ord("M"):
                if i + 10 > n:
                    raise ValueError("'M' header past the frame's end")
                addr, length = struct.unpack_from("<QH", body, i)
                i += 10
                if i + length > n:
                    raise ValueError("'M' bytes past the frame's end")
                mem.append((addr, body[i:i + length]))
                i += length
            elif kind == ord("V"):
                if i + 12 > n:
                    raise ValueError("'V' block past the frame's end")
                num, value = struct.unpack_from("<Iq", body, i)
                i += 12
                vars_[num] = value
            else:
                raise ValueError(f"unknown block type {kind:#04x}")
        return regs, mem, vars_

    def memory(self, mem, addr, size):
        """The bytes of [addr, addr + size) from blocks that tile it."""
        mem = sorted(mem)
        at, out = addr, []
        for a, d in mem:
            if a != at:
                raise ValueError(f"memory blocks do not tile {addr:#x}: "
                                 f"block at {a:#x}, expected {at:#x}")
            out.append(d)
            at += len(d)
        if at != addr + size:
            raise ValueError(f"{at - addr} bytes of memory, not {size}")
        return b"".join(out)

    def frame(self, kind, body, reg_size, last_n):
        regs, mem, vars_ = self.blocks(body, reg_size)
        if kind in ("hot", "cond"):
            if regs is None:
                raise ValueError("no register block")
            n = struct.unpack_from("<Q", regs, REG_RDI)[0]
        if kind == "hot":
            cpu = struct.unpack_from("<Q", regs, REG_RSI)[0]
            if vars_.get(VAR_CPU_ID) != cpu:
                raise ValueError(f"$cpu_id {vars_.get(VAR_CPU_ID)} but "
                                 f"the call's cpu argument is {cpu}")
            if self.a.ncpus and cpu >= self.a.ncpus:
                raise ValueError(f"cpu {cpu} of {self.a.ncpus}")
            if cpu in last_n and n <= last_n[cpu]:
                raise ValueError(f"cpu {cpu}: n {n} after {last_n[cpu]}")
            last_n[cpu] = n
        elif kind == "cond":
            if n % 8:
                raise ValueError(f"n = {n}: the condition n % 8 == 0 "
                                 "did not hold")
            if self.origin_addr is not None:
                got = self.memory(mem, self.origin_addr, len(ORIGIN))
                if got != ORIGIN:
                    raise ValueError(f"gtpt_origin reads {got.hex()}")
        elif kind == "bulk":
            addr = self.big_addr if self.big_addr is not None else \
                min(a for a, _ in mem)
            if self.memory(mem, addr, BIG_SIZE) != self.big:
                raise ValueError("gtpt_big's bytes differ from the pattern")
        elif kind == "audio":
            if VAR_ADUMP_PAGE not in vars_:
                raise ValueError("no $adump_page")
            if VAR_ADUMP_LOST in vars_:
                return
            page = self.memory(mem, min(a for a, _ in mem), AUDIO_PAGE)
            counter = [struct.unpack_from("<I", page, f * 32 + 28)[0]
                       for f in range(128)]
            if any((counter[f] - counter[0]) & 0xFFFFFFFF != f
                   for f in range(128)) or counter[0] % 128:
                raise ValueError(f"page {vars_[VAR_ADUMP_PAGE]}: its "
                                 "counter channel is not one page's")

    def file(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if not data.startswith(MAGIC):
            self.error(path, "not a trace file")
            return
        end = data.find(b"\n\n")
        if end < 0:
            self.error(path, "no end of header")
            return
        reg_size = None
        for line in data[len(MAGIC):end].split(b"\n"):
            if line.startswith(b"R "):
                reg_size = int(line[2:], 16)
        i, last_n, trailer = end + 2, {}, False
        while i < len(data):
            if i + 2 <= len(data) and data[i:i + 2] == b"\0\0":
                trailer = True
                i += 2
                break
            if i + 6 > len(data):
                if not self.a.prefix:
                    self.error(path, f"offset {i}: frame header cut short")
                return
            tp, size = struct.unpack_from("<HI", data, i)
            body = data[i + 6:i + 6 + size]
            if len(body) < size:
                if not self.a.prefix:
                    self.error(path, f"offset {i}: frame cut short")
                return
            kind = self.kinds.get(tp)
            if kind is None:
                self.error(path, f"offset {i}: unknown tracepoint {tp}")
            else:
                try:
                    self.frame(kind, body, reg_size, last_n)
                except ValueError as e:
                    self.error(path, f"offset {i}, tracepoint {tp}: {e}")
            self.counts[tp] = self.counts.get(tp, 0) + 1
            self.frames += 1
            i += 6 + size
        if i != len(data):
            self.error(path, f"{len(data) - i} bytes after the trailer")
        if self.a.trailer and not trailer:
            self.error(path, "no end-of-frames marker")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tp", action="append", default=[])
    ap.add_argument("--ncpus", type=int, default=0)
    ap.add_argument("--origin")
    ap.add_argument("--big")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--trailer", action="store_true")
    ap.add_argument("--prefix", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    c = Checker(a)
    for path in a.files:
        c.file(path)
    for spec in a.expect:
        num, want = (int(x) for x in spec.split("="))
        if c.counts.get(num, 0) != want:
            c.error("count", f"tracepoint {num}: {c.counts.get(num, 0)} "
                    f"frames, expected {want}")
    print(" ".join([f"frames={c.frames}"] +
                   [f"tp{k}={v}" for k, v in sorted(c.counts.items())]))
    for e in c.errors:
        print(e if e else "... more", file=sys.stderr)
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
