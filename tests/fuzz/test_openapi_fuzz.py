"""Every operation of the server's own OpenAPI document, fuzzed by schemathesis against a
real server process, on SQLite and on PostgreSQL.

For every generated request, valid and deliberately invalid alike: never a 5xx; the status
code, content type, headers and body are what the document says for that operation; invalid
input is refused with a 4xx; and valid input is never refused for its shape (a schema-valid
request may break a business rule, but a field error saying its type or format is wrong
means the document promises what the server does not accept).

Both of schemathesis' phases run: its coverage phase (boundary values and one violation at a
time, for every field) and random generation. By default each operation's handler is
fuzzed on both databases: the seed spelling of its path on SQLite, the current spelling on
PostgreSQL (they route to one handler). A longer, randomised run fuzzes every path on both:

    ALTEGIO_FUZZ_EXAMPLES=500 pytest tests/fuzz          # or: make fuzz
"""

from __future__ import annotations

import os
import random
import zlib
from typing import Any, Iterator

import httpx
import hypothesis
import pytest
import schemathesis
from schemathesis.core.failures import Failure
from schemathesis.generation import GenerationMode

from altegio_server.api import openapi
from altegio_server.api.app import all_operations
from tests import factories as f
from tests.conftest import AUTH, NOW, V2
from tests.fuzz.realistic import LOCATIONS, Known
from tests.live_server import LiveServer

DEFAULT_EXAMPLES = 10
EXAMPLES = int(os.environ.get("ALTEGIO_FUZZ_EXAMPLES") or DEFAULT_EXAMPLES)
LONG = EXAMPLES != DEFAULT_EXAMPLES
KNOWN = Known.made_before_fuzzing()

DOCUMENT = openapi.document(all_operations())
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], allow_x00=True)
# A schema-valid request may still break a business rule that no schema can express (a full
# event, a date in the past, a tag of another entity): 400 or 422 with the reason. The check
# valid_input_is_not_refused_for_its_shape below keeps those answers honest.
schema.config.checks.positive_data_acceptance.expected_statuses = ["2xx", "400", "401", "403", "404", "409", "422"]

# Field-error texts that say a value has the wrong type or shape: a schema-valid request never earns one.
SHAPE_MESSAGES = ("This value should be of type", "This field was not expected.", "This field is missing.",
                  "This value should not be null.", "This value is not valid.",
                  "This value contains invalid characters.", "This value should be a non-negative integer.",
                  "This value is too long.", "This value should be between", "This value should be greater than",
                  "This value should be less than", "This collection should contain",
                  "The value you selected is not a valid choice.")

SETTINGS = hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not LONG,
                               suppress_health_check=list(hypothesis.HealthCheck))


@schema.hook
def map_case(context: Any, case: schemathesis.Case) -> schemathesis.Case:
    """Real ids in the positive parts of three cases in four (see realistic.py). The choice
    is a function of the case, so that a failing case replays the same."""
    rnd = random.Random(zlib.crc32(repr((case.path_parameters, case.body, case.query)).encode()))
    if rnd.random() < 0.25:
        return case
    if case.path_parameters and not _negative(case, "path"):
        case.path_parameters = KNOWN.path(case.path_parameters, rnd)
    if isinstance(case.body, dict) and not _negative(case, "body"):
        case.body = KNOWN.body(case.body, case.path_parameters or {}, rnd)
    return case


def _negative(case: schemathesis.Case, location: str) -> bool:
    meta = case.meta
    return meta is not None and any(
        loc.value == location and info.mode.is_negative for loc, info in meta.components.items())


def valid_input_is_not_refused_for_its_shape(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """A schema-valid request answered 400/422 must not carry a field error about its shape."""
    if case.meta is None or case.meta.generation.mode.is_negative or response.status_code not in (400, 422):
        return None
    try:
        errors = response.json().get("errors") or {}
    except ValueError:
        return None
    if isinstance(errors.get("code"), int):
        return True  # a numbered refusal (behaviour 18.3): a rule of the event, not of the request's shape
    shape = {field: msgs for field, msgs in errors.items() if any(m.startswith(SHAPE_MESSAGES) for m in msgs)}
    if shape:
        raise Failure(operation=case.operation.label, title="A schema-valid request was refused for its shape",
                      message=f"{response.status_code} with {shape}")
    return True


def _server(request: pytest.FixtureRequest, kind: str) -> Iterator[LiveServer]:
    url = request.getfixturevalue(f"{kind}_template").fresh()
    # Fuzzing logs in far more often than the login throttle allows one address; the throttle
    # has its own tests (tests/api/v1/test_auth_throttle.py), so it is off here.
    no_throttle = {"ALTEGIO_LOGIN_ATTEMPTS": "0", "ALTEGIO_LOGIN_ADDRESS_ATTEMPTS": "0"}
    with LiveServer(url, frozen_time=NOW, env=no_throttle) as live:
        _prepare(live, url)
        yield live


@pytest.fixture(scope="module")
def sqlite_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    yield from _server(request, "sqlite")


@pytest.fixture(scope="module")
def postgresql_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    yield from _server(request, "postgres")


def _prepare(live: LiveServer, url: str) -> None:
    """Make the events and appointments that KNOWN expects."""
    headers = {"Authorization": AUTH, "Accept": V2}
    for location_id, loc in LOCATIONS.items():
        for n, event_id in enumerate(KNOWN.events[location_id]):
            made = f.make_event(url, location_id=location_id, staff_id=loc["staff_ids"][n % 3],
                                service_id=loc["group_service_ids"][n % 3], start=f.NOW_TS + (n + 1) * f.DAY,
                                capacity=5 + n)
            assert made == event_id
        for n, (event_id, record_id) in enumerate(KNOWN.records[location_id]):
            body = {"client": {"name": f"Fuzz {n}", "phone": f"+1555000{location_id}{n:02}", "email": "",
                               "surname": "", "gender": 0}, "clients_count": 1}
            r = httpx.post(f"{live.url}/api/v2/locations/{location_id}/events/{event_id}/appointments",
                           json=body, headers=headers)
            assert r.status_code == 201 and r.json()["data"]["id"] == str(record_id), r.text


def _fuzz(case: schemathesis.Case, server: LiveServer) -> None:
    # A case that breaks its headers on purpose keeps them broken: the real tokens would mend it.
    headers = {} if _negative(case, "header") else {"Authorization": AUTH}
    case.call_and_validate(base_url=server.url, headers=headers,
                           additional_checks=[valid_input_is_not_refused_for_its_shape])


CURRENT = r"_current_spelling$"
on_sqlite = schema if LONG else schema.exclude(operation_id_regex=CURRENT)
on_postgresql = schema if LONG else schema.include(operation_id_regex=CURRENT)


def test_the_running_server_serves_the_document_that_is_fuzzed(sqlite_server):
    assert httpx.get(sqlite_server.url + "/openapi.json").json() == DOCUMENT


@on_sqlite.parametrize()
@SETTINGS
def test_every_operation_answers_as_documented_on_sqlite(case, sqlite_server):
    _fuzz(case, sqlite_server)


@on_postgresql.parametrize()
@SETTINGS
def test_every_operation_answers_as_documented_on_postgresql(case, postgresql_server):
    _fuzz(case, postgresql_server)
