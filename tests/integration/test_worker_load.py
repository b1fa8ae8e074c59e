"""A load run with two `patrol worker` processes on PostgreSQL: every delivery
arrives, the delivery log has one attempt per request the receivers saw, and
the two workers' /metrics add up to the same counts.

Some answers are 500s, so retries happen and "as often as the log says" is
more than "once each".
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections import Counter

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from patrol.db import normalise_url
from tests.support.receivers import Answer, receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, record_events
from webhooks.models import SUCCEEDED, Attempt, Delivery

pytestmark = pytest.mark.extensions("webhooks")

PATROL = [sys.executable, "-c", "from patrol.cli import main; main()"]
EVENTS = 150
WEBHOOKS = 3
FAILURES = 40  # the first answers of one receiver are 500s, retried by whichever worker claims them again


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def workers(app_config, tmp_path):
    """Two workers on the test's PostgreSQL database, each with /metrics on a port of its own."""
    if make_url(normalise_url(app_config["DATABASE_URL"])).get_backend_name() != "postgresql":
        pytest.skip("several worker processes share one queue on PostgreSQL; SQLite serves one process")
    started, ports = [], []
    for n in range(2):
        ports.append(free_port())
        env = {**os.environ, "PATROL_DATABASE_URL": app_config["DATABASE_URL"],
               "PATROL_SECRET_KEY": app_config["SECRET_KEY"], "PATROL_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
               "PATROL_WEBHOOK_POLL_INTERVAL": "0.2", "PATROL_WEBHOOK_CLAIM_BATCH": "20",
               "PATROL_WEBHOOK_RETRY_SCHEDULE": "0.1,0.2,0.3",
               "PATROL_METRICS_PORT": str(ports[-1])}
        with open(tmp_path / f"worker-{n}.log", "wb") as log:
            started.append(subprocess.Popen([*PATROL, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT))
    wait_until(lambda: all(_answers(port) for port in ports), timeout=90, what="both workers' /metrics")
    yield ports
    for process in started:
        process.kill()
        process.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).ok
    except requests.ConnectionError:
        return False


def attempts_by_outcome(port: int) -> Counter:
    """This worker's patrol_webhook_deliveries_total, by outcome."""
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    counted: Counter = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "patrol_webhook_deliveries_total":
                counted[sample.labels["outcome"]] += int(sample.value)
    return counted


def test_two_workers_deliver_every_event_as_often_as_the_log_and_the_metrics_say(client, db, make_account,
                                                                                 receivers, workers):
    owner = make_account()
    targets = [receivers() for _ in range(WEBHOOKS)]
    targets[0].answer(*[Answer(status=500)] * FAILURES)
    for target in targets:
        add_webhook(client, owner, target.url())
    event_ids = record_events(db, owner, EVENTS)
    expected = EVENTS * WEBHOOKS

    wait_until(lambda: _succeeded(db) == expected, timeout=180, what="every delivery to succeed")

    receipts = [(request.headers["webhook-id"], target_n)
                for target_n, target in enumerate(targets) for request in target.requests]
    assert {event for event, _ in receipts} == set(event_ids)
    assert set(receipts) == {(event, n) for event in event_ids for n in range(WEBHOOKS)}
    logged = _attempts(db)
    assert sum(logged.values()) == len(receipts)  # one logged attempt per request that arrived
    assert logged["ok"] == expected and logged["500"] >= FAILURES
    counted = [attempts_by_outcome(port) for port in workers]
    assert all(sum(each.values()) > 0 for each in counted), counted  # both workers took part
    summed = sum(counted, Counter())
    assert summed["succeeded"] == logged["ok"]
    assert summed["retrying"] + summed["failed"] == logged["500"]


def _succeeded(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == SUCCEEDED))


def _attempts(db) -> Counter:
    """The delivery log's attempts: "ok" for 2xx answers, else the status code."""
    with db.session() as session:
        codes = session.scalars(select(Attempt.status_code)).all()
    return Counter("ok" if code and 200 <= code < 300 else str(code) for code in codes)
