"""The request journal's cost (behaviour 19.4): one server in sandbox mode, each scenario run with
the journal off and on in alternating rounds, reporting req/s and the server's CPU time per
request, and on / off.

    python -m bench.journal_ab [--backends sqlite,postgresql] [--rounds 3] [--duration 3] [--scenarios read,book]

One server process pinned to core 0, wrk on core 1, 32 connections, a 10k-event dataset per
database. The journal is emptied before each measurement, so every run starts from one table.

With `--webhooks` the switch is the location's webhook settings instead of the journal (which
stays off): `active` with appointments and clients notified, against `active: false`
(behaviour 20), to a receiver that is down (`--receiver down`: a closed port, so every
delivery is refused at once and retried) or slow (`--receiver slow`: a port that takes
connections and never answers, so every attempt waits out the webhook timeout).

With `--off-against OTHER_SRC` it compares instead, with sandbox mode off, this tree's server
and the one whose `src` directory is given (e.g. an older commit's, unpacked with
`git archive COMMIT src | tar -x -C DIR`), in alternating rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

from bench.datasets import Dataset, drop_postgres, postgres_problem, prepare_postgres, prepare_sqlite
from bench.protocol_ab import cpu_seconds
from bench.scenarios import AUTH, SCENARIOS
from bench.server import SERVER_CORES, ServerProcess, free_port, pinned
from bench.wrk import run_wrk

TOKEN = "bench-sandbox-token"
CONTROL = {"Authorization": f"Bearer {TOKEN}"}
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "altegio_bench_journal"
DEAD_PORT = 9  # the discard port, closed here: every delivery is refused at once and retried


def _switch(server: ServerProcess, enabled: bool) -> None:
    r = httpx.put(f"{server.base_url}/_sandbox/journal", json={"enabled": enabled}, headers=CONTROL)
    r.raise_for_status()
    httpx.delete(f"{server.base_url}/_sandbox/requests", headers=CONTROL).raise_for_status()


RECEIVER = {"port": DEAD_PORT}


def _slow_receiver() -> int:
    """A port that takes connections (the kernel completes them) and never reads or answers."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)
    _KEEP.append(sock)
    return int(sock.getsockname()[1])


_KEEP: list[object] = []


def _switch_webhooks(server: ServerProcess, enabled: bool) -> None:
    """The journal off; webhooks of the booked location on (to the receiver chosen) or off."""
    httpx.put(f"{server.base_url}/_sandbox/journal", json={"enabled": False}, headers=CONTROL).raise_for_status()
    body = {"urls": [f"http://127.0.0.1:{RECEIVER['port']}/hooks"], "active": enabled, "record": True,
            "client": True}
    r = httpx.post(f"{server.base_url}/api/v1/hooks_settings/101", json=body,
                   headers={"Authorization": AUTH, "Accept": "application/json"})
    r.raise_for_status()


SWITCHES = {"journal": _switch, "webhooks": _switch_webhooks}


def measure(server: ServerProcess, ds: Dataset, key: str, enabled: bool, seconds: float,
            warmup: float, switch: str = "journal") -> tuple[float, float, float]:
    """(req/s, server CPU µs per request, p99 ms) of one scenario with the journal (or webhooks) on or off."""
    SWITCHES[switch](server, enabled)
    return _measure_plan(server, ds, key, seconds, warmup)


def _measure_plan(server: ServerProcess, ds: Dataset, key: str, seconds: float,
                  warmup: float) -> tuple[float, float, float]:
    plan = SCENARIOS[key](ds)
    assert not isinstance(plan, str)
    run_wrk(server.base_url + plan.path, plan.script, plan.options, warmup)
    before = cpu_seconds(server.process.pid)
    result = run_wrk(server.base_url + plan.path, plan.script, plan.options, seconds)
    used = cpu_seconds(server.process.pid) - before
    return result.rps, used / max(result.requests, 1) * 1e6, result.p99_ms


def run_backend(url: str, ds: Dataset, keys: list[str], rounds: int, seconds: float,
                warmup: float, switch: str = "journal") -> dict[tuple[str, bool], list[tuple[float, float, float]]]:
    port = free_port()
    command = pinned(SERVER_CORES, [sys.executable, "-m", "altegio_server", "serve", "--sandbox",
                                    "--database-url", url, "--port", str(port)])
    figures: dict[tuple[str, bool], list[tuple[float, float, float]]] = {}
    os.environ["ALTEGIO_SANDBOX_TOKEN"] = TOKEN
    with ServerProcess(command, port, "altegio-server (sandbox)") as server:
        server.wait_ready("/health")
        for i in range(rounds):
            order = (False, True) if i % 2 == 0 else (True, False)
            for key in keys:
                for enabled in order:
                    figures.setdefault((key, enabled), []).append(
                        measure(server, ds, key, enabled, seconds, warmup, switch))
    return figures


def run_trees(url: str, ds: Dataset, keys: list[str], rounds: int, seconds: float, warmup: float,
              other_src: str) -> dict[tuple[str, bool], list[tuple[float, float, float]]]:
    """As run_backend, with sandbox mode off, for the server of `other_src` (False) and this one (True)."""
    figures: dict[tuple[str, bool], list[tuple[float, float, float]]] = {}
    servers = {}
    for this in (False, True):
        port = free_port()
        prefix = [] if this else ["env", f"PYTHONPATH={other_src}"]
        command = pinned(SERVER_CORES, [*prefix, sys.executable, "-m", "altegio_server", "serve",
                                        "--database-url", url, "--port", str(port)])
        servers[this] = ServerProcess(command, port, "this" if this else "other")
    try:
        for server in servers.values():
            server.wait_ready("/health")
        for i in range(rounds):
            for key in keys:
                for this in ((False, True) if i % 2 == 0 else (True, False)):
                    figures.setdefault((key, this), []).append(
                        _measure_plan(servers[this], ds, key, seconds, warmup))
    finally:
        for server in servers.values():
            server.stop()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.journal_ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--scenarios", default="read,book")
    parser.add_argument("--off-against", metavar="OTHER_SRC", default=None)
    parser.add_argument("--webhooks", action="store_true", help="switch webhooks instead of the journal")
    parser.add_argument("--receiver", choices=("down", "slow"), default="down", help="with --webhooks")
    args = parser.parse_args(argv)
    if args.webhooks and args.receiver == "slow":
        RECEIVER["port"] = _slow_receiver()
    keys = [k for k in args.scenarios.split(",") if k in ("tags", "read", "book")]
    a, b = ("other", "this") if args.off_against else ("off", "on")
    print(f"| scenario | database | {a}: req/s | {b}: req/s | {b} / {a}, req/s | {a}: CPU µs/request "
          f"| {b}: CPU µs/request | {b} / {a}, CPU | {a}: p99 ms | {b}: p99 ms | {b} / {a}, req/s, each round |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            if backend == "sqlite":
                ds = prepare_sqlite(str(Path(tmp) / "journal.sqlite3"), 10_000)
            else:
                problem = postgres_problem(PG_ADMIN)
                if problem:
                    print(f"| (PostgreSQL skipped: {problem}) |")
                    continue
                ds = prepare_postgres(PG_ADMIN, PG_NAME, 10_000)
            try:
                if args.off_against:
                    figures = run_trees(ds.url, ds, keys, args.rounds, args.duration, args.warmup, args.off_against)
                else:
                    figures = run_backend(ds.url, ds, keys, args.rounds, args.duration, args.warmup,
                                          "webhooks" if args.webhooks else "journal")
            finally:
                if backend != "sqlite":
                    drop_postgres(PG_ADMIN, PG_NAME)
        for key in keys:
            off, on = figures[(key, False)], figures[(key, True)]
            rps_off, rps_on = (statistics.median(r for r, _, _ in f) for f in (off, on))
            cpu_off, cpu_on = (statistics.median(c for _, c, _ in f) for f in (off, on))
            p99_off, p99_on = (statistics.median(p for _, _, p in f) for f in (off, on))
            each = ", ".join(f"{n[0] / f[0]:.2f}" for f, n in zip(off, on))
            print(f"| {key} | {backend} | {rps_off:,.0f} | {rps_on:,.0f} | {rps_on / rps_off:.2f} "
                  f"| {cpu_off:,.0f} | {cpu_on:,.0f} | {cpu_on / cpu_off:.2f} | {p99_off:.1f} | {p99_on:.1f} "
                  f"| {each} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
