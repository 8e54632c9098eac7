"""`altegio-server sandbox ...`: the sandbox's controls against a database, without a running
server (behaviour 19.8). The same service functions answer `/_sandbox/...`.

`register` adds the `sandbox` command; each family of controls adds its own subcommands to
it through one function in `FAMILIES`.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from typing import Any, Callable

from altegio_server.cli import _with_deps
from altegio_server.config import Settings
from altegio_server.errors import NotFound
from altegio_server.sandbox import snapshots
from altegio_server.sandbox.snapshot_rules import name_problem

DbFlag = Callable[[argparse.ArgumentParser], None]
Commands = Any  # argparse's subparsers action, which typeshed keeps private


def _name(text: str) -> str:
    problem = name_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{text[:80]!r}: {problem}")
    return text


def _when(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat()


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def cmd_reset(settings: Settings, args: argparse.Namespace) -> int:
    baseline = _with_deps(settings, snapshots.reset)
    print(f"reset to the baseline recorded {_when(baseline.created_at)} ({_rows(baseline.size)})")
    return 0


def cmd_snapshot(settings: Settings, args: argparse.Namespace) -> int:
    saved = _with_deps(settings, lambda deps: snapshots.save(deps, args.name, settings.sandbox_max_snapshots))
    print(f"saved snapshot {saved.name} ({_rows(saved.size)})")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    try:
        restored = _with_deps(settings, lambda deps: snapshots.restore(deps, args.name))
    except NotFound:
        print(f"error: there is no snapshot called {args.name}; `altegio-server sandbox snapshots` lists them",
              file=sys.stderr)
        return 1
    print(f"restored snapshot {restored.name}, saved {_when(restored.created_at)} ({_rows(restored.size)})")
    return 0


def cmd_delete(settings: Settings, args: argparse.Namespace) -> int:
    try:
        _with_deps(settings, lambda deps: snapshots.delete(deps, args.name))
    except NotFound:
        print(f"error: there is no snapshot called {args.name}", file=sys.stderr)
        return 1
    print(f"deleted snapshot {args.name}")
    return 0


def cmd_snapshots(settings: Settings, args: argparse.Namespace) -> int:
    found = [{"name": s.name, "created_at": _when(s.created_at), "size": s.size}
             for s in _with_deps(settings, snapshots.snapshots)]
    if args.json:
        print(json.dumps(found))
    for s in [] if args.json else found:
        print(f"{s['name']}\t{s['created_at']}\t{_rows(s['size'])}")
    return 0


def add_snapshot_commands(commands: Commands, db_flag: DbFlag) -> None:
    """`sandbox reset`, `sandbox snapshot NAME`, `sandbox restore NAME`, `sandbox delete NAME`, `sandbox snapshots`."""
    reset = commands.add_parser("reset", help="put every table back as the last `seed demo` or `load` left it")
    db_flag(reset)
    reset.set_defaults(run=cmd_reset)
    for word, run, text in (("snapshot", cmd_snapshot, "save the whole state under NAME (replacing one)"),
                            ("restore", cmd_restore, "put the whole state back as snapshot NAME holds it"),
                            ("delete", cmd_delete, "forget snapshot NAME")):
        one = commands.add_parser(word, help=text)
        one.add_argument("name", metavar="NAME", type=_name, help="1-64 letters, digits, '-', '_', '.'")
        db_flag(one)
        one.set_defaults(run=run)
    listed = commands.add_parser("snapshots", help="list the snapshots: name, when saved, rows")
    listed.add_argument("--json", action="store_true", help="print one JSON document")
    db_flag(listed)
    listed.set_defaults(run=cmd_snapshots)


def add_clock_family(commands: Commands, db_flag: DbFlag) -> None:
    from altegio_server.sandbox.clock_cli import add_clock_commands

    add_clock_commands(commands)


FAMILIES: list[Callable[[Commands, DbFlag], None]] = [add_snapshot_commands, add_clock_family]


def register(sub: Commands, db_flag: DbFlag) -> None:
    """Add `sandbox` and the subcommands of every family to the command line."""
    sandbox = sub.add_parser("sandbox", help="the sandbox's controls, against the database, without a server")
    commands = sandbox.add_subparsers(dest="sandbox_command", required=True)
    for add in FAMILIES:
        add(commands, db_flag)
