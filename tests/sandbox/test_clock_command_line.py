"""`altegio-server sandbox clock get|set|advance|real` against a database, no server running,
and the commands that write dates telling the sandbox's time (behaviour 19.2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import httpx

from tests import factories as f
from tests.cli.test_cli import SRC
from tests.conftest import AUTH, NOW, PRAGUE, V2
from tests.live_server import LiveServer

REAL = {"now": "2027-01-10T12:00:00+00:00", "frozen": False, "offset_seconds": 0}  # ALTEGIO_FROZEN_TIME below


def cli(*args: str, frozen: str | None = NOW.isoformat()) -> subprocess.CompletedProcess:
    """The command line as a user runs it, the server's own clock standing at `frozen`."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("ALTEGIO_DATABASE_URL", None)
    env.pop("ALTEGIO_FROZEN_TIME", None)
    if frozen is not None:
        env["ALTEGIO_FROZEN_TIME"] = frozen
    return subprocess.run([sys.executable, "-m", "altegio_server", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def clock(url: str, *args: str) -> dict:
    done = cli("sandbox", "clock", *args, "--database-url", url)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return json.loads(done.stdout)


def test_the_clock_is_read_set_advanced_and_released_from_the_command_line(database_url):
    assert clock(database_url, "get") == REAL
    assert clock(database_url, "set", "2027-03-01T10:30:00+01:00") == {
        "now": "2027-03-01T09:30:00+00:00", "frozen": True, "offset_seconds": 50 * 86400 - 9000}
    assert clock(database_url, "advance", "-1800") == {
        "now": "2027-03-01T09:00:00+00:00", "frozen": True, "offset_seconds": 50 * 86400 - 10800}
    assert clock(database_url, "get") == {
        "now": "2027-03-01T09:00:00+00:00", "frozen": True, "offset_seconds": 50 * 86400 - 10800}
    assert clock(database_url, "set", "2027-01-10T13:00:00+00:00", "--running") == {
        "now": "2027-01-10T13:00:00+00:00", "frozen": False, "offset_seconds": 3600}
    assert clock(database_url, "advance", "60") == {
        "now": "2027-01-10T13:01:00+00:00", "frozen": False, "offset_seconds": 3660}
    assert clock(database_url, "real") == REAL
    assert clock(database_url, "get") == REAL


def test_bad_clock_arguments_are_one_error_line_and_change_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    clock(url, "set", "2030-01-01T00:00:00+00:00")
    for args, message in [
        (("set", "2030-01-01 00:00"), "error: altegio-server sandbox clock set: argument ISO: '2030-01-01 00:00' "
                                      "is not a date-time: expected ISO 8601 with an offset, e.g. "
                                      "2027-01-15T09:00:00+01:00 (see altegio-server sandbox clock set --help)"),
        (("advance", "1h"), "error: altegio-server sandbox clock advance: argument SECONDS: '1h' is not a whole "
                            "number of seconds (see altegio-server sandbox clock advance --help)"),
        (("advance", "9999999999"), "error: altegio-server sandbox clock advance: argument SECONDS: 9999999999 is "
                                    "more than a century (3162240000 seconds) either way (see altegio-server sandbox "
                                    "clock advance --help)"),
    ]:
        done = cli("sandbox", "clock", *args, "--database-url", url)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")
    assert clock(url, "get")["now"] == "2030-01-01T00:00:00+00:00"
    done = cli("sandbox", "clock", "get", "--database-url", url, frozen="next tuesday")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("error: ALTEGIO_FROZEN_TIME='next tuesday' is not a date-time")


def test_a_running_server_follows_a_clock_set_from_the_command_line_and_back(sqlite_template):
    url = sqlite_template.fresh()
    week = {"filter[from]": "2027-01-11 00:00:00", "filter[to]": "2027-01-17 23:59:59"}
    env = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": "t"}
    with LiveServer(url, frozen_time=NOW, env=env) as server:
        def listing() -> int:
            return httpx.get(f"{server.url}/api/v2/locations/{PRAGUE['id']}/events", params=week,
                             headers={"Authorization": AUTH, "Accept": V2}).status_code

        assert listing() == 200
        clock(url, "advance", str(2 * 86400))
        assert listing() == 400
        r = httpx.post(f"{server.url}/_sandbox/clock/advance", json={"seconds": -2 * 86400},
                       headers={"Authorization": "Bearer t"})
        assert r.status_code == 200 and listing() == 200
        assert clock(url, "get") == REAL


def test_the_demo_is_scheduled_around_the_sandbox_clocks_today(tmp_path):
    moved, frozen = f"sqlite:///{tmp_path / 'moved.sqlite3'}", f"sqlite:///{tmp_path / 'frozen.sqlite3'}"
    clock(moved, "set", "2030-06-12T10:00:00+00:00")
    seeded = json.loads(cli("seed", "demo", "--json", "--database-url", moved).stdout)
    # The same as a demo seeded when the server's own clock says that instant.
    done = cli("seed", "demo", "--json", "--database-url", frozen, frozen="2030-06-12T10:00:00+00:00")
    same = json.loads(done.stdout)
    assert {**seeded, "sandbox_token": ""} == {**same, "sandbox_token": ""}
    events = seeded["locations"][0]["events"]
    assert events["first_day"] <= "2030-06-12" <= events["last_day"] and events["first_day"] >= "2030-06-05"


def test_a_partner_token_is_issued_at_the_sandbox_clocks_time(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    clock(url, "set", "2031-02-03T04:05:06+00:00")
    assert cli("partner-token", "issue", "--name", "CRM", "--database-url", url).returncode == 0
    clock(url, "advance", "60")
    assert cli("partner-token", "revoke", "1", "--database-url", url).returncode == 0
    listed = json.loads(cli("partner-token", "list", "--json", "--database-url", url).stdout)
    assert listed == [{"id": 1, "name": "CRM", "created_at": "2031-02-03T04:05:06Z",
                       "revoked_at": "2031-02-03T04:06:06Z"}]


def test_the_python_sandbox_lays_the_demo_around_a_clock_moved_in_its_database(tmp_path):
    from altegio_server.testing import Sandbox

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    clock(url, "set", "2030-06-12T10:00:00+00:00")
    with Sandbox(url) as sandbox:
        assert sandbox.clock.now() == datetime(2030, 6, 12, 10, tzinfo=timezone.utc)
        span = f.fetch(url, "SELECT MIN(start_ts) AS first, MAX(start_ts) AS last FROM events")[0]
    week_before, five_weeks_on = datetime(2030, 6, 5, tzinfo=timezone.utc), datetime(2030, 7, 17, tzinfo=timezone.utc)
    assert week_before.timestamp() <= span["first"] < span["last"] < five_weeks_on.timestamp()
