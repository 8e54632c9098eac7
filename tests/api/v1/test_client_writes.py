"""v1 clients written: create, replace and soft delete (behaviour 16.5, 16.7, 16.8), whole bodies."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
ANNA_ID = PRAGUE["client"]["id"]  # Anna Novak, +420601000001, seeded at Unix time 0
CREATE = f"/api/v1/clients/{LOC}"
MISSING = "This field is missing."
TAKEN = "Another client of this location has this phone number"
OF_DELETED = ("A deleted client of this location has this phone number; "
              "create a client with it to bring that client back")
NOW_LOCAL = "2027-01-10T13:00:00+0100"  # the tests' now, in Prague
JAMES = {"name": "James", "surname": "Smith", "middle_name": "Lee", "phone": "+1 (315) 555-0179",
         "email": "j.smith@example.com", "gender_id": 1, "birth_date": "1990-05-17",
         "custom_fields": {"shoe_size": "44", "note": None},
         # The vendor's fields the model does not hold are read and dropped.
         "importance_id": 1, "discount": 15, "card": "555888666", "comment": "throws show-off",
         "spent": 1000, "balance": -200, "sms_check": 1, "sms_not": 0, "categories": [101, 102]}


def one(client_id: int, location_id: int = LOC) -> str:
    return f"/api/v1/client/{location_id}/{client_id}"


def shown(client_id: int, name: str, phone: str, *, surname: str = "", middle_name: str = "", email: str = "",
          gender_id: int = 0, birth_date: str = "", custom_fields: dict[str, Any] | None = None,
          changed: str = NOW_LOCAL) -> dict[str, Any]:
    """The v1 client object, with what the model does not hold empty."""
    return {
        "id": client_id, "name": name, "surname": surname, "middle_name": middle_name, "phone": phone,
        "email": email, "categories": [], "gender": ["Unknown", "Male", "Female"][gender_id], "gender_id": gender_id,
        "discount": 0, "importance_id": 0, "importance": "", "card": "", "birth_date": birth_date, "comment": "",
        "sms_check": 0, "sms_not": 0, "spent": 0, "balance": 0, "visits": 0, "last_change_date": changed,
        "custom_fields": custom_fields or {},
    }


def ok(data: Any) -> dict[str, Any]:
    return {"success": True, "data": data, "meta": []}


JAMES_SHOWN = dict(surname="Smith", middle_name="Lee", email="j.smith@example.com", gender_id=1,
                   birth_date="1990-05-17", custom_fields={"shoe_size": "44", "note": None})


def create(api, body: dict[str, Any], **kw: Any) -> Any:
    return api.post(CREATE, json=body, accept=None, **kw)


def book(api, database_url, client: dict[str, Any]) -> Any:
    event = f.make_event(database_url)
    return api.post(f"/api/v2/locations/{LOC}/events/{event}/appointments", json={"client": client, "clients_count": 1})


def test_a_client_is_created_whole_and_reads_back_the_same(api):
    r = create(api, JAMES)
    client_id = r.json()["data"]["id"]
    expected = ok(shown(client_id, "James", "+13155550179", **JAMES_SHOWN))
    assert (r.status_code, r.json()) == (201, expected)
    assert api.get(one(client_id), accept=None).json() == expected


def test_a_client_needs_only_a_name_and_a_phone(api):
    r = create(api, {"name": "Petr", "phone": "420 603 000 002"})
    assert (r.status_code, r.json()) == (201, ok(shown(r.json()["data"]["id"], "Petr", "+420603000002")))


def test_the_older_field_names_and_a_numeric_phone_are_read(api):
    r = create(api, {"name": "Olga", "phone": 79161234567, "patronymic": "Ivanovna", "sex_id": 2,
                     "birth_date": "", "custom_fields": []})
    expected = shown(r.json()["data"]["id"], "Olga", "+79161234567", middle_name="Ivanovna", gender_id=2)
    assert (r.status_code, r.json()) == (201, ok(expected))


def test_a_client_without_name_and_phone_is_422_and_nothing_is_created(api, database_url):
    before = f.count_rows(database_url, "clients")
    r = create(api, {"surname": "Nobody"})
    errors = {"name": [MISSING], "phone": [MISSING]}
    assert (r.status_code, r.json()) == (422, error(MISSING, errors))
    assert f.count_rows(database_url, "clients") == before


@pytest.mark.parametrize("field, value, message", [
    ("name", "  ", "This value should not be blank."),
    ("phone", "call me", "This value is not a valid phone number."),
    ("phone", "+1", "This value is not a valid phone number."),
    ("email", "not-an-email", "This value is not a valid email address."),
    ("birth_date", "17.05.1990", "This value is not a valid date. Expected YYYY-MM-DD."),
    ("gender_id", 3, "This value should be between 0 and 2."),
    ("custom_fields", "size 44", "This value should be of type object."),
])
def test_a_bad_field_is_422_naming_it(api, database_url, field, value, message):
    before = f.count_rows(database_url, "clients")
    r = create(api, {"name": "Petr", "phone": "+420603000002", field: value})
    assert (r.status_code, r.json()) == (422, error(message, {field: [message]}))
    assert f.count_rows(database_url, "clients") == before


def test_a_phone_another_client_has_is_422_however_it_is_spelled(api, database_url):
    r = create(api, {"name": "Impostor", "phone": "420 601 000-001"})
    assert (r.status_code, r.json()) == (422, error(TAKEN, {"phone": [TAKEN]}))
    assert f.clients_with_phone(database_url, LOC, "+420601000001") == [ANNA_ID]


def test_another_location_may_have_a_client_with_the_same_phone(api):
    r = api.post(f"/api/v1/clients/{NEW_YORK['id']}", json={"name": "Petr", "phone": "+420603000002"})
    assert r.status_code == 201
    assert create(api, {"name": "Petr", "phone": "+420603000002"}).status_code == 201


def test_replacing_a_client_overwrites_every_field_and_empties_those_left_out(api, clock):
    client_id = create(api, JAMES).json()["data"]["id"]
    clock.advance(3600)
    r = api.put(one(client_id), json={"name": "Jim", "phone": "+1 315 555 0180", "email": "jim@example.com"},
                accept=None)
    expected = ok(shown(client_id, "Jim", "+13155550180", email="jim@example.com",
                        changed="2027-01-10T14:00:00+0100"))
    assert (r.status_code, r.json()) == (200, expected)
    assert api.get(one(client_id)).json() == expected


def test_a_client_keeps_their_phone_through_a_replace_spelled_otherwise(api):
    r = api.put(one(ANNA_ID), json={"name": "Anna", "phone": "420-601-000-001"})
    assert (r.status_code, r.json()["data"]["phone"]) == (200, "+420601000001")


def test_replacing_with_another_clients_phone_is_422_and_changes_nothing(api):
    client_id = create(api, JAMES).json()["data"]["id"]
    r = api.put(one(client_id), json={"name": "James", "phone": "+420601000001"})
    assert (r.status_code, r.json()) == (422, error(TAKEN, {"phone": [TAKEN]}))
    assert api.get(one(client_id)).json() == ok(shown(client_id, "James", "+13155550179", **JAMES_SHOWN))


def test_a_bad_replace_is_422_and_changes_nothing(api):
    before = api.get(one(ANNA_ID)).json()
    r = api.put(one(ANNA_ID), json={"name": "", "phone": "+420601000001"})
    message = "This value should not be blank."
    assert (r.status_code, r.json()) == (422, error(message, {"name": [message]}))
    assert api.get(one(ANNA_ID)).json() == before


def test_a_deleted_client_answers_204_and_is_gone_from_reads_and_writes(api):
    r = api.delete(one(ANNA_ID))
    assert (r.status_code, r.content) == (204, b"")
    for r in (api.get(one(ANNA_ID)), api.delete(one(ANNA_ID)),
              api.put(one(ANNA_ID), json={"name": "Anna", "phone": "+420601000001"})):
        assert (r.status_code, r.json()) == (404, error("Not found"))
    search = api.post(f"/api/v1/company/{LOC}/clients/search", json={}).json()
    assert search["meta"] == {"total_count": 0}


def test_a_deleted_clients_appointments_still_show_the_client(api, database_url):
    anna = {"name": "Anna", "surname": "Novak", "phone": "+420601000001", "email": "anna@example.com", "gender": 2}
    booked = book(api, database_url, anna).json()["data"]
    record_id = booked["id"]
    v1_before = api.get(f"/api/v1/record/{LOC}/{record_id}", accept=None).json()
    v2_before = api.get(f"/api/v2/locations/{LOC}/appointments/{record_id}").json()
    assert api.delete(one(ANNA_ID)).status_code == 204
    assert api.get(f"/api/v1/record/{LOC}/{record_id}", accept=None).json() == v1_before
    assert v1_before["data"]["client"]["name"] == "Anna"
    assert api.get(f"/api/v2/locations/{LOC}/appointments/{record_id}").json() == v2_before
    assert v2_before["data"]["attributes"]["client_id"] == ANNA_ID


def test_booking_a_deleted_clients_phone_brings_the_client_back(api, database_url):
    api.delete(one(ANNA_ID))
    r = book(api, database_url, {"name": "Anna", "surname": "Novakova", "phone": "420 601 000 001", "email": "",
                                 "gender": 2})
    assert r.json()["data"]["attributes"]["client_id"] == ANNA_ID
    assert api.get(one(ANNA_ID)).json() == ok(shown(ANNA_ID, "Anna", "+420601000001", surname="Novakova",
                                                    gender_id=2))


def test_creating_a_client_with_a_deleted_clients_phone_brings_them_back_as_described(api):
    api.delete(one(ANNA_ID))
    r = create(api, {"name": "Anička", "phone": "+420601000001", "gender_id": 2})
    assert (r.status_code, r.json()) == (201, ok(shown(ANNA_ID, "Anička", "+420601000001", gender_id=2)))


def test_replacing_with_a_deleted_clients_phone_is_422_saying_so(api):
    client_id = create(api, JAMES).json()["data"]["id"]
    api.delete(one(ANNA_ID))
    r = api.put(one(client_id), json={"name": "James", "phone": "+420601000001"})
    assert (r.status_code, r.json()) == (422, error(OF_DELETED, {"phone": [OF_DELETED]}))


def test_booking_a_deleted_client_by_id_is_404(api, database_url):
    api.delete(one(ANNA_ID))
    r = book(api, database_url, {"id": ANNA_ID, "name": "Anna", "surname": "", "phone": "+420601000001",
                                 "email": "", "gender": 2})
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_another_locations_client_is_404_to_every_write_and_unchanged(api):
    other = NEW_YORK["client"]["id"]
    before = api.get(one(other, NEW_YORK["id"])).json()
    for r in (api.put(one(other), json={"name": "X", "phone": "+420601000099"}), api.delete(one(other))):
        assert (r.status_code, r.json()) == (404, error("Not found"))
    assert api.get(one(other, NEW_YORK["id"])).json() == before


@pytest.mark.parametrize("method, path, body", [
    ("POST", CREATE, {"name": "Petr", "phone": "+420603000002"}),
    ("PUT", one(ANNA_ID), {"name": "Petr", "phone": "+420601000001"}),
    ("DELETE", one(ANNA_ID), None),
])
def test_a_read_only_user_may_not_write_clients(api, method, path, body):
    r = api.request(method, path, json=body, auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))
    assert api.get(one(ANNA_ID)).json()["data"]["name"] == "Anna"


def test_writing_clients_without_tokens_is_401(api):
    r = api.post(CREATE, json={"name": "Petr", "phone": "+420603000002"}, auth=None)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))
