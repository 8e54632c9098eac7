"""A location's week (behaviour 21.3)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from starlette.responses import Response

from altegio_server.console import service
from altegio_server.console.web import Page
from altegio_server.console.week import parse_day

MAX_ID_DIGITS = 19
NOTICES = {"deleted": "The event is deleted, and its appointments cancelled."}  # after a change elsewhere


def _id(text: str | None) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS else None


async def week(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"))
    query = page.request.query_params
    start_text = query.get("start") or None
    day = parse_day(start_text)
    start_error = "Enter a date as YYYY-MM-DD." if start_text and day is None else None
    shown = await service.week(page.deps, grant, day, _id(query.get("staff_id")), _id(query.get("service_id")))
    return page.render("week.html", 400 if start_error else 200,
                       title=f"Week of {shown.monday.isoformat()} — {grant.title}", grant=grant, week=shown,
                       start_error=start_error, start_text=start_text, links=_links(shown),
                       notice=page.notice(NOTICES))


def _links(shown: service.Week) -> dict[str, str]:
    """The previous, this and the next week, keeping the filters."""
    filters = {k: v for k, v in (("staff_id", shown.staff_id), ("service_id", shown.service_id)) if v is not None}

    def at(day: date | None) -> str:
        return "?" + urlencode(({"start": day.isoformat()} if day else {}) | filters)

    return {"prev": at(shown.monday - timedelta(days=7)), "today": at(None),
            "next": at(shown.monday + timedelta(days=7))}
