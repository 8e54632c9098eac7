"""The cost of the connection limits (docs/behaviour.md section 8): the baseline app served by
stock uvicorn + httptools and by altegio_server's guarded protocol, in alternating rounds on
the same core, so that the noise of a shared machine falls on both alike.

    python -m bench.protocol_ab [--rounds 6] [--duration 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys

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


def measure(http: str, seconds: float, warmup: float) -> tuple[float, float]:
    """(req/s, p99 ms) of the baseline app under `http`."""
    port = free_port()
    with ServerProcess(pinned(SERVER_CORES, [sys.executable, "-c", SERVE, str(port), http]), port, http) as server:
        server.wait_ready("/")
        run_wrk(server.base_url + "/", "get.lua", OPTIONS, warmup)
        result = run_wrk(server.base_url + "/", "get.lua", OPTIONS, seconds)
    return result.rps, result.p99_ms


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
        print(f"round {n + 1}: stock {figures[STOCK][-1][0]:,.0f} req/s, guarded {figures[GUARDED][-1][0]:,.0f} req/s",
              flush=True)
    stock = statistics.median(rps for rps, _ in figures[STOCK])
    guarded = statistics.median(rps for rps, _ in figures[GUARDED])
    ratios = [g[0] / s[0] for s, g in zip(figures[STOCK], figures[GUARDED])]
    print(f"median req/s: stock {stock:,.0f} (p99 {statistics.median(p for _, p in figures[STOCK]):.2f} ms), "
          f"guarded {guarded:,.0f} (p99 {statistics.median(p for _, p in figures[GUARDED]):.2f} ms)")
    print(f"guarded / stock: median of {len(ratios)} paired rounds {statistics.median(ratios):.1%} "
          f"(range {min(ratios):.1%} to {max(ratios):.1%}); "
          f"cost per request {(1 / guarded - 1 / stock) * 1e6:+.2f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
