"""Receivers that fail, on real loopback sockets: what is retried, logged, disabled.

Each test programs a receiver's answers, lets the running engine deliver,
and reads the outcome the way a person would: the delivery log and the
webhook through the API. Times are only compared with each other ("not
before"), never against how fast something ran.
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from patrol import background
from webhooks import queue
from webhooks.models import DELIVERING, FAILED, PENDING, SUCCEEDED, Attempt, Delivery
from webhooks.transport import KEEP_LIMIT
from tests.support.receivers import Answer, receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, deliveries, record_events, send_test

pytestmark = pytest.mark.extensions("webhooks")


@pytest.fixture
def app_config(app_config):
    app_config.update(WEBHOOK_POLL_INTERVAL=0.1, WEBHOOK_TIMEOUT=1.0)
    return app_config


@pytest.fixture
def owner(make_account):
    return make_account()


@pytest.fixture
def engine(app):
    background.get(app).start()
    return app.extensions["webhooks.engine"]


def the_delivery(client, owner, hook, until):
    """The webhook's only delivery, once `until(delivery)` holds."""
    def check():
        (delivery,) = deliveries(client, owner, hook["id"])
        return delivery if until(delivery) else None

    return wait_until(check, what=f"the delivery of {hook['url']} to be as expected")


def finished(delivery):
    return delivery["status"] in (SUCCEEDED, FAILED)


def webhook(client, owner, hook):
    return client.get(f"/api/webhooks/{hook['id']}", auth=owner.auth).json["data"]


def test_a_receiver_that_is_down_then_back_gets_the_retry(client, owner, receivers, engine):
    target = receivers()
    target.down()
    hook = add_webhook(client, owner, target.url())

    send_test(client, owner, hook["id"])
    the_delivery(client, owner, hook, lambda d: d["log"])
    target.up()

    delivery = the_delivery(client, owner, hook, finished)
    assert delivery["status"] == SUCCEEDED
    success, *refused = delivery["log"]
    assert (success["status_code"], success["error_kind"]) == (200, None)
    assert refused and all(a["error_kind"] == "connection" and a["status_code"] is None for a in refused)
    assert len(target.requests) == 1


def test_a_redirect_is_not_followed_and_its_location_is_logged(client, owner, receivers, engine):
    target = receivers(Answer(302, headers={"Location": "/elsewhere"}))
    hook = add_webhook(client, owner, target.url())

    send_test(client, owner, hook["id"])

    delivery = the_delivery(client, owner, hook, lambda d: d["log"])
    first = delivery["log"][-1]
    assert (first["status_code"], first["error_kind"]) == (302, "redirect")
    assert "/elsewhere" in first["error"]
    assert all(request.path == "/hook" for request in target.requests)


def test_410_disables_the_webhook_until_it_is_enabled_again(client, db, owner, receivers, engine):
    gone, healthy = receivers(Answer(410)), receivers()
    hook = add_webhook(client, owner, gone.url())
    control = add_webhook(client, owner, healthy.url())

    send_test(client, owner, hook["id"])
    assert the_delivery(client, owner, hook, finished)["status"] == FAILED
    disabled = webhook(client, owner, hook)
    assert disabled["enabled"] is False and "410" in disabled["disabled_reason"]

    later = record_events(db, owner, 2)
    healthy.wait_for(2)
    assert sorted(d["event_id"] for d in deliveries(client, owner, control["id"])) == sorted(later)
    assert len(deliveries(client, owner, hook["id"])) == 1 and len(gone.requests) == 1
    refused = client.post(f"/api/webhooks/{hook['id']}/test", auth=owner.auth)
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "webhook_disabled")

    enabled = client.patch(f"/api/webhooks/{hook['id']}", json={"enabled": True}, auth=owner.auth).json["data"]
    assert (enabled["enabled"], enabled["disabled_reason"]) == (True, None)
    gone.default = Answer(200)
    record_events(db, owner, 1)
    gone.wait_for(2)


def test_429_with_retry_after_waits_at_least_that_long(client, db, owner, receivers, engine):
    target = receivers()
    target.answer(Answer(429, headers={"Retry-After": "1"}))
    hook = add_webhook(client, owner, target.url())

    delivery = send_test(client, owner, hook["id"])
    assert the_delivery(client, owner, hook, finished)["status"] == SUCCEEDED

    with db.session() as session:
        throttled, accepted = session.scalars(
            select(Attempt).where(Attempt.delivery_id == delivery["id"]).order_by(Attempt.number)
        ).all()
    assert (throttled.status_code, accepted.status_code) == (429, 200)
    assert throttled.next_attempt_at - throttled.started_at >= timedelta(seconds=1)
    assert accepted.started_at >= throttled.next_attempt_at
    first, second = target.requests
    assert second.received_at - first.received_at >= timedelta(seconds=1)


def test_a_receiver_that_hangs_past_the_timeout_is_logged_as_a_timeout(client, owner, receivers, engine):
    target = receivers()
    target.answer(Answer(hang=True))
    hook = add_webhook(client, owner, target.url())

    send_test(client, owner, hook["id"])

    delivery = the_delivery(client, owner, hook, lambda d: d["log"])
    timed_out = delivery["log"][-1]
    assert (timed_out["status_code"], timed_out["error_kind"]) == (None, "timeout")
    assert target.open_requests == 1  # still held when the sender gave up
    target.release()
    assert the_delivery(client, owner, hook, finished)["status"] == SUCCEEDED


def test_at_most_4_kib_of_an_answer_is_kept(client, owner, receivers, engine):
    target = receivers()
    target.answer(Answer(500, body=b"x" * 10_000))
    hook = add_webhook(client, owner, target.url())

    send_test(client, owner, hook["id"])

    delivery = the_delivery(client, owner, hook, finished)
    failed = delivery["log"][-1]
    assert (failed["status_code"], failed["error_kind"]) == (500, "http_status")
    assert failed["response_body"] == "x" * KEEP_LIMIT
    assert KEEP_LIMIT == 4096


class TestDisableAfter:
    @pytest.fixture
    def app_config(self, app_config):
        app_config.update(WEBHOOK_DISABLE_AFTER=1)
        return app_config

    def test_a_webhook_failing_for_that_long_is_disabled(self, client, owner, receivers, engine):
        target = receivers(Answer(503))
        hook = add_webhook(client, owner, target.url())

        send_test(client, owner, hook["id"])

        disabled = wait_until(lambda: (w := webhook(client, owner, hook))["enabled"] is False and w,
                              what="the webhook to be disabled")
        assert disabled["disabled_reason"] == "Every delivery failed for 1 second."
        log = deliveries(client, owner, hook["id"])[0]["log"]
        assert {a["status_code"] for a in log} == {503}
        first, last = log[-1], log[0]
        assert last["started_at"] >= first["started_at"]


def test_a_manual_redelivery_is_one_attempt_and_restarts_no_retries(app, client, db, owner, receivers, engine):
    target = receivers(Answer(500))
    hook = add_webhook(client, owner, target.url())
    delivery = send_test(client, owner, hook["id"])
    scheduled = the_delivery(client, owner, hook, finished)
    assert scheduled["status"] == FAILED
    attempts = scheduled["attempts"]
    path = f"/api/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver"

    assert client.post(path, auth=owner.auth).status_code == 202

    again = the_delivery(client, owner, hook, lambda d: d["attempts"] == attempts + 1 and finished(d))
    assert again["status"] == FAILED and again["next_attempt_at"] is None
    manual = again["log"][0]
    assert (manual["number"], manual["manual"], manual["next_attempt_at"]) == (attempts + 1, True, None)
    assert not any(a["manual"] for a in again["log"][1:])
    assert queue.claim(db, 10, engine.lease, 2) == []  # nothing is due: no retry was scheduled
    assert len(target.requests) == attempts + 1

    target.default = Answer(204)
    client.post(path, auth=owner.auth)
    last = the_delivery(client, owner, hook, lambda d: d["status"] == SUCCEEDED)
    assert last["attempts"] == attempts + 2 and last["log"][0]["manual"] is True


def test_redelivering_a_success_to_a_broken_receiver_is_one_attempt_too(client, db, owner, receivers, engine):
    target = receivers()
    hook = add_webhook(client, owner, target.url())
    delivery = send_test(client, owner, hook["id"])
    assert the_delivery(client, owner, hook, finished)["status"] == SUCCEEDED
    target.default = Answer(500)

    client.post(f"/api/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver", auth=owner.auth)

    again = the_delivery(client, owner, hook, lambda d: d["attempts"] == 2 and finished(d))
    assert (again["status"], again["next_attempt_at"]) == (FAILED, None)
    assert [(a["number"], a["manual"], a["status_code"]) for a in again["log"]] == [(2, True, 500), (1, False, 200)]
    assert queue.claim(db, 10, engine.lease, 2) == []
    assert len(target.requests) == 2


class TestIsolation:
    @pytest.fixture
    def app_config(self, app_config):
        # The hanging receiver is held until the test lets it go, not cut off by the timeout.
        app_config.update(WEBHOOK_WORKERS=4, WEBHOOK_MAX_SLOTS_PER_WEBHOOK=2, WEBHOOK_TIMEOUT=60.0)
        return app_config

    def test_a_hanging_receiver_does_not_hold_up_another_webhook(self, client, db, owner, receivers, engine):
        slow, fast = receivers(Answer(hang=True)), receivers()
        stuck = add_webhook(client, owner, slow.url())
        add_webhook(client, owner, fast.url())

        record_events(db, owner, 10)

        fast.wait_for(10)
        assert len(slow.requests) == slow.open_requests == 2  # its two slots, both still hanging
        assert statuses(db, stuck["id"]) == {DELIVERING: 2, PENDING: 8}
        slow.release()
        wait_until(lambda: statuses(db, stuck["id"]) == {SUCCEEDED: 10}, what="the slow webhook to catch up")
        assert len(fast.requests) == 10 and len(slow.requests) == 10


def statuses(db, webhook_id):
    with db.session() as session:
        rows = session.execute(
            select(Delivery.status, func.count()).where(Delivery.webhook_id == webhook_id).group_by(Delivery.status)
        )
        return dict(rows.all())
