"""`python -m bench.console`: how long the console's week page takes on the server (behaviour 21.3).

The demo database with 500 events in one week of location 101 (spread over the days and
hours, several lanes deep, every third with a room, some full, some deleted), signed in as
the demo owner. Each run is one whole `GET /console/locations/101/week?start=...` through the
server's ASGI application in process: session lookup, the week's reads, the layout and the
template, everything but the network. Baseline in the same run: the same page for a week with
no events, which is the fixed cost of a page.

Target: the 500-event week's median under 50 ms on each database.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from altegio_server.console import sessions
from altegio_server.db import open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps
from altegio_server.provisioning import demo
from altegio_server.timezones import parse_local

from bench import datasets

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "altegio_bench_console"
TARGET_MS = 50.0
EVENTS = 500
WEEK = "2027-03-01"  # a Monday
EMPTY_WEEK = "2027-05-03"
NOW = datetime(2027, 3, 3, 12, 0, tzinfo=timezone.utc)


async def _fill(deps: Deps) -> None:
    """The demo, then 500 events in the week of WEEK at location 101, written straight into the tables."""
    await upgrade(deps.db)
    await demo.seed(deps)
    loc = demo.summary()["locations"][0]
    rng = random.Random(21)
    now = int(NOW.timestamp())
    async with deps.db.transaction(write=True) as conn:
        for i in range(EVENTS):
            day = datetime.fromisoformat(WEEK) + timedelta(days=i % 7)
            minute = rng.randrange(7 * 60, 21 * 60, 15)
            start = parse_local(f"{day:%Y-%m-%d} {minute // 60:02d}:{minute % 60:02d}:00", loc["timezone"])
            capacity = rng.choice(datasets.CAPACITIES)
            booked = capacity if i % 9 == 0 else rng.randrange(capacity)
            color = rng.choice(datasets.COLORS)
            event_id = await conn.fetchval(
                "INSERT INTO events (location_id, staff_id, service_id, start_ts, end_ts, length, capacity, "
                "clients_count, color, font_color, deleted, created_at, updated_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
                loc["id"], rng.choice(loc["staff_ids"]), rng.choice(loc["group_service_ids"]), start, start + 3600,
                3600, capacity, booked, color, "#000000", i % 25 == 0, now)
            if i % 3 == 0:
                await conn.execute("INSERT INTO event_resource_instances (event_id, resource_instance_id) "
                                   "VALUES ($1, $2)", event_id, rng.choice(loc["resource_instance_ids"]))


async def _measure(url: str, runs: int) -> tuple[list[float], list[float], int, int]:
    db = open_database(url, pool_size=4)
    await db.connect()
    try:
        clock = FixedClock(NOW)
        deps = Deps(db=db, clock=clock)
        await _fill(deps)
        token = await sessions.sign_in(deps, demo.USER["login"], demo.USER["password"], None, 3600)
        app = create_app(Settings(database_url=url), clock=clock, database=db)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench",
                                     cookies={sessions.COOKIE: token}) as client:
            async def timed(start: str) -> tuple[list[float], int]:
                times, size = [], 0
                for _ in range(runs + 3):  # the first few warm the caches and the templates
                    began = time.perf_counter()
                    r = await client.get(f"/console/locations/101/week?start={start}")
                    times.append((time.perf_counter() - began) * 1000)
                    assert r.status_code == 200, r.text[:300]
                    size = len(r.content)
                return times[3:], size

            empty, _ = await timed(EMPTY_WEEK)
            full, size = await timed(WEEK)
            shown = (await client.get(f"/console/locations/101/week?start={WEEK}")).text.count('<li class="event')
            assert shown >= EVENTS, shown  # the demo's own schedule may add a few
        return empty, full, size, shown
    finally:
        await db.close()


def measure(backend: str, runs: int, directory: Path) -> list[str]:
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'console.sqlite3'}"
    else:
        datasets.drop_postgres(PG_ADMIN_URL, PG_DATABASE)
        asyncio.run(datasets._admin(PG_ADMIN_URL, f'CREATE DATABASE "{PG_DATABASE}"'))
        url = datasets.postgres_url(PG_ADMIN_URL, PG_DATABASE)
    try:
        empty, full, size, shown = asyncio.run(_measure(url, runs))
    finally:
        if backend == "postgresql":
            datasets.drop_postgres(PG_ADMIN_URL, PG_DATABASE)
    e, f = statistics.median(empty), statistics.median(full)
    verdict = "PASS" if f < TARGET_MS else "FAIL"
    return [f"| console: week page, no events | {backend} | 0 | {len(empty)} | {e:.1f} | {max(empty):.1f} | | |",
            f"| console: week page, 500 events | {backend} | {shown} | {len(full)} | {f:.1f} | {max(full):.1f} | "
            f"{f / e:.1f}x | {verdict} <{TARGET_MS:.0f} ms ({size // 1024} KiB) |"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.console", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rows = ["| scenario | database | events | runs | median ms | max ms | vs no events | target |",
            "|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="altegio-bench-console-") as directory:
        for backend in args.backends.split(","):
            rows += measure(backend, args.runs, Path(directory))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
