"""The command line: serve, seed demo data, load fixtures, migrate."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Any, Awaitable, Callable

from altegio_server.clock import Clock
from altegio_server.config import Settings
from altegio_server.db import Database, open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps
from altegio_server.errors import DomainError


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2)."""


def _with_deps(settings: Settings, work: Callable[[Deps], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        db = await _connect(settings, pool_size=2)
        try:
            await upgrade(db)
            return await work(Deps(db=db, clock=Clock()))
        finally:
            await db.close()

    return asyncio.run(run())


async def _connect(settings: Settings, pool_size: int) -> Database:
    try:
        db = open_database(settings.database_url, pool_size=pool_size)
        await db.connect()
    except Exception as exc:  # a bad URL, a server that does not answer, a missing database...
        raise UsageError(f"cannot open the database: {type(exc).__name__}: {exc}") from None
    return db


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    os.environ["ALTEGIO_DATABASE_URL"] = settings.database_url
    if settings.frozen_time:
        os.environ["ALTEGIO_FROZEN_TIME"] = settings.frozen_time
    # Migrate once before the workers start, so none of them races to do it.
    _with_deps(settings, lambda deps: asyncio.sleep(0))
    uvicorn.run(
        "altegio_server.api.app:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers if settings.workers > 1 else None,
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        http="httptools",
        log_level=settings.log_level,
        access_log=args.access_log,
        server_header=False,
    )
    return 0


def _demo_text(summary: dict[str, Any], base_url: str) -> str:
    loc = summary["locations"][0]
    auth = f"Bearer {summary['partner_token']}, User {summary['user_token']}"
    lines = [
        "Demo data is ready.",
        f"  partner token:        {summary['partner_token']}",
        f"  user token:           {summary['user_token']}",
        f"  read-only user token: {summary['readonly_user_token']}",
        f"  user login:           {summary['user']['login']} / {summary['user']['password']}",
    ]
    for location in summary["locations"]:
        lines.append(f"  location {location['id']}: {location['title']} ({location['timezone']})")
    lines += [
        "Try:",
        f"  curl -H 'Accept: application/vnd.api.v2+json' -H 'Authorization: {auth}' "
        f"{base_url}/api/v2/locations/{loc['id']}/tags",
        f"API docs: {base_url}/docs",
    ]
    return "\n".join(lines)


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.provisioning import demo, fixture

    try:
        created = _with_deps(settings, demo.seed)
    except fixture.FixtureError as exc:
        print(f"error: the demo data cannot be added, the database holds other data under its ids:\n{exc}",
              file=sys.stderr)
        return 1
    summary = demo.summary()
    if args.json:
        print(json.dumps(summary))
    else:
        if not created:
            print("Demo data was already there; nothing added.")
        print(_demo_text(summary, f"http://{settings.host}:{settings.port}"))
    return 0


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.provisioning import fixture

    try:
        data = fixture.read_file(args.file)
        counts = _with_deps(settings, lambda deps: fixture.load(deps, data))
    except fixture.FixtureError as exc:
        print(f"error: {args.file}: nothing was loaded:\n{exc}", file=sys.stderr)
        return 1
    print("loaded: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
    return 0


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> list[int]:
        db = await _connect(settings, pool_size=1)
        try:
            return await upgrade(db)
        finally:
            await db.close()

    applied = asyncio.run(run())
    print(f"applied migrations: {applied}" if applied else "the database is up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="altegio-server", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def db_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database-url", help="sqlite:///FILE or postgresql://user@host:port/db "
                       "(default: $ALTEGIO_DATABASE_URL or sqlite:///altegio.sqlite3)")

    serve = sub.add_parser("serve", help="run the HTTP server")
    db_flag(serve)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="server processes (use PostgreSQL for more than one)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(run=cmd_serve)

    seed = sub.add_parser("seed", help="add demo data")
    seed.add_argument("what", choices=["demo"])
    db_flag(seed)
    seed.add_argument("--json", action="store_true", help="print tokens and ids as one JSON object")
    seed.add_argument("--host", help=argparse.SUPPRESS)
    seed.add_argument("--port", type=int, help=argparse.SUPPRESS)
    seed.set_defaults(run=cmd_seed)

    load = sub.add_parser("load", help="load a fixture file (JSON or YAML) with explicit ids")
    load.add_argument("file")
    db_flag(load)
    load.set_defaults(run=cmd_load)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply pending schema migrations")
    db_flag(up)
    up.set_defaults(run=cmd_db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env().with_overrides(
        database_url=getattr(args, "database_url", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        workers=getattr(args, "workers", None),
    )
    try:
        return args.run(settings, args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1


def _one_line(exc: DomainError) -> str:
    texts = [text for messages in exc.errors.values() for text in messages]
    return "; ".join(texts) if texts else exc.message
