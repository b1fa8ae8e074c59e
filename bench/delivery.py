"""Webhook delivery speed: events fanned out to webhooks on a loopback receiver.

    python -m bench.delivery [--events 500] [--webhooks 4] [--batch 50]
                             [--concurrency N] [--workers K] [--probes 20]
                             [--timeout 180] [--database-url postgresql://...]

Events go into the outbox in committed batches, as scans write them; the
real engine (started with the background services, or `--workers K` separate
`patrol worker` processes on PostgreSQL) fans them out and posts them.
Baseline: the same number of bodies posted one after another over one
requests.Session, once before and once after Patrol's run.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import requests
from flask import Flask
from sqlalchemy import func, select

from bench import _common, outbox, worker_processes
from bench.receiver import Receiver
from patrol import background, config, events
from patrol.db import Database, get_db
from webhooks import payloads
from webhooks.config import Webhooks
from webhooks.models import Attempt, Delivery

LOOPBACK = "127.0.0.0/8"


class WorkersNeedPostgres(ValueError):
    """Separate worker processes share the queue through PostgreSQL only."""


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.workers and not (args.database_url or "").startswith("postgres"):
        raise WorkersNeedPostgres("--workers needs --database-url postgresql://...")
    _common.setup_logging()
    with Receiver() as receiver, _common.temporary_database(args.database_url) as url:
        app = _common.build_app(url, **_settings(args))
        try:
            _run(app, url, receiver, args)
        finally:
            background.get(app).stop()
            get_db(app).dispose()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=500, help="events in the burst (500)")
    parser.add_argument("--webhooks", type=int, default=4, help="webhooks each event goes to (4)")
    parser.add_argument("--batch", type=int, default=50, help="events per committed batch (50)")
    parser.add_argument("--concurrency", type=int, help="deliveries in flight per engine (WEBHOOK_WORKERS)")
    parser.add_argument("--workers", type=int, default=0, help="run K `patrol worker` processes (PostgreSQL)")
    parser.add_argument("--probes", type=int, default=20, help="single events timed on an idle engine (20)")
    parser.add_argument("--timeout", type=float, default=180.0, help="stop waiting for the burst after this (180 s)")
    parser.add_argument("--database-url", help="a PostgreSQL server on loopback (default: a SQLite file)")
    return parser.parse_args(argv)


def _settings(args: argparse.Namespace) -> dict:
    settings: dict = {"WEBHOOK_ALLOWED_NETWORKS": [LOOPBACK]}
    if args.concurrency:
        settings["WEBHOOK_WORKERS"] = args.concurrency
    return settings


def _run(app: Flask, url: str, receiver: Receiver, args: argparse.Namespace) -> None:
    db = get_db(app)
    _common.heading("machine")
    _common.show(_common.machine_facts(db))
    with app.app_context():  # quotas read the app's settings
        target = outbox.set_up(db, receiver, args.webhooks, LOOPBACK)
    count = args.events * args.webhooks
    before = _baseline(receiver, target.hook_ids, count)
    with _engine(app, url, args) as cpu:
        patrol = outbox.burst(db, receiver, target, args.events, args.batch, args.timeout, cpu)
        idle = outbox.probe(db, receiver, target, args.probes)
    after = _baseline(receiver, target.hook_ids, count)
    _report(db, app, args, patrol, idle, (before, after))


@contextmanager
def _engine(app: Flask, url: str, args: argparse.Namespace) -> Iterator[outbox.CpuClock]:
    """Patrol's delivery engine running; yields a clock of the CPU time it (and the receiver) use."""
    if args.workers:
        with worker_processes.running(args.workers, _worker_settings(app, url)) as pids:
            yield lambda: time.process_time() + worker_processes.cpu_seconds(pids)
        return
    background.get(app).start()
    try:
        yield time.process_time
    finally:
        background.get(app).stop()


def _worker_settings(app: Flask, url: str) -> dict[str, str]:
    return {
        "PATROL_DATABASE_URL": url,
        "PATROL_SECRET_KEY": "bench",
        "PATROL_WEBHOOK_ALLOWED_NETWORKS": LOOPBACK,
        "PATROL_WEBHOOK_WORKERS": str(config.of(app, Webhooks).workers),
        **_common.OFFLINE_FEEDS_ENV,
    }


def _baseline(receiver: Receiver, hook_ids: list[str], count: int) -> outbox.Run:
    """`count` thin bodies, posted in turn to the webhooks' URLs over one keep-alive session."""
    bodies = [
        (receiver.url(f"/hook/{n % len(hook_ids)}"),
         payloads.thin_body("json", hook_ids[n % len(hook_ids)], f"evt_baseline{n}", events.SCAN_FINISHED)[0])
        for n in range(count)
    ]
    round_trips = []
    with requests.Session() as http:
        started, cpu_started = time.perf_counter(), time.process_time()
        for url, body in bodies:
            sent = time.perf_counter()
            http.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10).raise_for_status()
            round_trips.append(time.perf_counter() - sent)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return outbox.Run(count, len(receiver.take()), seconds, cpu, round_trips)


def _report(db: Database, app: Flask, args: argparse.Namespace, patrol: outbox.Run, idle: list[float],
            baselines: Sequence[outbox.Run]) -> None:
    baseline_rate = sum(run.rate for run in baselines) / len(baselines)
    baseline_cpu = sum(_cpu_ms(run) for run in baselines) / len(baselines)
    engine = f"{args.workers} worker processes" if args.workers else "in-process engine"
    _common.heading(
        f"{args.events} events x {args.webhooks} webhooks = {patrol.sent} deliveries; {engine}, "
        f"WEBHOOK_WORKERS={config.of(app, Webhooks).workers}, batches of {args.batch}"
    )
    _common.show([
        ("patrol", f"{patrol.received}/{patrol.sent} received in {patrol.seconds:.2f} s  "
                   f"{patrol.rate:,.0f} deliveries/s  {_cpu_ms(patrol):.1f} CPU ms each"),
        ("baseline", "  ".join(f"{run.received} posts in {run.seconds:.2f} s ({run.rate:,.0f}/s)" for run in baselines)
         + f"  mean {baseline_rate:,.0f} posts/s  {baseline_cpu:.1f} CPU ms each"),
        ("patrol / baseline", f"{_common.ratio(patrol.rate, baseline_rate)} rate, "
                              f"{_common.ratio(_cpu_ms(patrol), baseline_cpu)} CPU per delivery"),
        ("burst latency", _percentiles(patrol.latencies) + "  (event created_at -> received)"),
        (f"idle latency ({args.probes} single events)", _percentiles(idle)),
        ("baseline round trip", _percentiles([t for run in baselines for t in run.latencies])),
        ("outcome", _outcome(db, patrol)),
    ])


def _cpu_ms(run: outbox.Run) -> float:
    return run.cpu_seconds * 1000 / run.received if run.received else 0.0


def _percentiles(seconds: list[float]) -> str:
    if not seconds:
        return "n/a"
    points = {q: _common.percentile(seconds, q) * 1000 for q in (50, 90, 99)}
    return "  ".join(f"p{q} {ms:,.1f} ms" for q, ms in points.items()) + f"  max {max(seconds) * 1000:,.1f} ms"


def _outcome(db: Database, patrol: outbox.Run) -> str:
    """What the queue says happened: a fast run that retried or lost deliveries is no fast run."""
    with db.session() as session:
        statuses = Counter(dict(session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all()))
        attempts = session.scalar(select(func.count()).select_from(Attempt))
    shown = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    return f"deliveries {shown or 'none'}; {attempts} attempts; {patrol.duplicates} duplicate receipts"


if __name__ == "__main__":
    main()
