"""Benchmark databases: created from scratch, migrated, seeded with the demo, then filled with
generated events written straight into the tables (executemany on SQLite, COPY on PostgreSQL).

Every dataset has the same layout, whatever its size, so that scenarios know where to aim:

    ids 1..POOL                  booking pool: future events of location 101, large capacity
    next CONTENTION ids          events of capacity CONTENTION_CAPACITY, one per contention run
    next WEEK_EVENTS ids         the listed week: location 101, a week starting 4+ weeks ahead
    the rest, location 101       background over three years (never inside the listed week)
    the rest, location 102       background over three years

The listed week holds the same events in every dataset, so comparing the list figures across
dataset sizes measures how the cost grows with the table, not with the answer.
"""

from __future__ import annotations

import asyncio
import gc
import random
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from altegio_server.clock import Clock
from altegio_server.colors import font_color_for
from altegio_server.db import open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps
from altegio_server.provisioning import demo
from altegio_server.provisioning.fixture import reset_sequences

LOCATION = 101
OTHER_LOCATION = 102
POOL = 1000
POOL_CAPACITY = 10_000
CONTENTION = 16
CONTENTION_CAPACITY = 500
WEEK_EVENTS = 150
LENGTH = 3600
DAY = 86400
CHUNK = 50_000

EVENT_COLUMNS = ("id", "location_id", "staff_id", "service_id", "start_ts", "end_ts", "length",
                 "technical_break", "capacity", "clients_count", "color", "font_color", "instructions",
                 "stream_link", "comment", "notified", "forced", "deleted", "created_at", "updated_at")
LINK_COLUMNS = ("event_id", "resource_instance_id")
LOADED_TABLES = "('events', 'event_resource_instances')"
CAPACITIES = (8, 12, 16, 20)
COLORS = ("#4caf50", "#2196f3", "#ff9800", "#9c27b0", "#f44336", "#ffeb3b")


@dataclass
class Dataset:
    """A prepared database and the ids and dates the scenarios aim at."""

    backend: str
    url: str
    size: int
    week: tuple[str, str]  # first and last day (YYYY-MM-DD) of the listed week
    read_ids: tuple[int, int]  # location 101's background events
    pool_ids: tuple[int, int]
    contention_ids: list[int]  # not booked yet
    generate_s: float = 0.0
    prepare_s: float = 0.0

    def take_contention_event(self) -> int | None:
        """A contended event nobody has booked yet (each contention run needs a fresh one)."""
        return self.contention_ids.pop(0) if self.contention_ids else None


@dataclass(frozen=True)
class Combo:
    staff_id: int
    service_id: int
    instance_id: int
    color: str
    font_color: str


def _demo_location(location_id: int) -> dict[str, Any]:
    return next(loc for loc in demo.fixture_data()["chains"][0]["locations"] if loc["id"] == location_id)


def _combos(location_id: int) -> list[Combo]:
    """Every (team member, group service, room) of a demo location that makes a valid event."""
    loc = _demo_location(location_id)
    combos = []
    for n, service in enumerate(s for s in loc["services"] if s["group_event"]):
        instances = [i["id"] for r in loc["resources"] if service["id"] in r["service_ids"] for i in r["instances"]]
        for staff_id in service["staff_ids"]:
            for instance_id in instances:
                color = COLORS[n % len(COLORS)]
                combos.append(Combo(staff_id, service["id"], instance_id, color, font_color_for(color)))
    return combos


def _zone(location_id: int) -> ZoneInfo:
    return ZoneInfo(_demo_location(location_id)["timezone"])


def _midnight(day: date, tz: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())


class Layout:
    """Where each generated event goes, for a dataset of `size` events generated at `now`."""

    def __init__(self, size: int, now: int) -> None:
        special = POOL + CONTENTION + WEEK_EVENTS
        if size < special + 2:
            raise ValueError(f"a dataset needs at least {special + 2} events")
        self.size, self.now = size, now
        tz = _zone(LOCATION)
        today = datetime.fromtimestamp(now, tz).date()
        monday = today + timedelta(days=28 + (7 - today.weekday()) % 7)
        self.week_days = [monday + timedelta(days=d) for d in range(7)]
        self.week_start = _midnight(monday, tz)
        self.week_end = _midnight(monday + timedelta(days=7), tz)
        self.pool_start = self.week_end + 2 * DAY
        background = size - special
        self.first_background = special + 1
        self.first_other = self.first_background + background // 2

    def chunks(self) -> Iterator[tuple[list[tuple], list[tuple]]]:
        """Lists of event rows and their resource-instance links, in id order, CHUNK at a time."""
        here, there = _combos(LOCATION), _combos(OTHER_LOCATION)
        events: list[tuple] = []
        links: list[tuple] = []

        def add(event_id: int, combo: Combo, start: int, capacity: int) -> None:
            events.append(self._row(event_id, LOCATION, combo, start, capacity))
            links.append((event_id, combo.instance_id))

        for i in range(POOL):
            add(1 + i, here[i % len(here)], self.pool_start + i * 3600, POOL_CAPACITY)
        contention_start = self.pool_start + POOL * 3600 + DAY
        for i in range(CONTENTION):
            add(POOL + 1 + i, here[i % len(here)], contention_start + i * 3600, CONTENTION_CAPACITY)
        tz = _zone(LOCATION)
        for i in range(WEEK_EVENTS):
            start = _midnight(self.week_days[i % 7], tz) + 7 * 3600 + (i // 7) * 2400
            add(POOL + CONTENTION + 1 + i, here[i % len(here)], start, 20)
        yield events, links
        rng = random.Random(self.size)
        for first in range(self.first_background, self.size + 1, CHUNK):
            ids = range(first, min(first + CHUNK, self.size + 1))
            mine = range(ids.start, min(ids.stop, self.first_other))
            theirs = range(max(ids.start, self.first_other), ids.stop)
            for part, location, combos, hour in ((mine, LOCATION, here, 7), (theirs, OTHER_LOCATION, there, 12)):
                if part:
                    yield self._background(rng, part, location, combos, hour)

    def _background(self, rng: random.Random, ids: range, location: int, combos: list[Combo],
                    first_hour: int) -> tuple[list[tuple], list[tuple]]:
        """Events at daytime starts (roughly local) from a year ago to two years ahead, never in
        the listed week, with their links."""
        rand, count, row = rng.random, len(combos), self._row
        base = self.now - 365 * DAY
        base = base - base % DAY + first_hour * 3600
        skip_from, skip_to = (self.week_start, self.week_end) if location == LOCATION else (0, 0)
        events, links = [], []
        for event_id in ids:
            c = combos[int(rand() * count)]
            start = base + int(rand() * 1095) * DAY + int(rand() * 56) * 900
            if skip_from <= start < skip_to:
                start += 7 * DAY
            events.append(row(event_id, location, c, start, CAPACITIES[int(rand() * len(CAPACITIES))]))
            links.append((event_id, c.instance_id))
        return events, links

    def _row(self, event_id: int, location: int, combo: Combo, start: int, capacity: int) -> tuple:
        """A row of EVENT_COLUMNS."""
        return (event_id, location, combo.staff_id, combo.service_id, start, start + LENGTH, LENGTH, 0,
                capacity, 0, combo.color, combo.font_color, "", "", None, False, False, False,
                self.now, self.now)

    def dataset(self, backend: str, url: str) -> Dataset:
        first_contention = POOL + 1
        return Dataset(
            backend=backend, url=url, size=self.size,
            week=(str(self.week_days[0]), str(self.week_days[-1])),
            read_ids=(self.first_background, self.first_other - 1),
            pool_ids=(1, POOL),
            contention_ids=list(range(first_contention, first_contention + CONTENTION)),
        )


async def _migrate_and_seed(url: str) -> None:
    db = open_database(url, pool_size=1)
    await db.connect()
    try:
        await upgrade(db)
        await demo.seed(Deps(db=db, clock=Clock()), schedule=False)  # the datasets bring their own events
    finally:
        await db.close()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Millions of fresh tuples would wake the cycle collector over and over for nothing."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _load_sqlite(path: str, layout: Layout) -> None:
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        # A throw-away file: no journal, no fsync, a big cache; WAL again before the server opens it.
        raw.execute("PRAGMA journal_mode = OFF")
        raw.execute("PRAGMA synchronous = OFF")
        raw.execute("PRAGMA cache_size = -262144")
        raw.execute("BEGIN")
        indexes = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                              f"AND tbl_name IN {LOADED_TABLES}").fetchall()
        for name, _ in indexes:
            raw.execute(f"DROP INDEX {name}")
        insert_event = f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
        insert_link = f"INSERT INTO event_resource_instances ({', '.join(LINK_COLUMNS)}) VALUES (?, ?)"
        for events, links in layout.chunks():
            raw.executemany(insert_event, events)
            raw.executemany(insert_link, links)
        for _, sql in indexes:
            raw.execute(sql)
        raw.execute("COMMIT")
        raw.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def prepare_sqlite(path: str, size: int) -> Dataset:
    """A fresh SQLite file at `path` with the demo and `size` generated events."""
    started = time.perf_counter()
    url = f"sqlite:///{path}"
    asyncio.run(_migrate_and_seed(url))
    layout = Layout(size, int(time.time()))
    generating = time.perf_counter()
    with _gc_paused():
        _load_sqlite(path, layout)
    dataset = layout.dataset("sqlite", url)
    dataset.generate_s = time.perf_counter() - generating
    dataset.prepare_s = time.perf_counter() - started
    return dataset


async def _admin(admin_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def postgres_problem(admin_url: str) -> str | None:
    """None if PostgreSQL answers at `admin_url`; otherwise why not."""
    try:
        asyncio.run(_admin(admin_url, "SELECT 1"))
    except Exception as exc:  # whatever stops the connection, the answer is "not here"
        return f"PostgreSQL not reachable at {admin_url} ({type(exc).__name__}: {exc})"
    return None


def postgres_url(admin_url: str, name: str) -> str:
    return f"{admin_url.rsplit('/', 1)[0]}/{name}"


def drop_postgres(admin_url: str, name: str) -> None:
    asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _copy_events(url: str, layout: Layout) -> None:
    import asyncpg

    conn: Any = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            try:
                async with conn.transaction():  # a savepoint: without superuser rights, keep the checks
                    # The generator writes valid references by construction; skip the per-row checks.
                    await conn.execute("SET LOCAL session_replication_role = replica")
            except asyncpg.InsufficientPrivilegeError:
                pass
            # Building the secondary indexes once at the end beats updating them row by row.
            indexes = await conn.fetch(
                f"SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN {LOADED_TABLES} "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)")
            for index in indexes:
                await conn.execute(f'DROP INDEX "{index["indexname"]}"')
            for events, links in layout.chunks():
                await conn.copy_records_to_table("events", records=events, columns=EVENT_COLUMNS)
                await conn.copy_records_to_table("event_resource_instances", records=links, columns=LINK_COLUMNS)
            for index in indexes:
                await conn.execute(index["indexdef"])
        # What autovacuum would do shortly after a bulk load anyway.
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    db = open_database(url, pool_size=1)
    await db.connect()
    try:
        async with db.transaction(write=True) as c:
            await reset_sequences(c)
    finally:
        await db.close()


def prepare_postgres(admin_url: str, name: str, size: int) -> Dataset:
    """A fresh PostgreSQL database `name` with the demo and `size` generated events."""
    started = time.perf_counter()
    drop_postgres(admin_url, name)
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
    url = postgres_url(admin_url, name)
    asyncio.run(_migrate_and_seed(url))
    layout = Layout(size, int(time.time()))
    generating = time.perf_counter()
    with _gc_paused():
        asyncio.run(_copy_events(url, layout))
    dataset = layout.dataset("postgresql", url)
    dataset.generate_s = time.perf_counter() - generating
    dataset.prepare_s = time.perf_counter() - started
    return dataset
