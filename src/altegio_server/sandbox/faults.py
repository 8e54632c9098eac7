"""Faults injected into API requests, so that integrators can test their retries (behaviour 19.6).

A fault names a method and a path (an operation's template, or a prefix of concrete paths)
and delays the matching requests, answers them with a status instead of running them, or
both. The faults live in `sandbox_faults`; `sandbox_state.faults_version` moves whenever they
change, so a process reloads its list only when the version read before a request differs.
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any, Awaitable, Callable

from starlette.types import Receive, Scope

from altegio_server.api.envelopes import Reply, error_response
from altegio_server.api.errors import HTTP_MESSAGES
from altegio_server.api.routing import current_spelling
from altegio_server.db import Connection, Database
from altegio_server.errors import (AccessDenied, Busy, FieldErrors, InvalidRequest, NotFound, TooManyRequests,
                                   Unauthenticated, Unavailable, ValidationFailed)

METHODS = ("*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
MAX_FAULTS = 100
MAX_DELAY_MS = 30_000
MAX_TIMES = 1_000_000
MAX_PATH = 300
TOO_MANY = f"At most {MAX_FAULTS} faults can be set at once; delete some first."
NOTHING_TO_DO = "A fault needs a status, a delay or both."
NO_OPERATION = "No operation has this path template for this method."

Call = Callable[[Receive], Awaitable[Reply]]
_PARAM = re.compile(r"\{[^/{}]*\}")


@dataclass(frozen=True)
class Fault:
    id: int
    method: str
    path: str
    status: int | None
    delay_ms: int
    probability: float
    times: int | None  # firings left; None: unlimited; 0: spent

    @classmethod
    def of(cls, row: dict[str, Any]) -> Fault:
        # SQLite's RETURNING may give a whole REAL as an integer: 1.0 must stay a number with a point.
        return cls(**dict(row, probability=float(row["probability"])))

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# Rules (pure).

def canonical(path: str) -> str:
    """A path in the current v2 spelling with its parameters unnamed: both spellings compare equal."""
    path = path.rstrip("/") or "/"
    if path.startswith("/api/v2/"):
        path = current_spelling(path + "/")[:-1]  # the slash lets a last segment be renamed too
    return _PARAM.sub("{}", path)


def is_template(path: str) -> bool:
    return "{" in path


def method_matches(wanted: str, method: str) -> bool:
    """`*` matches every method; a GET fault matches HEAD too, which is answered as GET."""
    return wanted in ("*", method) or (wanted == "GET" and method == "HEAD")


def path_matches(wanted: str, template: str, path: str) -> bool:
    """`wanted` is the request's operation template, or a prefix of its path by whole segments
    (all three canonical)."""
    if is_template(wanted):
        return template == wanted
    return path == wanted or path.startswith(wanted + "/")


def problems(values: dict[str, Any], served: set[tuple[str, str]]) -> FieldErrors:
    """What is wrong with a new fault beyond its fields' own checks; `served` is (method, canonical template)."""
    errors: FieldErrors = {}
    if values["status"] is None and values["delay_ms"] == 0:
        errors["status"] = [NOTHING_TO_DO]
    path = values["path"]
    if is_template(path):
        shape, method = canonical(path), values["method"]
        if not any(s == shape and method_matches(method, m) for m, s in served):
            errors["path"] = [NO_OPERATION]
    return errors


_OWN_MESSAGES = {
    400: InvalidRequest.default_message, 401: Unauthenticated.default_message, 403: AccessDenied.default_message,
    404: NotFound.default_message, 409: Busy.default_message, 422: ValidationFailed.default_message,
    429: TooManyRequests(1).message, 500: "Internal server error", 503: Unavailable.default_message,
    **HTTP_MESSAGES,
}


def injected(fault: Fault, status: int) -> Reply:
    """The answer of a fault: the server's own message for the status where it has one."""
    try:
        message = _OWN_MESSAGES.get(status) or HTTPStatus(status).phrase
    except ValueError:
        message = "Injected fault"
    headers = {"X-Sandbox-Fault": str(fault.id)}
    if status in (429, 503):
        headers["Retry-After"] = "1"
    return error_response(status, message, headers=headers)


# At run time: one process's list of faults.

class Faults:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.version: int | None = None
        self.armed: list[tuple[Fault, str]] = []  # (fault, its canonical path), oldest first

    async def around(self, scope: Scope, receive: Receive, template: str, version: int, call: Call) -> Reply:
        """Run one request, delayed or answered by the first matching fault that fires."""
        if version != self.version:
            await self._reload(version)
        fault = await self._firing(scope, template) if self.armed else None
        if fault is None:
            return await call(receive)
        if fault.delay_ms:
            await asyncio.sleep(fault.delay_ms / 1000)
        if fault.status is None:
            return await call(receive)
        reply = injected(fault, fault.status)
        return reply.without_body() if scope["method"] == "HEAD" else reply

    async def _reload(self, version: int) -> None:
        async with self.db.transaction() as conn:
            rows = await conn.fetch(f"{_SELECT} WHERE times IS NULL OR times > 0 ORDER BY id")
        self.armed = [(Fault.of(row), canonical(row["path"])) for row in rows]
        self.version = version

    async def _firing(self, scope: Scope, template: str) -> Fault | None:
        method, shape, path = scope["method"], canonical(template), canonical(scope["path"])
        for fault, wanted in self.armed:
            if not (method_matches(fault.method, method) and path_matches(wanted, shape, path)):
                continue
            if fault.probability < 1 and random.random() >= fault.probability:  # a chance, not a secret
                continue
            if fault.times is not None and not await self._count_down(fault.id):
                continue
            return fault
        return None

    async def _count_down(self, fault_id: int) -> bool:
        """Take one firing; False if none was left. A fault spent now is dropped by every process."""
        async with self.db.transaction(write=True) as conn:
            left = await conn.fetchval("UPDATE sandbox_faults SET times = times - 1 "
                                       "WHERE id = $1 AND times > 0 RETURNING times", fault_id)
        if left == 0:
            async with self.db.transaction(write=True) as conn:  # its own: no lock held in two tables
                await _moved(conn)
        return left is not None


# The controls (each one transaction; each change moves `faults_version` first, which also
# takes the changes one at a time).

_SELECT = "SELECT id, method, path, status, delay_ms, probability, times FROM sandbox_faults"


async def _moved(conn: Connection) -> None:
    await conn.execute(
        "INSERT INTO sandbox_state (id, faults_version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE "
        "SET faults_version = sandbox_state.faults_version + 1, version = sandbox_state.version + 1")


async def create(db: Database, values: dict[str, Any], served: set[tuple[str, str]]) -> Fault:
    errors = problems(values, served)
    if errors:
        raise ValidationFailed(errors=errors)
    async with db.transaction(write=True) as conn:
        await _moved(conn)
        if await conn.fetchval("SELECT COUNT(*) FROM sandbox_faults") >= MAX_FAULTS:
            raise ValidationFailed(TOO_MANY)
        row = await conn.fetchrow(
            "INSERT INTO sandbox_faults (method, path, status, delay_ms, probability, times) "
            "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, method, path, status, delay_ms, probability, times",
            values["method"], values["path"], values["status"], values["delay_ms"], float(values["probability"]),
            values["times"])
    assert row is not None
    return Fault.of(row)


async def listed(db: Database) -> list[Fault]:
    async with db.transaction() as conn:
        return [Fault.of(row) for row in await conn.fetch(f"{_SELECT} ORDER BY id")]


async def delete(db: Database, fault_id: int) -> None:
    async with db.transaction(write=True) as conn:
        await _moved(conn)
        if not await conn.execute("DELETE FROM sandbox_faults WHERE id = $1", fault_id):
            raise NotFound()


async def delete_all(db: Database) -> None:
    async with db.transaction(write=True) as conn:
        await _moved(conn)
        await conn.execute("DELETE FROM sandbox_faults")
