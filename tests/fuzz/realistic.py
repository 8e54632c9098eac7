"""Real ids for generated requests. A fuzzer that only guesses ids learns that every event
is 404 and never reaches the rules behind it, so most positive cases get their path ids and
the id fields of their bodies swapped for ids that exist (negative parts are left alone).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import NEW_YORK, PRAGUE

LOCATIONS = {loc["id"]: loc for loc in (PRAGUE, NEW_YORK)}


EVENTS_PER_LOCATION, BOOKED_PER_LOCATION = 12, 8


@dataclass
class Known:
    """Ids worth trying, by location: the demo's, plus the events and appointments that
    `made_before_fuzzing` describes. They are known before the server starts, because
    schemathesis builds some cases while tests are collected."""

    events: dict[int, list[int]] = field(default_factory=dict)
    records: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # (event id, record id)

    @classmethod
    def made_before_fuzzing(cls) -> Known:
        """On a fresh database: twelve events per location, ids in order, the first eight
        booked once each."""
        known = cls()
        for n, location_id in enumerate(LOCATIONS):
            first_event, first_record = n * EVENTS_PER_LOCATION + 1, n * BOOKED_PER_LOCATION + 1
            known.events[location_id] = list(range(first_event, first_event + EVENTS_PER_LOCATION))
            known.records[location_id] = [(first_event + i, first_record + i) for i in range(BOOKED_PER_LOCATION)]
        return known

    def path(self, params: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
        location_id = rnd.choice(list(LOCATIONS))
        loc = LOCATIONS[location_id]
        event_id, record_id = rnd.choice(self.records[location_id])
        if "record_id" not in params:
            event_id = rnd.choice(self.events[location_id])
        real = {"location_id": location_id, "event_id": event_id, "record_id": record_id,
                "position_id": rnd.choice(loc["position_ids"]),
                "tag_id": rnd.choice(sum(loc["tag_ids"].values(), []))}
        return {name: real.get(name, value) for name, value in params.items()}

    def body(self, body: dict[str, Any], path: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
        """The body with its id fields (and a few others that rules look at) made plausible."""
        location_id = path.get("location_id")
        loc = LOCATIONS.get(location_id, PRAGUE)
        tags = loc["tag_ids"]
        real = {
            "staff_id": lambda: rnd.choice(loc["staff_ids"]),
            "service_id": lambda: rnd.choice(loc["group_service_ids"] * 3 + loc["other_service_ids"]),
            "resource_instance_ids": lambda: rnd.sample(loc["resource_instance_ids"], rnd.randint(0, 2)),
            "label_ids": lambda: rnd.sample(tags["activity"] + tags["common"] + tags["record"], rnd.randint(0, 2)),
            "labels": lambda: rnd.sample(tags["record"] + tags["common"], rnd.randint(0, 2)),
            "reschedule_activity_id": lambda: rnd.choice(self.events.get(location_id) or [1]),
            "salon_ids": lambda: rnd.sample(sorted(LOCATIONS), rnd.randint(1, 2)),
            "position_id": lambda: path.get("position_id", rnd.choice(loc["position_ids"])),
            "date": lambda: f"2027-0{rnd.randint(1, 3)}-{rnd.randint(11, 28)} {rnd.randint(6, 20):02}:00:00",
            "length": lambda: 300 * rnd.randint(1, 12),
            "technical_break_duration": lambda: rnd.choice([None, 0, 300, 600]),
            "clients_count": lambda: rnd.randint(1, 3),
            "entity": lambda: rnd.randint(0, 3),
        }
        out = dict(body)
        for name, value in real.items():
            if name in out and rnd.random() < 0.8:
                out[name] = value()
        return out
