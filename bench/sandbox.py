"""`python -m bench.sandbox`: how long the sandbox's reset and restore take (behaviour 19.3).

Not a throughput scenario like the others: each control is one transaction, timed from the
service call to its commit, in-process (HTTP adds about a millisecond). Two measurements per
database:

- reset of the demo state: `seed demo` with its schedule, then `reset` again and again;
- restore of a snapshot holding 10,000 events: the benchmark's 10k dataset, saved once as a
  snapshot, then restored again and again.

Targets: reset median < 50 ms on SQLite and < 300 ms on PostgreSQL; restore median < 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Awaitable, Callable

from altegio_server.clock import Clock
from altegio_server.db import open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps
from altegio_server.provisioning import demo
from altegio_server.sandbox import snapshots

from bench import datasets

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "altegio_bench_sandbox"
RESET_TARGET_MS = {"sqlite": 50.0, "postgresql": 300.0}
RESTORE_TARGET_MS = 1000.0


async def _timed(url: str, prepare: Callable[[Deps], Awaitable[object]],
                 work: Callable[[Deps], Awaitable[object]], runs: int) -> list[float]:
    db = open_database(url, pool_size=2)
    await db.connect()
    try:
        deps = Deps(db=db, clock=Clock())
        await prepare(deps)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            await work(deps)
            times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        await db.close()


async def _seed_demo(deps: Deps) -> None:
    await upgrade(deps.db)
    await demo.seed(deps)


def _row(title: str, backend: str, times: list[float], target: float, size: str) -> str:
    median = statistics.median(times)
    verdict = "PASS" if median < target else "FAIL"
    return (f"| {title} | {backend} | {size} | {len(times)} | {median:.1f} | {max(times):.1f} | "
            f"{verdict} <{target:.0f} ms |")


def measure(backend: str, runs: int, directory: Path) -> list[str]:
    """The two rows of one database."""
    if backend == "sqlite":
        demo_url = f"sqlite:///{directory / 'demo.sqlite3'}"
        big = datasets.prepare_sqlite(str(directory / "10k.sqlite3"), 10_000)
    else:
        datasets.drop_postgres(PG_ADMIN_URL, PG_DATABASE)
        asyncio.run(datasets._admin(PG_ADMIN_URL, f'CREATE DATABASE "{PG_DATABASE}"'))
        demo_url = datasets.postgres_url(PG_ADMIN_URL, PG_DATABASE)
        big = datasets.prepare_postgres(PG_ADMIN_URL, PG_DATABASE + "_10k", 10_000)
    try:
        resets = asyncio.run(_timed(demo_url, _seed_demo, snapshots.reset, runs))

        async def save(deps: Deps) -> None:
            await snapshots.save(deps, "bench", 20)

        restores = asyncio.run(_timed(big.url, save, lambda deps: snapshots.restore(deps, "bench"),
                                      max(3, runs // 4)))
    finally:
        if backend == "postgresql":
            datasets.drop_postgres(PG_ADMIN_URL, PG_DATABASE)
            datasets.drop_postgres(PG_ADMIN_URL, PG_DATABASE + "_10k")
    return [_row("sandbox: reset of the demo state", backend, resets, RESET_TARGET_MS[backend], "demo"),
            _row("sandbox: restore of a snapshot", backend, restores, RESTORE_TARGET_MS, "10k")]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=20, help="resets per database (restores: a quarter, at least 3)")
    args = parser.parse_args()
    rows = ["| scenario | database | events | runs | median ms | max ms | target |", "|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="altegio-bench-sandbox-") as directory:
        for backend in args.backends.split(","):
            rows += measure(backend, args.runs, Path(directory))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
