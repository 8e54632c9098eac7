"""Fixture files: a whole business (chains, locations, team, services, resources, tags,
positions, clients, users, tokens) with explicit ids, checked before anything is written.

Every problem is reported with its place in the file (`chains[0].locations[1].timezone`),
and a file with any problem loads nothing. The format, by example (YAML; JSON alike):

    chains:
      - id: 1
        title: My chain
        locations:
          - id: 101
            title: Studio
            timezone: Europe/Prague
            default_technical_break: 600          # seconds, a multiple of 300
            staff: [{id: 1001, name: Eva, position_id: 1}]
            service_categories: [{id: 1010, title: Classes}]
            services: [{id: 1021, title: Yoga, category_id: 1010, group_event: true, capacity: 12,
                        duration: 3600, price_min: 15, price_max: 20, staff_ids: [1001]}]
            resources: [{id: 1031, title: Room, service_ids: [1021], instances: [{id: 1041, title: Room A}]}]
            tags: [{id: 1051, title: Outdoor, color: "#ffeb3b", entity: 3}]
            clients: [{id: 1061, name: Anna, phone: "+420601000001"}]
        positions: [{id: 1, title: Instructor, salon_ids: [101]}]
    users:
      - {id: 1, name: Owner, email: owner@example.com, password: secret, user_token: TOKEN,
         access: [{location_id: 101, read_only: false}]}
    partner_tokens: [{name: My integration, token: PARTNER}]

`provisioning/checks.py` lists every field with its type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Awaitable, Callable

import yaml

from altegio_server.db import Connection, IntegrityError
from altegio_server.deps import Deps
from altegio_server.phones import stored_phone
from altegio_server.provisioning import checks, removal
from altegio_server.sandbox import snapshots
from altegio_server.security import hash_password, token_digest


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message names the place."""


def read_file(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    kind = "JSON" if p.suffix.lower() == ".json" else "YAML"
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise FixtureError(f"{p}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FixtureError(f"{p}: not UTF-8 text") from None
    try:
        data = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FixtureError(f"{p}: not valid {kind}: {exc}") from None
    except RecursionError:
        raise FixtureError(f"{p}: nested too deeply") from None
    if not isinstance(data, dict):
        raise FixtureError(f"{p}: the top level must be a mapping with 'chains', 'users' and 'partner_tokens'")
    return data


# Work to do in the fixture's transaction once it is written; given the connection.
After = Callable[[Connection], Awaitable[None]]


async def load(deps: Deps, data: Any, after: After | None = None, recorded_at: int | None = None) -> dict[str, int]:
    """Check the whole fixture, then write it in one transaction; counts of what was written.

    Raises FixtureError naming every problem, including ids, logins and tokens that the
    database already holds; then nothing is written. `after(conn)`, if given, runs in
    the same transaction once the fixture is written (the demo adds its schedule so).
    The state it leaves becomes the sandbox's baseline, recorded at `recorded_at` (default:
    the clock's now; behaviour 19.3).
    """
    _, counts = await _load(deps, data, replace=False, after=after, recorded_at=recorded_at)
    return counts


async def replace(deps: Deps, data: Any) -> tuple[dict[str, int], dict[str, int]]:
    """As `load`, but first remove the chains, users and partner tokens the fixture names,
    all in the one transaction (behaviour 12.5); counts of what was removed and written."""
    return await _load(deps, data, replace=True, after=None, recorded_at=None)


async def _load(deps: Deps, data: Any, replace: bool, after: After | None,
                recorded_at: int | None) -> tuple[dict[str, int], dict[str, int]]:
    checked = checks.check(data)
    if checked.problems:
        raise FixtureError("\n".join(checked.problems))
    removed: dict[str, int] = {}
    counts: dict[str, int] = {}
    now = deps.clock.timestamp()
    try:
        async with deps.db.transaction(write=True) as conn:
            if replace:
                removed = await removal.remove_named(conn, data)
            clashes = await _clashes(conn, checked)
            if clashes:
                raise FixtureError("\n".join(clashes))
            await _write(conn, data, counts, now)
            await reset_sequences(conn)  # before `after`, whose rows take ids from them
            if after is not None:
                await after(conn)
            # What the sandbox's reset goes back to (behaviour 19.3).
            await snapshots.record_baseline(conn, now if recorded_at is None else recorded_at)
    except IntegrityError as exc:  # a concurrent writer took an id or login after the check above
        raise FixtureError(f"conflicts with what the database already holds (an id or login in use): {exc}") from None
    return removed, counts


async def _existing(conn: Connection, sql: str, values: list[Any]) -> set[Any]:
    """Which of the values the query (with `{marks}` for the list) finds, asked in chunks."""
    found: set[Any] = set()
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        marks = ", ".join(f"${i + 1}" for i in range(len(chunk)))
        found |= {r["v"] for r in await conn.fetch(sql.format(marks=marks), *chunk)}
    return found


async def _clashes(conn: Connection, checked: checks.Checked) -> list[str]:
    """Problems with what the database already holds: ids, logins, tokens."""
    problems = []
    for kind, places in checked.ids.items():
        sql = f"SELECT id AS v FROM {checks.TABLES[kind]} WHERE id IN ({{marks}})"
        problems += [f"{places[i]}.id: id {i} is already in the database"
                     for i in sorted(await _existing(conn, sql, list(places)))]
    logins = list(checked.logins)
    taken = await _existing(conn, "SELECT phone AS v FROM users WHERE phone IN ({marks})", logins)
    taken |= await _existing(conn, "SELECT email AS v FROM users WHERE email IN ({marks})", logins)
    problems += [f"{checked.logins[v]}: {v!r} is already the login of a user in the database" for v in sorted(taken)]
    for registry, table in ((checked.user_tokens, "users"), (checked.partner_tokens, "partner_tokens")):
        by_digest = {token_digest(token): place for token, place in registry.items()}
        sql = f"SELECT token_hash AS v FROM {table} WHERE token_hash IN ({{marks}})"
        problems += [f"{by_digest[d]}: this token is already in the database"
                     for d in await _existing(conn, sql, list(by_digest))]
    return problems


TABLES_WITH_IDS = ("chains", "locations", "positions", "staff", "service_categories", "services",
                   "resources", "resource_instances", "clients", "users", "partner_tokens", "tags",
                   "events", "records", "comers", "sandbox_requests",
                   "duplication_strategies", "sandbox_faults", "webhook_outbox", "webhook_deliveries")


async def reset_sequences(conn: Connection) -> None:
    """After explicit ids, let generated ids continue right after the largest one."""
    await conn.continue_ids(TABLES_WITH_IDS)


async def _insert(conn: Connection, counts: dict[str, int], table: str, row: dict[str, Any]) -> None:
    cols = ", ".join(row)
    marks = ", ".join(f"${i + 1}" for i in range(len(row)))
    await conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", *row.values())
    counts[table] = counts.get(table, 0) + 1


async def _write(conn: Connection, data: dict[str, Any], counts: dict[str, int], now: int) -> None:
    chains = data.get("chains") or []
    for chain in chains:
        await _insert(conn, counts, "chains", {"id": chain["id"], "title": chain["title"]})
        for loc in chain.get("locations") or []:
            await _insert(conn, counts, "locations", {
                "id": loc["id"], "chain_id": chain["id"], "title": loc["title"], "timezone": loc["timezone"],
                "default_break": loc.get("default_technical_break", 0)})
    for chain in chains:
        for pos in chain.get("positions") or []:
            await _insert(conn, counts, "positions", {
                "id": pos["id"], "chain_id": chain["id"], "title": pos["title"],
                "description": pos.get("description") or "",
                "services_binding_type": pos.get("services_binding_type", "none"),
                "rules_required_fields": json.dumps(pos.get("rules_required_fields") or []),
                "only_chain_appointment": pos.get("only_chain_appointment", False)})
            for lid in pos["salon_ids"]:
                await _insert(conn, counts, "position_locations", {"position_id": pos["id"], "location_id": lid})
    for chain in chains:
        for loc in chain.get("locations") or []:
            await _write_location(conn, loc, counts, now)
    for user in data.get("users") or []:
        await _insert(conn, counts, "users", {
            "id": user["id"], "name": user["name"], "phone": stored_phone(user.get("phone") or "") or None,
            "email": user.get("email") or None, "avatar": user.get("avatar", ""),
            "password_hash": hash_password(user["password"]), "token_hash": token_digest(user["user_token"]),
            "is_approved": user.get("is_approved", True), "is_email_confirmed": user.get("is_email_confirmed", True)})
        for access in user.get("access") or []:
            await _insert(conn, counts, "user_locations", {
                "user_id": user["id"], "location_id": access["location_id"],
                "read_only": access.get("read_only", False)})
    for token in data.get("partner_tokens") or []:
        await _insert(conn, counts, "partner_tokens", {
            "name": token.get("name", ""), "token_hash": token_digest(token["token"]), "created_at": now})


async def _write_location(conn: Connection, loc: dict[str, Any], counts: dict[str, int], now: int) -> None:
    lid = loc["id"]
    for s in loc.get("staff") or []:
        await _insert(conn, counts, "staff", {
            "id": s["id"], "location_id": lid, "name": s["name"], "specialization": s.get("specialization", ""),
            "avatar": s.get("avatar", ""), "avatar_big": s.get("avatar_big", ""),
            "position_id": s.get("position_id"), "rating": float(s.get("rating", 0))})
    for k in loc.get("service_categories") or []:
        await _insert(conn, counts, "service_categories", {"id": k["id"], "location_id": lid, "title": k["title"]})
    for v in loc.get("services") or []:
        price_min = float(v.get("price_min", 0))
        await _insert(conn, counts, "services", {
            "id": v["id"], "location_id": lid, "category_id": v.get("category_id"), "title": v["title"],
            "comment": v.get("comment", ""), "image_url": v.get("image_url", ""),
            "price_min": price_min, "price_max": float(v.get("price_max", price_min)),
            "is_group": v.get("group_event", False), "capacity": v.get("capacity", 1),
            "duration": v.get("duration", 3600), "prepaid": v.get("prepaid", "forbidden")})
        for sid in v.get("staff_ids") or []:
            await _insert(conn, counts, "service_staff", {
                "service_id": v["id"], "staff_id": sid, "length": v.get("duration", 3600)})
    for r in loc.get("resources") or []:
        await _insert(conn, counts, "resources", {"id": r["id"], "location_id": lid, "title": r["title"]})
        for inst in r.get("instances") or []:
            await _insert(conn, counts, "resource_instances", {
                "id": inst["id"], "resource_id": r["id"], "location_id": lid, "title": inst["title"]})
        for sid in r.get("service_ids") or []:
            await _insert(conn, counts, "service_resources", {"service_id": sid, "resource_id": r["id"]})
    for t in loc.get("tags") or []:
        await _insert(conn, counts, "tags", {
            "id": t["id"], "location_id": lid, "title": t["title"], "color": t["color"],
            "icon": t.get("icon", ""), "entity": t.get("entity", 0), "editable": t.get("editable", True)})
    for x in loc.get("clients") or []:
        await _insert(conn, counts, "clients", {
            "id": x["id"], "location_id": lid, "name": x["name"], "surname": x.get("surname", ""),
            "phone": stored_phone(x.get("phone", "")), "email": x.get("email", ""), "gender": x.get("gender", 0),
            "created_at": now, "updated_at": now})
