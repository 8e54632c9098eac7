"""What the console's pages show, each read in one transaction (behaviour 21)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from altegio_server.colors import safe_color
from altegio_server.console import repository as repo
from altegio_server.console import week as rules
from altegio_server.console.sessions import Grant
from altegio_server.deps import Deps
from altegio_server.events import repository as events
from altegio_server.timezones import local


@dataclass(frozen=True)
class Week:
    monday: date
    today: date  # in the location's zone, by the API's clock
    now: int
    days: list[list[rules.Shown]]
    first_hour: int
    last_hour: int
    team: list[dict[str, Any]]
    services: list[dict[str, Any]]
    truncated: bool  # more events than one page draws
    staff_id: int | None  # the filters as applied: ids of the location's team and services only
    service_id: int | None

    @property
    def dates(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]


async def week(deps: Deps, grant: Grant, day: date | None, staff_id: int | None, service_id: int | None) -> Week:
    """The location's week holding `day` (this week when None), deleted events included; a
    filter that names no team member or group service of the location filters nothing."""
    now = deps.clock.timestamp()
    today = local(now, grant.timezone).date()
    monday = rules.monday_of(day or today)
    start, end = rules.week_bounds(monday, grant.timezone)
    async with deps.db.transaction() as conn:
        team = await repo.team(conn, grant.location_id)
        services = await repo.services(conn, grant.location_id)
        staff_id = staff_id if staff_id in {m["id"] for m in team} else None
        service_id = service_id if service_id in {s["id"] for s in services} else None
        found = await repo.week_events(conn, grant.location_id, start, end, staff_id, service_id)
        truncated = len(found) > repo.MAX_WEEK_EVENTS
        found = found[:repo.MAX_WEEK_EVENTS]
        rooms = await events.instances_of(conn, [e["id"] for e in found]) if found else {}
    shown = [dict(e, rooms=[r["title"] for r in rooms.get(e["id"], [])], color=safe_color(e["color"]),
                  deleted=bool(e["deleted"]),
                  full=e["clients_count"] >= e["capacity"], past=e["start_ts"] + e["length"] <= now)
             for e in found]
    days = rules.lay_out(shown, monday, grant.timezone)
    first, last = rules.hours(days)
    return Week(monday, today, now, rules.shown(days, first, last), first, last, team, services, truncated, staff_id,
                service_id)
