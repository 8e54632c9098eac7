"""`altegio-server sandbox clock get|set|advance|real`: the sandbox's clock of a database, read
and moved without a running server (behaviour 19.2). Each prints the clock as
`GET /_sandbox/clock` answers it; servers over the database follow from their next request.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Awaitable, Callable

from altegio_server.config import Settings
from altegio_server.deps import Deps
from altegio_server.sandbox import service
from altegio_server.sandbox.clock import INSTANT_FORMAT, MAX_ADVANCE, ClockState, SandboxClock, parse_instant, shown
from altegio_server.sandbox.runtime import Sandbox


def _instant(text: str) -> int:
    at = parse_instant(text)
    if at is None:
        raise argparse.ArgumentTypeError(f"{text[:64]!r} is not a date-time: expected {INSTANT_FORMAT}")
    return at


def _seconds(text: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:64]!r} is not a whole number of seconds") from None
    if not -MAX_ADVANCE <= seconds <= MAX_ADVANCE:
        raise argparse.ArgumentTypeError(f"{seconds} is more than a century ({MAX_ADVANCE} seconds) either way")
    return seconds


Change = Callable[[Sandbox, argparse.Namespace], Awaitable[ClockState]]
CHANGES: dict[str, Change] = {
    "get": lambda sandbox, args: service.clock(sandbox),
    "set": lambda sandbox, args: service.set_clock(sandbox, args.now, frozen=not args.running),
    "advance": lambda sandbox, args: service.advance_clock(sandbox, args.seconds),
    "real": lambda sandbox, args: service.real_clock(sandbox),
}


def cmd_clock(settings: Settings, args: argparse.Namespace) -> int:
    from altegio_server.cli import _with_deps

    async def work(deps: Deps) -> dict[str, Any]:
        assert isinstance(deps.clock, SandboxClock)  # as every command's (cli._deps)
        state = await CHANGES[args.clock_command](Sandbox(deps, deps.clock), args)
        return shown(state, deps.clock.base.timestamp())

    print(json.dumps(_with_deps(settings, work)))
    return 0


def add_clock_commands(sandbox_sub: Any) -> None:
    """`clock get|set|advance|real` under `altegio-server sandbox` (`sandbox_sub`: its subparsers)."""
    clock = sandbox_sub.add_parser("clock", help="read or move the sandbox's clock of a database")
    commands = clock.add_subparsers(dest="clock_command", required=True)
    get = commands.add_parser("get", help="print the sandbox's clock")
    set_ = commands.add_parser("set", help="set the clock; it stands still there unless --running")
    set_.add_argument("now", metavar="ISO", type=_instant, help=f"the new now, {INSTANT_FORMAT}")
    set_.add_argument("--running", action="store_true", help="time runs on from ISO instead of standing still")
    advance = commands.add_parser("advance", help="move the clock by SECONDS (negative: back)")
    advance.add_argument("seconds", metavar="SECONDS", type=_seconds)
    real = commands.add_parser("real", help="back to the server's own clock")
    for one in (get, set_, advance, real):
        one.add_argument("--database-url", help="sqlite:///FILE or postgresql://user@host:port/db "
                         "(default: $ALTEGIO_DATABASE_URL or sqlite:///altegio.sqlite3)")
        one.set_defaults(run=cmd_clock)
