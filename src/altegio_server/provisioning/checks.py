"""The fixture checker: walks a fixture (chains, locations, team, services, resources, tags,
clients, positions, users, partner tokens) and names every problem by its place in the file,
such as `chains[0].locations[1].timezone`. Pure: the database is consulted later, by `fixture`.

Every field is type-checked, optional ones included, so that nothing malformed can reach the
database; references must point at an object of the same file, in the same location (or, for
positions and their locations, the same chain).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from altegio_server.clients.rules import phone_problem
from altegio_server.phones import stored_phone
from altegio_server.security import MAX_TOKEN_LENGTH

MAX_ID = 2**53
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

Check = Callable[["Checker", Any, str], None]

# Which table each kind of id lives in (ids are unique per table).
TABLES = {
    "chain": "chains", "location": "locations", "position": "positions", "staff": "staff",
    "category": "service_categories", "service": "services", "resource": "resources",
    "resource_instance": "resource_instances", "tag": "tags", "client": "clients", "user": "users",
}


def text(max_length: int = 255, required: bool = False) -> Check:
    def check(c: Checker, value: Any, place: str) -> None:
        if not isinstance(value, str):
            c.fail(place, "must be a string")
        elif "\x00" in value:
            c.fail(place, "must not contain NUL characters")
        elif not _encodable(value):
            c.fail(place, "must be valid Unicode text (it holds a lone surrogate)")
        elif len(value) > max_length:
            c.fail(place, f"must be at most {max_length} characters long")
        elif required and not value.strip():
            c.fail(place, "must not be empty")
    return check


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def integer(minimum: int, maximum: int, step: int = 1) -> Check:
    def check(c: Checker, value: Any, place: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            c.fail(place, "must be an integer")
        elif not minimum <= value <= maximum:
            c.fail(place, f"must be between {minimum} and {maximum}")
        elif value % step:
            c.fail(place, f"must be a multiple of {step}")
    return check


def number(minimum: float, maximum: float) -> Check:
    def check(c: Checker, value: Any, place: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            c.fail(place, "must be a number")
        elif not minimum <= value <= maximum:
            c.fail(place, f"must be between {minimum:g} and {maximum:g}")
    return check


def boolean(c: Checker, value: Any, place: str) -> None:
    if not isinstance(value, bool):
        c.fail(place, "must be true or false")


def choice(*values: str) -> Check:
    def check(c: Checker, value: Any, place: str) -> None:
        if value not in values or not isinstance(value, str):
            c.fail(place, "must be one of " + ", ".join(repr(v) for v in values))
    return check


def color(c: Checker, value: Any, place: str) -> None:
    if not isinstance(value, str) or not _COLOR.fullmatch(value):
        c.fail(place, "must be a colour like '#ff2828'")


def time_zone(c: Checker, value: Any, place: str) -> None:
    text(64, required=True)(c, value, place)
    if c.failed(place):
        return
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        c.fail(place, f"unknown IANA time zone {value!r}")


def client_phone(c: Checker, value: Any, place: str) -> None:
    """A client's phone as a booking would take it (behaviour 16.5); empty: no phone."""
    text(64)(c, value, place)
    if not c.failed(place) and value and phone_problem(value):
        c.fail(place, "must be a phone number: 5 to 20 digits, e.g. +420601000001")


def nullable(inner: Check) -> Check:
    def check(c: Checker, value: Any, place: str) -> None:
        if value is not None:
            inner(c, value, place)
    return check


def strings(c: Checker, value: Any, place: str) -> None:
    for i, item in enumerate(c.items(value, place)):
        text()(c, item, f"{place}[{i}]")


ID = integer(1, MAX_ID)
TITLE = text(255, required=True)
LIST = None  # a nested list, walked by its own code

# Each kind: field -> (required, check).
CHAIN = {"id": (True, ID), "title": (True, TITLE), "locations": (False, LIST), "positions": (False, LIST)}
LOCATION = {
    "id": (True, ID), "title": (True, TITLE), "timezone": (True, time_zone),
    "default_technical_break": (False, integer(0, 3600, 300)),
    **{name: (False, LIST) for name in ("staff", "service_categories", "services", "resources", "tags", "clients")},
}
STAFF = {
    "id": (True, ID), "name": (True, TITLE), "specialization": (False, text()), "avatar": (False, text(2048)),
    "avatar_big": (False, text(2048)), "position_id": (False, LIST), "rating": (False, number(0, 5)),
}
CATEGORY = {"id": (True, ID), "title": (True, TITLE)}
SERVICE = {
    "id": (True, ID), "title": (True, TITLE), "category_id": (False, LIST), "group_event": (False, boolean),
    "capacity": (False, integer(1, 10_000)), "duration": (False, integer(1, 86_400)),
    "price_min": (False, number(0, 1e12)), "price_max": (False, number(0, 1e12)),
    "comment": (False, text(65535)), "image_url": (False, text(2048)),
    "prepaid": (False, choice("forbidden", "optional", "required")), "staff_ids": (False, LIST),
}
RESOURCE = {"id": (True, ID), "title": (True, TITLE), "instances": (False, LIST), "service_ids": (False, LIST)}
INSTANCE = {"id": (True, ID), "title": (True, TITLE)}
TAG = {
    "id": (True, ID), "title": (True, TITLE), "color": (True, color), "entity": (False, integer(0, 3)),
    "icon": (False, text()), "editable": (False, boolean),
}
CLIENT = {
    "id": (True, ID), "name": (True, text()), "surname": (False, text()), "phone": (False, client_phone),
    "email": (False, text()), "gender": (False, integer(0, 2)),
}
POSITION = {
    "id": (True, ID), "title": (True, TITLE), "description": (False, nullable(text(65535))),
    "salon_ids": (True, LIST), "services_binding_type": (False, choice("none", "optional", "required")),
    "rules_required_fields": (False, strings), "only_chain_appointment": (False, boolean),
}
USER = {
    "id": (True, ID), "name": (True, text()), "password": (True, text(1024, required=True)),
    "user_token": (True, text(MAX_TOKEN_LENGTH, required=True)), "phone": (False, nullable(text())),
    "email": (False, nullable(text())), "avatar": (False, text(2048)), "is_approved": (False, boolean),
    "is_email_confirmed": (False, boolean), "access": (False, LIST),
}
ACCESS = {"location_id": (True, LIST), "read_only": (False, boolean)}
PARTNER_TOKEN = {"token": (True, text(MAX_TOKEN_LENGTH, required=True)), "name": (False, text())}
TOP = {"chains": (False, LIST), "users": (False, LIST), "partner_tokens": (False, LIST)}


@dataclass
class Checked:
    """The outcome: problems, and where each id, login and token sits (to report clashes with the database)."""

    problems: list[str] = field(default_factory=list)
    ids: dict[str, dict[int, str]] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)
    user_tokens: dict[str, str] = field(default_factory=dict)
    partner_tokens: dict[str, str] = field(default_factory=dict)


class Checker:
    def __init__(self) -> None:
        self.out = Checked()
        self._failed: set[str] = set()
        self._owner: dict[tuple[str, int], int | None] = {}  # (kind, id) -> the chain or location holding it
        self._refs: list[tuple[str, Any, str, int | None, str]] = []

    def fail(self, place: str, message: str) -> None:
        self._failed.add(place)
        self.out.problems.append(f"{place}: {message}")

    def failed(self, place: str) -> bool:
        return place in self._failed

    def items(self, value: Any, place: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(place, "must be a list")
            return []
        return value

    def record(self, value: Any, place: str, spec: Mapping[str, tuple[bool, Check | None]]) -> dict:
        """Check a mapping's fields against a spec; return it (or {} if it is not a mapping)."""
        if not isinstance(value, dict):
            self.fail(place, "must be a mapping")
            return {}
        for name, (required, check) in spec.items():
            if name not in value:
                if required:
                    self.fail(f"{place}.{name}", "is required")
            elif check is not None:
                check(self, value[name], f"{place}.{name}")
        for name in value:
            if name not in spec:
                self.fail(f"{place}.{name}", "is not a known field")
        return value

    def declare(self, kind: str, value: dict, place: str, owner: int | None = None) -> int | None:
        """Note a record's id (already type-checked); an id may appear once per kind."""
        ident = value.get("id")
        if self.failed(f"{place}.id") or ident is None:
            return None
        seen = self.out.ids.setdefault(kind, {})
        if ident in seen:
            self.fail(f"{place}.id", f"id {ident} is already used by {seen[ident]}")
            return None
        seen[ident] = place
        self._owner[(kind, ident)] = owner
        return ident

    def refer(self, kind: str, value: Any, place: str, owner: int | None = None, owner_kind: str = "") -> None:
        """A reference to resolve once the whole file is read: it must name a `kind` held by `owner`."""
        self._refs.append((kind, value, place, owner, owner_kind))

    def refer_all(self, kind: str, values: Any, place: str, owner: int | None, owner_kind: str) -> None:
        seen: set[int] = set()
        for i, value in enumerate(self.items(values, place)):
            if isinstance(value, int):
                if value in seen:
                    self.fail(f"{place}[{i}]", f"{value} is listed twice")
                seen.add(value)
            self.refer(kind, value, f"{place}[{i}]", owner, owner_kind)

    def unique(self, registry: dict[str, str], value: Any, place: str, what: str) -> None:
        if not isinstance(value, str) or not value or self.failed(place):
            return
        if value in registry:
            self.fail(place, f"this {what} is already used by {registry[value]}")
        else:
            registry[value] = place

    def resolve(self) -> None:
        for kind, value, place, owner, owner_kind in self._refs:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(place, "must be an integer id")
            elif (kind, value) not in self._owner:
                self.fail(place, f"no {kind.replace('_', ' ')} with id {value} in this file")
            elif owner is not None and self._owner[(kind, value)] != owner:
                self.fail(place, f"{kind.replace('_', ' ')} {value} belongs to another {owner_kind}")


def check(data: Any) -> Checked:
    """Every problem of a fixture, each with its place; no problems means it can be written."""
    c = Checker()
    top = c.record(data, "(file)", TOP)
    for ci, chain in enumerate(c.items(top.get("chains"), "chains")):
        _chain(c, chain, f"chains[{ci}]")
    for ui, user in enumerate(c.items(top.get("users"), "users")):
        _user(c, user, f"users[{ui}]")
    for ti, token in enumerate(c.items(top.get("partner_tokens"), "partner_tokens")):
        tp = f"partner_tokens[{ti}]"
        token = c.record(token, tp, PARTNER_TOKEN)
        c.unique(c.out.partner_tokens, token.get("token"), f"{tp}.token", "token")
    c.resolve()
    return c.out


def _chain(c: Checker, chain: Any, cp: str) -> None:
    chain = c.record(chain, cp, CHAIN)
    chain_id = c.declare("chain", chain, cp)
    for li, loc in enumerate(c.items(chain.get("locations"), f"{cp}.locations")):
        _location(c, loc, f"{cp}.locations[{li}]", chain_id)
    for pi, pos in enumerate(c.items(chain.get("positions"), f"{cp}.positions")):
        pp = f"{cp}.positions[{pi}]"
        pos = c.record(pos, pp, POSITION)
        c.declare("position", pos, pp, chain_id)
        if "salon_ids" in pos:
            salons = pos["salon_ids"]
            if salons is None:  # items() would take null for an empty list
                c.fail(f"{pp}.salon_ids", "must be a list")
            elif salons == []:
                c.fail(f"{pp}.salon_ids", "must name at least one location")
            else:
                c.refer_all("location", salons, f"{pp}.salon_ids", chain_id, "chain")


def _location(c: Checker, loc: Any, lp: str, chain_id: int | None) -> None:
    loc = c.record(loc, lp, LOCATION)
    lid = c.declare("location", loc, lp, chain_id)
    for si, s in enumerate(c.items(loc.get("staff"), f"{lp}.staff")):
        sp = f"{lp}.staff[{si}]"
        s = c.record(s, sp, STAFF)
        c.declare("staff", s, sp, lid)
        if s.get("position_id") is not None:
            c.refer("position", s["position_id"], f"{sp}.position_id", chain_id, "chain")
    for ki, k in enumerate(c.items(loc.get("service_categories"), f"{lp}.service_categories")):
        kp = f"{lp}.service_categories[{ki}]"
        c.declare("category", c.record(k, kp, CATEGORY), kp, lid)
    for vi, v in enumerate(c.items(loc.get("services"), f"{lp}.services")):
        vp = f"{lp}.services[{vi}]"
        v = c.record(v, vp, SERVICE)
        c.declare("service", v, vp, lid)
        if v.get("category_id") is not None:
            c.refer("category", v["category_id"], f"{vp}.category_id", lid, "location")
        c.refer_all("staff", v.get("staff_ids"), f"{vp}.staff_ids", lid, "location")
        low, high = v.get("price_min", 0), v.get("price_max", 0)
        if not (c.failed(f"{vp}.price_min") or c.failed(f"{vp}.price_max")) and "price_max" in v and low > high:
            c.fail(f"{vp}.price_max", "must not be less than price_min")
    for ri, r in enumerate(c.items(loc.get("resources"), f"{lp}.resources")):
        rp = f"{lp}.resources[{ri}]"
        r = c.record(r, rp, RESOURCE)
        c.declare("resource", r, rp, lid)
        for ii, inst in enumerate(c.items(r.get("instances"), f"{rp}.instances")):
            ip = f"{rp}.instances[{ii}]"
            c.declare("resource_instance", c.record(inst, ip, INSTANCE), ip, lid)
        c.refer_all("service", r.get("service_ids"), f"{rp}.service_ids", lid, "location")
    for ti, t in enumerate(c.items(loc.get("tags"), f"{lp}.tags")):
        tp = f"{lp}.tags[{ti}]"
        c.declare("tag", c.record(t, tp, TAG), tp, lid)
    phones: dict[str, str] = {}
    for xi, x in enumerate(c.items(loc.get("clients"), f"{lp}.clients")):
        xp = f"{lp}.clients[{xi}]"
        x = c.record(x, xp, CLIENT)
        c.declare("client", x, xp, lid)
        # One phone however it is spelled, as stored (behaviour 16.5).
        c.unique(phones, _stored(x.get("phone")), f"{xp}.phone", "phone")


def _stored(phone: Any) -> Any:
    return stored_phone(phone) if isinstance(phone, str) else phone


def _user(c: Checker, user: Any, up: str) -> None:
    user = c.record(user, up, USER)
    c.declare("user", user, up)
    if user and not user.get("phone") and not user.get("email"):
        c.fail(up, "needs a phone or an email to log in with")
    c.unique(c.out.logins, _stored(user.get("phone")), f"{up}.phone", "login")
    c.unique(c.out.logins, user.get("email"), f"{up}.email", "login")
    c.unique(c.out.user_tokens, user.get("user_token"), f"{up}.user_token", "token")
    seen: set[int] = set()
    for ai, a in enumerate(c.items(user.get("access"), f"{up}.access")):
        ap = f"{up}.access[{ai}]"
        a = c.record(a, ap, ACCESS)
        if "location_id" in a:
            location = a["location_id"]
            if isinstance(location, int):
                if location in seen:
                    c.fail(f"{ap}.location_id", f"location {location} is listed twice")
                seen.add(location)
            c.refer("location", location, f"{ap}.location_id")
