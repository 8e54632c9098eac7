"""The short-lived cache of granted access: kept briefly, never for refusals, forgotten on demand."""

from __future__ import annotations

import time

from altegio_server.auth.service import Principal, RecentGrants

KEY = ("partner-digest", "user-digest", 101)
GRANT = Principal(user_id=1, location_id=101, read_only=False)


def test_a_grant_is_kept_until_its_time_runs_out():
    grants = RecentGrants(ttl=0.05)
    grants.put(KEY, GRANT)
    assert grants.get(KEY) == GRANT
    time.sleep(0.08)
    assert grants.get(KEY) is None


def test_a_zero_lifetime_keeps_nothing():
    grants = RecentGrants(ttl=0)
    grants.put(KEY, GRANT)
    assert grants.get(KEY) is None


def test_clearing_forgets_every_grant():
    grants = RecentGrants(ttl=60)
    grants.put(KEY, GRANT)
    grants.clear()
    assert grants.get(KEY) is None


def test_a_full_cache_starts_over_instead_of_growing():
    grants = RecentGrants(ttl=60, max_entries=2)
    for location in (1, 2, 3):
        grants.put(("p", "u", location), GRANT)
    assert grants.get(("p", "u", 1)) is None
    assert grants.get(("p", "u", 3)) == GRANT
