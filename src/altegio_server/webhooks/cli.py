"""`altegio-server webhooks ...`: a local receiver, and the delivery log read from the database
(behaviour 20.6, 20.7)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from typing import Any, Callable

from altegio_server.config import Settings
from altegio_server.deps import Deps
from altegio_server.webhooks import rules, service

DbFlag = Callable[[argparse.ArgumentParser], None]
MAX_LIMIT = 500


def cmd_listen(settings: Settings, args: argparse.Namespace) -> int:
    """Print every notification that arrives until interrupted (behaviour 20.7)."""
    from altegio_server.webhooks.listen import listen

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(listen("127.0.0.1", args.port, args.secret))
    return 0


def cmd_deliveries(settings: Settings, args: argparse.Namespace) -> int:
    """The delivery log, newest first, one line each (or JSON)."""
    from altegio_server.api.sandbox.webhooks import present  # as GET /_sandbox/webhooks/deliveries shows it
    from altegio_server.cli import _with_deps

    filters = {"location_id": args.location, "resource": args.resource, "outcome": args.status}

    async def work(deps: Deps) -> list[dict[str, Any]]:
        return [present(d) for d in await service.list_deliveries(deps, filters, args.limit)]

    found = _with_deps(settings, work)
    if args.json:
        print(json.dumps(found))
        return 0
    for d in found:
        answer = d["http_status"] if d["http_status"] is not None else (d["error"] or "")
        print(f"{d['id']}\t{d['sent_at']}\t{d['status']}\t{answer}\t{d['attempts']} attempt(s)\t"
              f"location {d['location_id']}\t{d['resource']} {d['resource_id']}\t{d['url']}")
    return 0


def _limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number from 1 to {MAX_LIMIT}")
    return int(text)


def register(sub: Any, db_flag: DbFlag) -> None:
    """Add `webhooks listen` and `webhooks deliveries` to the command line."""
    hooks = sub.add_parser("webhooks", help="webhook tools: a local receiver, the delivery log")
    commands = hooks.add_subparsers(dest="webhooks_command", required=True)
    hear = commands.add_parser("listen", help="a local receiver that prints each notification")
    hear.add_argument("--port", type=int, required=True, help="port to listen on (127.0.0.1)")
    hear.add_argument("--secret", help="the signing secret: check each notification's signature")
    hear.set_defaults(run=cmd_listen)
    log = commands.add_parser("deliveries", help="the delivery log, newest first")
    log.add_argument("--location", type=int, metavar="ID", help="only this location's")
    log.add_argument("--resource", choices=[*rules.FLAGS, "test"], help="only this resource's")
    log.add_argument("--status", choices=["delivered", "failed"], help="only these")
    log.add_argument("--limit", type=_limit, default=100, help=f"at most this many (1-{MAX_LIMIT}, default 100)")
    log.add_argument("--json", action="store_true", help="print one JSON document")
    db_flag(log)
    log.set_defaults(run=cmd_deliveries)
