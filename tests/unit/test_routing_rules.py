"""The pure parts of the request wrapper and of tag entities."""

from __future__ import annotations

import pytest

from altegio_server.api.routing import accepts_v2, current_spelling, parse_authorization
from altegio_server.tags.rules import parse_entity


@pytest.mark.parametrize("header, expected", [
    ("Bearer P, User U", ("P", "U")), ("bearer P,user U", ("P", "U")), ("  BEARER  P  ,  USER  U  ", ("P", "U")),
    ("Bearer P", ("P", None)), ("Bearer P ", ("P", None)), (None, (None, None)), ("", (None, None)),
    ("User U", (None, None)), ("Bearer P User U", (None, None)), ("Bearer P, User U, User V", (None, None)),
    ("Bearer , User U", (None, None)), ("Basic abc", (None, None)), ("Bearer P, Token U", (None, None)),
])
def test_authorization_headers_are_parsed_leniently(header, expected):
    assert parse_authorization(header) == expected


@pytest.mark.parametrize("seed, current", [
    ("/api/v2/companies/{location_id}/activities", "/api/v2/locations/{location_id}/events"),
    ("/api/v2/companies/{location_id}/activities/{event_id}/records/{record_id}",
     "/api/v2/locations/{location_id}/events/{event_id}/appointments/{record_id}"),
    ("/api/v2/companies/{location_id}/positions", "/api/v2/locations/{location_id}/positions"),
    ("/api/v2/companies/{location_id}/tags/{tag_id}", "/api/v2/locations/{location_id}/tags/{tag_id}"),
])
def test_seed_paths_have_a_current_spelling(seed, current):
    assert current_spelling(seed) == current


@pytest.mark.parametrize("accept, ok", [
    ("application/vnd.api.v2+json", True), ("application/vnd.yclients.v2+json", True),
    ("application/vnd.alteg.v2+json;charset=utf-8", True), ("text/html, application/vnd.api.v2+json ; q=1", True),
    ("Application/Vnd.Api.V2+Json", True), ("application/vnd.api.v2+jsonp", False), ("application/json", False),
    ("application/vnd.api.v1+json", False), ("x-application/vnd.api.v2+json", False), ("", False),
])
def test_any_vendor_v2_media_type_is_accepted(accept, ok):
    assert accepts_v2(accept) is ok


@pytest.mark.parametrize("value, slugs, expected", [
    (0, True, 0), (3, True, 3), ("2", True, 2), (" 1 ", True, 1), ("client", True, 1), ("ACTIVITY", True, 3),
    ("client", False, None), ("1", False, 1), (4, True, None), (-1, True, None), (True, True, None),
    (1.0, True, None), ("01", True, None), ("²", True, None), ("", True, None), (None, True, None), ([1], True, None),
])
def test_entities_are_numbers_or_slugs(value, slugs, expected):
    assert parse_entity(value, slugs) == expected
