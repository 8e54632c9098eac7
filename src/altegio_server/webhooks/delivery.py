"""Rendering a notification and sending it to one URL with the retry policy (behaviour 20.4, 20.5)."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import orjson

from altegio_server.api.v1 import client_presenter, presenters, record_presenter
from altegio_server.clients import service as clients
from altegio_server.clock import wall_time
from altegio_server.deps import Deps
from altegio_server.errors import NotFound
from altegio_server.events import service as events
from altegio_server.records import service as records
from altegio_server.webhooks import rules, sender

Row = dict[str, Any]
DELIVERY_HEADER = "X-Altegio-Server-Delivery"
SIGNATURE_HEADER = "X-Altegio-Server-Signature"


async def render(deps: Deps, location_id: int, resource: str, resource_id: int, status: str) -> bytes | None:
    """The notification's body as it stands now (behaviour 20.3); None if its object is gone."""
    data: Any = {"id": resource_id}
    if resource == "record":
        try:
            data = record_presenter.record(await records.get_record_details(deps, location_id, resource_id))
        except NotFound:
            return None
    elif resource == "activity":
        try:
            data = presenters.event(*await events.get_event_details(deps, location_id, resource_id))
        except NotFound:
            return None
    elif resource == "client":
        client = await clients.get_client_as_notified(deps, location_id, resource_id)
        if client is None:
            return None
        data = client_presenter.client(client)
    return orjson.dumps({"company_id": location_id, "resource": resource, "resource_id": resource_id,
                         "status": status, "data": data})


def headers_for(delivery_id: str, body: bytes, secret: str | None) -> dict[str, str]:
    headers = {DELIVERY_HEADER: delivery_id}
    if secret:
        headers[SIGNATURE_HEADER] = rules.signature(secret, int(wall_time()), body)
    return headers


async def send(policy: rules.Policy, url: str, body: bytes, secret: str | None, about: Row) -> Row:
    """Send to one URL, retrying transport errors, 429 and 5xx; the delivery log's row.
    `about` gives location_id, resource, resource_id and event_status."""
    delivery_id = uuid.uuid4().hex  # the same on every attempt: receivers may use it to skip repeats
    status: int | None = None
    error: str | None = None
    attempts, latency_ms = 0, 0
    while True:
        attempts += 1
        started = time.perf_counter()
        try:
            status, error = await sender.post(url, body, headers_for(delivery_id, body, secret), policy.timeout), None
        except sender.SendFailed as exc:
            status, error = None, str(exc)
        latency_ms = int((time.perf_counter() - started) * 1000)
        if not rules.retryable(status) or attempts > policy.retries:
            break
        await asyncio.sleep(policy.retry_interval)
    if status is not None and not rules.delivered(status):
        error = f"answered {status}"
    return {**about, "delivery_id": delivery_id, "url": url, "body": body.decode(),
            "outcome": "delivered" if rules.delivered(status) else "failed", "http_status": status,
            "attempts": attempts, "latency_ms": latency_ms, "error": error, "sent_at": int(wall_time())}
