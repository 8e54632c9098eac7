"""What the series commands take: a repeat rule, a duplication strategy as a client writes it,
and a request to duplicate an event (behaviour 17)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RepeatRule:
    """When a series repeats: a repeat mode (1..7), weekdays (0 Sunday .. 6 Saturday, the
    weekly mode's), and how many units of the mode to leave out between repeats."""

    mode: int
    days: tuple[int, ...] = ()
    interval: int = 0


@dataclass(frozen=True)
class StrategyInput:
    """A whole duplication strategy as a client describes it."""

    title: str
    rule: RepeatRule
    content_type: int = 1  # 1: the events alone; 2: with copies of their appointments


@dataclass(frozen=True)
class SeriesRequest:
    """Where the copies of an event go: explicit local start times (`starts`), or a rule (given
    whole, or a saved strategy's) over the local dates [first, last], at most `count` of them."""

    starts: tuple[str, ...] = ()  # local `YYYY-MM-DD HH:MM[:SS]`
    strategy_id: int | None = None
    rule: RepeatRule | None = None
    first: str = ""  # `YYYY-MM-DD`
    last: str = ""
    count: int | None = None
    hours: int | None = None  # None: the source event's
    minutes: int | None = None
    content_type: int | None = None  # None: the strategy's, else 1
    force: bool = False
