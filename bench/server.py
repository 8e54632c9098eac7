"""Server processes under test: started as a user would, pinned to CPU cores, watched for memory."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORES = "0"
LOAD_CORES = "1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinning_problem() -> str | None:
    """None if processes can be pinned to cores 0 and 1; otherwise why they run unpinned."""
    if shutil.which("taskset") is None:
        return "taskset is not installed (util-linux): processes run unpinned"
    if (os.cpu_count() or 1) < 2:
        return "fewer than 2 CPU cores: server and load generator share the core"
    return None


def pinned(cores: str | None, command: Sequence[str]) -> list[str]:
    """`command` run on the given cores (`taskset -c`), or unpinned when cores is None."""
    if cores is None or pinning_problem():
        return list(command)
    return ["taskset", "-c", cores, *command]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Whatever runs the harness (the repository checkout or an installed package) runs the server.
    paths = [str(ROOT / "src"), str(ROOT)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["ALTEGIO_LOG_LEVEL"] = "warning"
    return env


@dataclass
class Memory:
    """Peak resident memory (VmHWM) of each process of a server, in MiB."""

    per_process: list[float]

    @property
    def peak(self) -> float:
        return max(self.per_process, default=0.0)

    @property
    def total(self) -> float:
        return sum(self.per_process)


class ServerProcess:
    """A server started as a subprocess in its own process group; stopped with SIGINT, then SIGKILL."""

    def __init__(self, command: list[str], port: int, label: str) -> None:
        self.command, self.port, self.label = command, port, label
        self.log_path = ROOT / "bench" / "results" / f"server-{port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=_environment(), stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        """Return once `path` answers at all (any status); raise with the server log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", path)
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.label} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def wait_workers(self, count: int, timeout: float = 30.0) -> None:
        """With several workers, wait until all of them run (the first one answers sooner)."""
        if count < 2:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.pids()) < count + 1:
            time.sleep(0.1)
        time.sleep(0.5)

    def pids(self) -> list[int]:
        """The server process and all its descendants."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            queue.extend(int(c) for c in children)
        return found

    def memory(self) -> Memory:
        """VmHWM of every process of the server, read now (call before stopping it)."""
        sizes = []
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return Memory(sizes)

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGINT)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log.close()
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(database_url: str, workers: int, cores: str | None) -> ServerProcess:
    """`python -m altegio_server serve` exactly as a user would type it."""
    port = free_port()
    command = pinned(cores, [sys.executable, "-m", "altegio_server", "serve", "--database-url", database_url,
                             "--port", str(port), "--workers", str(workers)])
    server = ServerProcess(command, port, f"altegio-server ({workers} worker{'s' * (workers > 1)})")
    try:
        server.wait_ready("/openapi.json")
        server.wait_workers(workers)
    except BaseException:
        server.stop()
        raise
    return server


def start_baseline(cores: str | None) -> ServerProcess:
    """The bare ASGI app of bench/baseline.py under the same server software as altegio-server."""
    port = free_port()
    command = pinned(cores, [sys.executable, "-m", "uvicorn", "bench.baseline:app", "--port", str(port),
                             "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                             "--log-level", "warning", "--no-server-header"])
    server = ServerProcess(command, port, "baseline")
    try:
        server.wait_ready("/")
    except BaseException:
        server.stop()
        raise
    return server
