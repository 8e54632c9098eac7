"""Races for seats, played against any server: one in-process app driven from threads, or
several server processes over one database driven over real HTTP.

Each scenario fires its requests at once (a barrier releases every thread together), then
checks the answers and the database: exactly the seats there were are sold, every loser
got a clean 422, nothing answered 500, and each event's stored `clients_count` equals the
seats of its active appointments.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from tests import factories as f
from tests.conftest import DEMO, PRAGUE, error

LOC = PRAGUE["id"]
# send(method, path, json[, authorization]) -> (status, body or None); several threads call it
# at once. Without an authorization it sends the demo's partner and user tokens.
Send = Callable[..., tuple[int, Any]]
Request = tuple[Any, ...]  # method, path, json[, authorization]
TIMEOUT = 120
PARTNER_ONLY = f"Bearer {DEMO['partner_token']}"


def all_at_once(send: Send, requests: list[Request]) -> list[tuple[int, Any]]:
    """Send every request from a thread of its own, all released together; answers in order."""
    barrier = threading.Barrier(len(requests))

    def one(request: Request) -> tuple[int, Any]:
        barrier.wait(timeout=TIMEOUT)
        return send(*request)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(one, r) for r in requests]
        return [fut.result(timeout=TIMEOUT) for fut in futures]


def client(n: int) -> dict[str, Any]:
    return {"name": f"Racer {n}", "phone": f"+4207770{n:05d}", "email": "", "surname": "", "gender": 0}


def booking(event_id: int, n: int, seats: int = 1) -> tuple[str, str, Any]:
    return ("POST", f"/api/v2/locations/{LOC}/events/{event_id}/appointments",
            {"client": client(n), "clients_count": seats})


def online_booking(event_id: int, n: int, seats: int = 1) -> Request:
    """The public online booking (behaviour 18), with the partner token alone."""
    body = {"fullname": f"Racer {n}", "phone": client(n)["phone"], "clients_count": seats}
    return ("POST", f"/api/v1/activity/{LOC}/{event_id}/book", body, PARTNER_ONLY)


def seats_taken(left: int) -> dict[str, Any]:
    """Online booking's numbered refusal of seats that are not free."""
    message = f"Not enough free seats in the event: {left} left"
    numbered = {"code": 433, "message": message}
    return {"success": False, "data": None, "meta": {"message": message, "errors": [numbered]}, "errors": numbered}


def move(record: dict[str, Any], target: int, seats: int | None = None) -> tuple[str, str, Any]:
    body: dict[str, Any] = {"reschedule_activity_id": target}
    if seats is not None:
        body["clients_count"] = seats
    return ("PATCH", f"/api/v2/companies/{LOC}/activities/{record['event']}/records/{record['id']}", body)


def book_sequentially(send: Send, event_id: int, first: int, count: int, seats: int = 1) -> list[dict[str, Any]]:
    booked = []
    for n in range(first, first + count):
        status, body = send(*booking(event_id, n, seats))
        assert status == 201, body
        booked.append({"id": int(body["data"]["id"]), "event": event_id, "seats": seats})
    return booked


def seat_error(message: str, field: str) -> dict[str, Any]:
    return error(message, {field: [message]})


def assert_counts_true(url: str, *event_ids: int) -> None:
    for event_id in event_ids:
        stored, held = f.event_seats(url, event_id), f.active_seats(url, event_id)
        assert stored == held, f"event {event_id} stores {stored} booked seats but its appointments hold {held}"


def race_for_the_last_seats(send: Send, url: str, racers: int = 24) -> None:
    """Two of five seats are taken; `racers` new clients want one each: three win."""
    event = f.make_event(url, capacity=5)
    book_sequentially(send, event, 0, 2)
    answers = all_at_once(send, [booking(event, 100 + n) for n in range(racers)])
    assert sorted(status for status, _ in answers) == [201] * 3 + [422] * (racers - 3), answers
    losers = [body for status, body in answers if status == 422]
    assert all(body == seat_error("Not enough free seats in the event: 0 left", "clients_count") for body in losers)
    assert f.event_seats(url, event) == 5
    assert_counts_true(url, event)
    assert f.count_rows(url, "records") == 5


def race_of_online_and_v2_bookings_for_the_last_seats(send: Send, url: str, racers: int = 24) -> None:
    """Two of five seats are taken; `racers` new clients want one each, half through online
    booking, half through v2: three win, and each loser hears it in its own API's words."""
    event = f.make_event(url, capacity=5)
    book_sequentially(send, event, 0, 2)
    requests = [(online_booking if n % 2 else booking)(event, 100 + n) for n in range(racers)]
    answers = all_at_once(send, requests)
    assert sum(status in (200, 201) for status, _ in answers) == 3, answers
    for n, (status, body) in enumerate(answers):
        online = n % 2 == 1
        if status in (200, 201):
            assert status == (200 if online else 201), (n, status, body)
        elif online:
            assert (status, body) == (422, seats_taken(0)), (n, status, body)
        else:
            assert (status, body) == (422, seat_error("Not enough free seats in the event: 0 left", "clients_count"))
    assert f.event_seats(url, event) == 5
    assert_counts_true(url, event)
    assert f.count_rows(url, "records") == 5


def race_of_one_phone_booked_online_and_through_v2(send: Send, url: str, copies: int = 12) -> None:
    """One new phone books one event many times at once, online and through v2: one
    appointment, one client; the losers are told in their own API's field."""
    event = f.make_event(url, capacity=50)
    answers = all_at_once(send, [(online_booking if n % 2 else booking)(event, 7) for n in range(copies)])
    statuses = [status for status, _ in answers]
    assert statuses.count(422) == copies - 1 and statuses.count(200) + statuses.count(201) == 1, answers
    message = "The client already has an appointment in this event"
    for n, (status, body) in enumerate(answers):
        if status == 422:
            assert body == seat_error(message, "phone" if n % 2 else "client"), (n, body)
    assert len(f.clients_with_phone(url, LOC, client(7)["phone"])) == 1
    assert f.event_seats(url, event) == 1
    assert_counts_true(url, event)


def race_of_one_client_against_itself(send: Send, url: str, copies: int = 12) -> None:
    """One new client (one phone) books one event many times at once: one appointment, one client."""
    event = f.make_event(url, capacity=50)
    answers = all_at_once(send, [booking(event, 7)] * copies)
    assert sorted(status for status, _ in answers) == [201] + [422] * (copies - 1), answers
    assert all(body == seat_error("The client already has an appointment in this event", "client")
               for status, body in answers if status == 422)
    assert len(f.clients_with_phone(url, LOC, client(7)["phone"])) == 1
    assert f.event_seats(url, event) == 1
    assert_counts_true(url, event)


def race_of_one_client_booked_every_way(send: Send, url: str, copies: int = 12) -> None:
    """A known client books one event many times at once, by phone, by id and with labels (which
    book through different statements): one appointment, no deadlock."""
    event = f.make_event(url, capacity=50)
    anna = {"name": "Anna", "surname": "Novak", "phone": "+420601000001", "email": "", "gender": 2}
    path = f"/api/v2/locations/{LOC}/events/{event}/appointments"
    bodies = [{"client": anna, "clients_count": 1},
              {"client": dict(anna, id=1061), "clients_count": 1},
              {"client": anna, "clients_count": 1, "labels": PRAGUE["tag_ids"]["record"][:1]}]
    answers = all_at_once(send, [("POST", path, bodies[n % len(bodies)]) for n in range(copies)])
    assert sorted(status for status, _ in answers) == [201] + [422] * (copies - 1), answers
    assert all(body == seat_error("The client already has an appointment in this event", "client")
               for status, body in answers if status == 422)
    assert f.event_seats(url, event) == 1
    assert_counts_true(url, event)


def race_for_more_seats(send: Send, url: str) -> None:
    """Three appointments of one seat each all ask for three seats with three seats free: one gets them."""
    event = f.make_event(url, capacity=6)
    booked = book_sequentially(send, event, 0, 3)
    requests = [("PUT", f"/api/v2/locations/{LOC}/events/{event}/appointments/{b['id']}", {"clients_count": 3})
                for b in booked]
    answers = all_at_once(send, requests)
    assert sorted(status for status, _ in answers) == [200, 422, 422], answers
    assert all(body == seat_error("Not enough free seats in the event: 1 left", "clients_count")
               for status, body in answers if status == 422)
    assert f.event_seats(url, event) == 5
    assert_counts_true(url, event)


def crossing_reschedules(send: Send, url: str, rounds: int = 3) -> None:
    """Two nearly full events swap appointments in both directions at once, several rounds:
    no request deadlocks or fails with 500, no event is oversold, no seat is lost."""
    first, second = f.make_event(url, capacity=4), f.make_event(url, capacity=4, start=f.NOW_TS + 2 * f.DAY)
    booked = book_sequentially(send, first, 0, 3) + book_sequentially(send, second, 3, 3)
    refusals = [seat_error(f"Not enough free seats in the event to move to: {n} left", "reschedule_activity_id")
                for n in range(2)]
    moved = 0
    for _ in range(rounds):
        answers = all_at_once(send, [move(b, second if b["event"] == first else first) for b in booked])
        for b, (status, body) in zip(booked, answers):
            assert status in (200, 422), (status, body)
            if status == 200:
                b["event"] = body["data"]["attributes"]["activity_id"]
                moved += 1
            else:
                assert body in refusals, body
        assert_counts_true(url, first, second)
        assert f.event_seats(url, first) + f.event_seats(url, second) == 6
        assert max(f.event_seats(url, first), f.event_seats(url, second)) <= 4
    assert moved > 0


def mixed_traffic(send: Send, url: str, operations: int = 60, seed: int = 7) -> None:
    """Bookings, resizes, moves and cancellations over three small events, all at once."""
    rnd = random.Random(seed)
    events = [f.make_event(url, capacity=4, start=f.NOW_TS + (d + 1) * f.DAY) for d in range(3)]
    booked = book_sequentially(send, events[0], 0, 2) + book_sequentially(send, events[1], 2, 2)
    requests = []
    for _ in range(operations):
        kind = rnd.choice(["book", "online", "resize", "move", "cancel"])
        b = rnd.choice(booked)
        if kind in ("book", "online"):
            book = booking if kind == "book" else online_booking
            requests.append(book(rnd.choice(events), 50 + rnd.randrange(20), rnd.randint(1, 2)))
        elif kind == "resize":
            requests.append(("PUT", f"/api/v2/locations/{LOC}/events/{b['event']}/appointments/{b['id']}",
                             {"clients_count": rnd.randint(1, 3)}))
        elif kind == "move":
            requests.append(move(b, rnd.choice([e for e in events if e != b["event"]])))
        else:
            requests.append(("DELETE", f"/api/v2/locations/{LOC}/appointments/{b['id']}", None))
    answers = all_at_once(send, requests)
    assert all(status in (200, 201, 204, 404, 422) for status, _ in answers), answers
    assert_counts_true(url, *events)
    assert all(f.event_seats(url, e) <= 4 for e in events)


def race_to_create_one_new_client(send: Send, url: str, copies: int = 6) -> None:
    """One new phone, spelled several ways, created and booked by many requests at once: one
    client; at most one create wins, the other creates get a clean 422, every booking books
    that client (behaviour 16.7)."""
    spellings = ["+420 777 123 456", "420777123456", "+420-777-123-456", "(420) 777.123.456"]
    events = [f.make_event(url, capacity=5) for _ in range(copies)]
    creates = [("POST", f"/api/v1/clients/{LOC}", {"name": f"Creator {n}", "phone": spellings[n % 4]})
               for n in range(copies)]
    bookings = [("POST", f"/api/v2/locations/{LOC}/events/{e}/appointments",
                 {"client": {**client(0), "phone": spellings[n % 4]}, "clients_count": 1})
                for n, e in enumerate(events)]
    answers = all_at_once(send, [r for pair in zip(creates, bookings) for r in pair])
    created, booked = answers[0::2], answers[1::2]
    ids = f.clients_with_phone(url, LOC, "+420777123456")
    assert len(ids) == 1, ids
    assert all(status == 201 for status, _ in booked), booked
    assert {body["data"]["attributes"]["client_id"] for _, body in booked} == set(ids)
    winners = [body for status, body in created if status == 201]
    assert len(winners) <= 1 and all(body["data"]["id"] == ids[0] for body in winners), created
    taken = "Another client of this location has this phone number"
    assert all(body == seat_error(taken, "phone") for status, body in created if status != 201), created
