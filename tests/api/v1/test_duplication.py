"""v1 series of group events (behaviour 17): duplication strategies and copying an event to
many dates, all or nothing, with the busy rules and the seat guard on every copy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.v1.v1_events import EVA, ROOM_A, TOMAS, V1, create, one, path, staff, v1_event
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error
from tests.event_factories import activity, book_seats, events_path, run_sql

DAY = 86400
ACCEPTED = {"success": True, "data": None, "meta": {"message": "Accepted"}}
MISSING = "This field is missing."
HOW = "Give dates, duplication_strategy_id or repeat_mode_id"
WEEKLY = {"title": "Mondays and Thursdays", "repeat_mode_id": 5, "days": [1, 4], "interval": 0}


@pytest.fixture
def v1(api) -> V1:
    return V1(api)


def strategies(location: dict[str, Any] = PRAGUE, strategy_id: Any = None) -> str:
    return path(location, "duplication_strategy" if strategy_id is None else f"duplication_strategy/{strategy_id}")


def duplicate(event_id: int, location: dict[str, Any] = PRAGUE) -> str:
    return path(location, f"{event_id}/duplicate")


def strategy(strategy_id: int, location: dict[str, Any] = PRAGUE, **changes: Any) -> dict[str, Any]:
    """The whole strategy object expected for WEEKLY with `changes`."""
    expected = {"id": strategy_id, "company_id": location["id"], "title": "Mondays and Thursdays",
                "repeat_mode_id": 5, "repeat_mode": {"id": 5, "title": "Every week"}, "days": [1, 4],
                "interval": 0, "content_type": 1}
    expected.update(changes)
    return expected


def copy_of(event_id: int, days_later: int, **changes: Any) -> dict[str, Any]:
    """A copy of the default v1 event (Friday 2027-01-15 09:00 in Prague) `days_later` days on."""
    day = 15 + days_later
    moved = {"date": f"2027-01-{day:02}T09:00:00.000+01:00", "timestamp": 1800000000 + days_later * DAY}
    event = v1_event(event_id, **{**moved, **changes})
    return {**event, "master_id": event["staff_id"], "master": event["staff"]}


def invalid(errors: dict[str, list[str]]) -> dict:
    return error(next(iter(errors.values()))[0], errors)


def event_count(database_url: str) -> int:
    return run_sql(database_url, "SELECT COUNT(*) AS n FROM events")[0]["n"]


# Duplication strategies

def test_a_strategy_is_created_listed_replaced_and_deleted_with_whole_bodies(v1):
    created = v1.post(strategies(), json=WEEKLY)
    assert created.status_code == 200
    strategy_id = created.json()["data"]["id"]
    assert created.json() == one(strategy(strategy_id))
    listed = v1.get(strategies())
    assert listed.status_code == 200 and listed.json() == one([strategy(strategy_id)], {"count": 1})
    changed = v1.post(strategies(strategy_id=strategy_id),
                      json={"title": "Every other day", "repeat_mode_id": 1, "interval": 1, "content_type": 2})
    assert changed.status_code == 200
    assert changed.json() == one(strategy(strategy_id, title="Every other day", repeat_mode_id=1, days=[],
                                          repeat_mode={"id": 1, "title": "Daily"}, interval=1, content_type=2))
    deleted = v1.delete(strategies(strategy_id=strategy_id))
    assert deleted.status_code == 202 and deleted.json() == ACCEPTED
    assert v1.get(strategies()).json() == one([], {"count": 0})
    gone = v1.delete(strategies(strategy_id=strategy_id))
    assert gone.status_code == 404 and gone.json() == error("Not found")


def test_strategies_belong_to_their_location_and_another_locations_id_is_not_found(v1):
    theirs = v1.post(strategies(NEW_YORK), json=WEEKLY).json()["data"]["id"]
    assert v1.get(strategies()).json() == one([], {"count": 0})
    for r in (v1.post(strategies(strategy_id=theirs), json=WEEKLY), v1.delete(strategies(strategy_id=theirs))):
        assert r.status_code == 404 and r.json() == error("Not found")
    event = create(v1)
    r = v1.post(duplicate(event["id"]), json={"duplication_strategy_id": theirs, "from": "2027-01-16", "count": 2})
    assert r.status_code == 404 and r.json() == error("Not found")
    assert v1.get(strategies(NEW_YORK)).json() == one([strategy(theirs, NEW_YORK)], {"count": 1})


def test_a_strategy_body_that_breaks_the_rules_gets_422_and_changes_nothing(v1):
    r = v1.post(strategies(), json={"days": [7], "interval": -1, "content_type": 3})
    assert r.status_code == 422
    assert r.json() == invalid({"title": [MISSING], "repeat_mode_id": [MISSING],
                                "days.0": ["This value should be between 0 and 6."],
                                "interval": ["This value should be between 0 and 365."],
                                "content_type": ["This value should be between 1 and 2."]})
    r = v1.post(strategies(), json={"title": "", "repeat_mode_id": 8})
    assert r.status_code == 422 and r.json() == invalid({"title": ["This value should not be blank."],
                                                         "repeat_mode_id": ["This value should be between 1 and 7."]})
    assert v1.get(strategies()).json() == one([], {"count": 0})


def test_a_read_only_user_lists_strategies_but_gets_403_on_every_write(v1):
    strategy_id = v1.post(strategies(), json=WEEKLY).json()["data"]["id"]
    event = create(v1)
    assert v1.get(strategies(), auth=READONLY_AUTH).status_code == 200
    writes = [("POST", strategies(), WEEKLY), ("POST", strategies(strategy_id=strategy_id), WEEKLY),
              ("DELETE", strategies(strategy_id=strategy_id), None),
              ("POST", duplicate(event["id"]), {"dates": ["2027-01-16T09:00:00"], "content_type": 1})]
    for method, url, body in writes:
        r = v1.request(method, url, json=body, auth=READONLY_AUTH)
        assert r.status_code == 403 and r.json() == error("Access denied."), (method, url)
    assert v1.get(strategies()).json() == one([strategy(strategy_id)], {"count": 1})


# Duplicating an event

def test_duplicating_by_dates_answers_every_copy_whole_by_start(v1, database_url):
    event = create(v1, resource_instance_ids=[ROOM_A])
    r = v1.post(duplicate(event["id"]), json={"dates": ["2027-01-22T09:00:00", "2027-01-16 09:00"],
                                              "content_type": 1})
    assert r.status_code == 200
    first, second = (c["id"] for c in r.json()["data"])
    assert r.json() == one([copy_of(first, 1, resource_instance_ids=[ROOM_A]),
                            copy_of(second, 7, resource_instance_ids=[ROOM_A])], {"count": 2})
    assert v1.get(path(tail=first)).json()["data"] == v1_event(first, date="2027-01-16T09:00:00.000+01:00",
                                                               timestamp=1800000000 + DAY,
                                                               resource_instance_ids=[ROOM_A])
    assert event_count(database_url) == 3


def test_duplicating_by_a_strategy_follows_its_weekdays_and_leaves_the_event_itself_out(v1):
    strategy_id = v1.post(strategies(), json=WEEKLY).json()["data"]["id"]
    event = create(v1, date="2027-01-18 09:00")  # a Monday
    r = v1.post(duplicate(event["id"]), json={"duplication_strategy_id": strategy_id, "from": "2027-01-18",
                                              "till": "2027-01-28"})
    assert r.status_code == 200
    ids = [c["id"] for c in r.json()["data"]]
    assert r.json() == one([copy_of(ids[0], 6), copy_of(ids[1], 10), copy_of(ids[2], 13)], {"count": 3})


def test_duplicating_by_a_rule_given_whole_takes_its_hours_and_count(v1):
    event = create(v1)
    r = v1.post(duplicate(event["id"]), json={"repeat_mode_id": 1, "interval": 1, "from": "2027-01-16",
                                              "count": 2, "hours": 18, "minutes": 30})
    assert r.status_code == 200
    ids = [c["id"] for c in r.json()["data"]]
    evening = 9 * 3600 + 1800
    assert r.json() == one([
        copy_of(ids[0], 1, date="2027-01-16T18:30:00.000+01:00", timestamp=1800000000 + DAY + evening),
        copy_of(ids[1], 3, date="2027-01-18T18:30:00.000+01:00", timestamp=1800000000 + 3 * DAY + evening),
    ], {"count": 2})


def test_a_series_whose_one_date_has_a_busy_team_member_creates_nothing(v1, database_url):
    event = create(v1)
    create(v1, date="2027-01-20 09:30", staff_id=EVA, service_id=PRAGUE["group_service_ids"][1])
    before = event_count(database_url)
    r = v1.post(duplicate(event["id"]), json={"repeat_mode_id": 1, "from": "2027-01-16", "till": "2027-01-25"})
    assert r.status_code == 409
    assert r.json() == error('The team member "Eva Dvorakova" is busy at this time: 2027-01-20 09:00')
    assert event_count(database_url) == before


def test_force_creates_the_series_over_a_busy_team_member(v1):
    event = create(v1)
    create(v1, date="2027-01-16 09:00", staff_id=EVA)
    r = v1.post(duplicate(event["id"]), json={"dates": ["2027-01-16T09:00:00"], "content_type": 1, "force": True})
    assert r.status_code == 200 and r.json()["meta"] == {"count": 1}


def test_copied_appointments_take_seats_in_every_copy(v1, database_url):
    event = create(v1, staff_id=TOMAS, capacity=3)
    book_seats(database_url, event["id"], 2, 1061)
    r = v1.post(duplicate(event["id"]), json={"dates": ["2027-01-16T09:00:00", "2027-01-17T09:00:00"],
                                              "content_type": 2})
    assert r.status_code == 200
    ids = [c["id"] for c in r.json()["data"]]
    assert r.json() == one([copy_of(ids[0], 1, staff_id=TOMAS, capacity=3, records_count=2),
                            copy_of(ids[1], 2, staff_id=TOMAS, capacity=3, records_count=2)], {"count": 2})
    rows = run_sql(database_url, "SELECT event_id, client_id, clients_count FROM records WHERE event_id <> $1 "
                                 "ORDER BY event_id", event["id"])
    assert [dict(r) for r in rows] == [{"event_id": i, "client_id": 1061, "clients_count": 2} for i in ids]
    assert staff(TOMAS)["id"] == r.json()["data"][0]["master"]["id"]


def test_the_series_size_is_bounded_and_bad_bodies_get_422_creating_nothing(v1, database_url):
    event = create(v1)
    before = event_count(database_url)
    cases = [
        ({}, invalid({"dates": [HOW]})),
        ({"repeat_mode_id": 1, "from": "2027-02-30", "till": "2027-01-01"},
         invalid({"from": ["This value is not a valid date. Expected YYYY-MM-DD, a local date of the location."]})),
        ({"repeat_mode_id": 1, "from": "2027-02-01", "till": "2027-01-01"},
         invalid({"till": ["The end of the period must not be earlier than its start"]})),
        ({"repeat_mode_id": 1, "from": "2027-02-01"},
         invalid({"till": ["Give the end of the period (till) or the number of events (count)"]})),
        ({"repeat_mode_id": 1, "from": "2027-02-01", "till": "2028-02-02"},
         invalid({"till": ["A series may have at most 366 events"]})),
        ({"repeat_mode_id": 1, "from": "2027-02-01", "count": 367},
         invalid({"count": ["This value should be between 1 and 366."]})),
        ({"repeat_mode_id": 3, "from": "2027-01-16", "till": "2027-01-17"},
         invalid({"from": ["No date of the period matches the repeat rule"]})),
        ({"dates": ["next friday"], "content_type": 1},
         invalid({"dates.0": ["This value is not valid."]})),
        ({"dates": ["2027-01-16T09:00:00"] * 367}, invalid({"dates": [
            "This collection should contain 366 elements or less."]})),
    ]
    for body, expected in cases:
        r = v1.post(duplicate(event["id"]), json=body)
        assert (r.status_code, r.json()) == (422, expected), body
    assert event_count(database_url) == before


def test_a_deleted_or_another_locations_event_is_not_found(v1, database_url):
    event = create(v1)
    theirs = create(v1, NEW_YORK)
    body = {"dates": ["2027-01-16T09:00:00"], "content_type": 1}
    r = v1.post(duplicate(theirs["id"]), json=body)
    assert r.status_code == 404 and r.json() == error("Not found")
    assert v1.delete(path(tail=event["id"])).status_code == 202
    r = v1.post(duplicate(event["id"]), json=body)
    assert r.status_code == 404 and r.json() == error("Not found")
    assert event_count(database_url) == 2


def test_the_largest_series_a_request_may_ask_for_is_created_whole(v1, database_url):
    event = create(v1)
    r = v1.post(duplicate(event["id"]), json={"repeat_mode_id": 1, "from": "2027-01-16", "count": 366})
    assert r.status_code == 200 and r.json()["meta"] == {"count": 366}
    assert r.json()["data"][-1]["date"] == "2028-01-16T09:00:00.000+01:00"
    assert event_count(database_url) == 367


def test_a_busy_room_on_one_date_refuses_the_whole_series_naming_the_date(v1, database_url):
    event = create(v1, resource_instance_ids=[ROOM_A])
    create(v1, date="2027-01-17 09:00", staff_id=TOMAS, resource_instance_ids=[ROOM_A])
    before = event_count(database_url)
    r = v1.post(duplicate(event["id"]), json={"dates": ["2027-01-16T09:00:00", "2027-01-17T09:00:00"],
                                              "content_type": 1})
    assert r.status_code == 409
    assert r.json() == error('The resource instance "Room A" is busy at this time: 2027-01-17 09:00')
    assert event_count(database_url) == before


def test_v2_sees_each_copy_as_an_activity_without_schedule(v1, api):
    event = create(v1)
    copied = v1.post(duplicate(event["id"]), json={"dates": ["2027-01-16T09:00:00"], "content_type": 1})
    copy_id = copied.json()["data"][0]["id"]
    r = api.get(events_path(event_id=copy_id))
    assert r.status_code == 200
    assert r.json() == {"data": activity(copy_id, timestamp=1800000000 + DAY, date="2027-01-16T09:00:00+0100",
                                         datetime="2027-01-16 09:00:00"), "meta": []}
