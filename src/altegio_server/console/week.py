"""The week grid's arithmetic (behaviour 21.3): which week a date falls in, where each event
sits in its day, and which hours the grid shows. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, Sequence

from altegio_server.colors import text_color
from altegio_server.timezones import local, zone

DAY_MINUTES = 24 * 60
FIRST_HOUR, LAST_HOUR = 8, 20  # shown even when the week is empty or quieter
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Block:
    """One event in one day's column: minutes from that day's midnight, and its lane among
    the events it overlaps."""

    event: dict[str, Any]
    start: int
    end: int
    lane: int = 0
    lanes: int = 1


def parse_day(text: str | None) -> date | None:
    """`YYYY-MM-DD`, or None when missing or not a real date."""
    if not text or not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_start(day: date, tz: str) -> int:
    """Unix seconds of the day's local midnight (the first instant of the day, whatever its offset)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=zone(tz)).timestamp())


def week_bounds(monday: date, tz: str) -> tuple[int, int]:
    """From Monday's local midnight to the next Monday's, in Unix seconds."""
    return day_start(monday, tz), day_start(monday + timedelta(days=7), tz)


def lay_out(events: Sequence[dict[str, Any]], monday: date, tz: str) -> list[list[Block]]:
    """Seven days of blocks. An event sits in the day it starts, cut at midnight; events that
    overlap share the column side by side."""
    days: list[list[Block]] = [[] for _ in range(7)]
    for event in events:
        start = local(event["start_ts"], tz)
        index = (start.date() - monday).days
        if not 0 <= index < 7:
            continue
        minutes = start.hour * 60 + start.minute
        end = min(DAY_MINUTES, minutes + max(1, (event["length"] + 59) // 60))
        days[index].append(Block(event, minutes, end))
    return [_lanes(sorted(day, key=lambda b: (b.start, b.event["id"]))) for day in days]


def _lanes(blocks: list[Block]) -> list[Block]:
    """Each block in the first lane free at its start; every block of an overlapping cluster
    knows how many lanes the cluster needs."""
    placed: list[Block] = []
    cluster: list[tuple[Block, int]] = []
    lane_ends: list[int] = []
    cluster_end = -1

    def close() -> None:
        placed.extend(Block(b.event, b.start, b.end, lane, len(lane_ends)) for b, lane in cluster)

    for block in blocks:
        if block.start >= cluster_end and cluster:
            close()
            cluster, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end <= block.start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(block.end)
        else:
            lane_ends[lane] = block.end
        cluster.append((block, lane))
        cluster_end = max(cluster_end, block.end) if len(cluster) > 1 else block.end
    if cluster:
        close()
    return placed


def hours(days: list[list[Block]]) -> tuple[int, int]:
    """The first hour the grid shows and the hour it ends at: 08:00 to 20:00, widened to every event."""
    first, last = FIRST_HOUR, LAST_HOUR
    for day in days:
        for block in day:
            first = min(first, block.start // 60)
            last = max(last, -(-block.end // 60))
    return first, min(24, last)


class Shown(NamedTuple):
    """A block as the page draws it: its inline style (position, size, colours), its start, the
    end of the class itself (before any technical break), and whether it shares its column."""

    event: dict[str, Any]
    style: str
    start: str
    until: str
    narrow: bool


def shown(days: list[list[Block]], first_hour: int, last_hour: int) -> list[list[Shown]]:
    """Each block's place in a grid from `first_hour` to `last_hour`, as percentages of its day's
    column, with the event's colours (already checked by `colors.safe_color`)."""
    span = (last_hour - first_hour) * 60
    out = []
    for day in days:
        drawn = []
        for b in day:
            e = b.event
            style = (f"top: {(b.start - first_hour * 60) * 100 / span:.3f}%; "
                     f"height: {(b.end - b.start) * 100 / span:.3f}%; "
                     f"left: {b.lane * 100 / b.lanes:.2f}%; width: {100 / b.lanes:.2f}%;")
            if e.get("color"):
                style += f" --event: {e['color']}; --event-text: {text_color(e['color'])};"
            until = (b.start + (e["length"] - e.get("technical_break", 0)) // 60) % DAY_MINUTES
            drawn.append(Shown(e, style, f"{b.start // 60:02d}:{b.start % 60:02d}",
                               f"{until // 60:02d}:{until % 60:02d}", b.lanes > 1))
        out.append(drawn)
    return out
