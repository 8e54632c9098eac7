"""Seat races against one in-process server, driven from many threads, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.concurrency import scenarios


@pytest.fixture
def send(api) -> scenarios.Send:
    def send(method: str, path: str, body: Any, auth: str | None = None) -> tuple[int, Any]:
        r = api.request(method, path, json=body, **({"auth": auth} if auth else {}))
        return r.status_code, (r.json() if r.content else None)

    return send


def test_exactly_the_free_seats_are_sold_to_racing_clients(send, database_url):
    scenarios.race_for_the_last_seats(send, database_url)


def test_online_and_v2_bookings_racing_for_the_last_seats_sell_exactly_those(send, database_url):
    scenarios.race_of_online_and_v2_bookings_for_the_last_seats(send, database_url)


def test_one_phone_booked_online_and_through_v2_at_once_gets_one_appointment(send, database_url):
    scenarios.race_of_one_phone_booked_online_and_through_v2(send, database_url)


def test_one_client_racing_itself_gets_one_appointment(send, database_url):
    scenarios.race_of_one_client_against_itself(send, database_url)


def test_one_client_booked_every_way_at_once_gets_one_appointment(send, database_url):
    scenarios.race_of_one_client_booked_every_way(send, database_url)


def test_appointments_racing_for_more_seats_never_oversell(send, database_url):
    scenarios.race_for_more_seats(send, database_url)


def test_reschedules_crossing_between_two_full_events_neither_deadlock_nor_oversell(send, database_url):
    scenarios.crossing_reschedules(send, database_url)


def test_mixed_traffic_keeps_every_seat_count_true(send, database_url):
    scenarios.mixed_traffic(send, database_url)


def test_one_new_phone_created_and_booked_at_once_makes_one_client(send, database_url):
    scenarios.race_to_create_one_new_client(send, database_url)
