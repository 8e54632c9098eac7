"""Raw sockets against a real server: requests written byte by byte, answers read by hand."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path

import orjson


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return orjson.loads(self.body)


def connect(port: int, timeout: float = 5.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def read_answer(sock: socket.socket, timeout: float = 5.0, buffer: bytearray | None = None) -> Answer | None:
    """One HTTP answer, or None if the connection closed (or was reset) before one came.
    Pass the same `buffer` to read several answers of one connection in turn."""
    sock.settimeout(timeout)
    data = buffer if buffer is not None else bytearray()
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
            assert len(data) < 1 << 20, "an answer's head over 1 MiB"
        end = data.index(b"\r\n\r\n")
        lines = bytes(data[:end]).decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(data) < end + 4 + length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        return None
    body = bytes(data[end + 4:end + 4 + length])
    del data[:end + 4 + length]
    return Answer(int(lines[0].split()[1]), headers, body)


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the connection (reading and dropping anything sent), or None."""
    start = time.monotonic()
    deadline = start + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            if not sock.recv(65536):
                return time.monotonic() - start
        except ConnectionResetError:
            return time.monotonic() - start
        except TimeoutError:
            return None
    return None


def rss_mib(pid: int) -> float:
    """Resident memory of a process now (VmRSS), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def open_fds(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


def server_side_open(server_port: int, client_port: int) -> bool:
    """Whether the server still holds its end of the loopback connection from `client_port`
    (ESTABLISHED or CLOSE_WAIT in /proc/net/tcp): once it closed its socket, the kernel may
    keep the end for a while (FIN_WAIT1 behind a zero window), but not the process."""
    wanted = (f"{server_port:04X}", f"{client_port:04X}")
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state = fields[1].split(":")[1], fields[2].split(":")[1], fields[3]
        if (local, remote) == wanted and state in ("01", "08"):
            return True
    return False
