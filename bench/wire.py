"""Delivery at the speed of the wire: one table, one run, against nginx on loopback.

    python -m bench.wire [--events 3000] [--database-url postgresql://...] [--deep 1000000]

Rows: the raw aiohttp limit (1 and 2 processes), a naive requests.post loop,
Patrol on SQLite (`patrol serve` alone) and on PostgreSQL with 1, 2 and 4
`patrol worker` processes (3,000 events x 4 webhooks by default), the engine
alone draining the same events queued before it started (SQLite, and
PostgreSQL with 1 worker), a steady 500 events/s, then the hanging-receiver
case and the deep-queue claim cost.
"""
from __future__ import annotations

import argparse
import logging

from bench import _common, deep_queue, wire_runs
from bench.nginx import Nginx


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    _common.setup_logging()
    for name in ("patrol", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)  # one line per attempt would drown the table
    deliveries = args.events * 4
    with Nginx() as nginx:
        before = _baselines(nginx, deliveries)
        patrol = [wire_runs.patrol(nginx, None, args.events, 0),
                  wire_runs.patrol(nginx, None, args.events, 0, queued=True)]
        if args.database_url:
            patrol += [wire_runs.patrol(nginx, args.database_url, args.events, n) for n in (1, 2, 4)]
            patrol.append(wire_runs.patrol(nginx, args.database_url, args.events, 1, queued=True))
            patrol.append(wire_runs.patrol(nginx, args.database_url, int(args.steady * 5), 1, rate=args.steady))
        after = _baselines(nginx, deliveries)
        raw1, raw2, naive = (wire_runs.pooled(first, second) for first, second in zip(before, after))
        _table(deliveries, [raw1, raw2], naive, patrol)
        _hanging(wire_runs.hanging(nginx, args.events // 2, args.hang_timeout))
    if args.database_url:
        _deep(args.database_url, args.deep)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.wire", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=3000, help="events, each to 4 webhooks (3000)")
    parser.add_argument("--steady", type=float, default=500.0, help="events/s of the steady run (500)")
    parser.add_argument("--hang-timeout", type=float, default=2.0, help="WEBHOOK_TIMEOUT of the hanging case (2 s)")
    parser.add_argument("--deep", type=int, default=1_000_000, help="deliveries in the deep queue (1,000,000)")
    parser.add_argument("--database-url", help="a PostgreSQL server on loopback (SQLite rows only without it)")
    return parser.parse_args(argv)


def _baselines(nginx: Nginx, deliveries: int) -> tuple[wire_runs.Run, wire_runs.Run, wire_runs.Run]:
    """The raw limit in 1 and 2 processes and the naive loop: run before and after Patrol's rows,
    and pooled, because the load of a shared machine moves during a run."""
    return wire_runs.raw(nginx, deliveries, 1), wire_runs.raw(nginx, deliveries, 2), wire_runs.naive(nginx, deliveries)


def _table(deliveries: int, raw: list[wire_runs.Run], naive: wire_runs.Run, patrol: list[wire_runs.Run]) -> None:
    _common.heading(f"{deliveries} deliveries to nginx on loopback (4 webhooks)")
    print(f"  {'run':<52} {'deliv/s':>8} {'/raw':>6} {'/naive':>7} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>7}")
    for run in [*raw, naive, *patrol]:
        same = raw[1] if "2 workers" in run.label or "4 workers" in run.label or "1 worker" in run.label else raw[0]
        print(f"  {run.label:<52} {run.rate:>8,.0f} {_common.ratio(run.rate, same.rate):>6} "
              f"{_common.ratio(run.rate, naive.rate):>7} {_ms(run, 50):>8} {_ms(run, 99):>8} {run.cpu_ms:>7.3f}")
    for run in patrol:
        print(f"  {run.label}: {run.note}")
    print("  /raw: against the raw limit with the same number of processes (serve + N workers: the 2-process limit)")
    print("  raw and naive: measured before and after Patrol's rows, pooled (all deliveries over all seconds)")


def _ms(run: wire_runs.Run, q: int) -> str:
    return f"{_common.percentile(run.latencies, q) * 1000:,.0f}" if run.latencies else "-"


def _hanging(runs: tuple[wire_runs.Run, wire_runs.Run]) -> None:
    fair, stuck = runs
    _common.heading("one of four receivers hanging until the timeout (SQLite, patrol serve)")
    for run in runs:
        print(f"  {run.label:<52} {run.rate:>8,.0f} deliveries/s")
    print(f"  the three keep {_common.ratio(stuck.rate, fair.rate)} of their throughput")


def _deep(url: str, deep: int) -> None:
    _common.heading("claim cost (200 deliveries, PostgreSQL), shallow against deep queue")
    for rows in (1000, deep):
        cost, plan = deep_queue.claim_cost(url, rows)
        print(f"  {rows:>9,} pending/retrying: median claim {cost:.1f} ms\n{plan}")


if __name__ == "__main__":
    main()
