"""The command line: serve, seed demo data, load fixtures, migrate, manage users and tokens."""

from __future__ import annotations

import argparse
import asyncio
import copy
import getpass
import json
import os
import sys
from dataclasses import fields
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, NoReturn

from altegio_server.clock import Clock, clock_from_setting
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
            return await work(await _deps(db, settings))
        finally:
            await db.close()

    return asyncio.run(run())


async def _deps(db: Database, settings: Settings) -> Deps:
    """A command tells the time a sandbox server over the same database tells (behaviour 19.2)."""
    from altegio_server.sandbox.runtime import deps_on_sandbox_clock

    return await deps_on_sandbox_clock(db, base_clock(settings))


def base_clock(settings: Settings) -> Clock:
    """The server's own clock: real time, or ALTEGIO_FROZEN_TIME's instant (checked here)."""
    from altegio_server.sandbox.clock import INSTANT_FORMAT, parse_instant

    if settings.frozen_time and parse_instant(settings.frozen_time) is None:
        raise UsageError(f"ALTEGIO_FROZEN_TIME={settings.frozen_time[:64]!r} is not a date-time: "
                         f"expected {INSTANT_FORMAT}")
    return clock_from_setting(settings.frozen_time)


async def _connect(settings: Settings, pool_size: int) -> Database:
    try:
        db = open_database(settings.database_url, pool_size=pool_size)
        await db.connect()
    except Exception as exc:  # a bad URL, a server that does not answer, a missing database...
        raise UsageError(f"cannot open the database: {type(exc).__name__}: {exc}") from None
    return db


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, plus the server's own loggers (`altegio_server.*`) on its stderr handler.

    Without this, only warnings of our loggers would reach stderr (behaviour 13.3).
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    named = "%(levelprefix)s %(name)s: %(message)s"
    config["formatters"]["named"] = {**config["formatters"]["default"], "fmt": named}
    config["handlers"]["named"] = {**config["handlers"]["default"], "formatter": "named"}
    config["loggers"]["altegio_server"] = {"handlers": ["named"], "level": level.upper(), "propagate": False}
    return config


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from altegio_server.auth import partner_tokens
    from altegio_server.serving.protocol import GuardedHttpToolsProtocol
    from altegio_server.serving.workers import SUPERVISOR_ENV

    os.environ["ALTEGIO_DATABASE_URL"] = settings.database_url
    os.environ.update(settings.waits_env())  # each worker builds its Settings from the environment
    os.environ.update(settings.connection_env())  # read by every worker's protocol (behaviour 8)
    if settings.frozen_time:
        base_clock(settings)  # refuses a value that is not a date-time
        os.environ["ALTEGIO_FROZEN_TIME"] = settings.frozen_time
    if settings.sandbox:
        os.environ["ALTEGIO_SANDBOX"] = "1"  # each worker builds its Settings from the environment
        print("Sandbox mode is on: /_sandbox/... controls the server (reset, snapshots, clock, journal, "
              "limits, faults) with the sandbox token that `seed demo` prints. Never run a business this way.",
              file=sys.stderr)
    if settings.workers > 1:
        os.environ[SUPERVISOR_ENV] = str(os.getpid())  # workers end with this process (behaviour 8.5)
    if settings.database_url.startswith("sqlite:"):
        from altegio_server.db.sqlite import path_from_url

        path = path_from_url(settings.database_url)
        if not os.path.exists(path):  # say so: it may be a file lost since the last start (behaviour 11.3)
            print(f"warning: the database file {path} does not exist: starting with a new, empty database",
                  file=sys.stderr)
    if settings.workers > 1 and settings.database_url.startswith("sqlite:"):
        print(f"warning: SQLite lets one process write at a time, so {settings.workers} workers queue on its "
              "file lock; use PostgreSQL for more than one worker (behaviour 12.6)", file=sys.stderr)
    # Migrate once before the workers start, so none of them races to do it.
    tokens = _with_deps(settings, partner_tokens.list_all)
    if not any(t["revoked_at"] is None for t in tokens):
        print("hint: the database holds no partner token, so every request will be refused: issue one with "
              "`altegio-server partner-token issue --name NAME`, or add the demo with `altegio-server seed demo`",
              file=sys.stderr)
    uvicorn.run(
        "altegio_server.api.app:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers if settings.workers > 1 else None,
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        http=GuardedHttpToolsProtocol,
        timeout_keep_alive=settings.keep_alive_timeout,  # type: ignore[arg-type]  # any number works
        log_level=settings.log_level,
        log_config=log_config(settings.log_level),
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
        f"  sandbox token:        {summary['sandbox_token']} (for /_sandbox/... under serve --sandbox)",
    ]
    for location in summary["locations"]:
        lines += [f"  location {location['id']}: {location['title']} ({location['timezone']})"]
        lines += [f"    {label:<14}{text}" for label, text in _location_lines(location)]
    lines += [
        "Try:",
        f"  curl -H 'Accept: application/vnd.api.v2+json' -H 'Authorization: {auth}' "
        f"{base_url}/api/v2/locations/{loc['id']}/tags",
        f"API docs: {base_url}/docs",
        f"Console:  {base_url}/console (sign in with the user login above)",
    ]
    return "\n".join(lines)


def _location_lines(location: dict[str, Any]) -> list[tuple[str, str]]:
    """A demo location's ids, one kind a line (behaviour 12.2)."""
    def service(s: dict[str, Any]) -> str:
        kind = f"group, {s['capacity']} seats" if s["group_event"] else "not a group event"
        return f"{s['id']} {s['title']} ({kind}, {s['duration'] // 60} min)"

    client = location["client"]
    lines = [
        ("team members:", ", ".join(f"{s['id']} {s['name']}" for s in location["team"])),
        ("services:", ", ".join(service(s) for s in location["services"])),
        ("rooms:", ", ".join(f"{i['id']} {i['title']}" for i in location["resource_instances"])),
        ("client:", f"{client['id']} {client['name']} {client['surname']} ({client['phone']})"),
    ]
    events = location.get("events")
    if events is not None:
        span = f" from {events['first_day']} to {events['last_day']}" if events["count"] else ""
        lines.append(("events:", f"{events['count']}{span}, {events['full']} full, "
                                 f"{events['appointments']} appointments"))
    return lines


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.provisioning import demo, fixture

    from altegio_server.sandbox import state as sandbox_state

    async def seed(deps: Deps) -> tuple[bool, dict[str, Any]]:
        created, summary = await demo.seed(deps), await demo.described(deps)
        async with deps.db.transaction(write=True) as conn:  # made at seed time (behaviour 19.1)
            summary["sandbox_token"] = await sandbox_state.ensure_token(conn)
        return created, summary

    try:
        created, summary = _with_deps(settings, seed)
    except fixture.FixtureError as exc:
        print(f"error: the demo data cannot be added, the database holds other data under its ids:\n{exc}",
              file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary))
    else:
        if not created:
            print("Demo data was already there; nothing added.")
        print(_demo_text(summary, f"http://{settings.host}:{settings.port}"))
    return 0


# The objects of the domain, in the words of the API, for summaries of what was written or
# removed; the tables that only link two objects are left out (behaviour 12.3).
_WORDS = {
    "chains": ("chain", "chains"), "locations": ("location", "locations"), "positions": ("position", "positions"),
    "staff": ("team member", "team members"),
    "service_categories": ("service category", "service categories"), "services": ("service", "services"),
    "resources": ("resource", "resources"), "resource_instances": ("resource instance", "resource instances"),
    "tags": ("tag", "tags"), "clients": ("client", "clients"), "comers": ("walk-in visitor", "walk-in visitors"),
    "events": ("event", "events"), "records": ("appointment", "appointments"), "users": ("user", "users"),
    "user_tokens": ("login token", "login tokens"), "partner_tokens": ("partner token", "partner tokens"),
}


def in_words(counts: dict[str, int]) -> str:
    """`2 locations, 3 team members, ...` for counts by table; "nothing" when all are zero."""
    words = [f"{counts[t]} {one if counts[t] == 1 else many}" for t, (one, many) in _WORDS.items() if counts.get(t)]
    return ", ".join(words) or "nothing"


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.provisioning import fixture

    try:
        data = fixture.read_file(args.file)
        if args.replace:
            removed, counts = _with_deps(settings, lambda deps: fixture.replace(deps, data))
        else:
            removed, counts = None, _with_deps(settings, lambda deps: fixture.load(deps, data))
    except fixture.FixtureError as exc:
        print(f"error: {args.file}: nothing was loaded:\n{exc}", file=sys.stderr)
        return 1
    if removed is not None:
        print(f"removed: {in_words(removed)}")
    print(f"loaded: {in_words(counts)}")
    return 0


def cmd_db_reset(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.provisioning import removal

    if not args.yes:
        raise UsageError("db reset deletes everything the database holds; add --yes to confirm")
    removed = _with_deps(settings, removal.empty_database)
    print(f"emptied the database, its schema kept; removed: {in_words(removed)}")
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


def _read_password(args: argparse.Namespace) -> str:
    """The new password, from --password or standard input; never echoed or logged."""
    if args.password_stdin:
        if sys.stdin.isatty():
            return getpass.getpass("Password: ")
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("no password on standard input")
        return password
    if args.password is None:
        raise UsageError("a password is needed: --password-stdin (keeps it out of the process list) or --password P")
    return args.password


def _location_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) >= 2**63:
        raise argparse.ArgumentTypeError(f"{text!r} is not a location id")
    return int(text)


def _location_access(text: str) -> tuple[int, bool]:
    """`ID` (full access) or `ID:ro` (read-only)."""
    ident, _, mode = text.partition(":")
    if mode not in ("", "ro"):
        raise argparse.ArgumentTypeError(f"{text!r}: use a location id, optionally with :ro for read-only access")
    return _location_id(ident), mode == "ro"


def _access_text(locations: list[dict[str, Any]]) -> str:
    return ", ".join(f"{a['id']}:ro" if a["read_only"] else str(a["id"]) for a in locations) or "none"


def _logins_text(user: dict[str, Any]) -> str:
    return ", ".join(filter(None, (user["email"], user["phone"])))


def _utc(ts: int | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cmd_user_create(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.users import service

    password = _read_password(args)
    issued = _with_deps(settings, lambda deps: service.create_user(
        deps, args.name, args.email, args.phone, password, args.location))
    user = issued.user
    if args.json:
        print(json.dumps({"id": user["id"], "name": user["name"], "email": user["email"], "phone": user["phone"],
                          "locations": user["locations"], "user_token": issued.token}))
    else:
        print(f"created user {user['id']}: {user['name']} ({_logins_text(user)}), "
              f"locations: {_access_text(user['locations'])}")
        print(f"user token (shown only now): {issued.token}")
    return 0


def cmd_user_set_password(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.users import service

    password = _read_password(args)
    issued = _with_deps(settings, lambda deps: service.set_password(deps, args.login, password))
    if args.json:
        print(json.dumps({"id": issued.user["id"], "user_token": issued.token}))
    else:
        print(f"password changed for user {issued.user['id']}; the user's earlier tokens no longer work")
        print(f"user token (shown only now): {issued.token}")
    return 0


def cmd_user_grant(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.users import service

    _with_deps(settings, lambda deps: service.grant(deps, args.login, args.location, args.read_only))
    print(f"{args.login} now has {'read-only' if args.read_only else 'full'} access to location {args.location}")
    return 0


def cmd_user_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.users import service

    _with_deps(settings, lambda deps: service.revoke(deps, args.login, args.location))
    print(f"{args.login} no longer has access to location {args.location}")
    return 0


def cmd_user_list(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.users import service

    users = _with_deps(settings, service.list_users)
    if args.json:
        print(json.dumps(users))
        return 0
    for user in users:
        print(f"{user['id']}\t{user['name']}\t{_logins_text(user)}\tlocations: {_access_text(user['locations'])}")
    return 0


def cmd_partner_token_issue(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.auth import partner_tokens

    row, token = _with_deps(settings, lambda deps: partner_tokens.issue(deps, args.name))
    if args.json:
        print(json.dumps({"id": row["id"], "name": row["name"], "token": token}))
    else:
        print(f"issued partner token {row['id']} ({row['name']})")
        print(f"partner token (shown only now): {token}")
    return 0


def cmd_partner_token_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.auth import partner_tokens

    row, was_active = _with_deps(settings, lambda deps: partner_tokens.revoke(deps, args.token))
    state = "revoked" if was_active else "was already revoked"
    print(f"partner token {row['id']} ({row['name']}) {state}")
    return 0


def cmd_partner_token_list(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.auth import partner_tokens

    rows = [{"id": r["id"], "name": r["name"], "created_at": _utc(r["created_at"]), "revoked_at": _utc(r["revoked_at"])}
            for r in _with_deps(settings, partner_tokens.list_all)]
    if args.json:
        print(json.dumps(rows))
        return 0
    for r in rows:
        state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
        print(f"{r['id']}\t{r['name']}\tissued {r['created_at']}\t{state}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, its complaints in the one style of the command line's errors (behaviour 12.6)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="altegio-server", description=__doc__)
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
    serve.add_argument("--sandbox", action="store_true", default=None,
                       help="sandbox mode: the /_sandbox controls for tests (never for a business)")
    serve.add_argument("--header-timeout", type=float, metavar="S",
                       help="seconds a request's headers may take to arrive (default 10)")
    serve.add_argument("--body-timeout", type=float, metavar="S",
                       help="seconds a request's body may take to arrive after its headers (default 30)")
    serve.add_argument("--keep-alive-timeout", type=float, metavar="S",
                       help="seconds an idle connection stays open between requests (default 5)")
    serve.add_argument("--send-timeout", type=float, metavar="S",
                       help="seconds an answer may wait for a client that reads none of it (default 30)")
    serve.add_argument("--max-connections", type=int, metavar="N",
                       help="open connections per server process; more are closed at once (default 1000)")
    serve.add_argument("--db-pool-size", type=int, help="PostgreSQL connections per process (16)")
    serve.add_argument("--db-acquire-timeout", type=float, metavar="S",
                       help="seconds to wait for a pooled PostgreSQL connection before answering 503 (5)")
    serve.add_argument("--db-lock-timeout", type=float, metavar="S",
                       help="seconds to wait for a row lock or the SQLite writer lock before answering 503 (5)")
    serve.add_argument("--db-statement-timeout", type=float, metavar="S",
                       help="seconds one PostgreSQL statement may take before answering 503 (10)")
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
    load.add_argument("--replace", action="store_true",
                      help="first remove the chains, users and partner tokens the file names, with everything "
                           "under them; all in one transaction")
    db_flag(load)
    load.set_defaults(run=cmd_load)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply pending schema migrations")
    db_flag(up)
    up.set_defaults(run=cmd_db_upgrade)
    reset = db_sub.add_parser("reset", help="delete every row of every table, keep the schema (asks for --yes)")
    reset.add_argument("--yes", action="store_true", help="confirm: everything the database holds goes")
    db_flag(reset)
    reset.set_defaults(run=cmd_db_reset)

    def password_flags(p: argparse.ArgumentParser) -> None:
        group = p.add_mutually_exclusive_group()
        group.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        group.add_argument("--password", help="the password (visible in the process list: prefer --password-stdin)")

    def json_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print one JSON document")

    user = sub.add_parser("user", help="manage users, their passwords and their access to locations")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    create = user_sub.add_parser("create", help="create a user; prints the user token once")
    create.add_argument("--name", required=True)
    create.add_argument("--email", help="a login (give an e-mail, a phone or both)")
    create.add_argument("--phone", help="a login, any punctuation (stored as + and digits)")
    password_flags(create)
    create.add_argument("--location", metavar="ID[:ro]", type=_location_access, action="extend", nargs="+",
                        default=[], help="grant access to locations (:ro for read-only); repeatable")
    json_flag(create)
    db_flag(create)
    create.set_defaults(run=cmd_user_create)
    set_password = user_sub.add_parser("set-password", help="change a password; earlier tokens stop working, "
                                       "prints a new user token")
    set_password.add_argument("login", help="the user's e-mail or phone")
    password_flags(set_password)
    json_flag(set_password)
    db_flag(set_password)
    set_password.set_defaults(run=cmd_user_set_password)
    grant = user_sub.add_parser("grant", help="give a user access to a location")
    grant.add_argument("login", help="the user's e-mail or phone")
    grant.add_argument("--location", type=_location_id, required=True, metavar="ID")
    grant.add_argument("--read-only", action="store_true", help="read-only access (default: full)")
    db_flag(grant)
    grant.set_defaults(run=cmd_user_grant)
    revoke = user_sub.add_parser("revoke", help="take a user's access to a location away")
    revoke.add_argument("login", help="the user's e-mail or phone")
    revoke.add_argument("--location", type=_location_id, required=True, metavar="ID")
    db_flag(revoke)
    revoke.set_defaults(run=cmd_user_revoke)
    users = user_sub.add_parser("list", help="list users and their locations (no secrets)")
    json_flag(users)
    db_flag(users)
    users.set_defaults(run=cmd_user_list)

    partner = sub.add_parser("partner-token", help="manage the partner tokens of integrations")
    partner_sub = partner.add_subparsers(dest="partner_command", required=True)
    issue = partner_sub.add_parser("issue", help="issue a partner token; prints it once")
    issue.add_argument("--name", required=True, help="the integration it is for")
    json_flag(issue)
    db_flag(issue)
    issue.set_defaults(run=cmd_partner_token_issue)
    revoke_partner = partner_sub.add_parser("revoke", help="revoke a partner token")
    revoke_partner.add_argument("token", metavar="ID-or-TOKEN")
    db_flag(revoke_partner)
    revoke_partner.set_defaults(run=cmd_partner_token_revoke)
    partners = partner_sub.add_parser("list", help="list partner tokens (no secrets)")
    json_flag(partners)
    db_flag(partners)
    partners.set_defaults(run=cmd_partner_token_list)

    from altegio_server.sandbox import cli as sandbox_cli

    sandbox_cli.register(sub, db_flag)

    from altegio_server.webhooks import cli as webhooks_cli

    webhooks_cli.register(sub, db_flag)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        environment = Settings.from_env()
    except ValueError as exc:  # ALTEGIO_PORT=eighty and the like
        print(f"error: a setting of the environment is not usable: {exc}", file=sys.stderr)
        return 2
    # A flag named as a setting overrides it (flags win over the environment).
    settings = environment.with_overrides(**{f.name: getattr(args, f.name, None) for f in fields(Settings)})
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
