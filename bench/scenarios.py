"""What each scenario sends: the route it needs, a probe request, the wrk script and its options,
and what to verify in the database afterwards."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlencode

from altegio_server.db import open_database
from altegio_server.provisioning import demo

from bench.datasets import CONTENTION_CAPACITY, LOCATION, Dataset

V2 = "application/vnd.api.v2+json"
AUTH = f"Bearer {demo.PARTNER_TOKEN}, User {demo.USER_TOKEN}"
V2_HEADERS = {"accept": V2, "auth": AUTH}
V1_HEADERS = {"accept": "application/json", "auth": AUTH}
ONLINE_HEADERS = {"accept": "application/json", "auth": f"Bearer {demo.PARTNER_TOKEN}"}  # the partner token alone
EVENTS = f"/api/v2/locations/{LOCATION}/events"

_runs = itertools.count(random.randrange(1000))


def next_run() -> int:
    """A number that makes the clients of one booking run differ from every other run's."""
    return next(_runs) % 1000


@dataclass
class Probe:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None = None


@dataclass
class Plan:
    """One scenario on one dataset."""

    key: str
    title: str
    method: str
    route: str  # as the server's OpenAPI document spells it
    probe: Probe
    expect: int
    script: str
    path: str
    options: dict[str, object]
    warmup: Plan | None = None
    describe_answer: Callable[[Any], str] | None = None
    check: Callable[[dict[int, int]], str] | None = None  # given the statuses wrk counted


def _probe_headers(options: dict[str, object]) -> dict[str, str]:
    return {"Accept": str(options["accept"]), "Authorization": str(options["auth"])}


def _client() -> dict[str, Any]:
    digits = f"{random.randrange(10**10):010d}"
    return {"client": {"name": "Probe", "surname": "Client", "phone": f"+2{digits}",
                       "email": f"p{digits}@bench.example", "gender": 0}, "clients_count": 1}


def _count(label: str) -> Callable[[Any], str]:
    def describe(body: Any) -> str:
        data = body.get("data") if isinstance(body, dict) else None
        return f"{len(data)} {label} per answer" if isinstance(data, list) else "answer has no data list"

    return describe


def tags(ds: Dataset) -> Plan:
    path = f"/api/v2/locations/{LOCATION}/tags"
    return Plan("tags", "v2 tags list", "GET", "/api/v2/locations/{}/tags",
                Probe("GET", path, _probe_headers(V2_HEADERS)), 200, "get.lua", path, dict(V2_HEADERS),
                describe_answer=_count("tags"))


def read_event(ds: Dataset) -> Plan:
    lo, hi = ds.read_ids
    options = dict(V2_HEADERS, prefix=f"{EVENTS}/", lo=lo, hi=hi, run=next_run())
    return Plan("read", "read one event", "GET", "/api/v2/locations/{}/events/{}",
                Probe("GET", f"{EVENTS}/{lo}", _probe_headers(V2_HEADERS)), 200, "read_random.lua", "/",
                options)


def list_week(ds: Dataset) -> Plan:
    first, last = ds.week
    query = urlencode({"filter[from]": f"{first} 00:00:00", "filter[to]": f"{last} 23:59:59", "limit": 100})
    path = f"{EVENTS}?{query}"
    return Plan("list", "list a week (100 per page)", "GET", "/api/v2/locations/{}/events",
                Probe("GET", path, _probe_headers(V2_HEADERS)), 200, "get.lua", path, dict(V2_HEADERS),
                describe_answer=_count("events"))


def v1_search(ds: Dataset) -> Plan:
    first, last = ds.week
    query = urlencode({"from": first, "till": last, "count": 25})
    path = f"/api/v1/activity/{LOCATION}/search?{query}"
    return Plan("v1-search", "v1 search (25 per page)", "GET", "/api/v1/activity/{}/search",
                Probe("GET", path, _probe_headers(V1_HEADERS)), 200, "get.lua", path, dict(V1_HEADERS),
                describe_answer=_count("events"))


def _booking(key: str, title: str, ds: Dataset, lo: int, hi: int,
             check: Callable[[dict[int, int]], str] | None = None) -> Plan:
    options = dict(V2_HEADERS, prefix=f"{EVENTS}/", suffix="/appointments", lo=lo, hi=hi, run=next_run())
    probe = Probe("POST", f"{EVENTS}/{ds.pool_ids[0]}/appointments", _probe_headers(V2_HEADERS), _client())
    return Plan(key, title, "POST", "/api/v2/locations/{}/events/{}/appointments", probe, 201, "book.lua", "/",
                options, check=check)


def book(ds: Dataset) -> Plan:
    lo, hi = ds.pool_ids
    plan = _booking("book", f"book a seat (over {hi - lo + 1} events)", ds, lo, hi,
                    lambda statuses: check_seats(ds.url, lo, hi, statuses, sold_out=False))
    plan.warmup = _booking("book", "warm-up", ds, lo, hi)
    return plan


def _online_booking(title: str, ds: Dataset, check: Callable[[dict[int, int]], str] | None = None) -> Plan:
    lo, hi = ds.pool_ids
    prefix = f"/api/v1/activity/{LOCATION}/"
    options = dict(ONLINE_HEADERS, prefix=prefix, suffix="/book", lo=lo, hi=hi, run=next_run(), body="online")
    digits = f"{random.randrange(10**10):010d}"
    probe = Probe("POST", f"{prefix}{lo}/book", _probe_headers(ONLINE_HEADERS),
                  {"fullname": "Probe Client", "phone": f"+2{digits}", "email": f"p{digits}@bench.example"})
    return Plan("v1-book", title, "POST", "/api/v1/activity/{}/{}/book", probe, 200, "book.lua", "/", options,
                check=check)


def v1_book(ds: Dataset) -> Plan:
    """Online booking (behaviour 18) over the booking pool, a new phone per request."""
    lo, hi = ds.pool_ids
    plan = _online_booking(f"v1 online booking (over {hi - lo + 1} events)", ds,
                           lambda statuses: check_seats(ds.url, lo, hi, statuses, sold_out=False, created=200))
    plan.warmup = _online_booking("warm-up", ds)  # phones of a run of its own
    return plan


def contention(ds: Dataset) -> Plan | str:
    event = ds.take_contention_event()
    if event is None:
        return "no unbooked contention event left in this dataset"
    plan = _booking("contention", f"book the last seats of one event ({CONTENTION_CAPACITY} seats)", ds,
                    event, event, lambda statuses: check_seats(ds.url, event, event, statuses, sold_out=True))
    # Warm up on the pool, so that the contended event starts with every seat free.
    plan.warmup = _booking("book", "warm-up", ds, *ds.pool_ids)
    return plan


SCENARIOS: dict[str, Callable[[Dataset], Plan | str]] = {
    "tags": tags, "read": read_event, "list": list_week, "v1-search": v1_search,
    "book": book, "v1-book": v1_book, "contention": contention,
}

_SEATS = """
SELECT COUNT(*) AS events,
       SUM(e.capacity) AS capacity,
       SUM(e.clients_count) AS seats,
       SUM(CASE WHEN e.clients_count > e.capacity THEN 1 ELSE 0 END) AS overbooked,
       SUM(CASE WHEN e.clients_count <> COALESCE(b.seats, 0) THEN 1 ELSE 0 END) AS mismatched,
       SUM(COALESCE(b.records, 0)) AS records
FROM events e
LEFT JOIN (SELECT event_id, SUM(clients_count) AS seats, COUNT(*) AS records
           FROM records WHERE deleted = FALSE AND event_id BETWEEN $1 AND $2 GROUP BY event_id) b
       ON b.event_id = e.id
WHERE e.id BETWEEN $1 AND $2
"""


async def _seat_counts(url: str, lo: int, hi: int) -> dict[str, int]:
    db = open_database(url, pool_size=1)
    await db.connect()
    try:
        async with db.transaction() as conn:
            row = await conn.fetchrow(_SEATS, lo, hi)
    finally:
        await db.close()
    assert row is not None
    return {k: int(v or 0) for k, v in row.items()}


def check_seats(url: str, lo: int, hi: int, statuses: dict[int, int], sold_out: bool, created: int = 201) -> str:
    """Seats of events lo..hi against their active appointments and the answers counted by wrk;
    `created` is the status of a booking made.

    Answers still in flight when wrk stops are not counted, so appointments may outnumber 201s
    by up to the connection count; the reverse would be a lost booking."""
    c = asyncio.run(_seat_counts(url, lo, hi))
    made, refused = statuses.get(created, 0), statuses.get(422, 0)
    expected = (created, 422) if sold_out else (created,)
    others = {s: n for s, n in statuses.items() if s not in expected}
    problems = []
    if c["overbooked"]:
        problems.append(f"{c['overbooked']} event(s) over capacity")
    if c["mismatched"]:
        problems.append(f"{c['mismatched']} event(s) whose clients_count differs from their appointments")
    if sold_out and refused and c["seats"] != c["capacity"]:
        problems.append(f"422 answers although only {c['seats']} of {c['capacity']} seats are taken")
    if made > c["records"]:
        problems.append(f"{made} answers {created} but only {c['records']} appointments")
    if others:
        problems.append("unexpected statuses " + json.dumps(others))
    summary = (f"{made}×{created}, {refused}×422; seats {c['seats']}/{c['capacity']}, "
               f"{c['records']} active appointments")
    if problems:
        return "FAIL: " + "; ".join(problems) + f" ({summary})"
    if sold_out and c["seats"] < c["capacity"]:
        return f"OK, but the event did not sell out within the run, so there was no race for the last seat ({summary})"
    return f"OK: {summary}"

