"""The sandbox's overview, clock, and reset and snapshots pages (behaviour 21.5). Each control
calls the service its `/_sandbox/...` control calls, so both change the same state."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from altegio_server.console.sandbox_web import HOME, controlled, done, first_errors, notice, seen, span, utc
from altegio_server.console.web import Page
from altegio_server.errors import Conflict, InvalidRequest
from altegio_server.sandbox import journal_service, service
from altegio_server.sandbox import snapshots as snapshot_service
from altegio_server.sandbox.clock import MAX_ADVANCE, MAX_YEAR, MIN_YEAR, ClockState, shown
from altegio_server.sandbox.runtime import Sandbox
from altegio_server.sandbox.snapshot_rules import NAME_RULE
from altegio_server.timezones import local, local_text, parse_local

CLOCK = f"{HOME}/clock"
STATE = f"{HOME}/state"
QUICK_MOVES = (("Advance 1 hour", 3600), ("Advance 1 day", 86400), ("Advance 1 week", 7 * 86400))
SECONDS_ERROR = f"Enter a whole number of seconds, at most {MAX_ADVANCE} either way."
AT_ERROR = "Enter a date and time as YYYY-MM-DDTHH:MM, seconds optional."
YEAR_ERROR = f"Choose a time between the years {MIN_YEAR} and {MAX_YEAR}."
ZONE_ERROR = "Choose one of the time zones listed."
MODE_ERROR = "Choose frozen or running."
UTC = "UTC"


async def overview(page: Page) -> Response:
    sandbox = seen(page)
    journal = await journal_service.journal_state(sandbox)  # reads the shared state again, the clock's too
    return page.render("sandbox/overview.html", title="Sandbox", clock=_clock_view(sandbox, sandbox.clock.state),
                       journal=journal)


# The clock (behaviour 19.2)

async def clock(page: Page) -> Response:
    sandbox = seen(page)
    return _clock_page(page, sandbox, await service.clock(sandbox))


def _clock_page(page: Page, sandbox: Sandbox, shared: ClockState, status: int = 200,
                errors: dict[str, str] | None = None, entered: dict[str, str] | None = None) -> Response:
    view = _clock_view(sandbox, shared)
    zones = [UTC, *sorted({g.timezone for g in page.session.grants.values()} - {UTC})]
    entered = entered or {"at": local(view["now_ts"], UTC).strftime("%Y-%m-%dT%H:%M:%S"), "zone": UTC,
                          "mode": "frozen" if shared.frozen else "running", "seconds": ""}
    places = [{"title": g.title, "timezone": g.timezone, "now": local_text(view["now_ts"], g.timezone)}
              for g in page.session.grants.values()]
    return page.render("sandbox/clock.html", status, title="Clock — Sandbox", clock=view, zones=zones, places=places,
                       quick_moves=QUICK_MOVES, errors=errors or {}, entered=entered, notice=notice(page))


def _clock_view(sandbox: Sandbox, shared: ClockState) -> dict[str, Any]:
    base = sandbox.clock.base.timestamp()
    now = shared.now(base)
    offset = shared.offset_from(base)
    return {**shown(shared, base), "now_ts": now, "now_text": utc(now), "offset_words": span(offset),
            "ahead": offset > 0, "behind": offset < 0}


async def advance(page: Page) -> Response:
    sandbox = controlled(page)
    text = page.form.get("seconds", "").strip()
    seconds = int(text) if _is_int(text) else None
    if seconds is None or abs(seconds) > MAX_ADVANCE:
        return _clock_page(page, sandbox, await service.clock(sandbox), 400, {"seconds": SECONDS_ERROR},
                           _entered(page, sandbox))
    await service.advance_clock(sandbox, seconds)
    return done(CLOCK, "advanced")


async def real(page: Page) -> Response:
    await service.real_clock(controlled(page))
    return done(CLOCK, "real")


async def set_clock(page: Page) -> Response:
    sandbox = controlled(page)
    at_text, zone_name, mode = (page.form.get(k, "") for k in ("at", "zone", "mode"))
    zones = {UTC} | {g.timezone for g in page.session.grants.values()}
    errors: dict[str, str] = {}
    if zone_name not in zones:
        errors["zone"] = ZONE_ERROR
    at = parse_local(at_text, zone_name if zone_name in zones else UTC, allow_minutes=True)
    if at is None:
        errors["at"] = AT_ERROR
    elif not MIN_YEAR <= local(at, UTC).year <= MAX_YEAR:
        errors["at"] = YEAR_ERROR
    if mode not in ("frozen", "running"):
        errors["mode"] = MODE_ERROR
    if errors or at is None:
        return _clock_page(page, sandbox, await service.clock(sandbox), 400, errors, _entered(page, sandbox))
    await service.set_clock(sandbox, at, mode == "frozen")
    return done(CLOCK, "set")


def _entered(page: Page, sandbox: Sandbox) -> dict[str, str]:
    """What a refused clock form held, to show it again."""
    return {"at": page.form.get("at", "")[:64], "zone": page.form.get("zone", UTC)[:64],
            "mode": page.form.get("mode") or ("frozen" if sandbox.clock.state.frozen else "running"),
            "seconds": page.form.get("seconds", "")[:32]}


def _is_int(text: str) -> bool:
    digits = text[1:] if text[:1] in ("-", "+") else text
    return digits.isascii() and digits.isdigit() and len(digits) <= 19


# Reset and snapshots (behaviour 19.3)

async def state(page: Page) -> Response:
    seen(page)
    return await _state_page(page)


async def _state_page(page: Page, status: int = 200, errors: dict[str, str] | None = None,
                      name: str = "") -> Response:
    found = await snapshot_service.snapshots(page.deps)
    return page.render("sandbox/state.html", status, title="Reset and snapshots — Sandbox",
                       snapshots=[{"name": s.name, "created": utc(s.created_at), "size": s.size} for s in found],
                       max_snapshots=seen(page).max_snapshots, name_rule=NAME_RULE, errors=errors or {},
                       name=name, notice=notice(page))


async def reset(page: Page) -> Response:
    sandbox = controlled(page)
    try:
        await snapshot_service.reset(page.deps, sandbox.gate)
    except Conflict as exc:  # no baseline recorded
        return await _state_page(page, 409, {"reset": exc.message})
    return done(STATE, "reset")


async def save(page: Page) -> Response:
    sandbox = controlled(page)
    name = page.form.get("name", "")
    try:
        await snapshot_service.save(page.deps, name, sandbox.max_snapshots)
    except InvalidRequest as exc:
        return await _state_page(page, 400, first_errors(exc.errors), name[:200])
    except Conflict as exc:  # as many snapshots as the server keeps
        return await _state_page(page, 409, {"name": exc.message}, name[:200])
    return done(STATE, "saved")


async def restore(page: Page) -> Response:
    sandbox = controlled(page)
    try:
        await snapshot_service.restore(page.deps, page.form.get("name", ""), sandbox.gate)
    except InvalidRequest as exc:
        return page.console.refusal(page.request, 400, exc.message, page.session)
    return done(STATE, "restored")


async def delete(page: Page) -> Response:
    controlled(page)
    try:
        await snapshot_service.delete(page.deps, page.form.get("name", ""))
    except InvalidRequest as exc:
        return page.console.refusal(page.request, 400, exc.message, page.session)
    return done(STATE, "deleted")
