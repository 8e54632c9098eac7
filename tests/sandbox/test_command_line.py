"""Sandbox mode from the command line: the token `seed demo` makes, `serve --sandbox`, and a bad
frozen time (behaviour 19.1, 19.2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx

from tests.cli.test_cli import SRC, cli
from tests.live_server import LiveServer


def test_seed_demo_makes_one_sandbox_token_and_prints_it_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    first = cli("seed", "demo", "--json", "--database-url", url)
    token = json.loads(first.stdout)["sandbox_token"]
    assert token.startswith("sandbox-") and len(token) > 30
    assert json.loads(cli("seed", "demo", "--json", "--database-url", url).stdout)["sandbox_token"] == token
    words = cli("seed", "demo", "--database-url", url).stdout
    assert f"  sandbox token:        {token} (for /_sandbox/... under serve --sandbox)" in words.splitlines()


def test_serve_sandbox_says_so_and_answers_the_controls_with_the_seeded_token(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    token = json.loads(cli("seed", "demo", "--json", "--database-url", url).stdout)["sandbox_token"]
    with LiveServer(url, args=("--sandbox",)) as server:
        assert "Sandbox mode is on" in server.log()
        r = httpx.get(f"{server.url}/_sandbox/clock", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and set(r.json()) == {"now", "frozen", "offset_seconds"}
    with LiveServer(url) as server:
        r = httpx.get(f"{server.url}/_sandbox/clock", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 404
        assert "Sandbox mode" not in server.log()


def test_a_sandbox_token_from_the_environment_wins_over_the_databases(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    seeded = json.loads(cli("seed", "demo", "--json", "--database-url", url).stdout)["sandbox_token"]
    with LiveServer(url, env={"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": "mine-123"}) as server:
        r = httpx.get(f"{server.url}/_sandbox/clock", headers={"Authorization": "Bearer mine-123"})
        assert r.status_code == 200
        r = httpx.get(f"{server.url}/_sandbox/clock", headers={"Authorization": f"Bearer {seeded}"})
        assert r.status_code == 401


def test_a_bad_frozen_time_is_one_error_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(SRC), "ALTEGIO_FROZEN_TIME": "next tuesday"}
    done = subprocess.run([sys.executable, "-m", "altegio_server", "serve", "--database-url",
                           f"sqlite:///{tmp_path / 'x.sqlite3'}"], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("error: ALTEGIO_FROZEN_TIME='next tuesday' is not a date-time: expected ISO 8601 with an "
                           "offset, e.g. 2027-01-15T09:00:00+01:00\n")
