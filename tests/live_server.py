"""The real server, started from the command line as a separate process, for tests that
need real HTTP and more than one server process over one database.

    with LiveServer(database_url, workers=2, frozen_time=NOW) as server:
        httpx.get(server.url + "/openapi.json")
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`python -m altegio_server serve` on a free port against `database_url`."""

    def __init__(self, database_url: str, *, workers: int = 1, frozen_time: datetime | None = None,
                 args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.workers = workers
        self.frozen_time = frozen_time
        self.args, self.env = args, env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile()

    def start(self) -> LiveServer:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH")]))
        env.pop("ALTEGIO_FROZEN_TIME", None)
        if self.frozen_time is not None:
            env["ALTEGIO_FROZEN_TIME"] = self.frozen_time.isoformat()
        env.update(self.env)
        command = [sys.executable, "-m", "altegio_server", "serve", "--database-url", self.database_url,
                   "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers), *self.args]
        # A session of its own, so that stopping it reaches the worker processes too.
        self._process = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self._wait_until_answering()
        return self

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server exited with {self._process.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_TIMEOUT)

    @property
    def pid(self) -> int:
        assert self._process is not None, "the server is not running"
        return self._process.pid

    def kill(self) -> None:
        """SIGKILL to every process of the server at once: no shutdown, no cleanup, as in a crash."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_TIMEOUT)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self._log.close()
