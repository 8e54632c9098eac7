"""The load generator: wrk, driven by the Lua scripts in bench/lua, reporting as JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import LOAD_CORES, pinned

LUA = Path(__file__).resolve().parent / "lua"
CONNECTIONS = 32
THREADS = 1  # one load-generator thread: it has one core to itself


class WrkMissing(Exception):
    pass


def ensure_wrk() -> str:
    """The path of wrk, installing it with apt-get when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    install = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            raise WrkMissing("wrk is not installed and this user cannot run apt-get; "
                             "install it with `sudo apt-get install -y wrk` (or build it from "
                             "https://github.com/wg/wrk) and run the benchmark again")
        install = ["sudo", "-n", *install]
    print(f"wrk is not installed; running: {' '.join(install)}", flush=True)
    done = subprocess.run(install, capture_output=True, text=True)
    found = shutil.which("wrk")
    if done.returncode != 0 or not found:
        raise WrkMissing(f"could not install wrk with `{' '.join(install)}` (exit {done.returncode}):\n"
                         f"{done.stderr.strip()[-800:]}\nInstall wrk by hand and run the benchmark again.")
    return found


@dataclass
class WrkResult:
    requests: int
    seconds: float
    bytes: int
    errors: dict[str, int]
    latency_us: dict[str, float]
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return self.latency_us["p50"] / 1000

    @property
    def p99_ms(self) -> float:
        return self.latency_us["p99"] / 1000

    @property
    def socket_errors(self) -> int:
        return sum(n for kind, n in self.errors.items() if kind != "status")

    @property
    def bad_statuses(self) -> int:
        """Responses outside 2xx/3xx."""
        return self.errors.get("status", 0)


def run_wrk(url: str, script: str, options: dict[str, object], seconds: float,
            connections: int = CONNECTIONS) -> WrkResult:
    """Run wrk against `url` with bench/lua/`script`; `options` reach the script as key=value."""
    command = pinned(LOAD_CORES, [
        ensure_wrk(), f"-t{THREADS}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
        "-s", str(LUA / script), url, "--", *(f"{k}={v}" for k, v in options.items()),
    ])
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((out for out in done.stdout.splitlines() if out.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed (exit {done.returncode}):\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return WrkResult(
        requests=data["requests"], seconds=data["duration_us"] / 1e6, bytes=data["bytes"], errors=data["errors"],
        latency_us=data["latency_us"], statuses={int(k): v for k, v in data["statuses"].items()},
    )
