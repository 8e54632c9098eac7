"""Runs one scenario: a fresh server, a check that its route exists, a probe, a warm-up, the
measured wrk run, peak memory, and the database checks."""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass, field
from typing import Any

from bench.baseline import BODY
from bench.datasets import Dataset
from bench.scenarios import SCENARIOS, Plan, Probe
from bench.server import SERVER_CORES, ServerProcess, start_baseline, start_server
from bench.wrk import WrkResult, run_wrk

_PARAM = re.compile(r"\{[^}]*\}")


@dataclass
class Result:
    """One line of the results table."""

    key: str
    title: str
    backend: str
    workers: int
    events: int | None
    status: str = "ok"  # ok | not available | failed
    wrk: WrkResult | None = None
    rss_mb: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    check: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok" and self.wrk is not None

    def as_json(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "wrk"}
        if self.wrk is not None:
            out["wrk"] = dict(self.wrk.__dict__, rps=self.wrk.rps)
        return out


@dataclass
class Timing:
    duration: float
    warmup: float


def _request(server: ServerProcess, probe: Probe) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        body = json.dumps(probe.body).encode() if probe.body is not None else None
        headers = dict(probe.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(probe.method, probe.path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def served_routes(server: ServerProcess) -> set[tuple[str, str]]:
    """(METHOD, path with every parameter written `{}`) of each operation the server documents."""
    status, body = _request(server, Probe("GET", "/openapi.json", {}))
    if status != 200:
        return set()
    paths = json.loads(body).get("paths", {})
    return {(method.upper(), _PARAM.sub("{}", path)) for path, methods in paths.items() for method in methods}


def _message(body: bytes) -> str:
    try:
        return str(json.loads(body)["meta"]["message"])
    except (ValueError, KeyError, TypeError):
        return body[:200].decode(errors="replace")


def _availability(server: ServerProcess, plan: Plan, result: Result) -> bool:
    """Probe the route once; note why the scenario cannot run if it cannot."""
    if (plan.method, plan.route) not in served_routes(server):
        result.status = "not available"
        result.notes.append(f"the server has no {plan.method} {plan.route} yet")
        return False
    status, body = _request(server, plan.probe)
    if status in (404, 405):
        result.status = "not available"
        result.notes.append(f"probe {plan.probe.method} {plan.probe.path} answered {status} {_message(body)!r}")
        return False
    if status != plan.expect:
        result.status = "failed"
        result.notes.append(f"probe answered {status} (expected {plan.expect}): {_message(body)!r}")
        return False
    if plan.describe_answer is not None:
        result.notes.append(plan.describe_answer(json.loads(body)))
    return True


def run_plan(plan: Plan | str, key: str, ds: Dataset, workers: int, timing: Timing) -> Result:
    """Measure one scenario on a fresh server over `ds`."""
    title = plan.title if isinstance(plan, Plan) else key
    result = Result(key, title, ds.backend, workers, ds.size)
    if isinstance(plan, str):
        result.status, result.notes = "failed", [plan]
        return result
    cores = SERVER_CORES if workers == 1 else None
    with start_server(ds.url, workers, cores) as server:
        if not _availability(server, plan, result):
            return result
        if timing.warmup > 0:
            warm = plan.warmup or plan
            run_wrk(server.base_url + warm.path, warm.script, warm.options, timing.warmup)
        result.wrk = run_wrk(server.base_url + plan.path, plan.script, plan.options, timing.duration)
        result.rss_mb = server.memory().per_process
    if plan.check is not None:
        result.check = plan.check(result.wrk.statuses)
    elif result.wrk.bad_statuses:
        result.notes.append(f"{result.wrk.bad_statuses} answers outside 2xx")
    if result.wrk.socket_errors:
        result.notes.append(f"socket errors {json.dumps({k: v for k, v in result.wrk.errors.items() if v})}")
    return result


def run_scenario(key: str, ds: Dataset, workers: int, timing: Timing) -> Result:
    try:
        return run_plan(SCENARIOS[key](ds), key, ds, workers, timing)
    except Exception as exc:  # one broken scenario must not lose the rest of the run
        result = Result(key, key, ds.backend, workers, ds.size, status="failed")
        result.notes.append(f"{type(exc).__name__}: {str(exc).strip()[:600]}")
        return result


def run_baseline(timing: Timing, when: str) -> Result:
    """The bare ASGI app, measured the same way as the server."""
    result = Result("baseline", f"baseline: bare ASGI app ({when})", "-", 1, None)
    return _bare(result, "/", timing, f"constant {len(BODY)}-byte JSON body")


CONTROL_US, CONTROL_BYTES = 400, 56_000


def run_control(timing: Timing) -> Result:
    """The bare ASGI app spending as much per request as a list of 100 events, with an answer
    as large: the latency queueing alone gives at 32 connections on one core."""
    result = Result("control", "control: bare ASGI app working 0.4 ms per request", "-", 1, None)
    note = f"{CONTROL_US} µs of CPU and a {CONTROL_BYTES // 1000} KB answer per request, like a list of 100 events"
    return _bare(result, f"/work?us={CONTROL_US}&bytes={CONTROL_BYTES}", timing, note)


def _bare(result: Result, path: str, timing: Timing, note: str) -> Result:
    options = {"accept": "application/json", "auth": "Bearer x, User y"}
    try:
        with start_baseline(SERVER_CORES) as server:
            if timing.warmup > 0:
                run_wrk(server.base_url + path, "get.lua", options, timing.warmup)
            result.wrk = run_wrk(server.base_url + path, "get.lua", options, timing.duration)
            result.rss_mb = server.memory().per_process
    except Exception as exc:  # the server's own figures are still worth having
        result.status = "failed"
        result.notes.append(f"{type(exc).__name__}: {str(exc).strip()[:600]}")
        return result
    result.notes.append(note)
    return result
