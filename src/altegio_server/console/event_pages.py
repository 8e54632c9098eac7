"""An event and its appointments (behaviour 21.4): the page, booking and changing its
appointments, editing and deleting the event. Every change goes through the domain's own
services; a refusal shows the page again with the message beside the form it concerns."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from starlette.responses import Response

from altegio_server.console import event as rules
from altegio_server.console import event_service as service
from altegio_server.console.sessions import Grant
from altegio_server.console.web import Page, see_other
from altegio_server.errors import Busy, NotFound, ValidationFailed
from altegio_server.records import service as records
from altegio_server.records.models import RecordChanges

EVENT_GONE = "This event has been deleted: it takes no bookings."
RECORD_GONE = "This appointment is no longer in this event: it was cancelled or moved."


def _path(grant: Grant, event_id: int) -> str:
    return f"/console/locations/{grant.location_id}/events/{event_id}"


async def event(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"))
    return await _show(page, grant, 200, notice=page.notice(rules.NOTICES))


async def _show(page: Page, grant: Grant, status: int, refusal: rules.Refusal | None = None,
                notice: str | None = None) -> Response:
    shown = await service.event_page(page.deps, grant, page.param("event_id"))
    return page.render("event.html", status, title=f"{shown.title} — {grant.title}", grant=grant, shown=shown,
                       refusal=refusal, notice=notice, can_write=not grant.read_only,
                       attendance_words=rules.ATTENDANCE_WORDS)


async def _act(page: Page, grant: Grant, change: Callable[[], Awaitable[Any]], done: str, form: str,
               names: dict[str, str], typed: tuple[str, ...], record_id: int | None = None) -> Response:
    """Make the change and go back to the page with its notice; or show the page again with
    why not: 400 for a form that cannot be read, 422 for a rule, 409 for a clash, 404 when the
    event or appointment is gone."""
    given = {name: page.form.get(name, "") for name in typed}
    try:
        await change()
    except ValidationFailed as exc:
        status = 400 if isinstance(exc, rules.FormInvalid) else 422
        return await _show(page, grant, status, rules.refusal(form, exc, names, given, record_id))
    except Busy as exc:
        return await _show(page, grant, 409, rules.Refusal(form, {}, exc.message, given, record_id))
    except NotFound:
        gone = EVENT_GONE if record_id is None else RECORD_GONE
        return await _show(page, grant, 404, rules.Refusal(form, {}, gone, given, record_id))
    return see_other(f"{_path(grant, page.param('event_id'))}?done={done}")


async def book(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)

    async def change() -> None:
        await records.create_record(page.deps, grant.location_id, page.param("event_id"), rules.booking(page.form),
                                    page.session.user_id)

    return await _act(page, grant, change, "booked", "book", rules.BOOK_FIELDS, ("phone", "name", "seats"))


def _record_change(page: Page, grant: Grant, changes: Callable[[], RecordChanges]) -> Callable[[], Awaitable[Any]]:
    async def change() -> None:
        await records.update_record(page.deps, grant.location_id, page.param("event_id"), page.param("record_id"),
                                    changes())

    return change


async def change_seats(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)
    change = _record_change(page, grant, lambda: RecordChanges(seats=rules.seats(page.form)))
    return await _act(page, grant, change, "seats", "seats", rules.RECORD_FIELDS, ("seats",), page.param("record_id"))


async def mark_attendance(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)
    change = _record_change(page, grant, lambda: RecordChanges(attendance=rules.attendance(page.form)))
    return await _act(page, grant, change, "attendance", "attendance", rules.RECORD_FIELDS, ("attendance",),
                      page.param("record_id"))


async def cancel(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)

    async def change() -> None:
        await records.cancel_record(page.deps, grant.location_id, page.param("record_id"), page.param("event_id"))

    return await _act(page, grant, change, "cancelled", "cancel", {}, (), page.param("record_id"))


async def edit_form(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)
    return await _edit(page, grant, 200)


async def _edit(page: Page, grant: Grant, status: int, refusal: rules.Refusal | None = None,
                busy: str | None = None) -> Response:
    form = await service.event_form(page.deps, grant, page.param("event_id"))
    typed = refusal.typed if refusal else form.values()
    title = f"Edit {form.event.service_title} — {grant.title}"
    return page.render("event_edit.html", status, title=title, grant=grant, form=form, typed=typed,
                       refusal=refusal, busy=busy)


async def edit(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)
    event_id = page.param("event_id")
    typed = {name: value for name, value in page.form.items() if name != "force"}
    try:
        await service.save_event(page.deps, grant, event_id, rules.event_edit(page.form))
    except ValidationFailed as exc:
        status = 400 if isinstance(exc, rules.FormInvalid) else 422
        return await _edit(page, grant, status, rules.refusal("edit", exc, rules.EDIT_FIELDS, typed))
    except Busy as exc:
        return await _edit(page, grant, 409, rules.Refusal("edit", {}, None, typed), busy=exc.message)
    return see_other(f"{_path(grant, event_id)}?done=saved")


async def delete_form(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)
    shown = await service.event_page(page.deps, grant, page.param("event_id"))
    if shown.deleted:
        raise NotFound()
    return page.render("event_delete.html", title=f"Delete {shown.title} — {grant.title}", grant=grant,
                       shown=shown)


async def delete(page: Page) -> Response:
    grant = page.session.grant(page.param("location_id"), write=True)
    day = await service.delete_event(page.deps, grant, page.param("event_id"))
    return see_other(f"/console/locations/{grant.location_id}/week?start={day.isoformat()}&done=deleted")
