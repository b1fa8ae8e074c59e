"""A `patrol worker` killed in the middle of a batch loses no delivery.

The worker runs as a real process against the test's database. It is killed
with SIGKILL while receivers still hold some of its requests, so those
deliveries stay leased to a dead process; once the leases run out, another
engine delivers them. Delivery is at least once: an event whose request had
reached the receiver before the kill may arrive twice, but none is lost.
"""
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select, update

from patrol import background
from patrol.clock import now
from webhooks.models import DELIVERING, SUCCEEDED, Delivery
from tests.support.receivers import Answer, receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, record_events

pytestmark = pytest.mark.extensions("webhooks")

EVENTS = 8
# The `patrol` command, run by this interpreter wherever the console script was installed.
PATROL = [sys.executable, "-c", "from patrol.cli import main; main()"]


@pytest.fixture
def app_config(app_config):
    app_config.update(WEBHOOK_POLL_INTERVAL=0.1, WEBHOOK_TIMEOUT=5.0)
    return app_config


@pytest.fixture
def start_worker(app_config, tmp_path):
    """Starts `patrol worker` processes on the test's database; kills what is left at the end."""
    started: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "PATROL_DATABASE_URL": app_config["DATABASE_URL"],
        "PATROL_SECRET_KEY": app_config["SECRET_KEY"],
        "PATROL_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "PATROL_WEBHOOK_TIMEOUT": "5",
        "PATROL_WEBHOOK_POLL_INTERVAL": "0.1",
        "PATROL_WEBHOOK_RETRY_SCHEDULE": "0.2,0.4,0.8",
    }

    def start(concurrency: int) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115 - kept open for the process
        process = subprocess.Popen([*PATROL, "worker", "--concurrency", str(concurrency)],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def statuses(db):
    with db.session() as session:
        return dict(session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all())


def test_deliveries_of_a_killed_worker_are_delivered_by_the_next(app, db, client, make_account, receivers,
                                                                  start_worker):
    owner = make_account()
    targets = [receivers(Answer(delay=0.3)), receivers(Answer(delay=0.3))]
    hooks = [add_webhook(client, owner, target.url()) for target in targets]
    events = record_events(db, owner, EVENTS)

    worker = start_worker(concurrency=4)
    wait_until(lambda: sum(len(t.requests) for t in targets) >= 4 and any(t.open_requests for t in targets),
               timeout=60, what="the worker to be in the middle of its batch")
    worker.send_signal(signal.SIGKILL)
    assert worker.wait(timeout=30) == -signal.SIGKILL

    # Held requests belong to deliveries that the dead worker still leases.
    assert statuses(db).get(DELIVERING, 0) > 0
    # Leases last WEBHOOK_TIMEOUT + engine.LEASE_MARGIN (35 s here). Rather than
    # wait that long, move them into the past: the same as that time passing.
    with db.session() as session:
        session.execute(update(Delivery).where(Delivery.status == DELIVERING).values(lease_until=now()))
    background.get(app).start()

    wait_until(lambda: statuses(db) == {SUCCEEDED: EVENTS * len(hooks)}, timeout=60,
               what="every delivery to succeed")
    for hook, target in zip(hooks, targets):
        arrived = [request.json() for request in target.requests]
        assert {body["event_id"] for body in arrived} == set(events)
        assert {body["webhook_id"] for body in arrived} == {hook["id"]}
