"""The interface every backend implements, and the URL dispatch."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Mapping, Protocol, Sequence

from altegio_server.errors import Unavailable

Row = dict[str, Any]
log = logging.getLogger("altegio_server.db")  # its repeated lines are rate-limited (behaviour 11.4)


class IntegrityError(Exception):
    """A constraint of the database refused the write (unique, foreign key, check).

    `constraint` is the name of the index or constraint, the same on every backend (as the
    schema names it, or as PostgreSQL would name it); None where the database names none (a
    foreign key on SQLite, NOT NULL anywhere). Callers compare names, never message texts.
    """

    def __init__(self, constraint: str | None, detail: str) -> None:
        self.constraint = constraint
        super().__init__(detail)


@dataclass(frozen=True)
class Waits:
    """How long a command may wait for the database, in seconds; None waits as long as it takes.

    The server bounds every wait (behaviour 11.1); the command line, run by an operator, does not.
    A wait that runs out raises errors.Unavailable, with nothing written.
    """

    acquire: float | None = None  # a pooled connection (PostgreSQL)
    lock: float | None = None  # a row lock (PostgreSQL), the writer lock (SQLite)
    statement: float | None = None  # one statement, lock waits included (PostgreSQL)


UNBOUNDED = Waits()


def ran_out(what: str) -> Unavailable:
    """The domain error for a wait that ran out, logged."""
    log.warning("a wait for the database ran out (%s): answered 503", what)
    return Unavailable()


# The migrations' own bookkeeping: a table of the schema that holds no data of the business.
MIGRATIONS_TABLE = "schema_migrations"

# How `Connection.lock_tables` holds tables until the transaction ends: SHARE keeps writers
# out, EXCLUSIVE keeps every other writer and row locker out, ACCESS EXCLUSIVE readers too.
LockMode = Literal["SHARE", "EXCLUSIVE", "ACCESS EXCLUSIVE"]


class Connection(Protocol):
    dialect: str
    # Appended to a SELECT to hold its rows until commit: " FOR UPDATE", or "" on a database
    # whose writers run one at a time anyway (SQLite).
    for_update: str
    # The same for a shared hold (other readers may hold it too): " FOR SHARE", or "".
    for_share: str
    # Whether one statement may chain several writes (data-modifying WITH): such a statement
    # is atomic by itself, with no transaction around it.
    chained_writes: bool

    async def fetch(self, sql: str, *args: Any) -> list[Row]: ...
    async def fetch_values(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        """Rows as sequences of values in column order: cheaper than dicts where it counts."""
        ...

    async def fetchrow(self, sql: str, *args: Any) -> Row | None: ...
    async def fetchval(self, sql: str, *args: Any) -> Any: ...
    async def execute(self, sql: str, *args: Any) -> int:
        """Run a statement; return the number of rows it touched."""
        ...

    async def executemany(self, sql: str, rows: list[tuple]) -> None: ...
    async def continue_ids(self, tables: Sequence[str], at_least: Mapping[str, int] | None = None) -> None:
        """After rows written with explicit ids, let each table's generated ids go on after the largest,
        and at no id below `at_least[table]` (the next id it would have given before)."""
        ...

    async def next_ids(self, tables: Sequence[str]) -> dict[str, int]:
        """The id each table would generate next."""
        ...

    async def refill_tables(self, names: Sequence[str]) -> None:
        """Delete every row of these tables (given parents first), ids counting on, before rows
        known to be consistent (a snapshot's) are written back in this transaction.

        PostgreSQL: where the role may set `session_replication_role`, the per-row checks of
        foreign keys are skipped until the transaction ends; SQLite defers them to commit.
        """
        ...

    async def lock_tables(self, names: Sequence[str], mode: LockMode) -> None:
        """Hold these tables until the transaction ends (PostgreSQL); nothing on SQLite, whose write
        transaction already keeps every other writer out and whose readers see the last commit.

        PostgreSQL: tried in short turns that let go of what they took, so that a writer holding
        one table while waiting for another is never deadlocked; within the lock bound (11.1).
        """
        ...

    async def table_columns(self, names: Sequence[str]) -> dict[str, list[str]]:
        """The columns of these tables, in order; a table that does not exist is left out."""
        ...

    async def foreign_keys(self) -> list[tuple[str, str]]:
        """(table, the table it refers to) for every foreign key of the schema."""
        ...

    async def table_names(self) -> list[str]:
        """Every table of the schema, sorted, but the migrations' own bookkeeping."""
        ...

    async def empty_tables(self, names: Sequence[str]) -> None:
        """Delete every row of these tables (all that point at each other) and let their ids start again at 1."""
        ...


class Transaction(Protocol):
    """What `db.transaction()` returns: `async with` it for a connection."""

    async def __aenter__(self) -> Connection: ...
    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None: ...


class Database(Protocol):
    dialect: str
    chained_writes: bool  # as Connection.chained_writes
    url: str
    # True: every read runs in a transaction of its own, so that the tables it reads hold still
    # for all of its statements while a sandbox restore waits for it (behaviour 19.3). Off
    # outside sandbox mode, where each read statement runs on its own.
    snapshot_reads: bool

    async def connect(self) -> None: ...
    async def close(self) -> None: ...
    def transaction(self, write: bool = False, alone: bool = False) -> Transaction:
        """write=True: one atomic transaction, committed on success, rolled back on error.
        write=False: each statement on its own (autocommit); for reads, and on PostgreSQL for a
        write that is one statement, atomic by itself. Under `snapshot_reads` a read is one
        transaction too, unless `alone` says it is a single statement, whose own snapshot is
        enough (behaviour 19.3)."""
        ...

    def fault(self) -> str | None:
        """Why no write can be taken at all now (the SQLite file gone), or None (behaviour 11.3)."""
        ...


def open_database(url: str, pool_size: int = 16, waits: Waits = UNBOUNDED) -> Database:
    """A database for a URL: `sqlite:///path` or `postgresql://user@host:port/name`."""
    if url.startswith("sqlite:"):
        from altegio_server.db.sqlite import SQLiteDatabase

        return SQLiteDatabase(url, waits)
    if url.startswith(("postgresql:", "postgres:", "postgresql+asyncpg:")):
        from altegio_server.db.postgres import PostgresDatabase

        return PostgresDatabase(url, pool_size=pool_size, waits=waits)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://...")
