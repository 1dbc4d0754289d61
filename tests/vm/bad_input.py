#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed traffic against the agent's endpoint, byte for byte.

  bad_input.py PORT FUNC_ADDR DATA_ADDR TRIGGER_CMD

Connects to the guest's endpoint bridge on 127.0.0.1:PORT and sends what
no GDB would: bad checksums, cut packets, a 1 MiB packet, invalid hex,
every QTDP field out of range, bytecode bombs (deep stacks, endless
loops, huge trace lengths).  Each case names what the agent must answer;
a line "PASS name" or "FAIL name: why" each (tests/lib.sh's format).
FUNC_ADDR is a kernel function to probe, DATA_ADDR readable kernel data,
TRIGGER_CMD a host command that makes the guest run FUNC.  The table of
Documentation/reliability.rst lists the same cases.
"""
import socket
import subprocess
import sys
import time

failures = 0


def report(ok, name, why=''):
    global failures
    if ok:
        print('PASS bad input: %s' % name)
    else:
        failures += 1
        print('FAIL bad input: %s: %s' % (name, why))
    sys.stdout.flush()


def frame(payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return b'$' + payload + b'#%02x' % (sum(payload) % 256)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(('127.0.0.1', port), timeout=60)
        self.buf = b''

    def send(self, raw):
        self.s.sendall(raw)

    def read_some(self, timeout):
        self.s.settimeout(timeout)
        try:
            data = self.s.recv(65536)
        except socket.timeout:
            return False
        if not data:
            raise EOFError('the endpoint closed the connection')
        self.buf += data
        return True

    def ack(self, timeout=30):
        """The next ack byte, '+' or '-' (other bytes before it: error)."""
        end = time.time() + timeout
        while not self.buf:
            if not self.read_some(max(0.1, end - time.time())) and \
                    time.time() > end:
                return None
        c, self.buf = self.buf[:1], self.buf[1:]
        return c.decode('latin-1')

    def reply(self, timeout=60):
        """The next packet's payload, acknowledged with '+'."""
        end = time.time() + timeout
        while True:
            start = self.buf.find(b'$')
            hash_ = self.buf.find(b'#', start + 1) if start >= 0 else -1
            if start >= 0 and hash_ >= 0 and len(self.buf) >= hash_ + 3:
                payload = self.buf[start + 1:hash_]
                self.buf = self.buf[hash_ + 3:]
                self.send(b'+')
                return payload.decode('latin-1')
            if time.time() > end:
                return None
            self.read_some(max(0.1, end - time.time()))

    def quiet(self, secs):
        """Whatever arrives within secs (nothing is expected)."""
        end = time.time() + secs
        while time.time() < end:
            self.read_some(end - time.time())
        got, self.buf = self.buf, b''
        return got

    def ask(self, payload, timeout=60):
        """Send a good packet; '+' then the reply, or None."""
        self.send(frame(payload))
        a = self.ack(timeout)
        if a != '+':
            return 'ack %r' % a
        return self.reply(timeout)


def expect_reply(c, name, payload, want, prefix=False):
    got = c.ask(payload)
    ok = got is not None and (got.startswith(want) if prefix else got == want)
    report(ok, name, 'sent %.60r, got %r, want %r%s'
           % (payload, got, want, ' ...' if prefix else ''))
    return got


def main():
    port, func, data, trigger = (int(sys.argv[1]), sys.argv[2],
                                 sys.argv[3], sys.argv[4])
    fn = func[2:] if func.startswith('0x') else func
    da = data[2:] if data.startswith('0x') else data
    c = Conn(port)
    c.send(b'+')

    # ---- framing ----
    c.send(b'$qSupported#00')
    report(c.ack() == '-', 'bad checksum: -, packet dropped')
    c.send(b'$?#zz')
    report(c.ack() == '-', 'non-hex checksum: -')
    c.send(b'$qSupp' + frame('?'))
    a = c.ack()
    r = c.reply() if a == '+' else None
    report(a == '+' and r is not None and r[:1] in 'ST',
           'cut packet: dropped; the next one answered', 'got %r %r' % (a, r))
    c.send(b'garbage\x00\xff between packets' + frame('?'))
    a = c.ack()
    r = c.reply() if a == '+' else None
    report(a == '+' and r is not None and r[:1] in 'ST',
           'bytes between packets: skipped', 'got %r %r' % (a, r))
    big = frame(b'A' * (1 << 20))
    c.send(big)
    a = c.ack(120)
    r = c.reply(120) if a == '+' else None
    report(a == '+' and r == 'E07', '1 MiB packet: E07, not buffered',
           'got %r %r' % (a, r))
    expect_reply(c, 'escape at the end of a packet', 'X%s,1:}' % da, 'E16')
    expect_reply(c, 'run-length marker in a packet', 'm%s*,4' % da, 'E16')
    expect_reply(c, 'invalid hex address', 'mzz,4', 'E', prefix=True)
    expect_reply(c, 'invalid hex length', 'm%s,zz' % da, 'E', prefix=True)
    got = c.ask('m%s,ffffffffffffffff' % da)
    report(got is not None and got != '', 'read of 2^64 - 1 bytes: answered',
           'got %r' % got)
    expect_reply(c, 'read of an unmapped address', 'm10,8', 'E', prefix=True)
    expect_reply(c, 'write without allow_write', 'M%s,1:00' % da, 'E',
                 prefix=True)
    expect_reply(c, 'unknown packet: empty reply', 'vNoSuchThing;1', '')

    # ---- QTDP, field by field ----
    expect_reply(c, 'QTinit', 'QTinit', 'OK')
    bad_qtdp = [
        ('number 0', 'QTDP:0:%s:E:0:0' % fn),
        ('number past 16 bits', 'QTDP:10000:%s:E:0:0' % fn),
        ('number not hex', 'QTDP:zz:%s:E:0:0' % fn),
        ('address not hex', 'QTDP:1:xyz:E:0:0'),
        ('address past 64 bits', 'QTDP:1:1%s:E:0:0' % fn),
        ('enable flag', 'QTDP:1:%s:Q:0:0' % fn),
        ('step past 64 bits', 'QTDP:1:%s:E:10000000000000000:0' % fn),
        ('pass past 64 bits', 'QTDP:1:%s:E:0:10000000000000000' % fn),
        ('condition length short', 'QTDP:1:%s:E:0:0:X4,27' % fn),
        ('condition length huge', 'QTDP:1:%s:E:0:0:Xffffffff,27' % fn),
        ('condition not hex', 'QTDP:1:%s:E:0:0:X1,zz' % fn),
        ('fast tracepoint', 'QTDP:1:%s:E:0:0:F5' % fn),
        ('missing fields', 'QTDP:1:%s' % fn),
        ('action for no tracepoint', 'QTDP:-7:%s:M0,ffffffffffffffff,8' % fn),
        ('memory action base register', 'QTDP:1:%s:E:0:0' % fn, True),
        ('memory action length past 64 bits',
         'QTDP:-1:%s:M-1,%s,10000000000000000' % (fn, da)),
        ('X action length huge', 'QTDP:-1:%s:Xffffffff,27' % fn),
        ('X action length past the data', 'QTDP:-1:%s:X10,27' % fn),
        ('unknown action', 'QTDP:-1:%s:Z00' % fn),
        ('TSV number past 32 bits', 'QTDV:100000000:0:0:41'),
        ('TSV number past 16 bits', 'QTDV:10000:0:0:41'),
        ('TSV name not hex', 'QTDV:5:0:0:zz'),
        ('QTDPsrc not hex', 'QTDPsrc:1:%s:at:0:1:zz' % fn),
        ('QTFrame:pc without address', 'QTFrame:pc:'),
        ('QTFrame bogus form', 'QTFrame:sideways:1'),
        ('QTBuffer:size 0', 'QTBuffer:size:0'),
        ('qTBuffer past 64 bits', 'qTBuffer:10000000000000000,10'),
    ]
    for case in bad_qtdp:
        name, pkt = case[0], case[1]
        if len(case) > 2:       # a good definition the next case needs
            expect_reply(c, 'QTDP: %s (setup)' % name, pkt, 'OK')
            continue
        got = c.ask(pkt)
        report(got is not None and got.startswith('E'),
               'QTDP and friends: %s refused' % name,
               'sent %r, got %r' % (pkt, got))

    # ---- bytecode bombs ----
    expect_reply(c, 'QTinit before the bombs', 'QTinit', 'OK')
    deep = '22' * 2000 + '27'
    got = c.ask('QTDP:1:%s:E:0:0:X%x,%s' % (fn, len(deep) // 2, deep))
    report(got is not None and 'stack overflow' in got,
           'bomb: 2000 pushes refused (stack overflow)', 'got %r' % got)
    long_ = '220129' * 1400 + '27'
    got = c.ask('QTDP:1:%s:E:0:0:X%x,%s' % (fn, len(long_) // 2, long_))
    report(got is not None and got.startswith('E'),
           'bomb: code over 4096 bytes refused', 'got %r' % got)
    into = '2100012227'   # goto 1: into goto's own operand
    got = c.ask('QTDP:1:%s:E:0:0:X%x,%s' % (fn, len(into) // 2, into))
    report(got is not None and 'into an instruction' in got,
           'bomb: jump into an instruction refused', 'got %r' % got)
    # Accepted: a trace of 4 GiB from kernel data.  At the hit the ring
    # refuses a frame that large and counts it; the run goes on.
    huge = '25%016x' % int(data, 16) + '24ffffffff' + '0c' + '27'
    expect_reply(c, 'QTinit before the 4 GiB trace', 'QTinit', 'OK')
    expect_reply(c, 'bomb: 4 GiB trace accepted', 'QTDP:2:%s:E:0:0' % fn, 'OK')
    expect_reply(c, 'bomb: 4 GiB trace action accepted',
                 'QTDP:-2:%s:X%x,%s' % (fn, len(huge) // 2, huge), 'OK')
    expect_reply(c, 'QTStart with the 4 GiB trace', 'QTStart', 'OK')
    subprocess.run(trigger, shell=True, check=False)
    time.sleep(1)
    st = c.ask('qTStatus')
    report(st is not None and st.startswith('T1;'),
           'bomb: the 4 GiB trace did not stop the run', 'qTStatus %r' % st)
    expect_reply(c, 'QTStop after the 4 GiB trace', 'QTStop', 'OK')

    # Accepted, stopped at the hit: an endless loop in the condition
    # (push 1; if_goto 0), with a way out that leaves a value.
    loop = '2201200000220127'
    expect_reply(c, 'QTinit before the loop', 'QTinit', 'OK')
    expect_reply(c, 'bomb: endless loop accepted (step limit at the hit)',
                 'QTDP:1:%s:E:0:0:X%x,%s' % (fn, len(loop) // 2, loop), 'OK')
    expect_reply(c, 'QTStart with the loop', 'QTStart', 'OK')
    subprocess.run(trigger, shell=True, check=False)
    time.sleep(1)
    st = c.ask('qTStatus')
    report(st is not None and 'terror:' in st and
           bytes.fromhex(st.split('terror:')[1].split(':')[0]).decode(
               errors='replace').find('step limit') >= 0,
           'bomb: the loop stopped the run with terror (step limit)',
           'qTStatus %r' % st)
    expect_reply(c, 'QTStop after the bombs', 'QTStop', 'OK')

    # ---- the agent still serves a normal session ----
    expect_reply(c, 'QTinit after it all', 'QTinit', 'OK')
    got = c.ask('m%s,8' % da)
    report(got is not None and len(got) == 16 and
           all(ch in '0123456789abcdef' for ch in got),
           'memory reads still work', 'got %r' % got)
    c.send(b'\x03')
    r = c.reply(30)
    report(r == 'S02', 'Ctrl-C between packets: S02', 'got %r' % r)
    c.send(frame('D'))
    c.ack()
    c.reply(30)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
