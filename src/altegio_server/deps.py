"""What every service needs from the outside world: the database and the clock."""

from __future__ import annotations

from dataclasses import dataclass

from altegio_server.clock import Clock
from altegio_server.db import Database


@dataclass
class Deps:
    db: Database
    clock: Clock
