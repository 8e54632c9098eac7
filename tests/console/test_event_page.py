"""An event's page in the console (behaviour 21.4): what it shows, booking and changing
appointments, editing and deleting the event, and who may do which."""

from __future__ import annotations

import contextlib
import re
from html import unescape
from typing import Any, Iterator

import httpx

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, Api
from tests.console.conftest import OWNER, VIEWER, Browser, console_app
from tests.event_factories import create_event

LOC = PRAGUE["id"]
EVA, TOMAS = PRAGUE["staff_ids"][:2]
YOGA = PRAGUE["group_service_ids"][0]
ROOM_A = PRAGUE["resource_instance_ids"][0]
OUTDOOR = PRAGUE["tag_ids"]["activity"][0]
PAID_ONLINE = PRAGUE["tag_ids"]["record"][0]
JOHN = {"name": "John", "surname": "Smith", "phone": "+13155550175", "email": "john@example.com", "gender": 1}


def page(event_id: int, location_id: int = LOC) -> str:
    return f"/console/locations/{location_id}/events/{event_id}"


def book_via_api(api: Api, event_id: int, client: dict[str, Any] | None = None, seats: int = 1,
                 location_id: int = LOC, **extra: Any) -> int:
    r = api.post(f"/api/v2/locations/{location_id}/events/{event_id}/appointments",
                 json={"client": dict(client or JOHN), "clients_count": seats, **extra})
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


def api_of(b: Browser) -> Api:
    return Api(b.client)


@contextlib.contextmanager
def second_browser(first: Browser) -> Iterator[Browser]:
    """Another browser on the same server: the same client (so the same event loop, which the
    PostgreSQL pool needs) with a cookie jar of its own while it is used."""
    kept = httpx.Cookies(first.client.cookies)
    first.client.cookies.clear()
    try:
        yield first
    finally:
        first.client.cookies = kept


def by_id(html: str, element_id: str) -> str | None:
    """The text of the element with this id (tags inside it dropped), or None."""
    found = re.search(rf'<(\w+)[^>]* id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    return None if found is None else " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(2))).split())


def alerts(html: str) -> list[str]:
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", m)).split())
            for m in re.findall(r'role="alert"[^>]*>(.*?)</p>', html, re.S)]


def state(url: str, event_id: int) -> dict[str, Any]:
    """What a change would touch: the event's row and its appointments' rows."""
    event = f.fetch(url, "SELECT clients_count, capacity, start_ts, length, staff_id, deleted, updated_at "
                         "FROM events WHERE id = $1", event_id)[0]
    rows = f.fetch(url, "SELECT id, clients_count, attendance, deleted, updated_at FROM records "
                        "WHERE event_id = $1 ORDER BY id", event_id)
    return {"event": dict(event, deleted=bool(event["deleted"])),
            "records": [dict(r, deleted=bool(r["deleted"])) for r in rows]}


@pytest.fixture
def event(database_url: str) -> int:
    """Morning yoga with Eva, Monday 11 January 2027 13:00 Prague time, three seats."""
    return f.make_event(database_url, capacity=3)


# --- what the page shows ----------------------------------------------------------------------

def test_the_page_shows_the_event_and_its_appointments(owner: Browser) -> None:
    api = api_of(owner)
    created = create_event(api, date="2027-01-11 09:00:00", capacity=4, resource_instance_ids=[ROOM_A],
                           label_ids=[OUTDOOR], color="#00ff00", comment="Bring a mat")
    event_id = int(created["id"])
    book_via_api(api, event_id, seats=2, labels=[PAID_ONLINE])

    r = owner.get(page(event_id))

    assert r.status_code == 200
    html = r.text
    assert "<title>Morning yoga, 11 Jan 09:00 — Demo Studio Prague · Altegio server console</title>" in html
    assert by_id(html, "seats") == "2/4"
    details = re.search(r'<dl class="details">(.*?)</dl>', html, re.S)
    assert details is not None
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", details.group(1))).split())
    assert text == ("Service Morning yoga Team member Eva Dvorakova "
                    "When Mon 11 Jan 2027 09:00–10:00, then a 20-minute technical break Capacity 4 "
                    "Booked 2/4 seats booked Rooms Room A Labels Outdoor Colour #00ff00 Comment Bring a mat")
    assert "Europe/Prague" in html
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert row is not None
    assert "John Smith" in row.group(1) and "+13155550175" in row.group(1) and "Paid online" in row.group(1)
    assert 'option value="0" selected>Waiting<' in row.group(1)


def test_marks_say_full_past_and_deleted(owner: Browser, database_url: str) -> None:
    full = f.make_event(database_url, capacity=2, clients_count=2)
    past = f.make_event(database_url, start=f.NOW_TS - f.DAY)
    deleted = f.make_event(database_url, deleted=True)

    def pills(event_id: int) -> list[str]:
        return re.findall(r'<span class="pill">(\w+)</span>', owner.get(page(event_id)).text)

    assert pills(full) == ["Full"]
    assert pills(past) == ["Past"]
    assert pills(deleted) == ["Deleted"]


def test_a_past_event_offers_no_booking_but_keeps_attendance(owner: Browser, database_url: str) -> None:
    past = f.make_event(database_url, start=f.NOW_TS - f.DAY)
    f.execute(database_url, "INSERT INTO records (location_id, event_id, client_id, clients_count, created_at, "
                            "updated_at) VALUES ($1, $2, $3, 1, 0, 0)", LOC, past, 1061)
    html = owner.get(page(past)).text
    assert 'aria-label="Book a client"' not in html
    assert "This event has ended" in html
    assert "Save attendance" in html


def test_html_in_a_client_name_is_shown_as_text(owner: Browser, event: int) -> None:
    book_via_api(api_of(owner), event, dict(JOHN, name="<script>alert(1)</script>", surname="<b>x</b>"))
    html = owner.get(page(event)).text
    assert "<script>alert(1)</script>" not in html
    assert "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;" in html


def test_a_notice_is_chosen_by_its_flag_and_never_echoes_the_url(owner: Browser, event: int) -> None:
    assert "The client is booked." in owner.get(page(event) + "?done=booked").text
    html = owner.get(page(event) + "?done=%3Cb%3Ehello").text
    assert "hello" not in html and 'class="notice"' not in html


# --- booking ----------------------------------------------------------------------------------

def test_booking_a_client_changes_the_seats_shown(owner: Browser, database_url: str, event: int) -> None:
    r = owner.submit(page(event), page(event) + "/book", {"phone": "+420 777 000 111", "name": "Petra", "seats": "2"})

    assert r.status_code == 303
    assert r.headers["location"] == page(event) + "?done=booked"
    html = owner.get(r.headers["location"]).text
    assert by_id(html, "seats") == "2/3"
    assert "The client is booked." in html
    assert "Petra" in html and "+420777000111" in html
    rows = f.fetch(database_url, "SELECT r.clients_count, r.booking_user_id, c.name, c.phone FROM records r "
                                 "JOIN clients c ON c.id = r.client_id WHERE r.event_id = $1", event)
    assert rows == [{"clients_count": 2, "booking_user_id": 1, "name": "Petra", "phone": "+420777000111"}]


def test_a_full_event_refuses_with_the_message_next_to_seats(owner: Browser, database_url: str) -> None:
    full = f.make_event(database_url, capacity=1)
    book_via_api(api_of(owner), full)
    before = state(database_url, full)

    r = owner.submit(page(full), page(full) + "/book", {"phone": "+420777000111", "name": "Petra", "seats": "1"})

    assert r.status_code == 422
    assert by_id(r.text, "book-seats-error") == "Not enough free seats in the event: 0 left"
    assert 'role="alert" id="book-seats-error"' in r.text
    assert 'value="+420777000111"' in r.text and 'value="Petra"' in r.text  # what was typed stays
    assert state(database_url, full) == before


def test_the_last_seat_taken_in_another_browser_fails_readably(owner: Browser, database_url: str) -> None:
    last = f.make_event(database_url, capacity=1)
    token = owner.csrf(page(last))  # the first browser has the page open
    with second_browser(owner) as other:
        assert other.sign_in(*OWNER).status_code == 303
        assert other.submit(page(last), page(last) + "/book",
                            {"phone": "+420777000222", "name": "Karel", "seats": "1"}).status_code == 303

    r = owner.post(page(last) + "/book", {"csrf_token": token, "phone": "+420777000111", "name": "Petra",
                                          "seats": "1"})

    assert r.status_code == 422
    assert by_id(r.text, "book-seats-error") == "Not enough free seats in the event: 0 left"
    assert by_id(r.text, "seats") == "1/1"
    assert [x["clients_count"] for x in state(database_url, last)["records"]] == [1]


def test_a_client_booked_already_is_refused_next_to_the_phone(owner: Browser, event: int) -> None:
    book_via_api(api_of(owner), event)
    r = owner.submit(page(event), page(event) + "/book", {"phone": JOHN["phone"], "name": "John", "seats": "1"})
    assert r.status_code == 422
    assert by_id(r.text, "book-phone-error") == "The client already has an appointment in this event"


def test_unreadable_booking_fields_are_named_next_to_each(owner: Browser, database_url: str, event: int) -> None:
    r = owner.submit(page(event), page(event) + "/book", {"phone": "12", "name": " ", "seats": "0"})
    assert r.status_code == 400
    assert by_id(r.text, "book-phone-error") == "Enter a phone of 5 to 20 digits, with + and spaces if you like."
    assert by_id(r.text, "book-name-error") == "Enter the client's name."
    assert by_id(r.text, "book-seats-error") == "Enter a number of seats from 1 to 1000000."
    assert state(database_url, event)["records"] == []


def test_an_ended_event_refuses_a_booking_above_the_form(owner: Browser, database_url: str) -> None:
    past = f.make_event(database_url, start=f.NOW_TS - f.DAY)
    r = owner.submit(page(past), page(past) + "/book", {"phone": "+420777000111", "name": "Petra", "seats": "1"})
    assert r.status_code == 422
    assert "The event has already ended" in alerts(r.text)


def test_booking_a_deleted_event_answers_404_on_its_page(owner: Browser, database_url: str) -> None:
    gone = f.make_event(database_url, deleted=True)
    r = owner.submit(page(gone), page(gone) + "/book", {"phone": "+420777000111", "name": "Petra", "seats": "1"})
    assert r.status_code == 404
    assert "This event has been deleted: it takes no bookings." in alerts(r.text)


# --- changing appointments --------------------------------------------------------------------

def test_changing_seats_changes_the_count(owner: Browser, database_url: str, event: int) -> None:
    record = book_via_api(api_of(owner), event)
    r = owner.submit(page(event), f"{page(event)}/records/{record}/seats", {"seats": "3"})
    assert r.status_code == 303 and r.headers["location"] == page(event) + "?done=seats"
    html = owner.get(r.headers["location"]).text
    assert by_id(html, "seats") == "3/3"
    assert "The seats are changed." in html
    assert f.event_seats(database_url, event) == 3


def test_more_seats_than_free_are_refused_in_the_row(owner: Browser, database_url: str, event: int) -> None:
    record = book_via_api(api_of(owner), event)
    before = state(database_url, event)
    r = owner.submit(page(event), f"{page(event)}/records/{record}/seats", {"seats": "4"})
    assert r.status_code == 422
    assert by_id(r.text, f"seats-seats-{record}-error") == "Not enough free seats in the event: 2 left"
    assert f'id="seats-{record}" name="seats" type="number" min="1" size="4" inputmode="numeric"\n' \
           f'                 value="4"' in r.text
    assert state(database_url, event) == before


def test_marking_attendance_stores_it(owner: Browser, database_url: str, event: int) -> None:
    api = api_of(owner)
    record = book_via_api(api, event)
    r = owner.submit(page(event), f"{page(event)}/records/{record}/attendance", {"attendance": "1"})
    assert r.status_code == 303 and r.headers["location"] == page(event) + "?done=attendance"
    assert 'option value="1" selected>Came<' in owner.get(page(event)).text
    got = api.get(f"/api/v2/locations/{LOC}/appointments/{record}")
    assert got.json()["data"]["attributes"]["attendance_status_slug"] == "attended"


def test_marking_attendance_announces_the_appointment_changed(database_url: str, clock: Any) -> None:
    with console_app(database_url, clock, webhook_delay=3600.0) as client:  # rows stay in the outbox
        owner = Browser(client)
        assert owner.sign_in(*OWNER).status_code == 303
        api = api_of(owner)
        assert api.post(f"/api/v1/hooks_settings/{LOC}", json={"urls": ["http://127.0.0.1:9/"], "active": True,
                                                                "record": True}).status_code == 200
        event_id = f.make_event(database_url)
        record = book_via_api(api, event_id)
        r = owner.submit(page(event_id), f"{page(event_id)}/records/{record}/attendance", {"attendance": "-1"})
        assert r.status_code == 303
    rows = f.fetch(database_url, "SELECT resource, resource_id, status FROM webhook_outbox ORDER BY id")
    assert [(x["resource"], x["resource_id"], x["status"]) for x in rows] == [
        ("record", record, "create"), ("record", record, "update")]
    assert state(database_url, event_id)["records"][0]["attendance"] == -1


@pytest.mark.parametrize("value", ["5", "", "came"])
def test_an_unknown_attendance_is_refused(owner: Browser, database_url: str, event: int, value: str) -> None:
    record = book_via_api(api_of(owner), event)
    before = state(database_url, event)
    r = owner.submit(page(event), f"{page(event)}/records/{record}/attendance", {"attendance": value})
    assert r.status_code == 400
    assert by_id(r.text, f"attendance-attendance-{record}-error") == "Choose an attendance."
    assert state(database_url, event) == before


def test_cancelling_frees_the_seats(owner: Browser, database_url: str, event: int) -> None:
    record = book_via_api(api_of(owner), event, seats=2)
    html = owner.get(page(event)).text
    assert 'aria-label="Cancel the appointment of John Smith">Cancel</button>' in html
    r = owner.submit(page(event), f"{page(event)}/records/{record}/cancel", {})
    assert r.status_code == 303 and r.headers["location"] == page(event) + "?done=cancelled"
    html = owner.get(r.headers["location"]).text
    assert by_id(html, "seats") == "0/3"
    assert "No appointments." in html
    assert state(database_url, event)["records"][0]["deleted"] is True


def test_cancelling_twice_says_the_appointment_is_gone(owner: Browser, database_url: str, event: int) -> None:
    record = book_via_api(api_of(owner), event)
    assert owner.submit(page(event), f"{page(event)}/records/{record}/cancel", {}).status_code == 303
    r = owner.submit(page(event), f"{page(event)}/records/{record}/cancel", {})
    assert r.status_code == 404
    assert by_id(r.text, "seats") == "0/3"


# --- editing and deleting the event -----------------------------------------------------------

def edit_fields(**changes: str) -> dict[str, str]:
    fields = {"date": "2027-01-11 13:00", "length": "60", "capacity": "3", "staff_id": str(EVA),
              "service_id": str(YOGA), "color": "", "comment": ""}
    return fields | changes


def test_the_edit_form_is_filled_with_the_event(owner: Browser, event: int) -> None:
    html = owner.get(page(event) + "/edit").text
    assert 'name="date" type="text" value="2027-01-11 13:00"' in html
    assert 'name="length" type="number" min="5" step="5" inputmode="numeric" value="60"' in html
    assert f'<option value="{EVA}" selected>Eva Dvorakova</option>' in html
    assert "Edit event" in owner.get(page(event)).text


def test_editing_saves_and_keeps_what_the_form_does_not_show(owner: Browser, database_url: str) -> None:
    api = api_of(owner)
    created = create_event(api, date="2027-01-11 09:00:00", label_ids=[OUTDOOR], instructions="Door B",
                           stream_link="https://example.com/live", technical_break_duration=600, length=3600)
    event_id = int(created["id"])
    r = owner.submit(page(event_id) + "/edit", page(event_id) + "/edit",
                     edit_fields(date="2027-01-12 10:30", length="45", capacity="7", staff_id=str(TOMAS),
                                 color="#123ABC", comment="Moved", **{f"room-{ROOM_A}": "1"}))
    assert r.status_code == 303 and r.headers["location"] == page(event_id) + "?done=saved"
    got = api.get(f"/api/v2/locations/{LOC}/events/{event_id}?include=resource_instances,labels").json()
    attributes = got["data"]["attributes"]
    assert (attributes["datetime"], attributes["length"], attributes["capacity"], attributes["staff_id"],
            attributes["color"], attributes["comment"], attributes["instructions"], attributes["stream_link"]) == (
        "2027-01-12 10:30:00", 3300, 7, TOMAS, "#123abc", "Moved", "Door B", "https://example.com/live")
    relations = got["data"]["relationships"]
    assert [x["id"] for x in relations["labels"]["data"]] == [str(OUTDOOR)]
    assert [x["id"] for x in relations["resource_instances"]["data"]] == [str(ROOM_A)]
    assert "The event is saved." in owner.get(r.headers["location"]).text


def test_edit_errors_are_shown_next_to_their_fields(owner: Browser, database_url: str, event: int) -> None:
    before = state(database_url, event)
    r = owner.submit(page(event) + "/edit", page(event) + "/edit",
                     edit_fields(date="11.01.2027", length="7", capacity="0", color="red"))
    assert r.status_code == 400
    assert by_id(r.text, "date-error") == "Enter the date and time as YYYY-MM-DD HH:MM, local time of the location."
    assert by_id(r.text, "length-error") == "Enter the length in minutes, a multiple of 5 up to 1440."
    assert by_id(r.text, "capacity-error") == "Enter a capacity from 1 to 1000000."
    assert by_id(r.text, "color-error") == "Enter a colour as #rrggbb, or leave it empty."
    assert 'value="11.01.2027"' in r.text
    assert state(database_url, event) == before


def test_a_capacity_below_the_seats_booked_is_refused_by_the_rule(owner: Browser, database_url: str,
                                                                  event: int) -> None:
    book_via_api(api_of(owner), event, seats=2)
    r = owner.submit(page(event) + "/edit", page(event) + "/edit", edit_fields(capacity="1"))
    assert r.status_code == 422
    assert by_id(r.text, "capacity-error") == "The capacity cannot be less than the 2 seats already booked"


def test_a_busy_team_member_asks_and_save_anyway_saves(owner: Browser, database_url: str, event: int) -> None:
    f.make_event(database_url, start="2027-01-12 10:00:00")  # Eva teaches then
    before = state(database_url, event)
    fields = edit_fields(date="2027-01-12 10:30")

    r = owner.submit(page(event) + "/edit", page(event) + "/edit", fields)

    assert r.status_code == 409
    assert by_id(r.text, "busy") == ('The team member "Eva Dvorakova" is busy at this time. Change the time, team '
                                     'member or rooms, or save anyway to book them twice at this time.')
    assert '<button type="submit" name="force" value="1"' in r.text and ">Save anyway</button>" in r.text
    assert 'value="2027-01-12 10:30"' in r.text
    assert state(database_url, event) == before

    r = owner.submit(page(event) + "/edit", page(event) + "/edit", fields | {"force": "1"})
    assert r.status_code == 303
    saved = api_of(owner).get(f"/api/v2/locations/{LOC}/events/{event}").json()["data"]["attributes"]
    assert (saved["datetime"], saved["staff_id"]) == ("2027-01-12 10:30:00", EVA)


def test_deleting_asks_then_goes_to_the_week(owner: Browser, database_url: str, event: int) -> None:
    book_via_api(api_of(owner), event, seats=2)
    confirm = owner.get(page(event) + "/delete")
    assert confirm.status_code == 200
    assert "Its 1 active appointment (2 seats) will be cancelled with it." in confirm.text
    r = owner.submit(page(event) + "/delete", page(event) + "/delete", {})
    assert r.status_code == 303
    assert r.headers["location"] == f"/console/locations/{LOC}/week?start=2027-01-11"
    after = state(database_url, event)
    assert after["event"]["deleted"] is True and [x["deleted"] for x in after["records"]] == [True]
    html = owner.get(page(event)).text
    assert "Edit event" not in html and "Delete event" not in html and "Book a client" not in html


# --- who may do what ------------------------------------------------------------------------

def actions(event_id: int, record_id: int, location_id: int = LOC) -> list[tuple[str, dict[str, str]]]:
    """Every change the page offers, with fields that would succeed."""
    base, record = page(event_id, location_id), f"{page(event_id, location_id)}/records/{record_id}"
    return [(f"{base}/book", {"phone": "+420777000111", "name": "Petra", "seats": "1"}),
            (f"{record}/seats", {"seats": "2"}), (f"{record}/attendance", {"attendance": "1"}),
            (f"{record}/cancel", {}), (f"{base}/edit", edit_fields(capacity="5", date="2027-01-13 08:00")),
            (f"{base}/delete", {})]


@pytest.fixture
def booked(owner: Browser, event: int) -> tuple[int, int]:
    return event, book_via_api(api_of(owner), event)


def test_a_read_only_user_sees_no_change_controls_and_is_refused(console: Browser, database_url: str,
                                                                  booked: tuple[int, int]) -> None:
    event_id, record_id = booked
    console.client.cookies.clear()
    assert console.sign_in(*VIEWER).status_code == 303
    html = console.get(page(event_id)).text
    assert "John Smith" in html and by_id(html, "seats") == "1/3"
    assert re.findall(r'<form method="post" action="([^"]*)"', html) == ["/console/logout"]
    for words in ("Book", "Change seats", "Save attendance", "Cancel", "Edit event", "Delete event"):
        assert f">{words}<" not in html
    for path in ("/edit", "/delete"):
        assert console.get(page(event_id) + path).status_code == 403
    before = state(database_url, event_id)
    token = console.csrf(page(event_id))
    for action, fields in actions(event_id, record_id):
        r = console.post(action, {"csrf_token": token, **fields})
        assert r.status_code == 403, action
        assert "Your access to this location is read-only." in r.text
    assert state(database_url, event_id) == before


def test_without_a_session_pages_send_to_sign_in_and_posts_change_nothing(console: Browser, database_url: str,
                                                                           booked: tuple[int, int]) -> None:
    event_id, record_id = booked
    console.client.cookies.clear()
    for path in ("", "/edit", "/delete"):
        r = console.get(page(event_id) + path)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login?next=/console/locations")
    before = state(database_url, event_id)
    for action, fields in actions(event_id, record_id):
        assert console.post(action, fields).status_code == 403, action
    assert state(database_url, event_id) == before


@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_missing_or_wrong_csrf_token_is_refused(owner: Browser, database_url: str, booked: tuple[int, int],
                                                  token: str | None) -> None:
    event_id, record_id = booked
    before = state(database_url, event_id)
    for action, fields in actions(event_id, record_id):
        sent = {**fields, "seen": "1"}  # a form always sends something
        r = owner.post(action, sent if token is None else {"csrf_token": token, **sent})
        assert r.status_code == 403, action
        assert "This form has expired." in r.text
    assert state(database_url, event_id) == before


def test_another_locations_event_is_not_found_anywhere(owner: Browser, database_url: str) -> None:
    ny_event = f.make_event(database_url, location_id=NEW_YORK["id"], staff_id=NEW_YORK["staff_ids"][0],
                            service_id=NEW_YORK["group_service_ids"][0])
    ny_record = book_via_api(api_of(owner), ny_event, location_id=NEW_YORK["id"])
    before = state(database_url, ny_event)
    for path in ("", "/edit", "/delete"):
        assert owner.get(page(ny_event) + path).status_code == 404, path
    token = owner.csrf(page(ny_event, NEW_YORK["id"]))
    for action, fields in actions(ny_event, ny_record):  # New York's ids under Prague's path
        assert owner.post(action, {"csrf_token": token, **fields}).status_code == 404, action
    assert state(database_url, ny_event) == before


def test_an_appointment_of_another_event_is_not_found(owner: Browser, database_url: str,
                                                      booked: tuple[int, int]) -> None:
    event_id, record_id = booked
    other = f.make_event(database_url, start="2027-01-14 09:00:00")
    before = state(database_url, event_id)
    token = owner.csrf(page(other))
    for action, fields in actions(other, record_id)[1:4]:
        r = owner.post(action, {"csrf_token": token, **fields})
        assert r.status_code == 404, action
        assert "This appointment is no longer in this event: it was cancelled or moved." in alerts(r.text)
    assert state(database_url, event_id) == before


def test_an_unknown_event_is_not_found(owner: Browser) -> None:
    assert owner.get(page(999999)).status_code == 404
    assert owner.get(page(2**63)).status_code == 404
