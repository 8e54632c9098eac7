"""Every rule that depends on time follows the sandbox's clock, through HTTP (behaviour 19.2).

Each test shows a behaviour flip when the clock moves, and flip back when it moves back. The
server's own clock stands at the test NOW (2027-01-10 12:00 UTC, 13:00 in Prague).
"""

from __future__ import annotations

from datetime import datetime, timezone

from altegio_server.timezones import iso_offset, local_text
from tests import factories as f
from tests.api.v1.test_auth import INCORRECT, log_in
from tests.api.v1.test_auth_throttle import assert_throttled
from tests.api.v1.test_activity_search import date_range, filter_groups
from tests.api.v1.v1_events import COURT, JAN, PADEL, PILATES, ROOM_A, TOMAS, V1, create
from tests.api.v1.v1_events import path as v1_path
from tests.conftest import DEMO, PRAGUE, error
from tests.event_factories import event_body, events_path
from tests.sandbox.conftest import Sandboxed

LOC, TZ = PRAGUE["id"], PRAGUE["timezone"]
HOUR = 3600
IN_PAST = "The start date of the period cannot be earlier than the current time"
ORDER = "The end date of the period must be later than the start date"
JOHN = {"name": "John", "surname": "Smith", "phone": "+13155550175", "email": "john@example.com", "gender": 1}


def set_clock(sandbox: Sandboxed, at: int) -> None:
    """Stand the sandbox's clock at `at` (Unix seconds)."""
    now = datetime.fromtimestamp(at, tz=timezone.utc).isoformat()
    r = sandbox.control("PUT", "clock", json={"now": now})
    assert (r.status_code, r.json()) == (200, {"now": now, "frozen": True, "offset_seconds": at - f.NOW_TS})


def refused(field: str, message: str) -> tuple[int, dict]:
    return 422, error(message, {field: [message]})


def bad(field: str, message: str) -> tuple[int, dict]:
    return 400, error(message, {field: [message]})


# --- events in the past: the v2 list (4.3) ---------------------------------------------------

def test_the_v2_list_refuses_a_period_the_clock_has_passed_and_takes_it_again_when_it_goes_back(sandbox):
    week = f"{events_path()}?filter[from]=2027-01-11 00:00:00&filter[to]=2027-01-17 23:59:59"
    empty = sandbox.get(week)
    assert empty.status_code == 200
    set_clock(sandbox, f.NOW_TS + 2 * f.DAY)
    r = sandbox.get(week)
    assert (r.status_code, r.json()) == bad("filter[from]", IN_PAST)
    set_clock(sandbox, f.NOW_TS - 30 * f.DAY)  # before the server's own "now": days it calls past are ahead
    r = sandbox.get(f"{events_path()}?filter[from]=2026-12-20 00:00:00&filter[to]=2026-12-27 00:00:00")
    assert (r.status_code, r.json()) == (200, empty.json())
    assert (sandbox.get(week).status_code, sandbox.get(week).json()) == (200, empty.json())


# --- events that have ended: booking (5.1) ---------------------------------------------------

def book(sandbox: Sandboxed, event_id: int, client: dict | None = None):
    body = {"client": client or JOHN, "clients_count": 1}
    return sandbox.post(f"/api/v2/locations/{LOC}/events/{event_id}/appointments", json=body)


def test_booking_is_refused_once_the_clock_passes_the_events_end_and_taken_again_before_it(sandbox, database_url):
    event = f.make_event(database_url, start=f.NOW_TS + f.DAY, length=HOUR, capacity=3)
    set_clock(sandbox, f.NOW_TS + f.DAY + HOUR)  # the very second it ends
    r = book(sandbox, event)
    assert (r.status_code, r.json()) == (422, error("The event has already ended"))
    set_clock(sandbox, f.NOW_TS + f.DAY + HOUR - 1)  # one second before its end: still open
    r = book(sandbox, event)
    assert r.status_code == 201, r.text
    assert r.json()["data"] == f.record_resource(r.json()["data"]["id"], event_id=event,
                                                 client_id=r.json()["data"]["attributes"]["client_id"],
                                                 created=f.NOW_TS + f.DAY + HOUR - 1)


# --- events that have ended or started: moving an appointment (5.3) -------------------------

def move(sandbox: Sandboxed, event_id: int, record_id: str, target: int):
    path = f"/api/v2/companies/{LOC}/activities/{event_id}/records/{record_id}"
    return sandbox.request("PATCH", path, json={"reschedule_activity_id": target})


def test_an_appointment_cannot_leave_an_event_the_clock_has_ended(sandbox, database_url):
    current = f.make_event(database_url, start=f.NOW_TS + f.DAY, length=HOUR)
    target = f.make_event(database_url, start=f.NOW_TS + 3 * f.DAY, length=HOUR)
    record = book(sandbox, current).json()["data"]["id"]
    set_clock(sandbox, f.NOW_TS + f.DAY + HOUR)
    r = move(sandbox, current, record, target)
    assert (r.status_code, r.json()) == refused("reschedule_activity_id", "The appointment's event has already ended")
    set_clock(sandbox, f.NOW_TS + f.DAY + HOUR - 1)
    r = move(sandbox, current, record, target)
    assert r.status_code == 200 and r.json()["data"]["attributes"]["activity_id"] == target


def test_an_appointment_cannot_move_into_an_event_the_clock_has_started(sandbox, database_url):
    current = f.make_event(database_url, start=f.NOW_TS + 3 * f.DAY, length=HOUR)
    target = f.make_event(database_url, start=f.NOW_TS + f.DAY, length=HOUR)
    record = book(sandbox, current).json()["data"]["id"]
    set_clock(sandbox, f.NOW_TS + f.DAY)
    r = move(sandbox, current, record, target)
    assert (r.status_code, r.json()) == refused("reschedule_activity_id", "The event to move to has already started")
    set_clock(sandbox, f.NOW_TS + f.DAY - 1)
    r = move(sandbox, current, record, target)
    assert r.status_code == 200 and r.json()["data"]["attributes"]["activity_id"] == target


# --- the v1 search window (7.2) --------------------------------------------------------------

def v1_events(sandbox: Sandboxed) -> V1:
    """Events of the Prague location on 2027-01-10 (today), 01-12 (Tomas, Pilates) and 01-20
    (Jan, Padel, the court), and the v1 client."""
    v1 = V1(sandbox)
    create(v1, date="2027-01-10 09:00", resource_instance_ids=[ROOM_A])
    create(v1, date="2027-01-12 09:00", staff_id=TOMAS, service_id=PILATES)
    create(v1, date="2027-01-20 09:00", staff_id=JAN, service_id=PADEL, resource_instance_ids=[COURT])
    return v1


def test_search_dates_range_starts_at_the_clocks_today(sandbox):
    v1 = v1_events(sandbox)

    def span():
        r = v1.get(v1_path(tail="search_dates_range"))
        assert r.status_code == 200
        return r.json()

    assert span() == date_range("2027-01-10", "2027-01-20")
    sandbox.control("POST", "clock/advance", json={"seconds": 2 * f.DAY})
    assert span() == date_range("2027-01-12", "2027-01-20")
    set_clock(sandbox, f.NOW_TS + 11 * f.DAY)  # 2027-01-21: nothing is ahead
    assert span() == date_range("", "")
    set_clock(sandbox, f.NOW_TS - 5 * f.DAY)
    assert span() == date_range("2027-01-10", "2027-01-20")


def test_filters_without_dates_look_from_the_clocks_today(sandbox):
    v1 = v1_events(sandbox)

    def filters(query: str = ""):
        return v1.get(v1_path(tail="filters") + "?" + query)

    r = filters()
    assert (r.status_code, r.json()) == (200, filter_groups((False, False, False), (False, False, False),
                                                            (False, False), False))
    set_clock(sandbox, f.NOW_TS + 5 * f.DAY)  # 2027-01-15: only Jan's padel is ahead
    assert filters().json() == filter_groups((True, True, False), (True, True, False), (True, False), False)
    set_clock(sandbox, f.NOW_TS + 11 * f.DAY)
    assert filters().json() == filter_groups((True,) * 3, (True,) * 3, (True,) * 2, True)


def test_a_filters_till_before_the_clocks_today_is_400(sandbox):
    v1 = V1(sandbox)
    query = v1_path(tail="filters") + "?till=2027-01-11"
    assert v1.get(query).status_code == 200
    sandbox.control("POST", "clock/advance", json={"seconds": 2 * f.DAY})
    r = v1.get(query)
    assert (r.status_code, r.json()) == bad("till", ORDER)
    sandbox.control("POST", "clock/advance", json={"seconds": -2 * f.DAY})
    assert v1.get(query).status_code == 200


def test_a_v1_search_and_its_dates_cover_the_past_whatever_the_clock_says(sandbox):
    v1 = v1_events(sandbox)
    week = "?from=2027-01-09&till=2027-01-20"
    search, dates = v1.get(v1_path(tail="search") + week), v1.get(v1_path(tail="search_dates") + week)
    assert [len(search.json()["data"]), dates.json()["data"]] == [3, ["2027-01-10", "2027-01-12", "2027-01-20"]]
    set_clock(sandbox, f.NOW_TS + 365 * f.DAY)
    assert v1.get(v1_path(tail="search") + week).json() == search.json()
    assert v1.get(v1_path(tail="search_dates") + week).json() == dates.json()


# --- created_at and updated_at ---------------------------------------------------------------

def test_an_events_created_at_and_updated_at_are_the_clocks(sandbox):
    set_clock(sandbox, f.NOW_TS - 3 * f.DAY)
    created = sandbox.post(events_path(), json=event_body()).json()["data"]
    attributes = created["attributes"]
    assert (attributes["created_at"], attributes["updated_at"]) == (iso_offset(f.NOW_TS - 3 * f.DAY, TZ),) * 2
    sandbox.control("POST", "clock/advance", json={"seconds": HOUR + 7})
    r = sandbox.put(events_path(event_id=created["id"]), json=event_body(comment="moved on"))
    changed = {**attributes, "comment": "moved on", "description": "moved on",
               "updated_at": iso_offset(f.NOW_TS - 3 * f.DAY + HOUR + 7, TZ)}
    assert (r.status_code, r.json()["data"]) == (200, {**created, "attributes": changed})
    assert sandbox.get(events_path(event_id=created["id"])).json()["data"] == {**created, "attributes": changed}


def test_an_appointments_booking_change_and_cancellation_are_the_clocks(sandbox, database_url):
    event = f.make_event(database_url, start=f.NOW_TS + 10 * f.DAY, length=HOUR)
    booked_at, changed_at = f.NOW_TS + 2 * f.DAY + 125, f.NOW_TS + 3 * f.DAY + 300
    set_clock(sandbox, booked_at)
    data = book(sandbox, event).json()["data"]
    record_id, client_id = data["id"], data["attributes"]["client_id"]
    assert data == f.record_resource(record_id, event_id=event, client_id=client_id, start=f.NOW_TS + 10 * f.DAY,
                                     created=booked_at)
    v1_record = sandbox.get(f"/api/v1/record/{LOC}/{record_id}", accept="application/json").json()["data"]
    stamp = {"create_date": _v1_time(booked_at), "last_change_date": _v1_time(booked_at)}
    assert {k: v1_record[k] for k in stamp} == stamp
    set_clock(sandbox, changed_at)
    r = sandbox.put(f"/api/v2/locations/{LOC}/events/{event}/appointments/{record_id}", json={"comment": "late"})
    assert r.status_code == 200, r.text
    r = sandbox.get(f"/api/v1/record/{LOC}/{record_id}", accept="application/json")
    assert r.json()["data"] == {**v1_record, "comment": "late", "last_change_date": _v1_time(changed_at)}
    r = sandbox.get(f"/api/v2/locations/{LOC}/appointments/{record_id}")
    assert r.json()["data"] == {**data, "attributes": {**data["attributes"], "comment": "late"}}
    sandbox.control("POST", "clock/advance", json={"seconds": 61})
    assert sandbox.delete(f"/api/v2/locations/{LOC}/appointments/{record_id}").status_code == 204
    r = sandbox.get(f"/api/v1/record/{LOC}/{record_id}", accept="application/json")
    assert r.json()["data"] == {**v1_record, "comment": "late", "deleted": True,
                                "last_change_date": _v1_time(changed_at + 61)}


def test_a_clients_last_change_is_the_clocks(sandbox, database_url):
    first, second = f.NOW_TS + 4 * f.DAY, f.NOW_TS + 6 * f.DAY + 59
    one = f.make_event(database_url, start=f.NOW_TS + 10 * f.DAY)
    other = f.make_event(database_url, start=f.NOW_TS + 11 * f.DAY)
    set_clock(sandbox, first)
    client_id = book(sandbox, one).json()["data"]["attributes"]["client_id"]
    r = sandbox.get(f"/api/v1/client/{LOC}/{client_id}", accept="application/json")
    client = r.json()["data"]
    assert client["last_change_date"] == _v1_time(first)
    set_clock(sandbox, second)
    assert book(sandbox, other, {**JOHN, "email": "john@new.example"}).status_code == 201
    r = sandbox.get(f"/api/v1/client/{LOC}/{client_id}", accept="application/json")
    assert r.json()["data"] == {**client, "email": "john@new.example", "last_change_date": _v1_time(second)}


def _v1_time(ts: int) -> str:
    """A v1 `create_date` or `last_change_date`: local, offset without a colon (Prague in winter)."""
    return local_text(ts, TZ).replace(" ", "T") + "+0100"


# --- token ages ------------------------------------------------------------------------------

def test_a_v1_login_token_is_issued_at_the_clocks_time(sandbox, database_url):
    issued_at = f.NOW_TS + 40 * f.DAY + 17
    set_clock(sandbox, issued_at)
    user = DEMO["user"]
    r = sandbox.post("/api/v1/auth", json={"login": user["login"], "password": user["password"]},
                     auth=f"Bearer {DEMO['partner_token']}", accept="application/json")
    assert r.status_code == 201, r.text
    rows = f.fetch(database_url, "SELECT user_id, created_at FROM user_tokens ORDER BY id")
    assert [dict(row) for row in rows] == [{"user_id": user["id"], "created_at": issued_at}]
    sandbox.control("DELETE", "clock")
    token = r.json()["data"]["user_token"]
    r = sandbox.get("/api/v2/locations/101/tags", auth=f"Bearer {DEMO['partner_token']}, User {token}")
    assert r.status_code == 200  # no token expires: one issued "in the future" works now (behaviour 19.2)


# --- what guards the server keeps real time --------------------------------------------------

def test_the_login_limit_keeps_real_time_when_the_clock_moves(sandbox):
    for _ in range(10):  # ALTEGIO_LOGIN_ATTEMPTS' default, in its window of 60 real seconds
        r = log_in(sandbox, "owner@demo.example", "wrong-password")
        assert (r.status_code, r.json()) == (401, INCORRECT)
    assert_throttled(log_in(sandbox, "owner@demo.example"), 60)
    sandbox.control("POST", "clock/advance", json={"seconds": 2 * HOUR})
    assert_throttled(log_in(sandbox, "owner@demo.example"), 60)
