"""Random concurrent writes from many clients against several server processes over one
database, with every rule of tests/invariants.py checked after each round, on SQLite and
PostgreSQL. ALTEGIO_INVARIANT_ROUNDS sets the number of rounds (default 6) for a longer run."""

from __future__ import annotations

import os

from tests import invariants
from tests.conftest import NEW_YORK
from tests.hardening.conftest import sender

PRAGUE_CLIENT = 1061  # the demo's client at the Prague location

ROUNDS = int(os.environ.get("ALTEGIO_INVARIANT_ROUNDS") or 6)


def test_the_checker_finds_each_kind_of_broken_rule(database_url):
    from tests import factories as f
    from tests.event_factories import book_seats

    assert invariants.violations(database_url) == []
    first = f.make_event(database_url, capacity=2)
    f.make_event(database_url)  # the same team member at the same time, not forced
    gone = f.make_event(database_url, start=f.NOW_TS + 3 * f.DAY)
    book_seats(database_url, first, 1, PRAGUE_CLIENT)
    book_seats(database_url, gone, 1)
    f.execute(database_url, "UPDATE events SET deleted = TRUE WHERE id = $1", gone)  # seats not freed
    f.execute(database_url, "INSERT INTO records (location_id, event_id, clients_count, created_at, updated_at) "
                            "VALUES ($1, $2, 1, 0, 0)", NEW_YORK["id"], first)  # seats not taken, wrong place
    found = {line.split(":")[0] for line in invariants.violations(database_url)}
    # Two rules the database itself guards (a CHECK on seats, a unique index on clients) cannot
    # be broken even by hand; the checker still looks, in case a migration ever drops them.
    assert found == {
        "an event's clients_count differs from the seats of its active appointments",
        "a team member is in two overlapping live events, neither forced",
        "a deleted event holds an active appointment",
        "an appointment is in another location than its event",
    }


def test_random_concurrent_writes_across_server_processes_keep_every_rule(servers, database_url):
    statuses = invariants.run(sender(servers), database_url, rounds=ROUNDS, size=12, seed=ROUNDS)
    # The workload reached the rules: bookings were made and some requests were refused.
    assert statuses.get(201, 0) > 0 and statuses.get(422, 0) + statuses.get(409, 0) > 0, statuses
