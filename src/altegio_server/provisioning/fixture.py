"""Fixture files: a whole business (chains, locations, team, services, resources, tags,
positions, clients, users, tokens) with explicit ids, validated before anything is written.

The format is documented in the README. Every problem is reported with its place in the
file (`chains[0].locations[1].timezone`), and a file with any problem loads nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from altegio_server.db import Connection, IntegrityError
from altegio_server.deps import Deps
from altegio_server.security import hash_password, token_digest


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message names the place."""


def read_file(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise FixtureError(f"{p}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FixtureError(f"{p}: not UTF-8 text") from None
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FixtureError(f"{p}: not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'}: {exc}") from None
    if not isinstance(data, dict):
        raise FixtureError(f"{p}: the top level must be a mapping with 'chains', 'users' and 'partner_tokens'")
    return data


class _Checker:
    """Walks the fixture, checking types; collects every problem with its place."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, place: str, text: str) -> None:
        self.problems.append(f"{place}: {text}")

    def mapping(self, value: Any, place: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.fail(place, "must be a mapping")
            return {}
        for key in required:
            if key not in value:
                self.fail(f"{place}.{key}", "is required")
        for key in value:
            if key not in required and key not in optional:
                self.fail(f"{place}.{key}", "is not a known field")
        return value

    def items(self, value: Any, place: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(place, "must be a list")
            return []
        return value

    def integer(self, value: Any, place: str, minimum: int = 1, maximum: int = 2**53) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(place, "must be an integer")
            return 0
        if not minimum <= value <= maximum:
            self.fail(place, f"must be between {minimum} and {maximum}")
        return value

    def text(self, value: Any, place: str, allow_empty: bool = True) -> str:
        if not isinstance(value, str) or "\x00" in value:
            self.fail(place, "must be a string")
            return ""
        if not allow_empty and not value.strip():
            self.fail(place, "must not be empty")
        return value


def _check(data: dict[str, Any]) -> list[str]:
    c = _Checker()
    c.mapping(data, "(file)", (), ("chains", "users", "partner_tokens"))
    ids: dict[str, dict[int, str]] = {}

    def unique(kind: str, value: Any, place: str) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            seen = ids.setdefault(kind, {})
            if value in seen:
                c.fail(place, f"id {value} is already used by {seen[value]}")
            seen[value] = place

    refs: list[tuple[str, Any, str]] = []  # (kind, id, place) to resolve after the walk
    for ci, chain in enumerate(c.items(data.get("chains"), "chains")):
        cp = f"chains[{ci}]"
        chain = c.mapping(chain, cp, ("id", "title"), ("locations", "positions"))
        unique("chain", c.integer(chain.get("id"), f"{cp}.id"), f"{cp}.id")
        c.text(chain.get("title"), f"{cp}.title", False)
        for li, loc in enumerate(c.items(chain.get("locations"), f"{cp}.locations")):
            lp = f"{cp}.locations[{li}]"
            loc = c.mapping(loc, lp, ("id", "title", "timezone"), (
                "default_technical_break", "staff", "service_categories", "services", "resources", "tags", "clients"))
            unique("location", c.integer(loc.get("id"), f"{lp}.id"), f"{lp}.id")
            c.text(loc.get("title"), f"{lp}.title", False)
            tz = c.text(loc.get("timezone"), f"{lp}.timezone", False)
            if tz:
                try:
                    ZoneInfo(tz)
                except (ZoneInfoNotFoundError, ValueError):
                    c.fail(f"{lp}.timezone", f"unknown IANA time zone {tz!r}")
            if "default_technical_break" in loc:
                brk = c.integer(loc["default_technical_break"], f"{lp}.default_technical_break", 0, 3600)
                if brk % 300:
                    c.fail(f"{lp}.default_technical_break", "must be a multiple of 300 seconds")
            for si, s in enumerate(c.items(loc.get("staff"), f"{lp}.staff")):
                sp = f"{lp}.staff[{si}]"
                s = c.mapping(s, sp, ("id", "name"), ("specialization", "avatar", "avatar_big", "position_id", "rating"))
                unique("staff", c.integer(s.get("id"), f"{sp}.id"), f"{sp}.id")
                c.text(s.get("name"), f"{sp}.name", False)
                if s.get("position_id") is not None:
                    refs.append(("position", s["position_id"], f"{sp}.position_id"))
            for ki, k in enumerate(c.items(loc.get("service_categories"), f"{lp}.service_categories")):
                kp = f"{lp}.service_categories[{ki}]"
                k = c.mapping(k, kp, ("id", "title"), ())
                unique("category", c.integer(k.get("id"), f"{kp}.id"), f"{kp}.id")
            for vi, v in enumerate(c.items(loc.get("services"), f"{lp}.services")):
                vp = f"{lp}.services[{vi}]"
                v = c.mapping(v, vp, ("id", "title"), (
                    "category_id", "group_event", "capacity", "duration", "price_min", "price_max", "comment",
                    "image_url", "prepaid", "staff_ids"))
                unique("service", c.integer(v.get("id"), f"{vp}.id"), f"{vp}.id")
                c.text(v.get("title"), f"{vp}.title", False)
                if v.get("category_id") is not None:
                    refs.append(("category", v["category_id"], f"{vp}.category_id"))
                for i, sid in enumerate(c.items(v.get("staff_ids"), f"{vp}.staff_ids")):
                    refs.append(("staff", sid, f"{vp}.staff_ids[{i}]"))
                if "group_event" in v and not isinstance(v["group_event"], bool):
                    c.fail(f"{vp}.group_event", "must be true or false")
            for ri, r in enumerate(c.items(loc.get("resources"), f"{lp}.resources")):
                rp = f"{lp}.resources[{ri}]"
                r = c.mapping(r, rp, ("id", "title"), ("instances", "service_ids"))
                unique("resource", c.integer(r.get("id"), f"{rp}.id"), f"{rp}.id")
                for ii, inst in enumerate(c.items(r.get("instances"), f"{rp}.instances")):
                    ip = f"{rp}.instances[{ii}]"
                    inst = c.mapping(inst, ip, ("id", "title"), ())
                    unique("resource_instance", c.integer(inst.get("id"), f"{ip}.id"), f"{ip}.id")
                for i, sid in enumerate(c.items(r.get("service_ids"), f"{rp}.service_ids")):
                    refs.append(("service", sid, f"{rp}.service_ids[{i}]"))
            for ti, t in enumerate(c.items(loc.get("tags"), f"{lp}.tags")):
                tp = f"{lp}.tags[{ti}]"
                t = c.mapping(t, tp, ("id", "title", "color"), ("entity", "icon", "editable"))
                unique("tag", c.integer(t.get("id"), f"{tp}.id"), f"{tp}.id")
                if "entity" in t:
                    c.integer(t["entity"], f"{tp}.entity", 0, 3)
            for xi, x in enumerate(c.items(loc.get("clients"), f"{lp}.clients")):
                xp = f"{lp}.clients[{xi}]"
                x = c.mapping(x, xp, ("id", "name"), ("surname", "phone", "email", "gender"))
                unique("client", c.integer(x.get("id"), f"{xp}.id"), f"{xp}.id")
        for pi, pos in enumerate(c.items(chain.get("positions"), f"{cp}.positions")):
            pp = f"{cp}.positions[{pi}]"
            pos = c.mapping(pos, pp, ("id", "title", "salon_ids"), ("description",))
            unique("position", c.integer(pos.get("id"), f"{pp}.id"), f"{pp}.id")
            for i, lid in enumerate(c.items(pos.get("salon_ids"), f"{pp}.salon_ids")):
                refs.append(("location", lid, f"{pp}.salon_ids[{i}]"))
    for ui, u in enumerate(c.items(data.get("users"), "users")):
        up = f"users[{ui}]"
        u = c.mapping(u, up, ("id", "name", "password", "user_token"), ("phone", "email", "access"))
        unique("user", c.integer(u.get("id"), f"{up}.id"), f"{up}.id")
        if not u.get("phone") and not u.get("email"):
            c.fail(up, "needs a phone or an email to log in with")
        c.text(u.get("password"), f"{up}.password", False)
        c.text(u.get("user_token"), f"{up}.user_token", False)
        for ai, a in enumerate(c.items(u.get("access"), f"{up}.access")):
            ap = f"{up}.access[{ai}]"
            a = c.mapping(a, ap, ("location_id",), ("read_only",))
            refs.append(("location", a.get("location_id"), f"{ap}.location_id"))
    for ti, t in enumerate(c.items(data.get("partner_tokens"), "partner_tokens")):
        tp = f"partner_tokens[{ti}]"
        t = c.mapping(t, tp, ("token",), ("name",))
        c.text(t.get("token"), f"{tp}.token", False)
    for kind, ref, place in refs:
        if ref not in ids.get(kind, {}):
            c.fail(place, f"no {kind.replace('_', ' ')} with id {ref!r} in this file")
    return c.problems


async def load(deps: Deps, data: dict[str, Any]) -> dict[str, int]:
    """Check the whole fixture, then write it in one transaction; counts of what was written."""
    problems = _check(data)
    if problems:
        raise FixtureError("\n".join(problems))
    counts: dict[str, int] = {}
    try:
        async with deps.db.transaction(write=True) as conn:
            await _write(conn, data, counts, deps.clock.timestamp())
            if conn.dialect == "postgresql":
                await reset_sequences(conn)
    except IntegrityError as exc:
        raise FixtureError(f"conflicts with what the database already holds (an id or login in use): {exc}") from None
    return counts


TABLES_WITH_IDS = ("chains", "locations", "positions", "staff", "service_categories", "services",
                   "resources", "resource_instances", "clients", "users", "partner_tokens", "tags",
                   "events", "records", "comers")


async def reset_sequences(conn: Connection) -> None:
    """After explicit ids, let PostgreSQL's identities continue right after the largest one (1 if none),
    as SQLite's do."""
    for table in TABLES_WITH_IDS:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )


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
                "description": pos.get("description") or ""})
            for lid in pos["salon_ids"]:
                await _insert(conn, counts, "position_locations", {"position_id": pos["id"], "location_id": lid})
    for chain in chains:
        for loc in chain.get("locations") or []:
            await _write_location(conn, loc, counts, now)
    for user in data.get("users") or []:
        await _insert(conn, counts, "users", {
            "id": user["id"], "name": user["name"], "phone": user.get("phone") or None,
            "email": user.get("email") or None, "password_hash": hash_password(user["password"]),
            "token_hash": token_digest(user["user_token"])})
        for access in user.get("access") or []:
            await _insert(conn, counts, "user_locations", {
                "user_id": user["id"], "location_id": access["location_id"],
                "read_only": bool(access.get("read_only", False))})
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
        await _insert(conn, counts, "services", {
            "id": v["id"], "location_id": lid, "category_id": v.get("category_id"), "title": v["title"],
            "comment": v.get("comment", ""), "image_url": v.get("image_url", ""),
            "price_min": float(v.get("price_min", 0)), "price_max": float(v.get("price_max", 0)),
            "is_group": bool(v.get("group_event", False)), "capacity": int(v.get("capacity", 1)),
            "duration": int(v.get("duration", 3600)), "prepaid": v.get("prepaid", "forbidden")})
        for sid in v.get("staff_ids") or []:
            await _insert(conn, counts, "service_staff", {
                "service_id": v["id"], "staff_id": sid, "length": int(v.get("duration", 3600))})
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
            "icon": t.get("icon", ""), "entity": int(t.get("entity", 0)),
            "editable": bool(t.get("editable", True))})
    for x in loc.get("clients") or []:
        await _insert(conn, counts, "clients", {
            "id": x["id"], "location_id": lid, "name": x["name"], "surname": x.get("surname", ""),
            "phone": x.get("phone", ""), "email": x.get("email", ""), "gender": int(x.get("gender", 0)),
            "created_at": now, "updated_at": now})
