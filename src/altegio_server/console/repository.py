"""What the console reads that the API does not: a week of events with everything its grid
shows, deleted events included (behaviour 21.3)."""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection

Row = dict[str, Any]
MAX_WEEK_EVENTS = 2000  # more in one week are not drawn; the page says so

_WEEK = """
SELECT e.id, e.start_ts, e.length, e.technical_break, e.capacity, e.clients_count, e.color, e.deleted,
       e.staff_id, e.service_id, sv.title AS service_title, st.name AS staff_name
FROM events e
JOIN services sv ON sv.id = e.service_id
JOIN staff st ON st.id = e.staff_id
WHERE e.location_id = $1 AND e.start_ts >= $2 AND e.start_ts < $3
"""


async def week_events(conn: Connection, location_id: int, start: int, end: int, staff_id: int | None,
                      service_id: int | None) -> list[Row]:
    sql, args = _WEEK, [location_id, start, end]
    if staff_id is not None:
        args.append(staff_id)
        sql += f" AND e.staff_id = ${len(args)}"
    if service_id is not None:
        args.append(service_id)
        sql += f" AND e.service_id = ${len(args)}"
    args.append(MAX_WEEK_EVENTS + 1)
    sql += f" ORDER BY e.start_ts, e.id LIMIT ${len(args)}"
    return await conn.fetch(sql, *args)


async def team(conn: Connection, location_id: int) -> list[Row]:
    return await conn.fetch("SELECT id, name FROM staff WHERE location_id = $1 AND deleted = FALSE "
                            "ORDER BY name, id", location_id)


async def services(conn: Connection, location_id: int) -> list[Row]:
    return await conn.fetch("SELECT id, title FROM services WHERE location_id = $1 AND deleted = FALSE "
                            "AND is_group = TRUE ORDER BY title, id", location_id)


# An event's page (behaviour 21.4): its active appointments with their client or walk-in visitor.
MAX_EVENT_RECORDS = 1000  # more in one event are not listed; the page says so

_APPOINTMENTS = """
SELECT r.id, r.client_id, r.comer_id, r.clients_count, r.attendance,
       cl.name AS client_name, cl.surname AS client_surname, cl.phone AS client_phone, c.name AS comer_name
FROM records r
LEFT JOIN clients cl ON cl.id = r.client_id
LEFT JOIN comers c ON c.id = r.comer_id
WHERE r.event_id = $1 AND r.location_id = $2 AND r.deleted = FALSE
ORDER BY r.id
LIMIT $3
"""


async def appointments(conn: Connection, location_id: int, event_id: int) -> list[Row]:
    """The event's active appointments, oldest first, one more than the page lists."""
    return await conn.fetch(_APPOINTMENTS, event_id, location_id, MAX_EVENT_RECORDS + 1)


async def rooms(conn: Connection, location_id: int) -> list[Row]:
    """The location's resource instances, by title."""
    return await conn.fetch("SELECT id, title FROM resource_instances WHERE location_id = $1 ORDER BY title, id",
                            location_id)
