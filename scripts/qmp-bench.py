#!/usr/bin/env python3
# qmp-bench.py: QMP round-trip latency and pipelined throughput of one
# emulator's monitor (used by bench-qmp.sh; cgemu and QEMU alike).
# SPDX-License-Identifier: GPL-2.0-or-later
"""Usage: qmp-bench.py SOCKET [N]

Connects to a QMP unix socket, negotiates, then:
  latency:    N sequential query-status commands, each waiting for its reply
  throughput: N query-status commands sent at once, then all replies read
Prints one line per measure: median/p99 round trip in microseconds, and
commands per second."""
import json
import socket
import statistics
import sys
import time


def read_msg(f):
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("qmp-bench: the monitor closed the connection")
        msg = json.loads(line)
        if "event" not in msg:
            return msg


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    f = s.makefile("r")
    read_msg(f)  # greeting
    s.sendall(b'{"execute":"qmp_capabilities"}\n')
    assert "return" in read_msg(f)
    cmd = b'{"execute":"query-status"}\n'
    rtts = []
    for _ in range(n):
        t0 = time.perf_counter()
        s.sendall(cmd)
        reply = read_msg(f)
        rtts.append((time.perf_counter() - t0) * 1e6)
        assert "return" in reply, reply
    rtts.sort()
    print("latency: median %.1f us, p99 %.1f us over %d commands"
          % (statistics.median(rtts), rtts[int(len(rtts) * 0.99) - 1], n))
    t0 = time.perf_counter()
    s.sendall(cmd * n)
    for _ in range(n):
        assert "return" in read_msg(f)
    dt = time.perf_counter() - t0
    print("throughput: %.0f commands/s (%d pipelined)" % (n / dt, n))


if __name__ == "__main__":
    main()
