"""The cost of the sandbox's rate limit (docs/behaviour.md 19.5): one sandbox server answering
the v2 tags list with the limit off and on but generous (a million a second and a minute, so
nothing is refused), in alternating rounds on the same core, on each database.

    python -m bench.sandbox_ab [--rounds 4] [--duration 3] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from bench import datasets
from bench.protocol_ab import cpu_seconds
from bench.scenarios import LOCATION, V2_HEADERS
from bench.server import SERVER_CORES, ServerProcess, free_port, pinned
from bench.wrk import run_wrk

TOKEN = "sandbox-bench-token"
GENEROUS = {"enabled": True, "per_second": 1_000_000, "per_minute": 1_000_000, "key": "ip"}
PG_DATABASE = "altegio_bench_sandbox"
EVENTS = 10_000  # the smallest size of the main benchmark


def control(server: ServerProcess, method: str, body: dict[str, object] | None = None) -> None:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{server.base_url}/_sandbox/rate_limit", data=data, method=method,
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{method} /_sandbox/rate_limit answered {exc.code}:\n{server.log_tail()}") from exc


def measure(server: ServerProcess, limited: bool, seconds: float, warmup: float) -> tuple[float, float]:
    """(req/s, server CPU µs per request) of the tags list, the limit on or off."""
    control(server, "PUT", GENEROUS) if limited else control(server, "DELETE")
    path = f"/api/v2/locations/{LOCATION}/tags"
    run_wrk(server.base_url + path, "get.lua", dict(V2_HEADERS), warmup)
    before = cpu_seconds(server.process.pid)
    result = run_wrk(server.base_url + path, "get.lua", dict(V2_HEADERS), seconds)
    used = cpu_seconds(server.process.pid) - before
    if result.bad_statuses or result.socket_errors:
        raise RuntimeError(f"{result.bad_statuses} answers were not 200, {result.socket_errors} socket errors")
    return result.rps, used / max(result.requests, 1) * 1e6


def backend(name: str, args: argparse.Namespace, scratch: Path) -> None:
    if name == "sqlite":
        url = datasets.prepare_sqlite(str(scratch / "sandbox.sqlite3"), EVENTS).url
    else:
        url = datasets.prepare_postgres(args.pg_url, PG_DATABASE, EVENTS).url
    port = free_port()
    os.environ["ALTEGIO_SANDBOX_TOKEN"] = TOKEN
    command = pinned(SERVER_CORES, [sys.executable, "-m", "altegio_server", "serve", "--sandbox",
                                    "--database-url", url, "--port", str(port), "--workers", "1"])
    figures: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    try:
        with ServerProcess(command, port, f"sandbox server on {name}") as server:
            server.wait_ready("/openapi.json")
            for n in range(args.rounds):
                for limited in ((False, True) if n % 2 == 0 else (True, False)):
                    figures[limited].append(measure(server, limited, args.duration, args.warmup))
                (o_rps, o_cpu), (l_rps, l_cpu) = figures[False][-1], figures[True][-1]
                print(f"{name} round {n + 1}: off {o_rps:,.0f} req/s {o_cpu:.0f} µs CPU/request, "
                      f"on {l_rps:,.0f} req/s {l_cpu:.0f} µs CPU/request", flush=True)
    finally:
        if name == "postgresql":
            datasets.drop_postgres(args.pg_url, PG_DATABASE)
    for label, index, unit in (("req/s", 0, ""), ("server CPU per request", 1, " µs")):
        off = statistics.median(f[index] for f in figures[False])
        on = statistics.median(f[index] for f in figures[True])
        ratios = [o[index] / f[index] for f, o in zip(figures[False], figures[True])]
        print(f"{name} {label}: median off {off:,.1f}{unit}, on {on:,.1f}{unit}; on / off, median of "
              f"{len(ratios)} paired rounds {statistics.median(ratios):.1%} "
              f"(range {min(ratios):.1%} to {max(ratios):.1%})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="altegio-bench-") as scratch:
        for name in args.backends.split(","):
            backend(name, args, Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
