"""`altegio-server user ...` and `partner-token ...`, run as a real process on a demo SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from altegio_server.auth.service import Principal, authorize, check_partner
from altegio_server.errors import AccessDenied, Unauthenticated
from altegio_server.users import service as users
from tests.api.v1.test_auth import with_service
from tests.conftest import DEMO

SRC = str(Path(__file__).resolve().parents[2] / "src")
PARTNER = DEMO["partner_token"]


@pytest.fixture
def database_url(sqlite_template) -> str:
    return sqlite_template.fresh()


def cli(database_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=SRC)
    return subprocess.run([sys.executable, "-m", "altegio_server", *args, "--database-url", database_url],
                          input=stdin, capture_output=True, text=True, env=env, timeout=60)


def ok(result: subprocess.CompletedProcess) -> str:
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


def test_user_create_prints_a_token_that_opens_the_granted_locations(database_url):
    out = ok(cli(database_url, "user", "create", "--name", "Anna", "--email", "anna@example.com",
                 "--phone", "+420 601 000 002", "--password-stdin", "--location", "101", "--location", "102:ro",
                 "--json", stdin="anna-password\n"))
    created = json.loads(out)
    token = created.pop("user_token")
    assert created == {"id": 3, "name": "Anna", "email": "anna@example.com", "phone": "+420601000002",
                       "locations": [{"id": 101, "read_only": False}, {"id": 102, "read_only": True}]}
    assert "anna-password" not in out

    assert with_service(database_url, lambda deps: authorize(deps, PARTNER, token, 101, write=True)) == \
        Principal(3, 101, False, partner_token_id=1)
    with pytest.raises(AccessDenied):
        with_service(database_url, lambda deps: authorize(deps, PARTNER, token, 102, write=True))
    issued = with_service(database_url, lambda deps: users.log_in(deps, "420601000002", "anna-password"))
    assert issued.user["id"] == 3


def test_set_password_prints_a_new_token_and_retires_the_old_one(database_url):
    out = ok(cli(database_url, "user", "set-password", "owner@demo.example", "--password-stdin",
                 stdin="brand-new-password\n"))
    lines = out.splitlines()
    assert lines[0] == "password changed for user 1; the user's earlier tokens no longer work"
    token = lines[1].removeprefix("user token (shown only now): ")
    assert "brand-new-password" not in out

    with pytest.raises(Unauthenticated):
        with_service(database_url, lambda deps: authorize(deps, PARTNER, DEMO["user_token"], 101, write=False))
    assert with_service(database_url, lambda deps: authorize(deps, PARTNER, token, 101, write=False)).user_id == 1


def test_grant_and_revoke_change_what_user_list_shows(database_url):
    assert ok(cli(database_url, "user", "grant", "viewer@demo.example", "--location", "101")) == \
        "viewer@demo.example now has full access to location 101\n"
    assert ok(cli(database_url, "user", "revoke", "VIEWER@demo.example", "--location", "102")) == \
        "VIEWER@demo.example no longer has access to location 102\n"
    assert json.loads(ok(cli(database_url, "user", "list", "--json"))) == [
        {"id": 1, "name": "Demo Owner", "phone": "+10000000001", "email": "owner@demo.example",
         "locations": [{"id": 101, "read_only": False}, {"id": 102, "read_only": False}]},
        {"id": 2, "name": "Demo Viewer", "phone": None, "email": "viewer@demo.example",
         "locations": [{"id": 101, "read_only": False}]},
    ]


def test_partner_tokens_are_issued_once_listed_without_secrets_and_revoked(database_url):
    issued = json.loads(ok(cli(database_url, "partner-token", "issue", "--name", "My CRM", "--json")))
    token = issued.pop("token")
    assert issued == {"id": 2, "name": "My CRM"}
    assert with_service(database_url, lambda deps: check_partner(deps, token)) == 2  # its id

    assert ok(cli(database_url, "partner-token", "revoke", "2")) == "partner token 2 (My CRM) revoked\n"
    with pytest.raises(Unauthenticated):
        with_service(database_url, lambda deps: check_partner(deps, token))

    listed = json.loads(ok(cli(database_url, "partner-token", "list", "--json")))
    assert [(t["id"], t["name"], t["revoked_at"] is not None) for t in listed] == \
        [(1, "Demo integration", False), (2, "My CRM", True)]
    assert token not in json.dumps(listed) and PARTNER not in json.dumps(listed)


@pytest.mark.parametrize("args, stdin, message", [
    (["user", "set-password", "nobody@demo.example", "--password", "long-enough"], None,
     "error: No user with login 'nobody@demo.example'"),
    (["user", "create", "--name", "Twin", "--phone", "+1 000 000 0001", "--password-stdin"], "twin-password\n",
     "error: A user with login '+10000000001' already exists"),
    (["user", "create", "--name", "Nopass", "--email", "nopass@example.com"], None,
     "error: a password is needed: --password-stdin (keeps it out of the process list) or --password P"),
    (["user", "grant", "owner@demo.example", "--location", "999"], None, "error: No location with id 999"),
    (["partner-token", "revoke", "no-such-token"], None, "error: No partner token with that id or value"),
])
def test_errors_are_one_line_on_stderr_with_a_non_zero_exit(database_url, args, stdin, message):
    result = cli(database_url, *args, stdin=stdin)
    assert result.returncode != 0
    assert (result.stdout, result.stderr) == ("", message + "\n")
