"""What every service needs from the outside world: the database, the clock and the
process's caches (built from Settings; behaviour 9.1)."""

from __future__ import annotations

from dataclasses import dataclass, field

from altegio_server.caches import Caches
from altegio_server.clock import Clock
from altegio_server.db import Database


@dataclass
class Deps:
    db: Database
    clock: Clock
    caches: Caches = field(default_factory=Caches)
