"""`python -m bench`: prepare the databases, measure every scenario, report."""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from bench import datasets, report
from bench.datasets import Dataset
from bench.report import Run
from bench.runner import Result, Timing, run_baseline, run_control, run_scenario
from bench.scenarios import SCENARIOS
from bench.server import LOAD_CORES, SERVER_CORES, pinning_problem
from bench.wrk import CONNECTIONS, WrkMissing, ensure_wrk

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "altegio_bench"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
# On the largest dataset, after the list; reads before writes.
ON_LARGEST = ("tags", "read", "v1-search", "book", "v1-book", "contention")
WITH_WORKERS = ("tags", "read", "list", "book", "contention")


def _sizes(text: str) -> list[int]:
    try:
        return sorted({SIZES.get(part) or int(part) for part in text.split(",") if part})
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are 10k, 100k, 1M or plain numbers, not {text!r}") from None


def _counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part]
    except ValueError:
        counts = [0]
    if any(n < 1 for n in counts):
        raise argparse.ArgumentTypeError(f"process counts are positive numbers, not {text!r}")
    return counts


def _names(allowed: tuple[str, ...] | list[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        names = [part for part in text.split(",") if part]
        unknown = [n for n in names if n not in allowed]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown)}; choose from {', '.join(allowed)}")
        return names

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--duration", type=float, default=10, help="seconds measured per scenario (default 10)")
    p.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each measurement (default 2)")
    p.add_argument("--quick", action="store_true", help="smoke run: 2 s per scenario, 1 s warm-up")
    p.add_argument("--sizes", type=_sizes, default=sorted(SIZES.values()),
                   help="dataset sizes in events, comma-separated (default 10k,100k,1M)")
    p.add_argument("--backends", type=_names(("sqlite", "postgresql")), default=["sqlite", "postgresql"],
                   help="comma-separated subset of sqlite,postgresql (default both)")
    p.add_argument("--scenarios", type=_names(list(SCENARIOS)), default=list(SCENARIOS),
                   help=f"comma-separated subset of {','.join(SCENARIOS)}")
    p.add_argument("--workers", type=_counts, default=[2, 4],
                   help="server process counts tried on PostgreSQL besides 1 (default 2,4; '' for none)")
    p.add_argument("--pg-url", default=PG_ADMIN_URL,
                   help=f"PostgreSQL to create the {PG_DATABASE} database on (default {PG_ADMIN_URL})")
    p.add_argument("--write-benchmarks", action="store_true", help="also replace the results in BENCHMARKS.md")
    return p


def _say(text: str) -> None:
    print(text, flush=True)


def _line(result: Result) -> str:
    where = f"[{result.backend} {report.size_label(result.events)} x{result.workers}]"
    if not result.ok:
        return f"{where} {result.title}: {result.status}: {'; '.join(result.notes)}"
    w = result.wrk
    rss = f", peak RSS {max(result.rss_mb):.0f} MB" if result.rss_mb else ""
    check = f"; {result.check}" if result.check else ""
    return f"{where} {result.title}: {w.rps:,.0f} req/s, p50 {w.p50_ms:.2f} ms, p99 {w.p99_ms:.2f} ms{rss}{check}"


def _postgres_version(admin_url: str) -> str:
    import asyncpg

    async def ask() -> str:
        conn = await asyncpg.connect(admin_url)
        try:
            return await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()

    return asyncio.run(ask()).split()[0]


def _measure(run: Run, key: str, ds: Dataset, workers: int, timing: Timing, wanted: list[str]) -> None:
    if key in wanted:
        result = run_scenario(key, ds, workers, timing)
        run.results.append(result)
        _say(_line(result))


def _prepare(backend: str, size: int, args: argparse.Namespace, scratch: Path) -> Dataset:
    _say(f"preparing {backend} with {report.size_label(size)} events ...")
    if backend == "sqlite":
        ds = datasets.prepare_sqlite(str(scratch / f"bench-{size}.sqlite3"), size)
    else:
        ds = datasets.prepare_postgres(args.pg_url, PG_DATABASE, size)
    _say(f"  {report.size_label(size)} events generated in {ds.generate_s:.1f} s "
         f"(whole preparation {ds.prepare_s:.1f} s)")
    return ds


def _backend(run: Run, backend: str, args: argparse.Namespace, timing: Timing) -> None:
    """Every dataset size on one database: the list on each, everything else on the largest."""
    scratch = Path(tempfile.mkdtemp(prefix="altegio-bench-"))
    try:
        for size in args.sizes:
            try:
                ds = _prepare(backend, size, args, scratch)
            except Exception as exc:  # report it and go on with the other database
                run.remarks.append(f"{backend} skipped from {report.size_label(size)} events on: "
                                   f"preparing the dataset failed: {type(exc).__name__}: {exc}")
                _say(run.remarks[-1])
                return
            run.datasets.append({"backend": backend, "size": size, "generate_s": ds.generate_s,
                                 "prepare_s": ds.prepare_s})
            _measure(run, "list", ds, 1, timing, args.scenarios)
            if size != args.sizes[-1]:
                continue
            for key in ON_LARGEST:
                _measure(run, key, ds, 1, timing, args.scenarios)
            if backend == "postgresql":
                for workers in args.workers:
                    for key in WITH_WORKERS:
                        _measure(run, key, ds, workers, timing, args.scenarios)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if backend == "postgresql":
            try:
                datasets.drop_postgres(args.pg_url, PG_DATABASE)
            except Exception as exc:  # the figures are still worth writing
                run.remarks.append(f"could not drop the {PG_DATABASE} database: {exc}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 2.0, 1.0
    try:
        ensure_wrk()
    except WrkMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    timing = Timing(duration=args.duration, warmup=args.warmup)
    run = Run(
        command=shlex.join(["python", "-m", "bench", *argv]),
        settings={"started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                  "duration": args.duration, "warmup": args.warmup, "connections": CONNECTIONS,
                  "server_cores": SERVER_CORES, "load_cores": LOAD_CORES, "sizes": args.sizes,
                  "workers": [1, *args.workers]},
        machine=report.machine_info(),
    )
    problem = pinning_problem()
    if problem:
        run.remarks.append(problem)
    started = time.monotonic()
    _say("measuring the baseline (bare ASGI app) ...")
    run.baselines.append(run_baseline(timing, "first"))
    _say(_line(run.baselines[-1]))
    if "list" in args.scenarios:
        _say("measuring the control (bare ASGI app working like a list) ...")
        run.controls.append(run_control(timing))
        _say(_line(run.controls[-1]))
    for backend in args.backends:
        if backend == "postgresql":
            problem = datasets.postgres_problem(args.pg_url)
            if problem:
                run.remarks.append(f"PostgreSQL scenarios skipped: {problem}")
                _say(run.remarks[-1])
                continue
            run.machine["postgresql"] = _postgres_version(args.pg_url)
        _backend(run, backend, args, timing)
    _say("measuring the baseline again ...")
    run.baselines.append(run_baseline(timing, "last"))
    _say(_line(run.baselines[-1]))
    run.machine["load_average_end"] = os.getloadavg()
    run.remarks.append(f"The whole run took {time.monotonic() - started:.0f} s.")
    text = report.markdown(run)
    path = report.write_latest(run, text)
    _say("\n" + text)
    _say(f"written to {path.relative_to(report.ROOT)}")
    if args.write_benchmarks:
        report.update_benchmarks(text)
        _say(f"and to {report.BENCHMARKS.name}")
    return 0
