"""v1 client search and the older client list (behaviour 16.6), whole bodies on both databases."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.v1.test_client_writes import ANNA_ID, NOW_LOCAL, one, shown
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
SEARCH = f"/api/v1/company/{LOC}/clients/search"
LIST = f"/api/v1/clients/{LOC}"
SEEDED = "1970-01-01T01:00:00+0100"  # the demo's clients were seeded at Unix time 0
ANNA = shown(ANNA_ID, "Anna", "+420601000001", surname="Novak", email="anna@example.com", gender_id=2,
             changed=SEEDED)


@pytest.fixture
def clients(api) -> dict[str, dict[str, Any]]:
    """Anna (seeded) and three clients created now, by first name, as the v1 object shows them."""
    made = {"anna": ANNA}
    for body in ({"name": "Bohdan", "surname": "Kral", "phone": "+420 602 111 222", "gender_id": 1,
                  "birth_date": "1985-03-01", "email": "bohdan@mail.example"},
                 {"name": "Cecilie", "surname": "Annova", "phone": "+420603333444", "gender_id": 2,
                  "birth_date": "1999-12-31"},
                 {"name": "david", "surname": "Svoboda", "phone": "+1 315 555 0100", "email": "DAVID@example.com"}):
        data = api.post(f"/api/v1/clients/{LOC}", json=body).json()["data"]
        assert data["name"] == body["name"]
        made[body["name"].lower()] = data
    return made


def found(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    return {"success": True, "data": items, "meta": {"total_count": len(items) if total is None else total}}


def search(api, body: Any) -> Any:
    return api.post(SEARCH, json=body, accept=None)


def quick(text: str) -> dict[str, Any]:
    return {"filters": [{"type": "quick_search", "state": {"value": text}}]}


def test_an_empty_search_finds_every_live_client_by_id_whole(api, clients):
    r = search(api, {})
    everyone = [clients[n] for n in ("anna", "bohdan", "cecilie", "david")]
    assert (r.status_code, r.json()) == (200, found(everyone))
    assert clients["bohdan"] == shown(clients["bohdan"]["id"], "Bohdan", "+420602111222", surname="Kral",
                                      gender_id=1, birth_date="1985-03-01", email="bohdan@mail.example",
                                      changed=NOW_LOCAL)


@pytest.mark.parametrize("text, names", [
    ("ann", ["anna", "cecilie"]),  # Anna's name, Cecilie Annova's surname
    ("DAVID", ["david"]),  # any case: the name and the e-mail
    ("novak anna", ["anna"]),  # surname first
    ("602-111", ["bohdan"]),  # part of a phone, any punctuation
    ("+420 60", ["anna", "bohdan", "cecilie"]),
    ("mail.example", ["bohdan"]),
    ("100%", []),  # LIKE wildcards are plain text here
    ("zzz", []),
])
def test_a_quick_search_matches_part_of_a_name_email_or_phone(api, clients, text, names):
    r = search(api, quick(text))
    assert (r.status_code, r.json()) == (200, found([clients[n] for n in names]))


def test_filters_by_id_gender_and_birthday_all_hold(api, clients):
    ids = [clients[n]["id"] for n in ("anna", "bohdan", "cecilie")]
    body = {"filters": [{"type": "id", "state": {"value": ids}},
                        {"type": "gender", "state": {"value": [2]}},
                        {"type": "birthday", "state": {"from": "1990-01-01 00:00:00", "to": "2000-01-01 23:59:59"}}]}
    assert search(api, body).json() == found([clients["cecilie"]])


def test_with_operation_or_one_filter_is_enough(api, clients):
    body = {"operation": "OR", "filters": [{"type": "id", "state": {"value": [ANNA_ID]}},
                                           {"type": "quick_search", "state": {"value": "kral"}}]}
    assert search(api, body).json() == found([clients["anna"], clients["bohdan"]])


def test_fields_pick_what_each_client_shows(api, clients):
    r = search(api, {"fields": ["id", "name", "phone"], **quick("ann")})
    assert r.json() == found([{"id": ANNA_ID, "name": "Anna", "phone": "+420601000001"},
                              {"id": clients["cecilie"]["id"], "name": "Cecilie", "phone": "+420603333444"}])


def test_pages_and_order_with_the_total_of_all_matches(api, clients):
    r = search(api, {"page": 2, "page_size": 2, "order_by": "name", "order_by_direction": "DESC", "fields": ["name"]})
    assert r.json() == found([{"name": "Bohdan"}, {"name": "Anna"}], total=4)  # after david, Cecilie
    r = search(api, {"page": 1, "page_size": 3, "order_by": "phone", "fields": ["name"]})
    assert r.json() == found([{"name": "david"}, {"name": "Anna"}, {"name": "Bohdan"}], total=4)


def test_an_order_the_model_does_not_hold_sorts_by_id(api, clients):
    r = search(api, {"order_by": "sold_amount", "order_by_direction": "DESC", "fields": ["id"]})
    assert r.json() == found([{"id": c["id"]} for c in reversed(list(clients.values()))])


def test_another_locations_clients_are_never_found(api, clients):
    r = api.post(f"/api/v1/company/{NEW_YORK['id']}/clients/search", json={"fields": ["id"]})
    assert r.json() == found([{"id": NEW_YORK["client"]["id"]}])


def test_a_deleted_client_is_not_found(api, clients):
    api.delete(one(clients["bohdan"]["id"]))
    assert search(api, quick("kral")).json() == found([])


def test_a_read_only_user_may_search(api, clients):
    r = api.post(SEARCH, json=quick("anna"), auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (200, found([clients["anna"]]))


UNSERVED = "This filter type is not served here; served: id, quick_search, gender, birthday."


@pytest.mark.parametrize("body, field, message", [
    ({"page_size": 201}, "page_size", "This value should be between 1 and 200."),
    ({"page": 0}, "page", "This value should be greater than or equal to 1."),
    ({"fields": ["id", "shoe"]}, "fields.1", "The value you selected is not a valid choice."),
    ({"order_by": "age"}, "order_by", "The value you selected is not a valid choice."),
    ({"operation": "XOR"}, "operation", "The value you selected is not a valid choice."),
    ({"filters": [{"type": "sold_amount", "state": {"from": 0, "to": 10}}]}, "filters.0.type", UNSERVED),
    ({"filters": [{"type": "id", "state": {"value": "1,2"}}]}, "filters.0.state.value",
     "This value should be of type array."),
    ({"filters": [{"type": "birthday", "state": {"from": "01.01.1990"}}]}, "filters.0.state.from",
     "This value is not a valid date. Expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS."),
    ({"filters": [quick("a")["filters"][0], quick("b")["filters"][0]]}, "filters.1.type",
     "Each filter type may be given once."),
    ({"filters": [{"type": "gender"}]}, "filters.0.state", "This field is missing."),
])
def test_a_search_that_cannot_be_read_is_422_naming_the_field(api, body, field, message):
    r = search(api, body)
    assert (r.status_code, r.json()) == (422, error(message, {field: [message]}))


def test_searching_without_tokens_is_401(api):
    r = api.post(SEARCH, json={}, auth=None)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


def listed(items: list[dict[str, Any]], page: int = 1, total: int | None = None) -> dict[str, Any]:
    return {"success": True, "data": items,
            "meta": {"page": page, "total_count": len(items) if total is None else total}}


@pytest.mark.parametrize("query, names", [
    ("", ["anna", "bohdan", "cecilie", "david"]),
    ("fullname=ANN", ["anna", "cecilie"]),
    ("phone=420%20602", ["bohdan"]),
    ("email=example.com", ["anna", "david"]),
    ("id=1061", ["anna"]),
    ("id[]=1061&fullname=kral", []),
    ("changed_after=2027-01-10T13:00:00", ["bohdan", "cecilie", "david"]),  # local time, Prague
    ("changed_before=2027-01-10T11:59:59Z", ["anna"]),
    ("card=5663", []),  # no client has a card
    ("paid_min=0&paid_max=0", ["anna", "bohdan", "cecilie", "david"]),  # every client paid 0
])
def test_the_older_list_filters_by_name_phone_email_ids_and_change(api, clients, query, names):
    r = api.get(f"{LIST}?{query}", accept=None)
    assert (r.status_code, r.json()) == (200, listed([clients[n] for n in names]))


def test_the_older_list_pages_with_count(api, clients):
    r = api.get(f"{LIST}?page=2&count=3", accept=None)
    assert r.json() == listed([clients["david"]], page=2, total=4)


@pytest.mark.parametrize("query, field, message", [
    ("count=201", "count", "This value should be between 1 and 200."),
    ("page=x", "page", "This value should be a non-negative integer."),
    ("paid_min=lots", "paid_min", "This value should be a number."),
    ("fullname=a%00b", "fullname", "This value should be text of at most 255 characters, without NUL."),
    (f"email={'x' * 256}", "email", "This value should be text of at most 255 characters, without NUL."),
    ("changed_after=yesterday", "changed_after",
     "This value is not a valid datetime. Expected ISO 8601, e.g. 2027-01-15T09:00:00 "
     "(local time of the location) or 2027-01-15T09:00:00+01:00."),
])
def test_the_older_list_answers_400_for_what_it_cannot_read(api, query, field, message):
    r = api.get(f"{LIST}?{query}", accept=None)
    assert (r.status_code, r.json()) == (400, error(message, {field: [message]}))
