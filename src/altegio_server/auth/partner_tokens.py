"""Partner tokens, which identify integrations: issue, revoke, list. Only digests are stored."""

from __future__ import annotations

from typing import Any

from altegio_server.deps import Deps
from altegio_server.errors import NotFound, field_error
from altegio_server.security import new_token, token_digest

NAME_MAX = 255
_COLUMNS = "id, name, created_at, revoked_at"


async def issue(deps: Deps, name: str) -> tuple[dict[str, Any], str]:
    """A new partner token; the token itself is returned only here."""
    if not name.strip() or len(name) > NAME_MAX:
        raise field_error("name", f"A name of 1 to {NAME_MAX} characters is needed")
    token = new_token()
    async with deps.db.transaction(write=True) as conn:
        row = await conn.fetchrow(
            f"INSERT INTO partner_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) RETURNING {_COLUMNS}",
            name.strip(), token_digest(token), deps.clock.timestamp())
    return row, token  # type: ignore[return-value]  # RETURNING gives the row


async def revoke(deps: Deps, id_or_token: str) -> tuple[dict[str, Any], bool]:
    """Revoke a partner token named by its id or by its value; (token, whether it was active)."""
    async with deps.db.transaction(write=True) as conn:
        row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM partner_tokens WHERE token_hash = $1",
                                  token_digest(id_or_token))
        if row is None and id_or_token.isascii() and id_or_token.isdigit() and int(id_or_token) < 2**63:
            row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM partner_tokens WHERE id = $1", int(id_or_token))
        if row is None:
            raise NotFound("No partner token with that id or value")
        if row["revoked_at"] is not None:
            return row, False
        row = await conn.fetchrow(
            f"UPDATE partner_tokens SET revoked_at = $2 WHERE id = $1 RETURNING {_COLUMNS}",
            row["id"], deps.clock.timestamp())
    deps.caches.forget_grants()
    return row, True  # type: ignore[return-value]  # RETURNING gives the row


async def list_all(deps: Deps) -> list[dict[str, Any]]:
    """Every partner token, revoked ones too; no secrets."""
    async with deps.db.transaction() as conn:
        return await conn.fetch(f"SELECT {_COLUMNS} FROM partner_tokens ORDER BY id")
