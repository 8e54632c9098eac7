"""v2 group events: every rule of create and update, and bad input of every kind (behaviour 4.4)."""

from __future__ import annotations

import pytest

from tests.conftest import NEW_YORK, PRAGUE, error
from tests.event_factories import activity, create_event, event_body, events_path, run_sql

MISSING = "This field is missing."
NOT_NULL = "This value should not be null."
NOT_INT = "This value should be of type integer."
LENGTH = "The length must be a positive multiple of 300 seconds, at most 86400 seconds"
LENGTH_WITH_BREAK = "The length with the technical break added must be at most 86400 seconds"
BREAK = "The technical break must be a multiple of 300 seconds from 0 to 3600"
BREAK_TOO_LONG = "The technical break must be shorter than the length"
CAPACITY = "The capacity must be between 1 and 1000000"
DATE = "This value is not a valid datetime. Expected YYYY-MM-DD HH:MM:SS, local time of the location."
COLOR = "The color must be in #rrggbb format"
RESOURCE = "Resource instance not found at this location"
LABEL = "Tag not found among this location's event and common tags"
NOT_GROUP = "The service is not available for group event booking"


def invalid(errors: dict[str, list[str]]) -> dict:
    return error(next(iter(errors.values()))[0], errors)


def no_events_stored(database_url: str) -> bool:
    return run_sql(database_url, "SELECT COUNT(*) AS n FROM events")[0]["n"] == 0


def test_every_missing_required_field_is_named(api, database_url):
    r = api.post(events_path(), json={})
    errors = {name: [MISSING] for name in ("staff_id", "service_id", "resource_instance_ids", "label_ids", "date",
                                           "length", "capacity")}
    assert (r.status_code, r.json()) == (422, invalid(errors))
    assert no_events_stored(database_url)


def test_put_checks_required_fields_too(api):
    created = create_event(api)
    body = event_body()
    del body["label_ids"]
    r = api.put(events_path(event_id=created["id"]), json=body)
    assert (r.status_code, r.json()) == (422, invalid({"label_ids": [MISSING]}))
    assert api.get(events_path(event_id=created["id"])).json()["data"] == activity(created["id"])


@pytest.mark.parametrize("field", ["staff_id", "service_id", "resource_instance_ids", "label_ids", "date", "length",
                                   "capacity"])
def test_null_on_a_required_field_is_422(api, field):
    r = api.post(events_path(), json=event_body(**{field: None}))
    assert (r.status_code, r.json()) == (422, invalid({field: [NOT_NULL]}))


@pytest.mark.parametrize("value", ["1001", 1001.5, True, [1001], {"id": 1001}, 1e30, 2**70])
def test_a_team_member_id_that_is_not_an_integer_is_422(api, value, database_url):
    r = api.post(events_path(), json=event_body(staff_id=value))
    assert (r.status_code, r.json()) == (422, invalid({"staff_id": [NOT_INT]}))
    assert no_events_stored(database_url)


def test_a_whole_number_written_as_float_is_accepted(api):
    created = create_event(api, length=3600.0, capacity=10.0)
    assert created == activity(created["id"])


def test_several_bad_fields_are_reported_together(api):
    r = api.post(events_path(), json=event_body(capacity="ten", resource_instance_ids=[1041, "x"], label_ids="1054",
                                                force="yes", surprise=1))
    assert (r.status_code, r.json()) == (422, invalid({
        "resource_instance_ids.1": [NOT_INT],
        "label_ids": ["This value should be of type array."],
        "capacity": [NOT_INT],
        "force": ["This value should be of type bool."],
        "surprise": ["This field was not expected."],
    }))


def test_a_body_that_is_not_an_object_is_422(api):
    r = api.post(events_path(), json=[event_body()])
    assert (r.status_code, r.json()) == (422, invalid({"body": ["This value should be of type object."]}))


def test_a_body_that_is_not_json_is_400(api):
    r = api.post(events_path(), content=b'{"staff_id": 1001,', headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))


def test_a_body_over_one_mebibyte_is_413(api):
    r = api.post(events_path(), json=event_body(comment="x" * (1024 * 1024)))
    assert (r.status_code, r.json()) == (413, error("Request body is too large"))


@pytest.mark.parametrize("date", ["2027-02-30 09:00:00", "2027-13-01 09:00:00", "2027-01-15 24:00:00",
                                  "2027-01-15 09:60:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59"])
def test_a_date_that_is_not_on_the_calendar_is_422(api, date, database_url):
    r = api.post(events_path(), json=event_body(date=date))
    assert (r.status_code, r.json()) == (422, invalid({"date": [DATE]}))
    assert no_events_stored(database_url)


@pytest.mark.parametrize("date, message", [
    ("2027-01-15 09:00", DATE), ("2027-01-15", DATE), ("15.01.2027 09:00:00", DATE), ("tomorrow", DATE), ("", DATE),
    ("2027-01-15 09:00:00+01:00", DATE),
    ("2027-01-15 09:00:00\u0000", "This value contains invalid characters."),
])
def test_a_date_in_another_format_is_422(api, date, message):
    r = api.post(events_path(), json=event_body(date=date))
    assert (r.status_code, r.json()) == (422, invalid({"date": [message]}))


def test_a_date_as_number_is_422(api):
    r = api.post(events_path(), json=event_body(date=1800000000))
    assert (r.status_code, r.json()) == (422, invalid({"date": [DATE]}))


def test_an_event_in_the_past_may_be_created(api):
    created = create_event(api, date="2026-12-01 09:00:00")
    assert created["attributes"]["date"] == "2026-12-01T09:00:00+0100"


@pytest.mark.parametrize("text", ["Bring a mat\u0000", "\u0000"])
def test_nul_characters_are_refused(api, text, database_url):
    r = api.post(events_path(), json=event_body(comment=text, instructions=text))
    message = "This value contains invalid characters."
    assert (r.status_code, r.json()) == (422, invalid({"comment": [message], "instructions": [message]}))
    assert no_events_stored(database_url)


def test_any_script_is_stored_as_sent(api):
    created = create_event(api, comment="Jóga pro začátečníky 🧘 Йога", instructions="\u202etext")
    assert created["attributes"]["comment"] == "Jóga pro začátečníky 🧘 Йога"
    assert created["attributes"]["instructions"] == "\u202etext"


@pytest.mark.parametrize("color", ["red", "#12345", "123456", "#GGGGGG", "#1234567", " #123456"])
def test_a_colour_that_is_not_rrggbb_is_422(api, color):
    r = api.post(events_path(), json=event_body(color=color))
    messages = [COLOR] if len(color) <= 7 else ["This value is too long. It should have 7 characters or less."]
    assert (r.status_code, r.json()) == (422, invalid({"color": messages}))


def test_a_stream_link_too_long_is_422(api):
    r = api.post(events_path(), json=event_body(stream_link="https://" + "x" * 2041))
    assert (r.status_code, r.json()) == (
        422, invalid({"stream_link": ["This value is too long. It should have 2048 characters or less."]}))


def test_unknown_team_member_is_404(api):
    r = api.post(events_path(), json=event_body(staff_id=999999))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_team_member_of_another_location_is_404(api, database_url):
    r = api.post(events_path(), json=event_body(staff_id=NEW_YORK["staff_ids"][0]))
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert no_events_stored(database_url)


def test_a_deleted_team_member_is_404(api, database_url):
    run_sql(database_url, "UPDATE staff SET deleted = TRUE WHERE id = 1001")
    r = api.post(events_path(), json=event_body())
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_unknown_service_is_404(api):
    r = api.post(events_path(), json=event_body(service_id=999999))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_service_of_another_location_is_404(api):
    r = api.post(events_path(), json=event_body(service_id=NEW_YORK["group_service_ids"][0]))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_service_that_is_not_for_group_events_is_400(api, database_url):
    r = api.post(events_path(), json=event_body(service_id=PRAGUE["other_service_ids"][0]))
    assert (r.status_code, r.json()) == (400, error(NOT_GROUP))
    assert no_events_stored(database_url)


def test_put_refuses_a_service_that_is_not_for_group_events(api):
    created = create_event(api)
    r = api.put(events_path(event_id=created["id"]), json=event_body(service_id=PRAGUE["other_service_ids"][0]))
    assert (r.status_code, r.json()) == (400, error(NOT_GROUP))
    assert api.get(events_path(event_id=created["id"])).json()["data"] == activity(created["id"])


def test_unknown_resource_instances_are_422_each_by_position(api, database_url):
    foreign = NEW_YORK["resource_instance_ids"][0]
    r = api.post(events_path(), json=event_body(resource_instance_ids=[1041, 999999, foreign]))
    assert (r.status_code, r.json()) == (422, invalid({"resource_instance_ids.1": [RESOURCE],
                                                       "resource_instance_ids.2": [RESOURCE]}))
    assert no_events_stored(database_url)


def test_tags_must_be_live_activity_or_common_tags_of_this_location(api, database_url):
    run_sql(database_url, "UPDATE tags SET deleted = TRUE WHERE id = 1055")
    tags = PRAGUE["tag_ids"]
    label_ids = [tags["activity"][0], tags["common"][0], tags["client"][0], tags["record"][0], 1055,
                 NEW_YORK["tag_ids"]["activity"][0], 999999]
    r = api.post(events_path(), json=event_body(label_ids=label_ids))
    assert (r.status_code, r.json()) == (422, invalid({f"label_ids.{i}": [LABEL] for i in range(2, 7)}))
    assert no_events_stored(database_url)


def test_activity_and_common_tags_are_accepted(api):
    created = create_event(api, label_ids=[PRAGUE["tag_ids"]["activity"][0], PRAGUE["tag_ids"]["common"][1]])
    r = api.get(events_path(event_id=created["id"]) + "?include[]=labels")
    assert r.json()["data"]["relationships"] == {"labels": {"data": [{"type": "label", "id": "1054"},
                                                                     {"type": "label", "id": "1055"}]}}


def test_repeated_ids_count_once(api):
    created = create_event(api, resource_instance_ids=[1041, 1041], label_ids=[1054, 1054])
    r = api.get(events_path(event_id=created["id"]) + "?include=resource_instances,labels")
    assert r.json()["data"]["relationships"] == {
        "resource_instances": {"data": [{"type": "resource_instance", "id": "1041"}]},
        "labels": {"data": [{"type": "label", "id": "1054"}]},
    }


@pytest.mark.parametrize("length", [0, -300, 299, 86700, 10**12])
def test_a_length_outside_the_range_is_422(api, length):
    r = api.post(events_path(), json=event_body(length=length))
    assert (r.status_code, r.json()) == (422, invalid({"length": [LENGTH]}))


@pytest.mark.parametrize("length", [301, 3601, 3000 + 150])
def test_a_length_that_is_not_a_multiple_of_300_is_422(api, length):
    r = api.post(events_path(), json=event_body(length=length))
    assert (r.status_code, r.json()) == (422, invalid({"length": [LENGTH]}))


def test_a_whole_day_with_an_explicit_break_is_accepted(api):
    created = create_event(api, length=86400, technical_break_duration=3600)
    assert created["attributes"]["length"] == 86400


def test_a_whole_day_plus_the_default_break_is_too_long(api):
    r = api.post(events_path(), json=event_body(length=86400))
    assert (r.status_code, r.json()) == (422, invalid({"length": [LENGTH_WITH_BREAK]}))


@pytest.mark.parametrize("brk", [-300, 100, 3900, 10**6])
def test_a_break_outside_the_rule_is_422(api, brk):
    r = api.post(events_path(), json=event_body(technical_break_duration=brk))
    assert (r.status_code, r.json()) == (422, invalid({"technical_break_duration": [BREAK]}))


@pytest.mark.parametrize("length, brk", [(3600, 3600), (600, 900)])
def test_a_break_that_leaves_no_time_for_the_service_is_422(api, length, brk):
    r = api.post(events_path(), json=event_body(length=length, technical_break_duration=brk))
    assert (r.status_code, r.json()) == (422, invalid({"technical_break_duration": [BREAK_TOO_LONG]}))


def test_a_break_as_string_is_422(api):
    r = api.post(events_path(), json=event_body(technical_break_duration="600"))
    assert (r.status_code, r.json()) == (422, invalid({"technical_break_duration": [NOT_INT]}))


@pytest.mark.parametrize("capacity", [0, -1, 1_000_001, 2**63 - 1])
def test_a_capacity_outside_the_range_is_422(api, capacity):
    r = api.post(events_path(), json=event_body(capacity=capacity))
    assert (r.status_code, r.json()) == (422, invalid({"capacity": [CAPACITY]}))


def test_the_largest_capacity_is_accepted(api):
    assert create_event(api, capacity=1_000_000)["attributes"]["capacity"] == 1_000_000


def test_huge_ids_are_not_found_rather_than_failing(api):
    r = api.post(events_path(), json=event_body(staff_id=2**63 - 1, service_id=2**63 - 1))
    assert (r.status_code, r.json()) == (404, error("Not found"))
    r = api.post(events_path(), json=event_body(resource_instance_ids=[2**63 - 1], label_ids=[2**63 - 1]))
    assert (r.status_code, r.json()) == (422, invalid({"resource_instance_ids.0": [RESOURCE],
                                                       "label_ids.0": [LABEL]}))


def test_a_failed_update_changes_nothing(api):
    created = create_event(api, comment="Keep me", resource_instance_ids=[1041], label_ids=[1054])
    r = api.put(events_path(event_id=created["id"]), json=event_body(resource_instance_ids=[1042, 999999]))
    assert r.status_code == 422
    r = api.get(events_path(event_id=created["id"]) + "?include=resource_instances,labels")
    assert r.json()["data"]["attributes"] == activity(created["id"], comment="Keep me",
                                                      description="Keep me")["attributes"]
    assert r.json()["data"]["relationships"] == {
        "resource_instances": {"data": [{"type": "resource_instance", "id": "1041"}]},
        "labels": {"data": [{"type": "label", "id": "1054"}]},
    }


@pytest.mark.parametrize("field, value, message", [
    ("staff_id", "abc", NOT_INT),
    ("staff_id", 0, "This value should be greater than or equal to 1."),
    ("service_id", -5, "This value should be greater than or equal to 1."),
    ("service_id", {}, NOT_INT),
    ("resource_instance_ids", "1041", "This value should be of type array."),
    ("resource_instance_ids", list(range(1, 102)), "This collection should contain 100 elements or less."),
    ("label_ids", {"0": 1054}, "This value should be of type array."),
    ("date", ["2027-01-15 09:00:00"], DATE),
    ("length", "3600", NOT_INT),
    ("length", 3600.5, NOT_INT),
    ("technical_break_duration", [], NOT_INT),
    ("capacity", False, NOT_INT),
    ("capacity", 1e100, NOT_INT),
    ("comment", 42, "This value should be of type string."),
    ("comment", "x" * 65536, "This value is too long. It should have 65535 characters or less."),
    ("color", 0xFF0000, "This value should be of type string."),
    ("instructions", ["Bring a mat"], "This value should be of type string."),
    ("stream_link", True, "This value should be of type string."),
    ("force", "true", "This value should be of type bool."),
    ("force", 1, "This value should be of type bool."),
])
def test_a_wrong_value_on_any_field_is_422_and_stores_nothing(api, database_url, field, value, message):
    r = api.post(events_path(), json=event_body(**{field: value}))
    assert (r.status_code, r.json()) == (422, invalid({field: [message]}))
    assert no_events_stored(database_url)
