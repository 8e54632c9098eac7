"""A bounded attacker, run as its own process so that it shares no interpreter lock with the
client it disturbs: one connection at a time streams one endless header, reconnecting when
cut off, until TOTAL bytes are sent or SECONDS pass; prints `sent connections`.

    python -m tests.hardening.flood PORT TOTAL SECONDS
"""

from __future__ import annotations

import socket
import sys
import time


def flood(port: int, total: int, seconds: float) -> tuple[int, int]:
    chunk = b"a" * (1 << 20)
    sent = connections = 0
    deadline = time.monotonic() + seconds
    while sent < total and time.monotonic() < deadline:
        connections += 1
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
                while sent < total and time.monotonic() < deadline:
                    sock.sendall(chunk)
                    sent += len(chunk)
        except OSError:
            pass
    return sent, connections


if __name__ == "__main__":
    print(*flood(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
