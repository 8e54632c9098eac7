"""Repeated log lines: one per key per interval, the next one counting those held back (behaviour 11.4)."""

from __future__ import annotations

import logging
import uuid

import pytest

from altegio_server.logs import RepeatFilter, limit_repeats


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def logged(clock: Clock):
    """A logger of its own with the filter on it, and the lines it let through."""
    logger = logging.getLogger(f"test.repeats.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = Lines()
    logger.addHandler(handler)
    limit_repeats(logger, 10.0, clock)
    return logger, handler.lines


def test_a_message_repeated_within_the_interval_is_logged_once(logged):
    logger, lines = logged
    for n in range(281):
        logger.warning("WAL checkpoint failed: %s", f"disk full ({n})")
    assert lines == ["WARNING WAL checkpoint failed: disk full (0)"]


def test_the_first_line_after_the_interval_counts_the_lines_held_back(logged, clock):
    logger, lines = logged
    for _ in range(5):
        logger.warning("WAL checkpoint failed: %s", "disk full")
    clock.now += 10.0
    logger.warning("WAL checkpoint failed: %s", "disk full")
    clock.now += 10.0
    logger.warning("WAL checkpoint failed: %s", "disk full")
    assert lines == [
        "WARNING WAL checkpoint failed: disk full",
        "WARNING WAL checkpoint failed: disk full (4 more like this in the last 10 s not logged)",
        "WARNING WAL checkpoint failed: disk full",
    ]


def test_different_messages_and_levels_are_counted_apart(logged):
    logger, lines = logged
    for _ in range(3):
        logger.warning("WAL checkpoint failed: %s", "x")
        logger.error("WAL checkpoint failed: %s", "x")
        logger.error("the database file %s was deleted", "a.sqlite3")
    assert lines == ["WARNING WAL checkpoint failed: x", "ERROR WAL checkpoint failed: x",
                     "ERROR the database file a.sqlite3 was deleted"]


def test_it_remembers_a_bounded_number_of_keys(clock):
    limit = RepeatFilter(10.0, clock, max_keys=3)
    records = [logging.LogRecord("db", logging.WARNING, __file__, 1, f"message {n}", None, None) for n in range(4)]
    assert all(limit.filter(r) for r in records)
    assert len(limit._seen) == 3
    # The oldest was forgotten, so it passes again; the newest is still held back.
    assert limit.filter(records[0]) and not limit.filter(records[3])


def test_putting_it_on_a_logger_again_replaces_it(clock):
    logger = logging.getLogger(f"test.repeats.{uuid.uuid4().hex}")
    limit_repeats(logger, 10.0, clock)
    limit_repeats(logger, 5.0, clock)
    assert [f.interval for f in logger.filters if isinstance(f, RepeatFilter)] == [5.0]


def test_an_interval_of_zero_lets_everything_through(clock):
    limit = RepeatFilter(0, clock)
    record = logging.LogRecord("db", logging.WARNING, __file__, 1, "same", None, None)
    assert all(limit.filter(record) for _ in range(5))
