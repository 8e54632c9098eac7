"""v1 group events: create, read, replace, delete (behaviour 7.2), the same events as v2's."""

from __future__ import annotations

import pytest

from tests.api.v1.v1_events import (ACTIVITY_TAG, COMMON_TAG, COURT, EVA, JAN, PADEL, PERSONAL, PILATES, ROOM_A,
                                    ROOM_B, TOMAS, V1, create, one, path, v1_body, v1_event)
from tests.conftest import AUTH, NEW_YORK, PRAGUE, READONLY_AUTH, error
from tests.event_factories import activity, appointments_of, book_seats, events_path, run_sql

ACCEPTED = {"success": True, "data": None, "meta": {"message": "Accepted"}}
MISSING = "This field is missing."
NOT_NULL = "This value should not be null."
NOT_INT = "This value should be of type integer."
# The shape is v1's (seconds optional); a date off the calendar is refused by the rules both versions share.
DATE = ("This value is not a valid datetime. "
        "Expected YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM, local time of the location.")
NO_SUCH_DATE = "This value is not a valid datetime. Expected YYYY-MM-DD HH:MM:SS, local time of the location."
CAPACITY = "The capacity must be between 1 and 1000000"
LENGTH = "The length must be a positive multiple of 300 seconds, at most 86400 seconds"
BREAK = "The technical break must be a multiple of 300 seconds from 0 to 3600"
COLOR = "The color must be in #rrggbb format"
RESOURCE = "Resource instance not found at this location"
LABEL = "Tag not found among this location's event and common tags"


@pytest.fixture
def v1(api) -> V1:
    return V1(api)


def invalid(errors: dict[str, list[str]]) -> dict:
    return error(next(iter(errors.values()))[0], errors)


def event_count(database_url: str) -> int:
    return run_sql(database_url, "SELECT COUNT(*) AS n FROM events")[0]["n"]


def test_created_event_is_answered_whole_with_200(v1):
    r = v1.post(path(), json=v1_body(
        date="2027-01-15 09:00:00", length=3600, technical_break_duration=600, capacity=4, color="#9c27b0",
        comment="Beginner group session", instructions="Bring a mat", stream_link="https://stream.example/1",
        resource_instance_ids=[ROOM_A, ROOM_B], label_ids=[ACTIVITY_TAG, COMMON_TAG]))
    assert r.status_code == 200
    event_id = r.json()["data"]["id"]
    assert r.json() == {"success": True, "meta": [], "data": {
        "id": event_id, "company_id": 101, "salon_id": 101, "service_id": 1021, "staff_id": 1001,
        "date": "2027-01-15T09:00:00.000+01:00", "timestamp": 1800000000, "length": 3600, "capacity": 4,
        "records_count": 0, "color": "#9c27b0", "font_color": "#ffffff", "instructions": "Bring a mat",
        "stream_link": "https://stream.example/1", "notified": False, "comment": "Beginner group session",
        "prepaid": "forbidden", "is_deleted": False,
        "duration_details": {"id": event_id, "services_duration": 3000, "technical_break_duration": 600},
        "service": {
            "id": 1021, "title": "Morning yoga", "category_id": 1010, "image_url": "", "is_category": False,
            "salon_service_id": 1021, "comment": "", "price_min": 15, "price_max": 20, "prepaid": "forbidden",
            "abonement_restriction": 0,
            "category": {"id": 1010, "category_id": 0, "title": "Group classes", "is_category": True,
                         "salon_service_id": 1010, "prepaid": "forbidden", "abonement_restriction": 0,
                         "category": {"id": 0, "category_id": 0, "is_category": True, "title": "", "category": []}},
        },
        "staff": {
            "id": 1001, "name": "Eva Dvorakova", "company_id": 101, "specialization": "Yoga instructor",
            "api_id": "", "rating": 0, "prepaid": "forbidden", "show_rating": 0, "comments_count": 0,
            "votes_count": 0, "average_score": 0, "avatar": "", "avatar_big": "", "user_id": 0,
            "position": {"id": 1, "title": "Senior instructor"},
        },
        "resource_instances": [{"id": 1041, "title": "Room A", "resource_id": 1031},
                               {"id": 1042, "title": "Room B", "resource_id": 1031}],
        "labels": [{"id": 1051, "title": "Newcomer friendly", "icon": "", "color": "#4caf50", "font_color": "#ffffff"},
                   {"id": 1054, "title": "Outdoor", "icon": "", "color": "#ffeb3b", "font_color": "#000000"}],
    }}


def test_json_types_are_the_contracts_even_for_floats_and_empty_values(v1):
    data = create(v1, staff_id=JAN, service_id=PADEL)
    assert isinstance(data["service"]["price_min"], float) and isinstance(data["staff"]["rating"], float)
    assert data["staff"]["position"] == {} and data["labels"] == [] and data["resource_instances"] == []
    assert data["comment"] == "" and isinstance(data["notified"], bool)


def test_created_event_reads_back_the_same(v1):
    created = create(v1, resource_instance_ids=[ROOM_A], label_ids=[ACTIVITY_TAG])
    r = v1.get(path(tail=created["id"]))
    assert (r.status_code, r.json()) == (200, one(created))
    assert created == v1_event(created["id"], resource_instance_ids=[ROOM_A], label_ids=[ACTIVITY_TAG])


def test_without_length_the_service_duration_is_taken_and_the_default_break_added(v1):
    created = create(v1, staff_id=TOMAS, service_id=PILATES)
    assert created == v1_event(created["id"], staff_id=TOMAS, service_id=PILATES, length=3900,
                               duration_details={"id": created["id"], "services_duration": 2700,
                                                 "technical_break_duration": 1200})


def test_a_given_break_is_part_of_the_service_duration_when_length_is_left_out(v1):
    created = create(v1, technical_break_duration=600)
    assert (created["length"], created["duration_details"]["services_duration"]) == (3600, 3000)


def test_explicit_nulls_on_optional_fields_mean_absent(v1):
    created = create(v1, length=None, resource_instance_ids=None, label_ids=None, technical_break_duration=None,
                     comment=None, color=None, stream_link=None, instructions=None)
    assert created == v1_event(created["id"])


def test_fields_the_server_does_not_know_are_ignored(v1):
    created = create(v1, salon_id=101, id=5, notified=True, records_count=3, whatever={"a": [1]})
    assert created == v1_event(created["id"])


@pytest.mark.parametrize("date", ["2027-01-15 09:00", "2027-01-15 09:00:00", "2027-01-15T09:00"])
def test_the_date_takes_minutes_with_or_without_seconds(v1, date):
    created = create(v1, date=date)
    assert (created["date"], created["timestamp"]) == ("2027-01-15T09:00:00.000+01:00", 1800000000)


def test_an_event_in_new_york_is_in_new_york_time(v1):
    created = create(v1, NEW_YORK)
    assert created == v1_event(created["id"], NEW_YORK)


def test_on_the_day_clocks_change_the_offset_follows_the_wall_clock(v1):
    before = create(v1, date="2027-03-28 01:00")
    after = create(v1, date="2027-03-28 09:00", staff_id=TOMAS)
    assert (before["date"], after["date"]) == ("2027-03-28T01:00:00.000+01:00", "2027-03-28T09:00:00.000+02:00")
    assert after["timestamp"] - before["timestamp"] == 7 * 3600


def test_the_same_event_is_served_by_v2(v1, api):
    created = create(v1, label_ids=[ACTIVITY_TAG])
    r = api.get(events_path(event_id=created["id"]))
    assert (r.status_code, r.json()) == (200, {"data": activity(created["id"]), "meta": []})


def test_an_event_made_through_v2_reads_through_v1(v1, api):
    r = api.post(events_path(), json={"staff_id": EVA, "service_id": 1021, "resource_instance_ids": [ROOM_A],
                                      "label_ids": [], "date": "2027-01-15 09:00:00", "length": 3600, "capacity": 10})
    event_id = int(r.json()["data"]["id"])
    assert v1.get(path(tail=event_id)).json() == one(v1_event(event_id, resource_instance_ids=[ROOM_A]))


def test_records_count_is_the_seats_booked(v1, database_url):
    created = create(v1)
    book_seats(database_url, created["id"], 3)
    assert v1.get(path(tail=created["id"])).json()["data"]["records_count"] == 3


def test_put_replaces_the_whole_event(v1, clock):
    created = create(v1, color="#ff0000", comment="Old", instructions="Old", stream_link="https://x.example",
                     resource_instance_ids=[ROOM_A], label_ids=[ACTIVITY_TAG], technical_break_duration=0,
                     length=3600)
    clock.advance(3600)
    r = v1.put(path(tail=created["id"]), json=v1_body(staff_id=JAN, service_id=PADEL, date="2027-01-16 18:30",
                                                       capacity=4, resource_instance_ids=[COURT]))
    expected = v1_event(created["id"], staff_id=JAN, service_id=PADEL, capacity=4, resource_instance_ids=[COURT],
                        date="2027-01-16T18:30:00.000+01:00", timestamp=1800120600, length=6600,
                        duration_details={"id": created["id"], "services_duration": 5400,
                                          "technical_break_duration": 1200})
    assert (r.status_code, r.json()) == (200, one(expected))
    assert v1.get(path(tail=created["id"])).json() == one(expected)


def test_delete_is_202_accepted_and_the_event_reads_as_deleted(v1, database_url):
    created = create(v1)
    book_seats(database_url, created["id"], 2)
    r = v1.delete(path(tail=created["id"]))
    assert (r.status_code, r.json()) == (202, ACCEPTED)
    assert v1.get(path(tail=created["id"])).json() == one(v1_event(created["id"], is_deleted=True))
    assert [a["deleted"] for a in appointments_of(database_url, created["id"])] == [True]


def test_a_deleted_event_cannot_be_deleted_or_replaced_again(v1):
    created = create(v1)
    v1.delete(path(tail=created["id"]))
    for r in (v1.delete(path(tail=created["id"])), v1.put(path(tail=created["id"]), json=v1_body())):
        assert (r.status_code, r.json()) == (404, error("Not found"))


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_unknown_event_or_one_of_another_location_is_404(v1, method):
    foreign = create(v1, NEW_YORK)
    for event_id in (999999, foreign["id"], 2**63 - 1, 2**64):
        r = v1.request(method, path(tail=event_id), json=v1_body() if method == "PUT" else None)
        assert (r.status_code, r.json()) == (404, error("Not found"))


def test_every_missing_required_field_is_named(v1, database_url):
    r = v1.post(path(), json={})
    errors = {name: [MISSING] for name in ("date", "service_id", "staff_id", "capacity", "force")}
    assert (r.status_code, r.json()) == (422, invalid(errors))
    assert event_count(database_url) == 0


@pytest.mark.parametrize("field", ["date", "service_id", "staff_id", "capacity", "force"])
def test_null_on_a_required_field_is_422(v1, field):
    r = v1.post(path(), json=v1_body(**{field: None}))
    assert (r.status_code, r.json()) == (422, invalid({field: [NOT_NULL]}))


@pytest.mark.parametrize("field, value, message", [
    ("staff_id", "1001", NOT_INT),
    ("service_id", 1021.5, NOT_INT),
    ("capacity", "10", NOT_INT),
    ("capacity", 2**70, NOT_INT),
    ("capacity", 0, CAPACITY),
    ("capacity", 1_000_001, CAPACITY),
    ("force", "false", "This value should be of type bool."),
    ("length", 3601, LENGTH),
    ("length", 0, LENGTH),
    ("length", 2**63 - 1, LENGTH),
    ("technical_break_duration", 7200, BREAK),
    ("date", "15.01.2027 09:00", DATE),
    ("date", "2027-02-30 09:00", NO_SUCH_DATE),
    ("date", "2027-01-15", DATE),
    ("date", 1800000000, DATE),
    ("color", "red", COLOR),
    ("comment", 42, "This value should be of type string."),
    ("resource_instance_ids", ROOM_A, "This value should be of type array."),
    ("label_ids", ["1054"], None),
])
def test_a_wrong_value_on_a_field_is_422_naming_it(v1, database_url, field, value, message):
    r = v1.post(path(), json=v1_body(**{field: value}))
    errors = {field: [message]} if message else {f"{field}.0": [NOT_INT]}
    assert (r.status_code, r.json()) == (422, invalid(errors))
    assert event_count(database_url) == 0


def test_unknown_resource_instances_and_unusable_tags_are_422_on_their_place(v1):
    foreign_room = NEW_YORK["resource_instance_ids"][0]
    client_tag = PRAGUE["tag_ids"]["client"][0]
    r = v1.post(path(), json=v1_body(resource_instance_ids=[ROOM_A, foreign_room], label_ids=[client_tag]))
    assert (r.status_code, r.json()) == (422, invalid({"resource_instance_ids.1": [RESOURCE],
                                                       "label_ids.0": [LABEL]}))


@pytest.mark.parametrize("field, value", [("staff_id", 999999), ("service_id", 999999),
                                          ("staff_id", NEW_YORK["staff_ids"][0]), ("service_id", 2**63 - 1)])
def test_an_unknown_team_member_or_service_is_404(v1, field, value):
    r = v1.post(path(), json=v1_body(**{field: value}))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_service_that_is_not_a_group_event_service_is_400(v1):
    r = v1.post(path(), json=v1_body(service_id=PERSONAL))
    assert (r.status_code, r.json()) == (400, error("The service is not available for group event booking"))


def test_a_busy_team_member_or_room_is_409_unless_forced(v1, database_url):
    create(v1, resource_instance_ids=[ROOM_A])
    r = v1.post(path(), json=v1_body(date="2027-01-15 10:00", staff_id=TOMAS, resource_instance_ids=[ROOM_A]))
    assert (r.status_code, r.json()) == (409, error('The resource instance "Room A" is busy at this time'))
    r = v1.post(path(), json=v1_body(date="2027-01-15 10:00"))
    assert (r.status_code, r.json()) == (409, error('The team member "Eva Dvorakova" is busy at this time'))
    assert event_count(database_url) == 1
    forced = create(v1, date="2027-01-15 10:00", resource_instance_ids=[ROOM_A], force=True)
    assert forced["resource_instances"] == [{"id": ROOM_A, "title": "Room A", "resource_id": 1031}]


def test_an_event_does_not_conflict_with_itself_on_put(v1):
    created = create(v1, resource_instance_ids=[ROOM_A])
    r = v1.put(path(tail=created["id"]), json=v1_body(date="2027-01-15 09:30", resource_instance_ids=[ROOM_A]))
    assert r.status_code == 200


def test_capacity_below_the_seats_booked_is_422_on_put(v1, database_url):
    created = create(v1)
    book_seats(database_url, created["id"], 3)
    r = v1.put(path(tail=created["id"]), json=v1_body(capacity=2))
    message = "The capacity cannot be less than the 3 seats already booked"
    assert (r.status_code, r.json()) == (422, invalid({"capacity": [message]}))
    assert v1.get(path(tail=created["id"])).json()["data"]["capacity"] == 10


def test_a_body_that_is_not_json_is_400_and_one_that_is_no_object_is_422(v1):
    r = v1.post(path(), content=b"{date:", headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))
    r = v1.post(path(), json=[v1_body()])
    assert (r.status_code, r.json()) == (422, invalid({"body": ["This value should be of type object."]}))


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html", "application/vnd.api.v2+json"])
def test_v1_takes_any_accept_header(v1, accept):
    created = create(v1)
    assert v1.get(path(tail=created["id"]), accept=accept).status_code == 200


def test_tokens_are_needed_and_read_only_users_may_only_read(v1):
    created = create(v1)
    r = v1.get(path(tail=created["id"]), auth=None)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))
    r = v1.get(path(tail=created["id"]), auth=AUTH.split(",")[0])
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))
    assert v1.get(path(tail=created["id"]), auth=READONLY_AUTH).status_code == 200
    for method in ("POST", "PUT", "DELETE"):
        url = path() if method == "POST" else path(tail=created["id"])
        r = v1.request(method, url, json=v1_body(), auth=READONLY_AUTH)
        assert (r.status_code, r.json()) == (403, error("Access denied."))


def test_an_unknown_location_is_404(v1):
    r = v1.post("/api/v1/activity/999", json=v1_body())
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_trailing_slash_is_the_same_operation_and_other_methods_are_405(v1):
    created = create(v1)
    assert v1.get(path(tail=created["id"]) + "/").json() == one(created)
    r = v1.request("PATCH", path(tail=created["id"]), json={})
    assert (r.status_code, r.json()) == (405, error("Method not allowed"))
    assert v1.get(path()).status_code == 405


def test_answers_match_the_openapi_document(v1):
    import jsonschema

    ops = v1.get("/openapi.json", auth=None).json()["paths"]

    def check(template: str, method: str, response) -> None:
        spec = ops[template][method]["responses"][str(response.status_code)]
        jsonschema.validate(response.json(), spec["content"]["application/json"]["schema"])

    base, one_ = "/api/v1/activity/{location_id}", "/api/v1/activity/{location_id}/{event_id}"
    created = v1.post(path(), json=v1_body(resource_instance_ids=[ROOM_A], label_ids=[ACTIVITY_TAG]))
    check(base, "post", created)
    event_id = created.json()["data"]["id"]
    check(base, "post", v1.post(path(), json=v1_body()))  # 409
    check(base, "post", v1.post(path(), json={}))  # 422
    check(one_, "get", v1.get(path(tail=event_id)))
    check(one_, "put", v1.put(path(tail=event_id), json=v1_body(staff_id=JAN, service_id=PADEL)))
    check(one_, "delete", v1.delete(path(tail=event_id)))
    check(one_, "delete", v1.delete(path(tail=event_id)))  # 404
    week = "from=2027-01-11&till=2027-01-17"
    create(v1, staff_id=JAN, service_id=PADEL)
    for tail, query in (("search", week), ("search", ""), ("search_dates", week), ("search_dates_range", ""),
                        ("filters", week), ("filters", ""), ("services", "")):
        check(f"{base}/{tail}", "get", v1.get(path(tail=tail) + "?" + query))
