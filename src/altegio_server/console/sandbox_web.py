"""What the sandbox's console pages share (behaviour 21.5): who may see them and use their
controls, the fixed notices a control leaves, and how bodies and spans of time are shown."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from starlette.responses import RedirectResponse

from altegio_server.console.web import Page, see_other
from altegio_server.errors import AccessDenied, NotFound

if TYPE_CHECKING:
    from altegio_server.sandbox.runtime import Sandbox

HOME = "/console/sandbox"
READ_ONLY = "Your access is read-only: the sandbox's controls change every location."
# A control's redirect names its notice by key, so no text of a request is ever echoed.
NOTICES = {
    "advanced": "The clock has moved.",
    "set": "The clock is set.",
    "real": "The clock is back on the server's own time.",
    "journal-on": "The journal records API requests again.",
    "journal-off": "The journal records nothing until it is switched on again.",
    "cleared": "The journal is empty.",
    "replayed": "The delivery was sent once more, and is logged as a new delivery.",
    "reset": "The state is back at the baseline.",
    "saved": "The snapshot is saved.",
    "restored": "The snapshot is restored.",
    "deleted": "The snapshot is deleted.",
}


def seen(page: Page) -> Sandbox:
    """The sandbox, for a user granted every location; anyone else: 404, as if there were no page."""
    sandbox = page.console.sandbox
    if sandbox is None or not page.session.every_location:
        raise NotFound()
    return sandbox


def controlled(page: Page) -> Sandbox:
    """The sandbox, for a user who may change every location; a read-only one: 403."""
    sandbox = seen(page)
    if not page.session.writes_everywhere:
        raise AccessDenied(READ_ONLY)
    return sandbox


def notice(page: Page) -> str | None:
    return page.notice(NOTICES)


def done(path: str, key: str) -> RedirectResponse:
    """Back to a page (303), which shows the control's notice."""
    assert key in NOTICES
    return see_other(f"{path}?done={key}")


def first_errors(errors: dict[str, list[str]]) -> dict[str, str]:
    """The first message for each field, as the pages show them next to it."""
    return {name: messages[0] for name, messages in errors.items() if messages}


def utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def pretty(text: str | None, cut: bool = False) -> str | None:
    """A body as shown: JSON indented when it is whole JSON, else the text as kept."""
    if text is None or cut:
        return text
    try:
        value: Any = json.loads(text)
    except ValueError:
        return text
    return json.dumps(value, indent=2, ensure_ascii=False)


def span(seconds: int) -> str:
    """`1 day 2 hours 5 seconds` for a number of seconds (its sign dropped); `0 seconds` for none."""
    left, parts = abs(seconds), []
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, left = divmod(left, size)
        if count:
            parts.append(f"{count} {name}{'' if count == 1 else 's'}")
    return " ".join(parts) or "0 seconds"
