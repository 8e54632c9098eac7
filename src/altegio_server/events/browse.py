"""Browsing group events the way a booking page does (behaviour 7.2): which local dates have
events, the first and the last of them, which filters still find events, and the group
services on offer.

Neutral like the rest of the package: searches take the same `Period` and `EventQuery` as
`service.search_events`, and answers are plain records that each API version presents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import InvalidRequest
from altegio_server.events import browse_repository as repo
from altegio_server.events import rules
from altegio_server.events.models import FOREVER, EventQuery, Period
from altegio_server.events.service import in_period, location_or_404
from altegio_server.timezones import local_date, parse_date

# Days asked about in one statement: bounded so that the parameters stay well below every
# database's limit however long the period is.
DAYS_PER_QUERY = 200


@dataclass(frozen=True)
class Option:
    """One choice of a filter: a team member, service, resource or service category.
    `available` tells whether choosing it (with the other filters kept) would find events."""

    id: int
    title: str
    available: bool


@dataclass(frozen=True)
class Facets:
    staff: list[Option]
    services: list[Option]
    resources: list[Option]
    categories: list[Option]


@dataclass(frozen=True)
class GroupService:
    """A service that can be booked as a group event, with who provides it and what it needs."""

    id: int
    title: str
    capacity: int
    price_min: float
    price_max: float
    category_id: int | None
    category_title: str | None
    staff: list[dict[str, Any]]  # id, name, length
    resources: list[dict[str, Any]]  # id, title, location_id


async def event_dates(deps: Deps, location_id: int, period: Period, query: EventQuery) -> list[str]:
    """The local dates (`YYYY-MM-DD`, ascending) on which a live event matching the query starts.

    Jumps from one matching event to the next period of days instead of walking every day, so
    a long period costs as much as the days that really have events.
    """
    dates: list[str] = []
    async with deps.db.transaction() as conn:
        tz, f = await in_period(conn, deps, location_id, period, query)
        since = f.start_from
        while since <= f.start_to:
            first = await repo.first_start(conn, location_id, replace(f, start_from=since))
            if first is None:
                break
            days = rules.local_days(local_date(first, tz), DAYS_PER_QUERY, tz)
            busy = await repo.busy_spans(conn, location_id, f, [(start, end) for _, start, end in days])
            dates.extend(day for day, start, _ in days if start in busy)
            since = days[-1][2]
    return dates


async def _from_today(conn: Connection, deps: Deps, location_id: int, query: EventQuery) -> tuple[str, EventQuery]:
    """The location's time zone and the query spanning from the first moment of its today on,
    without end; 404 for no location. The query's own period is not looked at."""
    tz = (await location_or_404(conn, location_id))["timezone"]
    today = parse_date(local_date(deps.clock.timestamp(), tz), tz)
    assert today is not None
    return tz, replace(query, start_from=today, start_to=FOREVER)


async def date_range(deps: Deps, location_id: int, query: EventQuery) -> tuple[str | None, str | None]:
    """The first and the last local date with a live matching event, from the location's today
    on (events that started earlier today count); (None, None) when there is none."""
    async with deps.db.transaction() as conn:
        tz, f = await _from_today(conn, deps, location_id, query)
        first, last = await repo.first_and_last_start(conn, location_id, f)
    if first is None or last is None:
        return None, None
    return local_date(first, tz), local_date(last, tz)


async def _in_open_period(conn: Connection, deps: Deps, location_id: int, period: Period,
                          query: EventQuery) -> EventQuery:
    """As `in_period`, but a bound left empty is open: the start the location's today (as
    `date_range` looks), the end none."""
    if period.start_from and period.start_to:
        return (await in_period(conn, deps, location_id, period, query))[1]
    tz, f = await _from_today(conn, deps, location_id, query)
    start_from = rules.parse_start(period.start_from, tz) if period.start_from else f.start_from
    start_to = rules.parse_start(period.start_to, tz) if period.start_to else FOREVER
    errors = rules.period_errors(start_from, start_to, None, period.fields)
    if errors:
        raise InvalidRequest(errors=errors)
    assert start_from is not None and start_to is not None
    return replace(f, start_from=start_from, start_to=start_to)


async def facets(deps: Deps, location_id: int, period: Period, query: EventQuery) -> Facets:
    """Every team member, group service, resource and service category of the location, each
    marked available if choosing it would find events in the period under the *other* filters
    (a filter never disables its own choices; categories go with the service filter). A bound
    of the period left empty is open, as `_in_open_period` reads it."""
    async with deps.db.transaction() as conn:
        f = await _in_open_period(conn, deps, location_id, period, query)
        staff_used = await repo.staff_with_events(conn, location_id, replace(f, staff_ids=()))
        services_used = await repo.services_with_events(conn, location_id, replace(f, service_ids=()))
        resources_used = await repo.resources_with_events(
            conn, location_id, replace(f, resource_ids=(), resource_instance_ids=()))
        staff = await repo.live_staff(conn, location_id)
        services = await repo.group_services(conn, location_id)
        resources = await repo.resources(conn, location_id)
    categories_used = set(services_used.values())
    categories = {s["category_id"]: s["category_title"] for s in services if s["category_id"] is not None}
    return Facets(
        staff=[Option(s["id"], s["name"], s["id"] in staff_used) for s in staff],
        services=[Option(s["id"], s["title"], s["id"] in services_used) for s in services],
        resources=[Option(r["id"], r["title"], r["id"] in resources_used) for r in resources],
        categories=[Option(cid, title, cid in categories_used) for cid, title in sorted(categories.items())],
    )


async def group_services(deps: Deps, location_id: int, staff_id: int | None = None,
                         term: str = "") -> list[GroupService]:
    """The location's live group-event services by id; only those `staff_id` provides, if
    given, and whose title contains `term` (any case), if given."""
    async with deps.db.transaction() as conn:
        await location_or_404(conn, location_id)
        rows = await repo.group_services(conn, location_id, staff_id)
        rows = [r for r in rows if rules.title_matches(r["title"], term)]
        ids = [r["id"] for r in rows]
        staff = await repo.staff_of_services(conn, ids)
        resources = await repo.resources_of_services(conn, ids)
    return [
        GroupService(r["id"], r["title"], r["capacity"], r["price_min"], r["price_max"], r["category_id"],
                     r["category_title"], staff[r["id"]], resources[r["id"]])
        for r in rows
    ]
