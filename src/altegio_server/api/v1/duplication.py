"""v1 series of group events (behaviour 17): duplication strategies, and copying an event to
many dates at once. The vendor's v2 has neither; v2 clients see the copies as activities."""

from __future__ import annotations

from typing import Any

from altegio_server.api.envelopes import Reply, v1_success
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import Bool, Int, List, Obj, Str
from altegio_server.api.v1 import presenters
from altegio_server.api.v1.activity import DATE_TIME, PATH, TAG
from altegio_server.errors import ValidationFailed
from altegio_server.events.models import Event, Related
from altegio_server.series import rules, service
from altegio_server.series.models import RepeatRule, SeriesRequest, StrategyInput

api = Api()
STRATEGIES = PATH + "/duplication_strategy"
STRATEGY = STRATEGIES + "/{strategy_id}"

_MODE = Int(min=1, max=7, description="1 daily, 2 weekdays, 3 Mon Wed Fri, 4 Tue Thu, 5 weekly, 6 monthly, 7 yearly")
_DAYS = List(Int(min=0, max=6), nullable=True, max_items=7, unique=True,
             description="weekdays of the weekly mode, 0 Sunday .. 6 Saturday; null or absent: none")
_INTERVAL = Int(nullable=True, min=0, max=rules.MAX_INTERVAL,
                description="units of the mode left out between repeats (days, weeks, months, years)")
_CONTENT_TYPE = Int(nullable=True, min=1, max=2, description="copy the appointments too? 1 no, 2 yes")
STRATEGY_BODY = Obj({
    "title": Str(required=True, min_length=1, max_length=255),
    "repeat_mode_id": Int(required=True, min=1, max=7, description=_MODE.description),
    "days": _DAYS, "interval": _INTERVAL, "content_type": _CONTENT_TYPE,
}, allow_unknown=True)
DUPLICATE_BODY = Obj({
    "dates": List(Str(pattern=DATE_TIME, max_length=19), nullable=True, min_items=1, max_items=rules.MAX_SERIES,
                  unique=True, description="local start times of the copies, `YYYY-MM-DDTHH:MM:SS` or with a space"),
    "duplication_strategy_id": Int(nullable=True, min=1, description="a saved strategy of the location"),
    "repeat_mode_id": Int(nullable=True, min=1, max=7, description=_MODE.description),
    "days": _DAYS, "interval": _INTERVAL,
    "from": Str(nullable=True, max_length=10, example="2027-01-18", description="first local date of the rule"),
    "till": Str(nullable=True, max_length=10, description="last local date of the rule, included"),
    "count": Int(nullable=True, min=1, max=rules.MAX_SERIES, description="at most this many copies"),
    "hours": Int(nullable=True, min=0, max=23, description="start hour; null or absent: the event's"),
    "minutes": Int(nullable=True, min=0, max=59, description="start minute; null or absent: the event's"),
    "content_type": _CONTENT_TYPE,
    "force": Bool(nullable=True, description="skip the busy checks of the team member and resource instances"),
}, allow_unknown=True)

_INT, _STR = {"type": "integer"}, {"type": "string"}
STRATEGY_SHAPE = presenters.schema({
    "id": _INT, "company_id": _INT, "title": _STR, "repeat_mode_id": _INT,
    "repeat_mode": presenters.schema({"id": _INT, "title": _STR}),
    "days": {"type": "array", "items": _INT}, "interval": _INT, "content_type": _INT,
})
_COUNT_META = {"type": "object", "required": ["count"], "properties": {"count": _INT}}
_COPY = {**presenters.EVENT, "required": [*presenters.EVENT["required"], "master_id", "master"],
         "properties": {**presenters.EVENT["properties"], "master_id": _INT,
                        "master": presenters.EVENT["properties"]["staff"]}}
_ACCEPTED = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}


def strategy(row: dict[str, Any]) -> dict[str, Any]:
    """The vendor's duplication strategy object."""
    rule = service.strategy_rule(row)
    return {"id": row["id"], "company_id": row["location_id"], "title": row["title"], "repeat_mode_id": rule.mode,
            "repeat_mode": {"id": rule.mode, "title": rules.REPEAT_MODES[rule.mode]}, "days": list(rule.days),
            "interval": rule.interval, "content_type": row["content_type"]}


def copy(e: Event, related: Related) -> dict[str, Any]:
    """A created copy: the v1 event, with the team member also as the vendor's `master`."""
    shown = presenters.event(e, related)
    return {**shown, "master_id": e.staff_id, "master": shown["staff"]}


def _strategy_input(fields: dict[str, Any]) -> StrategyInput:
    rule = RepeatRule(fields["repeat_mode_id"], tuple(fields.get("days") or ()), fields.get("interval") or 0)
    return StrategyInput(fields["title"], rule, fields.get("content_type") or rules.WITHOUT_APPOINTMENTS)


def _series_request(f: dict[str, Any]) -> SeriesRequest:
    """Which of the vendor's three forms the body is: dates, a strategy, or a rule given whole."""
    force = bool(f.get("force"))
    if f.get("dates"):
        starts = tuple(dict.fromkeys(d.replace("T", " ") for d in f["dates"]))
        return SeriesRequest(starts=starts, content_type=f.get("content_type"), force=force)
    strategy_id, mode = f.get("duplication_strategy_id"), f.get("repeat_mode_id")
    if strategy_id is None and mode is None:
        raise ValidationFailed(rules.HOW_MISSING, {"dates": [rules.HOW_MISSING]})
    first, last, count = f.get("from") or "", f.get("till") or "", f.get("count")
    errors = rules.period_errors(first, last, count)
    if errors:
        raise ValidationFailed(errors=errors)
    rule = None if strategy_id is not None or mode is None else \
        RepeatRule(mode, tuple(f.get("days") or ()), f.get("interval") or 0)
    return SeriesRequest(strategy_id=strategy_id, rule=rule, first=first, last=last, count=count,
                         hours=f.get("hours"), minutes=f.get("minutes"), content_type=f.get("content_type"),
                         force=force)


@api.operation("GET", STRATEGIES, version=1, access="read", tag=TAG, deprecated=True,
               summary="The location's duplication strategies (saved repeat rules), by id",
               responses=v1_responses(200, {"type": "array", "items": STRATEGY_SHAPE}, _COUNT_META,
                                      errors=(404,)))
async def list_duplication_strategies(ctx: Ctx) -> Reply:
    found = [strategy(r) for r in await service.list_strategies(ctx.deps, ctx.location_id)]
    return v1_success(found, {"count": len(found)})


@api.operation("POST", STRATEGIES, version=1, access="write", tag=TAG, body=STRATEGY_BODY, deprecated=True,
               summary="Create a duplication strategy", responses=v1_responses(200, STRATEGY_SHAPE))
async def create_duplication_strategy(ctx: Ctx) -> Reply:
    row = await service.create_strategy(ctx.deps, ctx.location_id, _strategy_input(ctx.body(STRATEGY_BODY)))
    return v1_success(strategy(row))


@api.operation("POST", STRATEGY, version=1, access="write", tag=TAG, body=STRATEGY_BODY, deprecated=True,
               summary="Replace a duplication strategy as a whole (the vendor's method is POST)",
               responses=v1_responses(200, STRATEGY_SHAPE))
async def update_duplication_strategy(ctx: Ctx) -> Reply:
    row = await service.update_strategy(ctx.deps, ctx.location_id, ctx.path_int("strategy_id"),
                                        _strategy_input(ctx.body(STRATEGY_BODY)))
    return v1_success(strategy(row))


@api.operation("DELETE", STRATEGY, version=1, access="write", tag=TAG, deprecated=True,
               summary="Delete a duplication strategy; the events made with it stay",
               responses=v1_responses(202, None, _ACCEPTED, errors=(404,)))
async def delete_duplication_strategy(ctx: Ctx) -> Reply:
    await service.delete_strategy(ctx.deps, ctx.location_id, ctx.path_int("strategy_id"))
    return v1_success(None, {"message": "Accepted"}, 202)


@api.operation("POST", PATH + "/{event_id}/duplicate", version=1, access="write", tag=TAG, body=DUPLICATE_BODY,
               deprecated=True, summary="Copy a group event to a series of dates, all or nothing: by dates, by a "
                                        "strategy's rule or by a rule given whole; meta.count counts the copies",
               responses=v1_responses(200, {"type": "array", "items": _COPY}, _COUNT_META,
                                      errors=(404, 409, 413, 422)))
async def duplicate_event(ctx: Ctx) -> Reply:
    request = _series_request(ctx.body(DUPLICATE_BODY))
    copies, related = await service.duplicate_event(ctx.deps, ctx.location_id, ctx.path_int("event_id"), request)
    return v1_success([copy(e, related) for e in copies], {"count": len(copies)})
