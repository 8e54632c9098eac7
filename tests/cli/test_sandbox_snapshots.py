"""`altegio-server sandbox reset|snapshot|restore|delete|snapshots` against a database, no server
running (behaviour 19.8), on both databases."""

from __future__ import annotations

import json
import re

from tests import sql
from tests.cli.seven import TABLES, seven
from tests.cli.test_cli import cli

WHEN = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"
NAME_RULE = "A snapshot's name is 1 to 64 characters: letters A-Z and a-z, digits, '-', '_' and '.'."


def ok(*args: str) -> str:
    done = cli(*args)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout


def copies(url: str) -> int:
    names = sql.fetch(url, "SELECT name FROM sandbox_snapshots")
    return len(names)


def test_seed_demo_records_the_baseline_that_reset_goes_back_to(empty_url):
    ok("seed", "demo", "--database-url", empty_url)
    before = sql.counts(empty_url, TABLES)
    sql.execute(empty_url, "DELETE FROM record_labels", "DELETE FROM records", "UPDATE events SET clients_count = 0")
    out = ok("sandbox", "reset", "--database-url", empty_url)
    assert re.fullmatch(rf"reset to the baseline recorded {WHEN} \(\d+ rows\)\n", out), out
    assert sql.counts(empty_url, TABLES) == before


def test_load_records_a_new_baseline(empty_url, tmp_path):
    ok("seed", "demo", "--database-url", empty_url)
    path = tmp_path / "seven.json"
    path.write_text(json.dumps(seven()), encoding="utf-8")
    ok("load", str(path), "--database-url", empty_url)
    loaded = sql.counts(empty_url, TABLES)
    sql.execute(empty_url, "DELETE FROM record_labels", "DELETE FROM records")
    ok("sandbox", "reset", "--database-url", empty_url)
    assert sql.counts(empty_url, TABLES) == loaded


def test_a_snapshot_is_saved_listed_restored_and_deleted(empty_url):
    ok("seed", "demo", "--database-url", empty_url)
    before = sql.counts(empty_url, TABLES)
    saved = ok("sandbox", "snapshot", "before-test", "--database-url", empty_url)
    size = int(re.fullmatch(r"saved snapshot before-test \((\d+) rows\)\n", saved).group(1))
    sql.execute(empty_url, "DELETE FROM record_labels", "DELETE FROM records")
    listed = ok("sandbox", "snapshots", "--database-url", empty_url)
    assert re.fullmatch(rf"before-test\t{WHEN}\t{size} rows\n", listed), listed
    [one] = json.loads(ok("sandbox", "snapshots", "--json", "--database-url", empty_url))
    assert (one["name"], one["size"], set(one)) == ("before-test", size, {"name", "created_at", "size"})
    out = ok("sandbox", "restore", "before-test", "--database-url", empty_url)
    assert out == f"restored snapshot before-test, saved {one['created_at']} ({size} rows)\n"
    assert sql.counts(empty_url, TABLES) == before
    assert ok("sandbox", "delete", "before-test", "--database-url", empty_url) == "deleted snapshot before-test\n"
    assert ok("sandbox", "snapshots", "--database-url", empty_url) == ""


def test_an_unknown_snapshot_is_one_error_line_and_exit_status_1(empty_url):
    ok("seed", "demo", "--database-url", empty_url)
    done = cli("sandbox", "restore", "never-saved", "--database-url", empty_url)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("error: there is no snapshot called never-saved; `altegio-server sandbox snapshots` "
                           "lists them\n")
    done = cli("sandbox", "delete", "never-saved", "--database-url", empty_url)
    assert (done.returncode, done.stderr) == (1, "error: there is no snapshot called never-saved\n")


def test_a_bad_name_is_refused_before_the_database_is_opened(tmp_path):
    done = cli("sandbox", "snapshot", "no spaces", "--database-url", f"sqlite:///{tmp_path / 'never.sqlite3'}")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"error: altegio-server sandbox snapshot: argument NAME: 'no spaces': {NAME_RULE} "
                           "(see altegio-server sandbox snapshot --help)\n")
    assert not (tmp_path / "never.sqlite3").exists()


def test_reset_without_a_baseline_says_how_to_get_one(empty_url):
    ok("db", "upgrade", "--database-url", empty_url)
    done = cli("sandbox", "reset", "--database-url", empty_url)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("error: There is no baseline to reset to: it is recorded by `altegio-server seed demo` "
                           "and `altegio-server load`\n")


def test_db_reset_forgets_the_snapshots_and_their_copies(empty_url):
    ok("seed", "demo", "--database-url", empty_url)
    ok("sandbox", "snapshot", "one", "--database-url", empty_url)
    ok("db", "reset", "--yes", "--database-url", empty_url)
    assert copies(empty_url) == 0
    tables = ("SELECT name FROM sqlite_master WHERE substr(name, 1, 13) = 'sandbox_snap_'"
              if empty_url.startswith("sqlite")
              else "SELECT tablename FROM pg_tables WHERE substr(tablename, 1, 13) = 'sandbox_snap_'")
    assert sql.fetch(empty_url, tables) == []
    ok("seed", "demo", "--database-url", empty_url)
    assert ok("sandbox", "snapshot", "one", "--database-url", empty_url).startswith("saved snapshot one")
