"""The booking rules that must hold in the database whatever happened, as SQL over every row,
and a random workload of concurrent requests that tries to break them.

    violations(url)                   # [] when every rule holds, else one line per breach
    Workload(send, seed).round(n)     # n random writes fired at once; their (request, answer) pairs

The rules:
- each event's `clients_count` is the seats of its active appointments, 0 <= it <= capacity;
- no client holds two active appointments in one event;
- no team member and no resource instance is in two overlapping live events, unless one of
  them was written with `force`;
- a deleted event holds no active appointments;
- an appointment is in its event's location, and an event ends `length` seconds after it starts.

Run a long version against fresh databases with several server processes:

    ALTEGIO_INVARIANT_ROUNDS=200 pytest tests/hardening/test_invariants.py      # or: make invariants
"""

from __future__ import annotations

import random
from typing import Any, Callable

from tests import factories as f
from tests.concurrency.scenarios import all_at_once
from tests.conftest import PRAGUE

# Each rule: the query that finds the rows breaking it.
RULES: dict[str, str] = {
    "an event's clients_count differs from the seats of its active appointments": """
        SELECT e.id, e.clients_count, COALESCE(SUM(r.clients_count), 0) AS held
        FROM events e LEFT JOIN records r ON r.event_id = e.id AND r.deleted = FALSE
        GROUP BY e.id, e.clients_count
        HAVING e.clients_count <> COALESCE(SUM(r.clients_count), 0)""",
    "an event's clients_count is outside 0..capacity": """
        SELECT id, clients_count, capacity FROM events WHERE clients_count < 0 OR clients_count > capacity""",
    "a client holds two active appointments in one event": """
        SELECT event_id, client_id, COUNT(*) AS n FROM records
        WHERE deleted = FALSE AND client_id IS NOT NULL
        GROUP BY event_id, client_id HAVING COUNT(*) > 1""",
    "a team member is in two overlapping live events, neither forced": """
        SELECT a.id AS first, b.id AS second, a.staff_id FROM events a
        JOIN events b ON b.staff_id = a.staff_id AND b.id > a.id
        WHERE a.deleted = FALSE AND b.deleted = FALSE AND a.forced = FALSE AND b.forced = FALSE
          AND a.start_ts < b.end_ts AND b.start_ts < a.end_ts""",
    "a resource instance is in two overlapping live events, neither forced": """
        SELECT a.id AS first, b.id AS second, ra.resource_instance_id FROM events a
        JOIN event_resource_instances ra ON ra.event_id = a.id
        JOIN event_resource_instances rb ON rb.resource_instance_id = ra.resource_instance_id AND rb.event_id > a.id
        JOIN events b ON b.id = rb.event_id
        WHERE a.deleted = FALSE AND b.deleted = FALSE AND a.forced = FALSE AND b.forced = FALSE
          AND a.start_ts < b.end_ts AND b.start_ts < a.end_ts""",
    "a deleted event holds an active appointment": """
        SELECT r.id, r.event_id FROM records r JOIN events e ON e.id = r.event_id
        WHERE e.deleted = TRUE AND r.deleted = FALSE""",
    "an appointment is in another location than its event": """
        SELECT r.id, r.location_id, e.location_id AS event_location FROM records r
        JOIN events e ON e.id = r.event_id WHERE r.location_id <> e.location_id""",
    "an event's end is not its start plus its length": """
        SELECT id, start_ts, end_ts, length FROM events WHERE end_ts <> start_ts + length""",
}


def violations(url: str) -> list[str]:
    """Every breach of a rule in the database at `url`, one line each; [] if all hold."""
    found = []
    for rule, sql in RULES.items():
        for row in f.fetch(url, sql):
            found.append(f"{rule}: {dict(row)}")
    return found


def assert_hold(url: str, context: str = "") -> None:
    broken = violations(url)
    assert not broken, f"{context}\n" + "\n".join(broken[:20])


# The workload: small pools of people, rooms and times, so that requests collide often.
LOC = PRAGUE["id"]
STAFF = PRAGUE["staff_ids"][:2]
SERVICE = PRAGUE["group_service_ids"][0]
ROOMS = PRAGUE["resource_instance_ids"][:2]
CLIENTS = 12
Send = Callable[[str, str, Any], tuple[int, Any]]
# Every answer a write may give under contention; anything else (a 500 above all) is a failure.
EXPECTED = {200, 201, 204, 404, 409, 422}


class Workload:
    """Random writes over a few events: create, replace and delete events; book, resize, move
    and cancel appointments. Learns the ids it may aim at from the answers it gets."""

    def __init__(self, send: Send, seed: int) -> None:
        self.send = send
        self.rnd = random.Random(seed)
        self.events: list[int] = []
        self.records: dict[int, int] = {}  # record id -> event id, as last answered

    def _event_body(self) -> dict[str, Any]:
        rnd = self.rnd
        day, hour, minute = rnd.randint(11, 12), rnd.randint(9, 11), rnd.choice([0, 30])
        return {
            "staff_id": rnd.choice(STAFF), "service_id": SERVICE,
            "resource_instance_ids": rnd.sample(ROOMS, rnd.randint(0, 2)), "label_ids": [],
            "date": f"2027-01-{day} {hour:02}:{minute:02}:00", "length": rnd.choice([1800, 3600, 5400]),
            "technical_break_duration": 0, "capacity": rnd.randint(1, 6), "force": rnd.random() < 0.1,
        }

    def _request(self) -> tuple[str, str, Any]:
        rnd = self.rnd
        events = f"/api/v2/locations/{LOC}/events"
        kind = rnd.choices(["create", "replace", "delete", "book", "resize", "move", "cancel"],
                           weights=[3, 2, 1, 6, 2, 2, 2])[0]
        if kind == "create" or not self.events:
            return "POST", events, self._event_body()
        event = rnd.choice(self.events)
        if kind == "replace":
            return "PUT", f"{events}/{event}", self._event_body()
        if kind == "delete":
            return "DELETE", f"{events}/{event}", None
        if kind == "book" or not self.records:
            n = rnd.randrange(CLIENTS)
            client = {"name": f"Client {n}", "phone": f"+42077700{n:04}", "email": "", "surname": "", "gender": 0}
            return "POST", f"{events}/{event}/appointments", {"client": client, "clients_count": rnd.randint(1, 2)}
        record, at = rnd.choice(list(self.records.items()))
        if kind == "resize":
            return "PUT", f"{events}/{at}/appointments/{record}", {"clients_count": rnd.randint(1, 3)}
        if kind == "move":
            return "PATCH", f"{events}/{at}/appointments/{record}", {"reschedule_activity_id": event}
        return "DELETE", f"/api/v2/locations/{LOC}/appointments/{record}", None

    def _learn(self, request: tuple[str, str, Any], status: int, body: Any) -> None:
        method, path, _ = request
        if status not in (200, 201) or not isinstance(body, dict):
            return
        data = body["data"]
        if data["type"] == "activity" and method == "POST":
            self.events.append(int(data["id"]))
        elif data["type"] == "record":
            self.records[int(data["id"])] = data["attributes"]["activity_id"]

    def round(self, size: int) -> list[tuple[tuple[str, str, Any], tuple[int, Any]]]:
        """Fire `size` random writes at once; the requests with their answers."""
        requests = [self._request() for _ in range(size)]
        answers = all_at_once(self.send, requests)
        for request, (status, body) in zip(requests, answers):
            self._learn(request, status, body)
        return list(zip(requests, answers))


def run(send: Send, url: str, rounds: int, size: int = 12, seed: int = 1) -> dict[int, int]:
    """`rounds` rounds of the workload, checking every answer and then every rule after each
    round; how many answers of each status there were."""
    workload = Workload(send, seed)
    statuses: dict[int, int] = {}
    for n in range(rounds):
        for request, (status, body) in workload.round(size):
            assert status in EXPECTED, f"round {n}: {request} answered {status}: {body}"
            statuses[status] = statuses.get(status, 0) + 1
        assert_hold(url, f"after round {n}")
    return statuses
