"""Pure rules of the sandbox's snapshots (behaviour 19.3): names, and the order tables are written in."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

MAX_NAME = 64
NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
NAME_RULE = "1 to 64 characters: letters A-Z and a-z, digits, '-', '_' and '.'"
BASELINE = "(baseline)"  # the state after the last `seed demo` or `load`; no request can name it
COPY_PREFIX = "sandbox_snap_"
# Never saved, reset or restored: the sandbox's own tables (its state, the snapshots, what
# other controls record), the migrations' bookkeeping, the integrations' credentials, and the
# webhooks' queue and delivery log: a restore announces nothing and forgets no delivery.
KEPT_PREFIX = "sandbox_"
KEPT = frozenset({"schema_migrations", "partner_tokens", "webhook_outbox", "webhook_deliveries", "console_sessions"})


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a snapshot, or None."""
    if NAME.fullmatch(name) is None:
        return f"A snapshot's name is {NAME_RULE}."
    return None


def domain_tables(names: Iterable[str]) -> list[str]:
    """The tables a snapshot holds: every table but the kept ones."""
    return sorted(n for n in names if n not in KEPT and not n.startswith(KEPT_PREFIX))


def copy_name(snapshot_id: int, table: str) -> str:
    return f"{COPY_PREFIX}{snapshot_id}_{table}"


def parents_first(tables: Sequence[str], foreign_keys: Iterable[tuple[str, str]]) -> list[str]:
    """The tables ordered so that each comes after every table it refers to (ties by name).

    A table that refers to itself is fine (one statement writes all its rows); should the
    keys ever form a longer cycle, its tables come last, by name.
    """
    wanted = set(tables)
    needs = {t: {parent for child, parent in foreign_keys if child == t and parent in wanted and parent != t}
             for t in tables}
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, parents in needs.items() if not parents)
        if not ready:
            ordered += sorted(needs)
            break
        ordered += ready
        for t in ready:
            del needs[t]
        for parents in needs.values():
            parents.difference_update(ready)
    return ordered
