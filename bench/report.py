"""The results: targets judged PASS/FAIL, a markdown table, the machine it ran on, and the files
it is written to (bench/results/latest.md and .json, and optionally BENCHMARKS.md)."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.runner import Result
from bench.server import ROOT

RESULTS = ROOT / "bench" / "results"
BENCHMARKS = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
MEMORY_LIMIT_MB = 150
# (minimum share of the baseline's req/s, p99 limit in ms) for one server process.
TARGETS = {"read": (0.25, 10.0), "book": (0.12, 25.0)}
LIST_P99_MS, LIST_GROWTH, LIST_AT = 20.0, 1.5, 1_000_000


@dataclass
class Run:
    """Everything one invocation measured."""

    command: str
    settings: dict[str, Any]
    machine: dict[str, Any]
    baselines: list[Result] = field(default_factory=list)
    controls: list[Result] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    @property
    def baseline(self) -> Result | None:
        """The faster baseline measurement (first or last of the run): noise only ever slows things."""
        done = [b for b in self.baselines if b.ok]
        return max(done, key=lambda b: b.wrk.rps) if done else None


def size_label(n: int | None) -> str:
    if n is None:
        return "-"
    for unit, word in ((1_000_000, "M"), (1_000, "k")):
        if n >= unit and n % unit == 0:
            return f"{n // unit}{word}"
    return f"{n:,}"


def _cell(text: str, passed: bool | None) -> str:
    """'PASS <target>', 'FAIL <target>', or 'n/a <target>' when there is no figure to judge."""
    return f"{'n/a' if passed is None else 'PASS' if passed else 'FAIL'} {text}"


def _list_at_10k(run: Run, backend: str) -> Result | None:
    return next((r for r in run.results if r.key == "list" and r.backend == backend and r.workers == 1
                 and r.events == 10_000 and r.ok), None)


def judge(result: Result, run: Run) -> tuple[str, str, str]:
    """The target cells next to req/s, p99 and memory ('' where no target applies)."""
    w = result.wrk if result.ok else None
    base = run.baseline
    rps = p99 = mem = ""
    if result.workers == 1 and result.key in TARGETS:
        share, limit = TARGETS[result.key]
        rps = _cell(f"≥{share:.0%}", None if w is None or base is None else w.rps >= share * base.wrk.rps)
        p99 = _cell(f"<{limit:g} ms", None if w is None else w.p99_ms < limit)
    if result.workers == 1 and result.key == "list" and result.events == LIST_AT:
        small = _list_at_10k(run, result.backend)
        growth = w.p99_ms / small.wrk.p99_ms if w and small else None
        p99 = "; ".join([
            _cell(f"<{LIST_P99_MS:g} ms", None if w is None else w.p99_ms < LIST_P99_MS),
            _cell(f"≤{LIST_GROWTH:g}× 10k" + (f" ({growth:.2f}×)" if growth else ""),
                  None if growth is None else growth <= LIST_GROWTH),
        ])
    if result.key not in ("baseline", "control"):
        mem = _cell(f"<{MEMORY_LIMIT_MB} MB", max(result.rss_mb) < MEMORY_LIMIT_MB if result.rss_mb else None)
    return rps, p99, mem


def _memory(rss: list[float]) -> str:
    if not rss:
        return "-"
    if len(rss) == 1:
        return f"{rss[0]:.0f}"
    return f"{max(rss):.0f} (sum {sum(rss):.0f} over {len(rss)} processes)"


COLUMNS = ("scenario", "database", "server processes", "events", "req/s", "vs baseline", "target",
           "p50 ms", "p99 ms", "target", "peak RSS MB", "target", "checks and notes")


def _row(result: Result, run: Run) -> list[str]:
    rps_cell, p99_cell, mem_cell = judge(result, run)
    notes = ([result.check] if result.check else []) + result.notes
    if result.status != "ok":
        notes.insert(0, f"**{result.status}**")
    figures = ["-"] * 5
    if result.ok:
        w = result.wrk
        share = f"{w.rps / run.baseline.wrk.rps:.0%}" if run.baseline and run.baseline.ok else "-"
        figures = [f"{w.rps:,.0f}", share, f"{w.p50_ms:.2f}", f"{w.p99_ms:.2f}", _memory(result.rss_mb)]
    return [result.title, result.backend, str(result.workers), size_label(result.events),
            figures[0], figures[1], rps_cell, figures[2], figures[3], p99_cell, figures[4], mem_cell,
            "; ".join(notes).replace("|", "/")]


def table(run: Run) -> str:
    rows = [_row(r, run) for r in run.baselines + run.controls + run.results]
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def datasets_table(run: Run) -> str:
    lines = ["| database | events | events generated and indexed in "
             "| whole preparation (create, migrate, demo, events) |",
             "|---|---|---|---|"]
    for d in run.datasets:
        lines.append(f"| {d['backend']} | {size_label(d['size'])} | {d['generate_s']:.1f} s "
                     f"({d['size'] / d['generate_s']:,.0f} events/s) | {d['prepare_s']:.1f} s |")
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    """What the figures depend on: cores, CPU model, memory, versions, and how busy the machine was."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0)
    try:
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        wrk = "not installed"
    import uvicorn

    return {
        "cores": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "uvicorn": uvicorn.__version__, "wrk": wrk.split(" [")[0], "load_average": os.getloadavg(),
    }


def _loads(values: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in values)


def markdown(run: Run) -> str:
    m = run.machine
    s = run.settings
    lines = [
        f"Measured {s['started']} with `{run.command}`.",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB memory, Linux {m['kernel']}; "
        f"Python {m['python']}, uvicorn {m['uvicorn']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m.get('postgresql', 'not used')}, {m['wrk']}. "
        f"Load average (1, 5, 15 min) when the run started: {_loads(m['load_average'])}"
        + (f", when it ended: {_loads(m['load_average_end'])}." if "load_average_end" in m else "."),
        "",
        f"Each figure: wrk, {s['connections']} connections, {s['duration']:g} s after a {s['warmup']:g} s warm-up, "
        f"on a fresh server process. One server process is pinned to core {s['server_cores']} and wrk to core "
        f"{s['load_cores']}; with several processes the server is unpinned (both cores), wrk stays on core "
        f"{s['load_cores']}. PostgreSQL itself is never pinned. \"vs baseline\" divides by the faster of the two "
        "baseline measurements.",
        "",
    ]
    verdicts = [part.split(" ", 1)[0] for r in run.results for cell in judge(r, run)
                for part in cell.split("; ") if part]
    lines.append(f"Targets: {verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL, "
                 f"{verdicts.count('n/a')} not measured (scenario not available or failed).")
    lines.append("")
    lines += [f"- {r}" for r in run.remarks]
    if run.remarks:
        lines.append("")
    lines += [table(run), ""]
    if run.datasets:
        lines += ["Datasets:", "", datasets_table(run), ""]
    return "\n".join(lines)


def write_latest(run: Run, text: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(text)
    data = {"command": run.command, "settings": run.settings, "machine": run.machine,
            "remarks": run.remarks, "datasets": run.datasets,
            "baselines": [b.as_json() for b in run.baselines],
            "controls": [c.as_json() for c in run.controls],
            "results": [r.as_json() for r in run.results]}
    (RESULTS / "latest.json").write_text(json.dumps(data, indent=2, default=str))
    return RESULTS / "latest.md"


def update_benchmarks(text: str) -> None:
    """Replace what lies between the results markers in BENCHMARKS.md."""
    current = BENCHMARKS.read_text()
    if BEGIN not in current or END not in current:
        raise SystemExit(f"{BENCHMARKS} has no {BEGIN} ... {END} section to replace")
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    BENCHMARKS.write_text(f"{head}{BEGIN}\n{text.rstrip()}\n{END}{tail}")
