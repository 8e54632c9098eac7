"""GET and POST /api/v1/hooks_settings/{location_id} (behaviour 20.1), whole bodies compared."""

from __future__ import annotations

from typing import Any

import pytest

from altegio_server.webhooks.rules import FLAGS
from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
PATH = f"/api/v1/hooks_settings/{LOC}"
URL_INVALID = "This value is not a valid URL. Expected an absolute http:// or https:// URL."


def shown(urls: list[str] | None = None, active: bool = False, on: tuple[str, ...] = (),
          secret: bool = False) -> dict[str, Any]:
    data = {"urls": urls or [], "active": active, **{flag: flag in on for flag in FLAGS},
            "has_signing_secret": secret}
    return {"success": True, "data": data, "meta": []}


def test_a_location_that_set_nothing_has_every_hook_off(api):
    r = api.get(PATH, accept=None)
    assert (r.status_code, r.json()) == (200, shown())


def test_settings_are_saved_and_read_back_whole(api):
    body = {"urls": ["https://example.com/hooks", "http://127.0.0.1:9000/x?y=1"], "active": True,
            "record": True, "client": True, "signing_secret": "s3cret"}
    r = api.post(PATH, json=body, accept=None)
    want = shown(body["urls"], True, ("record", "client"), secret=True)
    assert (r.status_code, r.json()) == (200, want)
    assert api.get(PATH).json() == want


def test_a_post_replaces_the_settings_whole(api):
    api.post(PATH, json={"urls": ["https://a.example"], "active": True, "record": True, "signing_secret": "x"})
    r = api.post(PATH, json={"urls": ["https://b.example"], "master": True})
    assert (r.status_code, r.json()) == (200, shown(["https://b.example"], False, ("master",)))


def test_each_location_has_its_own_settings(api):
    api.post(PATH, json={"urls": ["https://a.example"], "active": True, "record": True})
    r = api.get(f"/api/v1/hooks_settings/{NEW_YORK['id']}")
    assert (r.status_code, r.json()) == (200, shown())


@pytest.mark.parametrize("body, errors", [
    ({"urls": [f"https://x.example/{i}" for i in range(11)]},
     {"urls": ["This collection should contain 10 elements or less."]}),
    ({"urls": ["ftp://x.example/"]}, {"urls.0": [URL_INVALID]}),
    ({"urls": ["https://ok.example", "/relative"]}, {"urls.1": [URL_INVALID]}),
    ({"urls": ["http://x.example:99999/"]}, {"urls.0": [URL_INVALID]}),
    ({"urls": "https://x.example"}, {"urls": ["This value should be of type array."]}),
    ({"bookings": True}, {"bookings": ["This field was not expected."]}),
    ({"record": "yes"}, {"record": ["This value should be of type bool."]}),
])
def test_bad_settings_are_422_and_change_nothing(api, body, errors):
    api.post(PATH, json={"urls": ["https://keep.example"], "active": True, "record": True})
    r = api.post(PATH, json=body)
    first = next(iter(errors.values()))[0]
    assert (r.status_code, r.json()) == (422, error(first, errors))
    assert api.get(PATH).json() == shown(["https://keep.example"], True, ("record",))


def test_a_read_only_user_may_read_but_not_change_the_settings(api):
    assert api.get(PATH, auth=READONLY_AUTH).json() == shown()
    r = api.post(PATH, json={"urls": ["https://x.example"]}, auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))
    assert api.get(PATH).json() == shown()


def test_an_unknown_locations_settings_are_404_and_nothing_is_written(api, database_url):
    r = api.post("/api/v1/hooks_settings/987654", json={"urls": []})
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert f.fetch(database_url, "SELECT location_id FROM webhook_settings") == []
