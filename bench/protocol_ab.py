"""The cost of the connection limits (docs/behaviour.md section 8): the baseline app served by
stock uvicorn + httptools and by altegio_server's guarded protocol, in alternating rounds on
the same core, so that the noise of a shared machine falls on both alike.

    python -m bench.protocol_ab [--rounds 6] [--duration 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from bench.server import SERVER_CORES, ServerProcess, free_port, pinned
from bench.wrk import run_wrk

STOCK = "httptools"
GUARDED = "altegio_server.serving.protocol:GuardedHttpToolsProtocol"
SERVE = ("import sys, uvicorn\n"
         "from uvicorn.importer import import_from_string\n"
         "http = sys.argv[2] if sys.argv[2] == 'httptools' else import_from_string(sys.argv[2])\n"
         "uvicorn.run('bench.baseline:app', port=int(sys.argv[1]), loop='uvloop', http=http, access_log=False,\n"
         "            log_level='warning', server_header=False)\n")
OPTIONS = {"accept": "application/json", "auth": "Bearer x, User y"}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(http: str, seconds: float, warmup: float) -> tuple[float, float]:
    """(req/s, server CPU µs per request) of the baseline app under `http`. CPU time per request
    barely depends on how busy the machine is, unlike req/s."""
    port = free_port()
    with ServerProcess(pinned(SERVER_CORES, [sys.executable, "-c", SERVE, str(port), http]), port, http) as server:
        server.wait_ready("/")
        run_wrk(server.base_url + "/", "get.lua", OPTIONS, warmup)
        before = cpu_seconds(server.process.pid)
        result = run_wrk(server.base_url + "/", "get.lua", OPTIONS, seconds)
        used = cpu_seconds(server.process.pid) - before
    return result.rps, used / max(result.requests, 1) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.protocol_ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args(argv)
    figures: dict[str, list[tuple[float, float]]] = {STOCK: [], GUARDED: []}
    for n in range(args.rounds):
        order = (STOCK, GUARDED) if n % 2 == 0 else (GUARDED, STOCK)
        for http in order:
            figures[http].append(measure(http, args.duration, args.warmup))
        (s_rps, s_cpu), (g_rps, g_cpu) = figures[STOCK][-1], figures[GUARDED][-1]
        print(f"round {n + 1}: stock {s_rps:,.0f} req/s {s_cpu:.1f} µs CPU/request, "
              f"guarded {g_rps:,.0f} req/s {g_cpu:.1f} µs CPU/request", flush=True)
    for label, index, unit in (("req/s", 0, ""), ("server CPU per request", 1, " µs")):
        stock = statistics.median(f[index] for f in figures[STOCK])
        guarded = statistics.median(f[index] for f in figures[GUARDED])
        ratios = [g[index] / s[index] for s, g in zip(figures[STOCK], figures[GUARDED])]
        spread = f"range {min(ratios):.1%} to {max(ratios):.1%}"
        print(f"{label}: median stock {stock:,.1f}{unit}, guarded {guarded:,.1f}{unit}; guarded / stock, median of "
              f"{len(ratios)} paired rounds {statistics.median(ratios):.1%} ({spread})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
