"""Listing and cancelling appointments: GET /locations/{id}/appointments and
DELETE /locations/{id}/appointments/{record_id}, their seed spellings and the event-scoped
paths (behaviour 5.4)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
LIST = f"/api/v2/locations/{LOC}/appointments"


def phone(n: int) -> str:
    return f"+4206020000{n:02d}"


def book(api, event_id: int, n: int, seats: int = 1, location_id: int = LOC) -> int:
    client = {"name": f"Client {n}", "phone": phone(n), "email": "", "surname": "", "gender": 0}
    r = api.post(f"/api/v2/locations/{location_id}/events/{event_id}/appointments",
                 json={"client": client, "clients_count": seats})
    assert r.status_code == 201, r.json()
    return int(r.json()["data"]["id"])


def cancel(api, record_id: int, location_id: int = LOC):
    return api.delete(f"/api/v2/locations/{location_id}/appointments/{record_id}")


def ids(response) -> list[int]:
    return [int(r["id"]) for r in response.json()["data"]]


@pytest.fixture
def events(database_url) -> tuple[int, int]:
    return f.make_event(database_url, capacity=5), f.make_event(database_url, capacity=5, start=f.NOW_TS + 2 * f.DAY)


# --- listing --------------------------------------------------------------------------------

def test_an_events_active_appointments_are_listed_whole_and_paged(api, database_url, events):
    first, second = events
    a, b = book(api, first, 1, seats=2), book(api, second, 2)
    c = book(api, first, 3)
    r = api.get(f"{LIST}?filter[activity_id]={first}")
    clients = [f.clients_with_phone(database_url, LOC, phone(n))[0] for n in (1, 3)]
    assert (r.status_code, r.json()) == (200, {
        "data": [f.record_resource(a, event_id=first, client_id=clients[0], clients_count=2),
                 f.record_resource(c, event_id=first, client_id=clients[1])],
        "meta": {"pagination": {"total": 2, "limit": 100, "offset": 0}},
    })
    r = api.get(f"{LIST}?filter[activity_id]={first}&limit=1&offset=1")
    assert (ids(r), r.json()["meta"]) == ([c], {"pagination": {"total": 2, "limit": 1, "offset": 1}})
    assert ids(api.get(f"{LIST}?filter[activity_id]={second}")) == [b]


def test_several_events_may_be_asked_for_in_every_array_spelling(api, events):
    first, second = events
    a, b = book(api, first, 1), book(api, second, 2)
    for query in (f"filter[activity_id][]={first}&filter[activity_id][]={second}",
                  f"filter[activity_id]={first}&filter[activity_id]={second}",
                  f"filter[activity_id]={second},{first}"):
        assert ids(api.get(f"{LIST}?{query}")) == [a, b]


def test_without_a_filter_every_active_appointment_of_the_location_is_listed(api, database_url, events):
    ny = NEW_YORK
    ny_event = f.make_event(database_url, location_id=ny["id"], staff_id=ny["staff_ids"][0],
                            service_id=ny["group_service_ids"][0])
    book(api, ny_event, 9, location_id=ny["id"])
    a, b = book(api, events[0], 1), book(api, events[1], 2)
    assert ids(api.get(LIST)) == [a, b]


def test_cancelled_appointments_are_not_listed(api, events):
    a, b = book(api, events[0], 1), book(api, events[0], 2)
    cancel(api, a)
    r = api.get(f"{LIST}?filter[activity_id]={events[0]}")
    assert (ids(r), r.json()["meta"]["pagination"]["total"]) == ([b], 1)


def test_an_event_without_appointments_here_lists_nothing(api, database_url):
    r = api.get(f"{LIST}?filter[activity_id]=987654")
    assert (r.status_code, r.json()) == (200, {"data": [], "meta": {"pagination": {"total": 0, "limit": 100,
                                                                                    "offset": 0}}})


@pytest.mark.parametrize("query, field, message", [
    ("filter[activity_id]=abc", "filter[activity_id]", "This value should be a non-negative integer."),
    ("filter[activity_id][]=-1", "filter[activity_id]", "This value should be a non-negative integer."),
    ("filter[activity_id]=99999999999999999999", "filter[activity_id]",
     "This value should be a non-negative integer."),
    ("filter[activity_id]=" + ",".join(map(str, range(1, 1002))), "filter[activity_id]",
     "This collection should contain 1000 elements or less."),
    ("limit=1001", "limit", "This value should be less than or equal to 1000."),
    ("offset=x", "offset", "This value should be a non-negative integer."),
])
def test_bad_list_parameters_are_400_with_the_parameter_named(api, query, field, message):
    r = api.get(f"{LIST}?{query}")
    assert (r.status_code, r.json()) == (400, error(message, {field: [message]}))


def test_a_read_only_user_may_list(api, events):
    a = book(api, events[0], 1)
    assert ids(api.get(LIST, auth=READONLY_AUTH)) == [a]


def test_the_seed_spelling_lists_the_same(api, events):
    first, second = events
    book(api, first, 1), book(api, second, 2), book(api, first, 3)
    for query in ("", f"?filter[activity_id]={first}", f"?filter[activity_id]={second}&limit=1"):
        current, seed = api.get(LIST + query), api.get(f"/api/v2/companies/{LOC}/records{query}")
        assert (seed.status_code, seed.json()) == (current.status_code, current.json())
        assert current.status_code == 200


@pytest.mark.parametrize("spelling", ["companies/{loc}/activities/{event}/records",
                                      "locations/{loc}/events/{event}/appointments"])
def test_an_events_own_path_lists_its_active_appointments(api, database_url, events, spelling):
    first, second = events
    a, b = book(api, first, 1, seats=2), book(api, first, 2)
    book(api, second, 3)
    cancel(api, b)
    c = book(api, first, 4)
    url = "/api/v2/" + spelling.format(loc=LOC, event=first)
    clients = [f.clients_with_phone(database_url, LOC, phone(n))[0] for n in (1, 4)]
    r = api.get(url)
    assert (r.status_code, r.json()) == (200, {
        "data": [f.record_resource(a, event_id=first, client_id=clients[0], clients_count=2),
                 f.record_resource(c, event_id=first, client_id=clients[1])],
        "meta": {"pagination": {"total": 2, "limit": 100, "offset": 0}},
    })
    r = api.get(f"{url}?limit=1&offset=1&filter[activity_id]={second}", auth=READONLY_AUTH)  # the path's event wins
    assert (ids(r), r.json()["meta"]) == ([c], {"pagination": {"total": 2, "limit": 1, "offset": 1}})


def test_the_path_of_an_unknown_foreign_or_deleted_event_is_404(api, database_url, events):
    book(api, events[0], 1)
    for location_id, event_id in ((LOC, 987654), (LOC, 2**64), (NEW_YORK["id"], events[0])):
        r = api.get(f"/api/v2/companies/{location_id}/activities/{event_id}/records")
        assert (r.status_code, r.json()) == (404, error("Not found"))
    f.execute(database_url, "UPDATE events SET deleted = TRUE WHERE id = $1", events[1])
    r = api.get(f"/api/v2/locations/{LOC}/events/{events[1]}/appointments")
    assert (r.status_code, r.json()) == (404, error("Not found"))
    r = api.get(f"/api/v2/companies/{LOC}/activities/{events[0]}/records?limit=1001")
    message = "This value should be less than or equal to 1000."
    assert (r.status_code, r.json()) == (400, error(message, {"limit": [message]}))


# --- cancelling -----------------------------------------------------------------------------

def test_cancelling_frees_the_seats_and_a_second_cancel_is_404(api, database_url, events):
    a = book(api, events[0], 1, seats=3)
    book(api, events[0], 2, seats=2)
    r = cancel(api, a)
    assert (r.status_code, r.content) == (204, b"")
    assert f.event_seats(database_url, events[0]) == 2 == f.active_seats(database_url, events[0])
    r = cancel(api, a)
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert f.event_seats(database_url, events[0]) == 2


def test_cancelled_seats_can_be_booked_again_by_anyone(api, database_url, events):
    a = book(api, events[0], 1, seats=5)
    cancel(api, a)
    book(api, events[0], 2, seats=5)
    assert f.event_seats(database_url, events[0]) == 5 == f.active_seats(database_url, events[0])


@pytest.mark.parametrize("record_id", [987654, 2**64])
def test_cancelling_an_unknown_appointment_is_404(api, record_id):
    r = cancel(api, record_id)
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_an_appointment_cannot_be_cancelled_through_another_location(api, database_url, events):
    a = book(api, events[0], 1)
    r = cancel(api, a, NEW_YORK["id"])
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert f.event_seats(database_url, events[0]) == 1


def test_a_read_only_user_cannot_cancel(api, database_url, events):
    a = book(api, events[0], 1)
    r = api.delete(f"{LIST}/{a}", auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))
    assert f.event_seats(database_url, events[0]) == 1


def test_an_appointment_in_a_deleted_event_is_cancelled_without_touching_its_seats(api, database_url, events):
    a = book(api, events[0], 1, seats=2)
    # What deleting the event does to the event row; its appointment is left active here on purpose.
    f.execute(database_url, "UPDATE events SET deleted = TRUE, clients_count = 0 WHERE id = $1", events[0])
    assert cancel(api, a).status_code == 204
    assert f.event_seats(database_url, events[0]) == 0


@pytest.mark.parametrize("spelling", ["companies/{loc}/records/{record}",
                                      "companies/{loc}/activities/{event}/records/{record}",
                                      "locations/{loc}/events/{event}/appointments/{record}"])
def test_every_spelling_cancels(api, database_url, events, spelling):
    a = book(api, events[0], 1, seats=3)
    url = "/api/v2/" + spelling.format(loc=LOC, event=events[0], record=a)
    r = api.delete(url)
    assert (r.status_code, r.content) == (204, b"")
    assert f.event_seats(database_url, events[0]) == 0 == f.active_seats(database_url, events[0])
    r = api.delete(url)
    assert (r.status_code, r.json()) == (404, error("Not found"))


@pytest.mark.parametrize("spelling", ["companies/{loc}/activities/{event}/records/{record}",
                                      "locations/{loc}/events/{event}/appointments/{record}"])
def test_an_events_path_cancels_only_its_own_appointments(api, database_url, events, spelling):
    first, second = events
    a = book(api, first, 1, seats=2)
    for event_id in (second, 987654, 2**64):
        r = api.delete("/api/v2/" + spelling.format(loc=LOC, event=event_id, record=a))
        assert (r.status_code, r.json()) == (404, error("Not found"))
    assert f.event_seats(database_url, first) == 2 == f.active_seats(database_url, first)
    r = api.delete("/api/v2/" + spelling.format(loc=LOC, event=first, record=a), auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))
    assert f.event_seats(database_url, first) == 2


# --- the documentation ----------------------------------------------------------------------

def test_the_openapi_document_describes_every_appointment_operation(api):
    paths = api.get("/openapi.json").json()["paths"]
    seed = "/api/v2/companies/{location_id}/activities/{event_id}/records"
    current = "/api/v2/locations/{location_id}/events/{event_id}/appointments"
    assert set(paths[seed]) == set(paths[current]) == {"post", "get"}
    assert set(paths[seed + "/{record_id}"]) == set(paths[current + "/{record_id}"]) == {
        "patch", "put", "post", "delete"}
    for prefix in ("/api/v2/locations/{location_id}/appointments", "/api/v2/companies/{location_id}/records"):
        assert set(paths[prefix]) == {"get"}
        assert set(paths[prefix + "/{record_id}"]) == {"get", "delete"}
    assert set(paths[seed]["post"]["responses"]) == {"201", "400", "401", "403", "404", "405", "413", "422"}
    assert paths[seed + "/{record_id}"]["patch"]["requestBody"]["content"]["application/json"]["schema"][
        "required"] == ["reschedule_activity_id"]
    assert set(paths["/api/v2/locations/{location_id}/appointments/{record_id}"]["delete"]["responses"]) == {
        "204", "400", "401", "403", "404", "405", "409"}
