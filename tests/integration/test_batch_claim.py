"""Batched claims: two engines on one database never lease the same delivery,
and two running engines deliver each event exactly as often as the log says."""
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from patrol import background, create_app
from patrol.clock import now
from patrol.db import get_db
from webhooks import fanout, queue
from webhooks.models import SUCCEEDED, Attempt, Delivery
from tests.support.receivers import receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, record_events

pytestmark = pytest.mark.extensions("webhooks")

LEASE = timedelta(minutes=5)


@pytest.fixture
def app_config(app_config):
    app_config.update(WEBHOOK_POLL_INTERVAL=0.1)
    return app_config


@pytest.fixture
def second_app(app_config):
    """Another Patrol process on the same database."""
    other = create_app(app_config)
    yield other
    background.get(other).stop()
    get_db(other).dispose()


def test_two_engines_claiming_at_once_never_lease_a_delivery_twice(client, db, second_app, make_account):
    owner = make_account()
    for n in range(4):
        add_webhook(client, owner, f"http://127.0.0.1:9/hook/{n}")  # never called: nothing is sent here
    record_events(db, owner, 30)
    fanout.dispatch(db)
    databases = [db, get_db(second_app)] * 3

    with ThreadPoolExecutor(len(databases)) as pool:
        batches = list(pool.map(lambda database: queue.claim(database, 200, LEASE, 64), databases))

    claimed = [item.delivery_id for batch in batches for item in batch]
    assert len(claimed) == len(set(claimed)) == 120
    assert queue.claim(db, 200, LEASE, 64) == []  # every one is leased


def test_a_webhook_at_its_limit_leaves_the_batch_to_the_others(client, db, make_account):
    owner = make_account()
    busy, quiet = (add_webhook(client, owner, f"http://127.0.0.1:9/{n}") for n in range(2))
    record_events(db, owner, 10)
    fanout.dispatch(db)

    first = queue.claim(db, 200, LEASE, 2, {busy["id"]: 5})

    assert Counter(item.webhook_id for item in first) == {busy["id"]: 5, quiet["id"]: 2}
    assert queue.claim(db, 200, LEASE, 2, {busy["id"]: 5}) == []


def test_an_expired_lease_is_claimed_again_with_the_same_attempt_number(client, db, make_account):
    owner = make_account()
    add_webhook(client, owner, "http://127.0.0.1:9/hook")
    record_events(db, owner, 1)
    fanout.dispatch(db)
    (first,) = queue.claim(db, 10, LEASE, 2)
    with db.session() as session:
        session.execute(update(Delivery).values(lease_until=now() - timedelta(seconds=1)))

    (again,) = queue.claim(db, 10, LEASE, 2)

    assert (again.delivery_id, again.attempt) == (first.delivery_id, first.attempt)
    assert again.lease_until > first.lease_until  # a lease of its own: the old holder cannot finish it


def test_two_running_engines_deliver_each_event_as_often_as_the_log_says(
        app, client, db, second_app, make_account, receivers):
    owner = make_account()
    targets = [receivers(), receivers()]
    for target in targets:
        add_webhook(client, owner, target.url())
    events = record_events(db, owner, 40)
    background.get(app).start()
    background.get(second_app).start()

    wait_until(lambda: _statuses(db) == {SUCCEEDED: 80}, timeout=60, what="every delivery to succeed")
    received = Counter((request.json()["event_id"], request.headers["webhook-id"])
                       for target in targets for request in target.requests)
    assert all(event_id == msg_id for event_id, msg_id in received)  # duplicates could only share a webhook-id
    assert {event_id for event_id, _ in received} == set(events)
    with db.session() as session:
        logged = session.scalar(select(func.count()).select_from(Attempt).where(Attempt.status_code == 200))
    assert logged == sum(received.values()) == 80


def _statuses(db):
    with db.session() as session:
        rows = session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
        return dict(rows.all())
