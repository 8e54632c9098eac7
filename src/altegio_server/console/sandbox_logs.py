"""The sandbox's request journal and webhook deliveries as pages (behaviour 21.5). Filters are
read by the same functions as `/_sandbox/requests` and `/_sandbox/webhooks/deliveries`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from altegio_server.api.sandbox import journal as journal_api
from altegio_server.api.sandbox import webhooks as webhooks_api
from altegio_server.console.sandbox_web import HOME, controlled, done, first_errors, notice, pretty, seen, utc
from altegio_server.console.web import Page
from altegio_server.db.base import Row
from altegio_server.errors import InvalidRequest
from altegio_server.sandbox import journal_service
from altegio_server.webhooks import service as webhooks

REQUESTS = f"{HOME}/requests"
DELIVERIES = f"{HOME}/deliveries"
JOURNAL_FILTERS = ("method", "path", "status", "location_id", "since", "limit")
DELIVERY_FILTERS = ("location_id", "resource", "status", "limit")


def _given(page: Page, names: tuple[str, ...]) -> dict[str, str]:
    """The filters as the query gave them (non-empty), to fill the form and the paging links."""
    query = page.request.query_params
    return {name: query[name][:1024] for name in names if query.get(name)}


# The request journal (behaviour 19.4)

async def requests(page: Page) -> Response:
    sandbox = seen(page)
    given = _given(page, JOURNAL_FILTERS)
    journal = await journal_service.journal_state(sandbox)
    values: dict[str, Any] = {"title": "Requests — Sandbox", "given": given, "methods": journal_api.METHODS,
                              "journal": journal, "notice": notice(page), "entries": None, "errors": {}}
    try:
        filters, limit, offset = journal_api.parse_filters(page.request.query_params)
    except InvalidRequest as exc:
        return page.render("sandbox/requests.html", 400, **values | {"errors": first_errors(exc.errors)})
    total, rows = await journal_service.entries(sandbox, filters, limit, offset)
    values |= {"entries": [_entry(page, row) for row in rows], "total": total, "first": offset + 1,
               "last": offset + len(rows), "newer": _page_link(given, offset - limit) if offset > 0 else None,
               "older": _page_link(given, offset + limit) if offset + limit < total else None}
    return page.render("sandbox/requests.html", **values)


def _page_link(given: dict[str, str], offset: int) -> str:
    return f"{REQUESTS}?" + urlencode(given | ({"offset": str(offset)} if offset > 0 else {}))


def _entry(page: Page, row: Row) -> dict[str, Any]:
    grant = page.session.grants.get(row["location_id"]) if row["location_id"] is not None else None
    return {**journal_api.present(row), "time_text": utc(row["at"]),
            "location": grant.title if grant else row["location_id"]}


async def request(page: Page) -> Response:
    sandbox = seen(page)
    row = await journal_service.entry(sandbox, page.param("id"))
    bodies = {side: {"text": pretty(row[f"{side}_body"], bool(row[f"{side}_cut"])), "bytes": row[f"{side}_bytes"],
                     "cut": bool(row[f"{side}_cut"])} for side in ("request", "response")}
    return page.render("sandbox/request.html", title=f"Request {row['id']} — Sandbox", entry=_entry(page, row),
                       bodies=bodies)


async def switch_journal(page: Page) -> Response:
    sandbox = controlled(page)
    enabled = page.form.get("enabled") == "1"
    await journal_service.switch(sandbox, enabled)
    return done(REQUESTS, "journal-on" if enabled else "journal-off")


async def clear_journal(page: Page) -> Response:
    await journal_service.clear(controlled(page))
    return done(REQUESTS, "cleared")


# Webhook deliveries (behaviour 20.6)

async def deliveries(page: Page) -> Response:
    seen(page)
    given = _given(page, DELIVERY_FILTERS)
    values: dict[str, Any] = {"title": "Webhook deliveries — Sandbox", "given": given,
                              "resources": webhooks_api.RESOURCES, "outcomes": webhooks_api.OUTCOMES,
                              "notice": notice(page), "found": None, "errors": {}}
    try:
        filters, limit = webhooks_api.parse_filters(page.request.query_params)
    except InvalidRequest as exc:
        return page.render("sandbox/deliveries.html", 400, **values | {"errors": first_errors(exc.errors)})
    found = await webhooks.list_deliveries(page.deps, filters, limit)
    more = f"{DELIVERIES}?" + urlencode(given | {"limit": str(webhooks_api.MAX_LIMIT)}) \
        if len(found) == limit < webhooks_api.MAX_LIMIT else None
    return page.render("sandbox/deliveries.html", **values | {"found": [_delivery(page, d) for d in found],
                                                              "limit": limit, "more": more})


def _delivery(page: Page, d: Row) -> dict[str, Any]:
    grant = page.session.grants.get(d["location_id"])
    return {**webhooks_api.present(d), "time_text": utc(d["sent_at"]),
            "location": grant.title if grant else d["location_id"], "body_text": pretty(d["body"])}


async def replay(page: Page) -> Response:
    controlled(page)
    await webhooks.replay_delivery(page.deps, page.param("id"))
    return done(DELIVERIES, "replayed")
