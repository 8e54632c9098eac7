"""Whether this process can serve: liveness needs nothing, readiness needs the database (behaviour 11.2)."""

from __future__ import annotations

import asyncio

from altegio_server.deps import Deps
from altegio_server.errors import Unavailable


async def check_ready(deps: Deps, timeout: float) -> None:
    """Raise Unavailable unless the database takes writes and answers a query within `timeout` seconds."""
    if deps.db.fault() is not None:
        raise Unavailable("The database cannot take writes")
    try:
        async with asyncio.timeout(timeout):
            async with deps.db.transaction() as conn:
                await conn.fetchval("SELECT 1 FROM schema_migrations LIMIT 1")
    except TimeoutError:
        raise Unavailable(f"The database did not answer within {timeout:g} s") from None
