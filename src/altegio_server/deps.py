"""What every service needs from the outside world: the database, the clock, the
process's caches (built from Settings; behaviour 9.1) and the webhook policy."""

from __future__ import annotations

from dataclasses import dataclass, field

from altegio_server.caches import Caches
from altegio_server.clock import Clock
from altegio_server.db import Database
from altegio_server.webhooks.rules import Policy


@dataclass
class Deps:
    db: Database
    clock: Clock
    caches: Caches = field(default_factory=Caches)
    webhooks: Policy = field(default_factory=Policy)  # how webhooks are sent (behaviour 20.4)
