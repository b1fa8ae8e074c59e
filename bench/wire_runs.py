"""The runs of `python -m bench.wire`: the raw client limit, a naive loop, and Patrol's engine.

Every run posts thin signed-size bodies to nginx on loopback and is timed
from its first write to its last receipt; CPU is every process involved.
"""
from __future__ import annotations

import asyncio
import resource
import socket
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import aiohttp
import requests
from sqlalchemy import func, select

from bench import _common, outbox, worker_processes
from bench.nginx import Nginx
from patrol import background, events
from patrol.db import get_db
from patrol.models import Event
from webhooks import payloads
from webhooks.models import Attempt, Delivery, Webhook

LOOPBACK = "127.0.0.0/8"
IN_FLIGHT = 64


@dataclass
class Run:
    label: str
    count: int
    seconds: float
    cpu_seconds: float
    latencies: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / self.count if self.count else 0.0


def pooled(first: Run, second: Run) -> Run:
    """Two runs of the same thing as one: all their deliveries over all their seconds."""
    return Run(first.label, first.count + second.count, first.seconds + second.seconds,
               first.cpu_seconds + second.cpu_seconds)


def _bodies(nginx: Nginx, count: int, hooks: int = 4) -> list[tuple[str, bytes]]:
    return [(nginx.url(f"/hook/{n % hooks}"),
             payloads.thin_body("json", f"wh_{n % hooks}", f"evt_raw{n}", events.SCAN_FINISHED)[0])
            for n in range(count)]


def raw(nginx: Nginx, count: int, processes: int) -> Run:
    """aiohttp, IN_FLIGHT at once per process, no database, no signing: the client's limit."""
    share = [_bodies(nginx, count)[n::processes] for n in range(processes)]
    started = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        cpu = sum(pool.map(_raw_process, share))
    seconds = time.perf_counter() - started
    nginx.drain()
    return Run(f"raw aiohttp limit, {processes} process{'es' if processes > 1 else ''}", count, seconds, cpu)


def _raw_process(bodies: list[tuple[str, bytes]]) -> float:
    asyncio.run(_raw_send(bodies))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _raw_send(bodies: list[tuple[str, bytes]]) -> None:
    slots = asyncio.Semaphore(IN_FLIGHT)
    async with aiohttp.ClientSession() as session:
        async def post(url: str, body: bytes) -> None:
            async with slots, session.post(url, data=body, headers={"Content-Type": "application/json"}) as answer:
                await answer.read()
                answer.raise_for_status()
        await asyncio.gather(*(post(url, body) for url, body in bodies))


def naive(nginx: Nginx, count: int) -> Run:
    """A plain sequential requests.post loop."""
    bodies = _bodies(nginx, count)
    started, cpu = time.perf_counter(), time.process_time()
    for url, body in bodies:
        requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10).raise_for_status()
    run = Run("naive requests.post loop", count, time.perf_counter() - started, time.process_time() - cpu)
    nginx.drain()
    return run


def patrol(nginx: Nginx, url: str, events_count: int, workers: int, *, rate: float | None = None,
           queued: bool = False) -> Run:
    """Patrol's engine: in this process (`patrol serve`) or in `workers` `patrol worker` processes.
    `rate` writes events at that many per second instead of all at once. `queued` writes them all
    before the engine starts and times the engine alone, from the first receipt to the last."""
    with _common.temporary_database(url) as database:
        app = _common.build_app(database, WEBHOOK_ALLOWED_NETWORKS=[LOOPBACK])
        db = get_db(app)
        with app.app_context():
            target = outbox.set_up(db, nginx, 4, LOOPBACK)
        expected = events_count * 4
        nginx.drain()
        if queued:
            _write(db, target, events_count, None)
        try:
            with _engine(app, database, workers) as cpu:
                started, cpu_started = time.time(), cpu()
                if not queued:
                    _write(db, target, events_count, rate)
                written = time.time() - started
                receipts = nginx.wait_for(expected, timeout=600)
                cpu_used = cpu() - cpu_started
        finally:
            background.get(app).stop()
        first = min(at for at, _, _ in receipts) if queued else started
        note = _agreement(db, receipts) + ("" if queued else f"; events written in {written:.1f} s")
        run = Run(_label(url, workers, rate, queued), len(receipts), max(at for at, _, _ in receipts) - first,
                  cpu_used, [] if queued else _latencies(db, receipts), note)
        db.dispose()
    return run


def _label(url: str | None, workers: int, rate: float | None, queued: bool = False) -> str:
    where = "PostgreSQL" if url else "SQLite"
    engine = f"serve + {workers} worker{'s' if workers > 1 else ''}" if workers else "serve alone"
    how = f", steady {rate:.0f} events/s" if rate else ", queued before start" if queued else ""
    return f"Patrol on {where}, {engine}{how}"


class _engine:  # noqa: N801 - used as `with _engine(...)`
    """The delivery engine running; a CPU clock of this process and the workers."""

    def __init__(self, app, url: str, workers: int) -> None:  # noqa: ANN001
        self.app, self.url, self.workers = app, url, workers
        self._running = None

    def __enter__(self):  # noqa: ANN204
        if not self.workers:
            background.get(self.app).start()
            return time.process_time
        settings = {"PATROL_DATABASE_URL": self.url, "PATROL_SECRET_KEY": "bench",
                    "PATROL_WEBHOOK_ALLOWED_NETWORKS": LOOPBACK,
                    **_common.OFFLINE_FEEDS_ENV}
        self._running = worker_processes.running(self.workers, settings)
        pids = self._running.__enter__()
        return lambda: time.process_time() + worker_processes.cpu_seconds(pids)

    def __exit__(self, *exc: object) -> None:
        if self._running is not None:
            self._running.__exit__(*exc)


def _write(db, target: outbox.Target, count: int, rate: float | None, batch: int = 50) -> None:  # noqa: ANN001
    """Events in committed batches of `batch`, as scans write them; at `rate` a second if given."""
    started = time.perf_counter()
    for first in range(0, count, batch):
        if rate:
            time.sleep(max(0.0, started + first / rate - time.perf_counter()))
        outbox.record(db, target, min(batch, count - first))


def _latencies(db, receipts: list[tuple[float, str, str]]) -> list[float]:  # noqa: ANN001
    ids = list({msg_id for _, _, msg_id in receipts})
    created: dict[str, float] = {}
    with db.session() as session:
        for first in range(0, len(ids), 5000):
            rows = session.execute(select(Event.id, Event.created_at).where(Event.id.in_(ids[first:first + 5000])))
            created.update({event_id: at.timestamp() for event_id, at in rows})
    return [at - created[msg_id] for at, _, msg_id in receipts]


def _agreement(db, receipts: list[tuple[float, str, str]]) -> str:  # noqa: ANN001
    """Receipts per (event, webhook) against the delivery log's answered attempts: they must be equal."""
    received = Counter((msg_id, path) for _, path, msg_id in receipts)
    with db.session() as session:
        logged = session.scalar(select(func.count()).select_from(Attempt).where(Attempt.status_code == 200))
        done = session.scalar(select(func.count()).where(Delivery.status == "succeeded"))
    duplicates = sum(n - 1 for n in received.values())
    if logged != len(receipts):
        raise AssertionError(f"the log says {logged} answered attempts, nginx received {len(receipts)}")
    return f"log = receipts = {logged}; {done} succeeded; {duplicates} duplicate receipts"


class Hanging:
    """A receiver that accepts connections, reads, and never answers."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}{path}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self._held.append(conn)

    def close(self) -> None:
        self._server.close()
        for conn in self._held:
            conn.close()


def hanging(nginx: Nginx, events_count: int, timeout: float) -> tuple[Run, Run]:
    """Three fast webhooks, once beside a fourth fast one and once beside one that hangs:
    the deliveries/s of the three, on SQLite with `patrol serve` alone."""
    return (_three(nginx, events_count, timeout, None), _three(nginx, events_count, timeout, Hanging()))


def _three(nginx: Nginx, events_count: int, timeout: float, stuck: Hanging | None) -> Run:
    with _common.temporary_database(None) as database:
        app = _common.build_app(database, WEBHOOK_ALLOWED_NETWORKS=[LOOPBACK], WEBHOOK_TIMEOUT=timeout)
        db = get_db(app)
        with app.app_context():
            target = outbox.set_up(db, nginx, 4, LOOPBACK)
        if stuck is not None:
            _point(db, target.hook_ids[3], stuck.url("/hook/3"))
        nginx.drain()
        background.get(app).start()
        try:
            started, cpu = time.time(), time.process_time()
            _write(db, target, events_count, None)
            receipts = [r for r in nginx.wait_for(events_count * (3 if stuck else 4), 600) if r[1] != "/hook/3"]
            cpu_used = time.process_time() - cpu
        finally:
            background.get(app).stop() if stuck is None else _stop_hanging(app, stuck)
        db.dispose()
    label = "3 fast webhooks beside " + ("one that hangs until the timeout" if stuck else "a fourth fast one")
    return Run(label, len(receipts), max(at for at, _, _ in receipts) - started, cpu_used)


def _stop_hanging(app, stuck: Hanging) -> None:  # noqa: ANN001
    stuck.close()  # the held requests fail at once rather than waiting out their timeout
    background.get(app).stop()


def _point(db, hook_id: str, url: str) -> None:  # noqa: ANN001
    with db.session() as session:
        session.get(Webhook, hook_id).url = url

