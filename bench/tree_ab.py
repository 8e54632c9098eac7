"""Two builds of the server side by side: the same scenarios against each, in alternating
rounds on the same core and over copies of one SQLite dataset, reporting req/s and the
server's CPU time per request (which barely depends on how busy the machine is).

    python -m bench.tree_ab OTHER_PYTHON [--rounds 4] [--duration 3] [--scenarios read,v1-search]

OTHER_PYTHON is the interpreter of another installation (for example an older checkout's
`.venv/bin/python`); this one is the interpreter running the command.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.datasets import prepare_sqlite
from bench.protocol_ab import cpu_seconds
from bench.scenarios import SCENARIOS
from bench.server import SERVER_CORES, ServerProcess, free_port, pinned
from bench.wrk import run_wrk

# Each build gets its own copy of the dataset each round, so bookings can be compared too.
COMPARABLE = ("tags", "read", "list", "v1-search", "book")


def measure(python: str, database: Path, plan_key: str, ds: object, seconds: float,
            warmup: float) -> tuple[float, float]:
    """(req/s, server CPU µs per request) of one scenario against the server of `python`."""
    port = free_port()
    command = [python, "-m", "altegio_server", "serve", "--database-url", f"sqlite:///{database}", "--port", str(port)]
    plan = SCENARIOS[plan_key](ds)  # type: ignore[arg-type]
    with ServerProcess(pinned(SERVER_CORES, command), port, python) as server:
        server.wait_ready("/health")
        run_wrk(server.base_url + plan.path, plan.script, plan.options, warmup)
        before = cpu_seconds(server.process.pid)
        result = run_wrk(server.base_url + plan.path, plan.script, plan.options, seconds)
        used = cpu_seconds(server.process.pid) - before
    return result.rps, used / max(result.requests, 1) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tree_ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("other_python")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--scenarios", default=",".join(COMPARABLE))
    args = parser.parse_args(argv)
    keys = [k for k in args.scenarios.split(",") if k]
    unknown = [k for k in keys if k not in COMPARABLE]
    if unknown:
        parser.error(f"scenarios that can be compared: {', '.join(COMPARABLE)}")
    builds = {"other": args.other_python, "this": sys.executable}
    with tempfile.TemporaryDirectory() as tmp:
        ds = prepare_sqlite(str(Path(tmp) / "dataset.sqlite3"), 10_000)
        figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.rounds):
            for name, python in builds.items():
                copy = Path(tmp) / f"{name}.sqlite3"
                shutil.copyfile(Path(tmp) / "dataset.sqlite3", copy)
                for key in keys:
                    figures.setdefault((key, name), []).append(
                        measure(python, copy, key, ds, args.duration, args.warmup))
    print("| scenario | other: req/s | this: req/s | other: CPU µs/request | this: CPU µs/request "
          "| this / other, CPU |")
    print("|---|---|---|---|---|---|")
    for key in keys:
        other, this = figures[(key, "other")], figures[(key, "this")]
        rps_o, rps_t = (statistics.median(r for r, _ in f) for f in (other, this))
        cpu_o, cpu_t = (statistics.median(c for _, c in f) for f in (other, this))
        print(f"| {key} | {rps_o:,.0f} | {rps_t:,.0f} | {cpu_o:,.0f} | {cpu_t:,.0f} | {cpu_t / cpu_o:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
