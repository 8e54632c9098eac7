"""Seat races across server processes: the real CLI server, started twice over one database
(on PostgreSQL the first one also runs two worker processes), driven over real HTTP.

Nothing in one process can know what the other is doing, so only the database can keep the
rules here. SQLite runs it too: its writers queue on the file lock across processes.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from tests.concurrency import scenarios
from tests.conftest import AUTH, V2
from tests.live_server import LiveServer


@pytest.fixture
def send(servers: list[LiveServer]) -> scenarios.Send:
    """Each request goes to the next server in turn, on a connection of its own."""
    turns = itertools.cycle(servers)
    headers = {"Authorization": AUTH, "Accept": V2}

    def send(method: str, path: str, body: Any, auth: str | None = None) -> tuple[int, Any]:
        server = next(turns)
        r = httpx.request(method, server.url + path, json=body, timeout=60,
                          headers=dict(headers, Authorization=auth) if auth else headers)
        return r.status_code, (r.json() if r.content else None)

    return send


def test_exactly_the_free_seats_are_sold_across_server_processes(send, database_url):
    scenarios.race_for_the_last_seats(send, database_url)


def test_online_and_v2_bookings_racing_across_server_processes_sell_exactly_the_free_seats(send, database_url):
    scenarios.race_of_online_and_v2_bookings_for_the_last_seats(send, database_url)


def test_one_phone_booked_online_and_through_v2_across_server_processes_gets_one_appointment(send, database_url):
    scenarios.race_of_one_phone_booked_online_and_through_v2(send, database_url)


def test_one_client_racing_itself_across_server_processes_gets_one_appointment(send, database_url):
    scenarios.race_of_one_client_against_itself(send, database_url)


def test_one_client_booked_every_way_across_server_processes_gets_one_appointment(send, database_url):
    scenarios.race_of_one_client_booked_every_way(send, database_url)


def test_appointments_racing_for_more_seats_across_server_processes_never_oversell(send, database_url):
    scenarios.race_for_more_seats(send, database_url)


def test_crossing_reschedules_across_server_processes_neither_deadlock_nor_oversell(send, database_url):
    scenarios.crossing_reschedules(send, database_url)


def test_mixed_traffic_across_server_processes_keeps_every_seat_count_true(send, database_url):
    scenarios.mixed_traffic(send, database_url)


def test_one_new_phone_created_and_booked_across_server_processes_makes_one_client(send, database_url):
    scenarios.race_to_create_one_new_client(send, database_url)
