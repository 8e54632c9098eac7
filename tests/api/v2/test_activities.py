"""v2 group events: create, read, replace, delete, include[] (behaviour 4.1, 4.2, 4.4, 4.5)."""

from __future__ import annotations

from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error
from tests.event_factories import (SeatsHeld, activity, appointments_of, book_seats, create_event, event_body,
                                   events_path, run_sql)

SEED_PATH = f"/api/v2/companies/{PRAGUE['id']}/activities"
ROOM_A, ROOM_B, COURT = PRAGUE["resource_instance_ids"]
COMMON_TAG, SYSTEM_TAG = PRAGUE["tag_ids"]["common"]
ACTIVITY_TAG = PRAGUE["tag_ids"]["activity"][0]


def test_created_event_is_answered_whole_with_201(api):
    r = api.post(events_path(), json=event_body(color="#9c27b0", comment="Beginner group session",
                                                instructions="Bring a mat", stream_link="https://stream.example/1",
                                                technical_break_duration=600, capacity=4))
    assert r.status_code == 201
    event_id = r.json()["data"]["id"]
    assert r.json() == {
        "data": {
            "type": "activity",
            "id": event_id,
            "attributes": {
                "master_id": 1001, "staff_id": 1001, "service_id": 1021, "timestamp": 1800000000,
                "length": 3600, "capacity": 4, "clients_count": 0, "color": "#9c27b0",
                "instructions": "Bring a mat", "stream_link": "https://stream.example/1", "font_color": "#ffffff",
                "notified": False, "comment": "Beginner group session", "schedule_id": None, "schedule_till": None,
                "schedule_event_modified": None, "date": "2027-01-15T09:00:00+0100", "deleted": False,
                "company_id": 101, "name": "Morning yoga", "description": "Beginner group session",
                "datetime": "2027-01-15 09:00:00", "created_at": "2027-01-10T13:00:00+0100",
                "updated_at": "2027-01-10T13:00:00+0100",
            },
        },
        "meta": [],
    }


def test_created_event_reads_back_the_same(api):
    created = create_event(api, comment="Hello")
    r = api.get(events_path(event_id=created["id"]))
    assert r.status_code == 200
    assert r.json() == {"data": activity(created["id"], comment="Hello", description="Hello"), "meta": []}


def test_both_path_spellings_serve_one_event(api):
    r = api.post(SEED_PATH, json=event_body())
    assert r.status_code == 201
    event_id = r.json()["data"]["id"]
    assert api.get(f"{SEED_PATH}/{event_id}").json() == {"data": activity(event_id), "meta": []}
    assert api.get(events_path(event_id=event_id)).json() == {"data": activity(event_id), "meta": []}

    r = api.put(f"{SEED_PATH}/{event_id}", json=event_body(capacity=5))
    assert (r.status_code, r.json()) == (200, {"data": activity(event_id, capacity=5), "meta": []})
    r = api.put(events_path(event_id=event_id), json=event_body(capacity=6))
    assert (r.status_code, r.json()) == (200, {"data": activity(event_id, capacity=6), "meta": []})

    period = "?filter[from]=2027-01-11 00:00:00&filter[to]=2027-01-17 23:59:59"
    for path in (SEED_PATH, events_path()):
        assert [e["id"] for e in api.get(path + period).json()["data"]] == [event_id]

    assert api.delete(f"{SEED_PATH}/{event_id}").status_code == 204
    assert api.delete(events_path(event_id=event_id)).status_code == 404


def test_a_trailing_slash_is_the_same_operation(api):
    created = create_event(api)
    assert api.get(events_path(event_id=created["id"]) + "/").json() == {"data": activity(created["id"]), "meta": []}


def test_light_colour_gets_black_font_and_dark_colour_white(api):
    light = create_event(api, color="#ffeb3b")
    dark = create_event(api, color="#1A237E", staff_id=1002)
    assert (light["attributes"]["color"], light["attributes"]["font_color"]) == ("#ffeb3b", "#000000")
    assert (dark["attributes"]["color"], dark["attributes"]["font_color"]) == ("#1A237E", "#ffffff")


def test_empty_and_null_optional_fields_mean_none(api):
    created = create_event(api, color="", comment=None, instructions=None, stream_link=None,
                           technical_break_duration=None, force=None)
    assert created == activity(created["id"])


def test_event_at_new_york_uses_new_york_time(api):
    created = create_event(api, NEW_YORK)
    assert created == activity(
        created["id"], NEW_YORK, name="Morning yoga", timestamp=1800021600, date="2027-01-15T09:00:00-0500",
        created_at="2027-01-10T07:00:00-0500", updated_at="2027-01-10T07:00:00-0500",
    )


def test_explicit_technical_break_is_part_of_length(api):
    created = create_event(api, length=3600, technical_break_duration=600)
    r = api.get(events_path(event_id=created["id"]) + "?include[]=duration_details")
    assert r.json()["data"]["attributes"]["length"] == 3600
    assert r.json()["included"] == [{"type": "activity_duration_details", "id": created["id"],
                                     "attributes": {"services_duration": 3000, "technical_break_duration": 600}}]


def test_without_a_break_the_location_default_is_added_to_length(api):
    created = create_event(api, length=3600)
    r = api.get(events_path(event_id=created["id"]) + "?include[]=duration_details")
    assert r.json()["data"]["attributes"]["length"] == 4800
    assert r.json()["included"][0]["attributes"] == {"services_duration": 3600, "technical_break_duration": 1200}


def test_zero_break_keeps_the_length_as_given(api):
    created = create_event(api, length=3600, technical_break_duration=0)
    assert created["attributes"]["length"] == 3600


def test_put_replaces_the_whole_event(api, clock):
    created = create_event(api, color="#ff0000", comment="Old", instructions="Old", stream_link="https://x.example",
                           resource_instance_ids=[ROOM_A], label_ids=[ACTIVITY_TAG], technical_break_duration=0)
    clock.advance(3600)
    body = event_body(staff_id=1002, service_id=1022, date="2027-01-16 18:30:00", length=2700, capacity=8)
    r = api.put(events_path(event_id=created["id"]), json=body)
    expected = activity(created["id"], master_id=1002, staff_id=1002, service_id=1022, name="Pilates mat class",
                        timestamp=1800120600, date="2027-01-16T18:30:00+0100", datetime="2027-01-16 18:30:00",
                        length=3900, capacity=8, updated_at="2027-01-10T14:00:00+0100")
    assert (r.status_code, r.json()) == (200, {"data": expected, "meta": []})
    r = api.get(events_path(event_id=created["id"]) + "?include[]=resource_instances&include[]=labels")
    assert r.json() == {
        "data": dict(expected, relationships={"resource_instances": {"data": []}, "labels": {"data": []}}),
        "included": [],
        "meta": [],
    }


def test_capacity_can_drop_to_the_seats_booked_but_not_below(api, database_url):
    created = create_event(api, capacity=10)
    book_seats(database_url, int(created["id"]), 3)
    r = api.put(events_path(event_id=created["id"]), json=event_body(capacity=2))
    message = "The capacity cannot be less than the 3 seats already booked"
    assert (r.status_code, r.json()) == (422, error(message, {"capacity": [message]}))
    r = api.put(events_path(event_id=created["id"]), json=event_body(capacity=3))
    assert (r.status_code, r.json()) == (200, {"data": activity(created["id"], capacity=3, clients_count=3),
                                             "meta": []})


def test_a_capacity_cut_waits_for_a_booking_in_flight_and_then_respects_it(api, database_url):
    created = create_event(api, capacity=10)
    with SeatsHeld(database_url, int(created["id"]), 5):
        r = api.put(events_path(event_id=created["id"]), json=event_body(capacity=3))
    message = "The capacity cannot be less than the 5 seats already booked"
    assert (r.status_code, r.json()) == (422, error(message, {"capacity": [message]}))
    assert api.get(events_path(event_id=created["id"])).json()["data"] == activity(created["id"], clients_count=5)


def test_put_of_an_unknown_event_is_404(api):
    r = api.put(events_path(event_id=999999), json=event_body())
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_an_event_of_another_location_is_not_found_here(api):
    created = create_event(api, NEW_YORK)
    assert api.get(events_path(PRAGUE, created["id"])).json() == error("Not found")
    assert api.put(events_path(PRAGUE, created["id"]), json=event_body()).status_code == 404
    assert api.delete(events_path(PRAGUE, created["id"])).status_code == 404
    assert api.get(events_path(NEW_YORK, created["id"])).status_code == 200


def test_get_of_an_unknown_event_is_404(api):
    r = api.get(events_path(event_id=424242))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_an_event_id_beyond_64_bits_is_404(api):
    r = api.get(events_path(event_id=2**64))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_read_only_user_may_read_but_not_write(api):
    created = create_event(api)
    assert api.get(events_path(event_id=created["id"]), auth=READONLY_AUTH).status_code == 200
    r = api.post(events_path(), json=event_body(staff_id=1002), auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))
    assert api.delete(events_path(event_id=created["id"]), auth=READONLY_AUTH).status_code == 403


def test_every_include_adds_relationships_and_included_objects(api):
    created = create_event(api, resource_instance_ids=[ROOM_B, ROOM_A], label_ids=[ACTIVITY_TAG, COMMON_TAG],
                           technical_break_duration=300)
    event_id = created["id"]
    r = api.get(events_path(event_id=event_id)
                + "?include[]=staff&include[]=service&include[]=resource_instances&include[]=labels"
                  "&include[]=duration_details")
    assert r.status_code == 200
    assert r.json() == {
        "data": dict(activity(event_id, length=3600), relationships={
            "staff": {"data": {"type": "staff", "id": "1001"}},
            "service": {"data": {"type": "service", "id": "1021"}},
            "resource_instances": {"data": [{"type": "resource_instance", "id": "1041"},
                                            {"type": "resource_instance", "id": "1042"}]},
            "labels": {"data": [{"type": "label", "id": "1051"}, {"type": "label", "id": "1054"}]},
            "duration_details": {"data": {"type": "activity_duration_details", "id": event_id}},
        }),
        "included": [
            {"type": "staff", "id": "1001", "attributes": {
                "name": "Eva Dvorakova", "company_id": 101, "specialization": "Yoga instructor", "avatar": "",
                "avatar_big": "", "rating": 0.0, "position": {"id": 1, "title": "Senior instructor"}}},
            {"type": "service", "id": "1021", "attributes": {
                "title": "Morning yoga", "company_id": 101, "category_id": 1010,
                "category": {"id": 1010, "title": "Group classes"}, "comment": "", "image_url": "",
                "price_min": 15.0, "price_max": 20.0, "is_group_event": True}},
            {"type": "resource_instance", "id": "1041", "attributes": {"title": "Room A", "resource_id": 1031}},
            {"type": "resource_instance", "id": "1042", "attributes": {"title": "Room B", "resource_id": 1031}},
            {"type": "label", "id": "1051", "attributes": {
                "company_id": 101, "title": "Newcomer friendly", "color": "#4caf50", "font_color": "#ffffff",
                "icon": "", "entity_type": "common", "is_deleted": False, "is_editable": True, "salon_id": 101,
                "entity": 0, "entity_slug": "common", "deleted": 0, "not_editable": 0}},
            {"type": "label", "id": "1054", "attributes": {
                "company_id": 101, "title": "Outdoor", "color": "#ffeb3b", "font_color": "#000000", "icon": "",
                "entity_type": "activity", "is_deleted": False, "is_editable": True, "salon_id": 101,
                "entity": 3, "entity_slug": "activity", "deleted": 0, "not_editable": 0}},
            {"type": "activity_duration_details", "id": event_id,
             "attributes": {"services_duration": 3300, "technical_break_duration": 300}},
        ],
        "meta": [],
    }


def test_include_accepts_all_three_array_spellings(api):
    created = create_event(api)
    path = events_path(event_id=created["id"])
    bodies = [api.get(path + suffix).json() for suffix in (
        "?include[]=staff&include[]=duration_details", "?include=staff&include=duration_details",
        "?include=staff,duration_details")]
    assert bodies[0] == bodies[1] == bodies[2]
    assert [o["type"] for o in bodies[0]["included"]] == ["staff", "activity_duration_details"]


def test_an_unknown_include_is_400(api):
    created = create_event(api)
    r = api.get(events_path(event_id=created["id"]) + "?include[]=staff&include[]=clients")
    message = "The value you selected is not a valid choice."
    assert (r.status_code, r.json()) == (400, error(message, {"include": [message]}))


def test_list_with_include_names_each_shared_object_once(api):
    first = create_event(api, date="2027-01-15 09:00:00")
    second = create_event(api, date="2027-01-15 12:00:00")
    r = api.get(events_path() + "?filter[from]=2027-01-15 00:00:00&filter[to]=2027-01-15 23:59:59"
                                "&include[]=staff")
    assert r.json() == {
        "success": True,
        "data": [dict(activity(e["id"], **a), relationships={"staff": {"data": {"type": "staff", "id": "1001"}}})
                 for e, a in ((first, {}), (second, {"timestamp": 1800010800, "date": "2027-01-15T12:00:00+0100",
                                                     "datetime": "2027-01-15 12:00:00"}))],
        "included": [{"type": "staff", "id": "1001", "attributes": {
            "name": "Eva Dvorakova", "company_id": 101, "specialization": "Yoga instructor", "avatar": "",
            "avatar_big": "", "rating": 0.0, "position": {"id": 1, "title": "Senior instructor"}}}],
        "meta": {"pagination": {"total": 2, "limit": 100, "offset": 0}},
    }


def test_delete_answers_204_and_the_event_reads_deleted(api, clock):
    created = create_event(api)
    clock.advance(60)
    r = api.delete(events_path(event_id=created["id"]))
    assert (r.status_code, r.content) == (204, b"")
    r = api.get(events_path(event_id=created["id"]))
    assert r.json() == {"data": activity(created["id"], deleted=True, updated_at="2027-01-10T13:01:00+0100"),
                        "meta": []}


def test_deleting_twice_is_404(api):
    created = create_event(api)
    assert api.delete(events_path(event_id=created["id"])).status_code == 204
    r = api.delete(events_path(event_id=created["id"]))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_deleted_event_cannot_be_replaced(api):
    created = create_event(api)
    api.delete(events_path(event_id=created["id"]))
    r = api.put(events_path(event_id=created["id"]), json=event_body())
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_delete_cancels_every_active_appointment_and_frees_the_seats(api, database_url, clock):
    event = create_event(api)
    other = create_event(api, staff_id=1002)
    event_id, other_id = int(event["id"]), int(other["id"])
    first = book_seats(database_url, event_id, 2, client_id=1061)
    second = book_seats(database_url, event_id, 3)
    untouched = book_seats(database_url, other_id, 1)
    assert api.get(events_path(event_id=event_id)).json()["data"]["attributes"]["clients_count"] == 5
    clock.advance(120)

    assert api.delete(events_path(event_id=event_id)).status_code == 204

    now = 1799582400 + 120
    assert appointments_of(database_url, event_id) == [
        {"id": first, "deleted": True, "updated_at": now}, {"id": second, "deleted": True, "updated_at": now}]
    assert appointments_of(database_url, other_id) == [{"id": untouched, "deleted": False, "updated_at": 0}]
    assert api.get(events_path(event_id=event_id)).json()["data"]["attributes"]["clients_count"] == 0
    assert api.get(events_path(event_id=other_id)).json()["data"]["attributes"]["clients_count"] == 1


def test_delete_leaves_already_cancelled_appointments_as_they_were(api, database_url, clock):
    event = create_event(api)
    event_id = int(event["id"])
    cancelled = book_seats(database_url, event_id, 1)
    run_sql(database_url, "UPDATE records SET deleted = TRUE, updated_at = 7 WHERE id = $1", cancelled)
    run_sql(database_url, "UPDATE events SET clients_count = 0 WHERE id = $1", event_id)
    clock.advance(60)
    assert api.delete(events_path(event_id=event_id)).status_code == 204
    assert appointments_of(database_url, event_id) == [{"id": cancelled, "deleted": True, "updated_at": 7}]


def test_a_deleted_event_leaves_the_list(api):
    kept = create_event(api)
    gone = create_event(api, staff_id=1002)
    api.delete(events_path(event_id=gone["id"]))
    r = api.get(events_path() + "?filter[from]=2027-01-15 00:00:00&filter[to]=2027-01-15 23:59:59")
    assert [e["id"] for e in r.json()["data"]] == [kept["id"]]
    assert r.json()["meta"] == {"pagination": {"total": 1, "limit": 100, "offset": 0}}


def test_an_unknown_location_is_404(api):
    r = api.post("/api/v2/locations/999/events", json=event_body())
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_other_methods_are_405(api):
    created = create_event(api)
    r = api.patch(events_path(event_id=created["id"]), json={})
    assert (r.status_code, r.json()) == (405, error("Method not allowed"))
    assert api.delete(events_path()).status_code == 405


def test_answers_match_the_openapi_document(api):
    import jsonschema

    doc = api.get("/openapi.json", accept=None, auth=None).json()
    ops = doc["paths"]

    def check(path: str, method: str, status: int, response) -> None:
        schema = ops[path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
        assert response.status_code == status
        jsonschema.validate(response.json(), schema)

    one = "/api/v2/locations/{location_id}/events/{event_id}"
    created = api.post(events_path(), json=event_body(resource_instance_ids=[ROOM_A], label_ids=[ACTIVITY_TAG]))
    check("/api/v2/locations/{location_id}/events", "post", 201, created)
    event_id = created.json()["data"]["id"]
    check(one, "get", 200, api.get(events_path(event_id=event_id) + "?include=staff,service,labels"))
    check(one, "put", 200, api.put(events_path(event_id=event_id), json=event_body(capacity=3)))
    check(one, "put", 409, api.post(events_path(), json=event_body()))
    check(one, "put", 422, api.put(events_path(event_id=event_id), json={}))
    listed = api.get(events_path() + "?filter[from]=2027-01-11 00:00:00&filter[to]=2027-01-17 23:59:59"
                                     "&include[]=resource_instances")
    check("/api/v2/locations/{location_id}/events", "get", 200, listed)
    check("/api/v2/locations/{location_id}/events", "get", 400, api.get(events_path()))


def test_reads_and_lists_follow_every_change_behind_the_api(api, database_url):
    """Encoded events are kept per whole row: a change made outside the server's writes
    (seats, the service's title, any column) shows on the very next read and list."""
    created = create_event(api, comment="Hello")
    event_id = int(created["id"])
    period = "?filter[from]=2027-01-15 00:00:00&filter[to]=2027-01-15 23:59:59"

    def seen() -> tuple[dict, dict]:
        one = api.get(events_path(event_id=event_id))
        listed = api.get(events_path() + period)
        assert (one.status_code, listed.status_code) == (200, 200)
        return one.json()["data"]["attributes"], next(e for e in listed.json()["data"] if e["id"] == str(event_id))

    for _ in range(2):
        attributes, listed = seen()
        assert attributes["clients_count"] == 0 and attributes["name"] == "Morning yoga"
        assert listed == {"type": "activity", "id": str(event_id), "attributes": attributes}

    book_seats(database_url, event_id, clients_count=2)
    run_sql(database_url, "UPDATE services SET title = $1 WHERE id = $2", "Evening yoga", 1021)
    attributes, listed = seen()
    assert (attributes["clients_count"], attributes["name"]) == (2, "Evening yoga")
    assert listed["attributes"] == attributes

    run_sql(database_url, "UPDATE events SET comment = $1 WHERE id = $2", "Changed behind the API", event_id)
    attributes, listed = seen()
    assert (attributes["comment"], attributes["description"]) == ("Changed behind the API",) * 2
    assert listed["attributes"] == attributes
    assert api.get(events_path(event_id=event_id)).json() == {
        "data": activity(event_id, comment="Changed behind the API", description="Changed behind the API",
                         clients_count=2, name="Evening yoga"),
        "meta": []}
