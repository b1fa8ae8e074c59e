"""Thousands of deliveries through faults: nothing lost, the log agrees, duplicates share a webhook-id.

Real `patrol worker` processes deliver EVENTS x 2 webhooks to flapping
receivers (slow answers, 500s, connection resets) while the test SIGKILLs a
random worker at random moments and starts another. On PostgreSQL the
workers reach the database through a loopback proxy that the test cuts
mid-run and restores (the shared server keeps running). A third webhook
subscribes to another event and must get nothing.

A killed worker's deliveries stay leased until WEBHOOK_TIMEOUT + 30 s;
rather than wait, each kill moves the current leases into the past, the same
as that time passing, which also lets two workers send one delivery: the
at-least-once case whose duplicates must carry the same `webhook-id`.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from patrol.clock import now
from patrol.db import normalise_url
from tests.support.flapping_receiver import FlappingReceiver
from tests.support.receivers import Receiver, wait_until
from tests.support.tcp_proxy import TcpProxy
from tests.support.webhook_calls import add_webhook, record_events
from webhooks.models import DELIVERING, SUCCEEDED, Attempt, Delivery

pytestmark = [pytest.mark.reliability, pytest.mark.extensions("webhooks")]
EVENTS = 1000  # x 2 subscribed webhooks: 2,000 deliveries
KILLS = 6
RUN_LIMIT = 300.0  # seconds for everything to be delivered
PATROL = [sys.executable, "-c", "from patrol.cli import main; main()"]
RUNNING = "Patrol worker running"
START_TRIES = 3


@pytest.fixture
def proxy(database_url):
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() != "postgresql":
        yield None  # SQLite is a file in each process: there is no connection to lose
        return
    with TcpProxy(url.port or 5432) as running:
        yield running


class Workers:
    """`patrol worker` processes on the test's database; kills what is left at the end."""

    def __init__(self, database_url: str, secret_key: str, log_folder) -> None:
        self.env = {**os.environ, "PATROL_DATABASE_URL": database_url, "PATROL_SECRET_KEY": secret_key,
                    "PATROL_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8", "PATROL_WEBHOOK_TIMEOUT": "2",
                    "PATROL_WEBHOOK_POLL_INTERVAL": "0.2",
                    "PATROL_WEBHOOK_RETRY_SCHEDULE": ",".join(["0.1", "0.2", "0.4"] + ["0.5"] * 12),
                    "PATROL_WEBHOOK_DISABLE_AFTER": "86400", "PATROL_WEBHOOK_MAX_SLOTS_PER_WEBHOOK": "8"}
        self.log_folder, self.running, self.started, self.launched = log_folder, [], 0, 0

    def start(self) -> None:
        """One more running worker. A worker that cannot use the database as it starts stops at
        once with a one-line error (by design); like a supervisor, this starts it again."""
        for _ in range(START_TRIES):
            process, log = self._launch()
            if wait_until(lambda: process.poll() is not None or RUNNING in log.read_text(),  # noqa: B023
                          timeout=60, what="the worker to start or stop") and process.poll() is None:
                self.running.append(process)
                self.started += 1
                return
        raise AssertionError(f"no worker started in {START_TRIES} tries; see {log}")

    def _launch(self) -> tuple[subprocess.Popen, Path]:
        path = self.log_folder / f"worker-{self.launched}.log"
        self.launched += 1
        with open(path, "wb") as log:
            process = subprocess.Popen([*PATROL, "worker", "--concurrency", "8"], env=self.env,
                                       stdout=log, stderr=subprocess.STDOUT)
        return process, path

    def kill_one(self, chance: random.Random) -> None:
        victim = self.running.pop(chance.randrange(len(self.running)))
        victim.send_signal(signal.SIGKILL)
        assert victim.wait(timeout=30) == -signal.SIGKILL

    def stop(self) -> None:
        for process in self.running:
            process.kill()
            process.wait(timeout=30)


def delivery_counts(db) -> dict[str, int]:
    with db.session() as session:
        return dict(session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all())


def expire_leases(db) -> None:
    """One row at a time, so this never deadlocks with a worker updating its batch."""
    with db.session() as session:
        leased = session.scalars(select(Delivery.id).where(Delivery.status == DELIVERING)).all()
    for delivery_id in leased:
        with db.session() as session:
            session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.status == DELIVERING)
                            .values(lease_until=now()))


def test_every_event_reaches_every_subscribed_webhook_through_kills_cuts_and_flaps(
        app_config, db, client, make_account, proxy, tmp_path):
    owner = make_account()
    chance = random.Random(20261202)
    with ExitStack() as stack:
        targets = [stack.enter_context(FlappingReceiver(seed=n)) for n in (1, 2)]
        bystander = stack.enter_context(Receiver())
        hooks = [add_webhook(client, owner, target.url) for target in targets]
        add_webhook(client, owner, bystander.url(), events=["webhook.scan_finished"])
        events = set(record_events(db, owner, EVENTS))
        workers = Workers(worker_database_url(app_config["DATABASE_URL"], proxy), app_config["SECRET_KEY"], tmp_path)
        stack.callback(workers.stop)
        for _ in range(2):
            workers.start()

        run_with_faults(db, workers, proxy, chance, targets)
        wait_until(lambda: delivery_counts(db) == {SUCCEEDED: EVENTS * len(hooks)}, timeout=RUN_LIMIT,
                   what="every delivery to succeed")

        for hook, target in zip(hooks, targets):
            assert_reached_once_at_least(hook, target, events)
            assert_log_agrees(db, hook, target)
        assert bystander.requests == []
        assert workers.started == 2 + KILLS


def worker_database_url(database_url: str, proxy: TcpProxy | None) -> str:
    if proxy is None:
        return database_url
    url = make_url(normalise_url(database_url)).set(host="127.0.0.1", port=proxy.port)
    return url.render_as_string(hide_password=False)


def run_with_faults(db, workers: Workers, proxy, chance: random.Random, targets) -> None:
    """KILLS kills at random moments while deliveries flow, a proxy cut after the third; bounded in time."""
    deadline = time.monotonic() + RUN_LIMIT
    for kill in range(KILLS):
        arrived = sum(len(target.arrivals) for target in targets)
        wait_until(lambda: sum(len(t.arrivals) for t in targets) > arrived, timeout=60, what="more deliveries")  # noqa: B023
        time.sleep(chance.uniform(0.2, 1.5))
        workers.kill_one(chance)
        expire_leases(db)
        if kill == 2 and proxy is not None:
            # The running workers live through the cut; a worker *started* while the
            # database is unreachable stops at once with a one-line error (by design),
            # so the replacement starts after the connection is back.
            proxy.cut()
            time.sleep(2)
            proxy.restore()
        workers.start()
        assert time.monotonic() < deadline


def assert_reached_once_at_least(hook: dict, target: FlappingReceiver, events: set[str]) -> None:
    acknowledged = target.acknowledged()
    assert {arrival.body["event_id"] for arrival in acknowledged} == events
    assert {arrival.body["webhook_id"] for arrival in target.arrivals} == {hook["id"]}
    # Every send of one event to one webhook, first or duplicate, carries the event's id as webhook-id.
    assert all(arrival.webhook_id_header == arrival.body["event_id"] for arrival in target.arrivals)


def assert_log_agrees(db, hook: dict, target: FlappingReceiver) -> None:
    """Each delivery's logged attempts happened: no more attempts, nor more 200s, than arrived."""
    arrived, acknowledged = defaultdict(int), defaultdict(int)
    for arrival in target.arrivals:
        arrived[arrival.body["event_id"]] += 1
        acknowledged[arrival.body["event_id"]] += arrival.fate in ("ok", "slow")
    with db.session() as session:
        rows = session.execute(
            select(Delivery.event_id, func.count(Attempt.id),
                   func.count(Attempt.id).filter(Attempt.status_code == 200))
            .join(Attempt, Attempt.delivery_id == Delivery.id)
            .where(Delivery.webhook_id == hook["id"]).group_by(Delivery.event_id)).all()
    assert len(rows) == len(arrived)
    for event_id, attempts, successes in rows:
        assert 1 <= successes <= acknowledged[event_id] and attempts <= arrived[event_id], event_id
