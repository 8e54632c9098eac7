"""Rows written straight into a test database, for state the API under test does not create.

Events are made here (not through the events API) so that appointment tests depend only on
the events table. Each helper opens its own short connection, so it works beside a running
app on the same SQLite file or PostgreSQL database.
"""

from __future__ import annotations

from typing import Any

from altegio_server.timezones import parse_local
from tests.conftest import NOW, PRAGUE
from tests.databases import run
from tests.sql import in_transaction

NOW_TS = int(NOW.timestamp())
DAY = 86400


def execute(url: str, sql: str, *args: Any) -> None:
    async def work(conn):
        await conn.execute(sql, *args)

    run(in_transaction(url, work))


def fetch(url: str, sql: str, *args: Any) -> list[dict[str, Any]]:
    return run(in_transaction(url, lambda conn: conn.fetch(sql, *args)))


def make_event(url: str, *, location_id: int = PRAGUE["id"], staff_id: int = PRAGUE["staff_ids"][0],
               service_id: int = PRAGUE["group_service_ids"][0], start: int | str = NOW_TS + DAY,
               length: int = 3600, capacity: int = 3, clients_count: int = 0, deleted: bool = False) -> int:
    """Insert an event; `start` is Unix seconds or local `YYYY-MM-DD HH:MM:SS`. Its id."""

    async def work(conn):
        start_ts = start
        if isinstance(start, str):
            tz = await conn.fetchval("SELECT timezone FROM locations WHERE id = $1", location_id)
            start_ts = parse_local(start, tz)
        return await conn.fetchval(
            "INSERT INTO events (location_id, staff_id, service_id, start_ts, end_ts, length, capacity, "
            "clients_count, deleted, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            location_id, staff_id, service_id, start_ts, start_ts + length, length, capacity, clients_count,
            deleted, NOW_TS,
        )

    return run(in_transaction(url, work))


def event_seats(url: str, event_id: int) -> int:
    """The event's stored `clients_count`."""
    return fetch(url, "SELECT clients_count FROM events WHERE id = $1", event_id)[0]["clients_count"]


def active_seats(url: str, event_id: int) -> int:
    """Seats held by the event's active appointments, counted from the appointments themselves."""
    rows = fetch(url, "SELECT COALESCE(SUM(clients_count), 0) AS seats FROM records "
                      "WHERE event_id = $1 AND deleted = FALSE", event_id)
    return int(rows[0]["seats"])


def record_labels(url: str, record_id: int) -> list[int]:
    rows = fetch(url, "SELECT tag_id FROM record_labels WHERE record_id = $1 ORDER BY tag_id", record_id)
    return [r["tag_id"] for r in rows]


def client_row(url: str, client_id: int) -> dict[str, Any]:
    rows = fetch(url, "SELECT id, location_id, name, surname, patronymic, phone, email, gender, birthday, "
                      "custom_fields, agreements FROM clients WHERE id = $1", client_id)
    return rows[0]


def clients_with_phone(url: str, location_id: int, phone: str) -> list[int]:
    rows = fetch(url, "SELECT id FROM clients WHERE location_id = $1 AND phone = $2 ORDER BY id", location_id, phone)
    return [r["id"] for r in rows]


def count_rows(url: str, table: str) -> int:
    return fetch(url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]


def record_resource(record_id: int | str, *, event_id: int, start: int = NOW_TS + DAY, client_id: int = 0,
                    comer_id: int | None = None, comer_name: str = "", clients_count: int = 1,
                    length: int = 3600, location_id: int = PRAGUE["id"], staff_id: int = PRAGUE["staff_ids"][0],
                    timezone: str = PRAGUE["timezone"], created: int = NOW_TS, comment: str = "",
                    color: str = "", font_color: str = "", attendance: int = 0, paid_full: int = 0,
                    booking_user_id: int = 1, deleted: bool = False) -> dict[str, Any]:
    """The record resource the API should answer with, every attribute spelled out."""
    from altegio_server.timezones import local_text

    walk_in = comer_id is not None
    return {"type": "record", "id": str(record_id), "attributes": {
        "company_id": location_id, "external_id": "", "visit_id": int(record_id),
        "booking_user_id": booking_user_id, "bookform_id": 0, "master_id": staff_id, "staff_id": staff_id,
        "client_id": client_id, "comer_id": comer_id, "source": 0,
        "attendance": attendance, "attendance_status": attendance,
        "attendance_status_slug": {-1: "absent", 0: "waiting", 1: "attended", 2: "confirmed"}[attendance],
        "client_fictive_name": comer_name if walk_in else None,
        "client_fictive_phone": "" if walk_in else None,
        "client_fictive_email": "" if walk_in else None,
        "clients_count": clients_count, "activity_id": event_id,
        "custom_color": color, "custom_font_color": font_color,
        "length": length, "duration": length,
        "paid_full": paid_full, "is_paid": paid_full != 0, "is_overpaid": paid_full == 2,
        "timestamp": start, "date": local_text(start, timezone), "created_datetime": local_text(created, timezone),
        "from_url": "", "is_mobile": 0, "comment": comment, "prepaid_status": 0, "record_from": "",
        "payment_status": paid_full, "is_sale_bill_printed": False, "is_client_notification_sent": False,
        "deleted": deleted,
    }}
