"""A scan, end to end, to real receivers: signed thin pushes, then the event API.

The whole app runs: the scan worker records events in the scan's
transaction, the engine fans them out and posts them to receivers on
loopback, and each receiver fetches its event back with the account's key.
"""
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from patrol import background, demo
from patrol.clock import now
from patrol.models import Event
from webhooks import retention
from webhooks.models import SUCCEEDED, Attempt, Delivery
from tests.support.receivers import Answer, receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, deliver_due, deliveries, send_test

pytestmark = pytest.mark.extensions("webhooks")

SCAN_EVENTS = ["webhook.scan_started", "webhook.new_server_issues", "webhook.scan_finished"]


@pytest.fixture
def app_config(app_config):
    app_config.update(WEBHOOK_POLL_INTERVAL=0.1, WEBHOOK_TIMEOUT=2.0)
    return app_config


def vulnerable_server(client, db, caller):
    """A server whose composer.lock holds packages with known advisories.

    Added through the API, so its first scheduled scan is a day away and
    only the test's own scans run.
    """
    demo.import_advisories(db)
    added = client.post("/api/servers", json={"domain": "web1.example.com"}, auth=caller.auth)
    server_id = added.json["data"]["id"]
    pushed = client.post(f"/api/servers/{server_id}/software_bucket/composer",
                         json={"software": demo.lockfile_items("composer")}, auth=caller.auth)
    assert pushed.status_code == 200, pushed.json
    return server_id


def scan(client, caller, server_id):
    started = client.post(f"/api/servers/{server_id}/scan", auth=caller.auth)
    assert started.status_code == 202, started.json


def verified(secret, request):
    """The body, after standardwebhooks accepted the signature (it raises otherwise)."""
    is_json = request.headers["content-type"] == "application/json"
    Verifier(secret).verify(request.body, request.headers, json_parse=False)
    return request.json() if is_json else request.form()


def test_a_scan_reaches_every_webhook_signed_and_each_fetches_its_events(
    app, client, db, make_account, receivers,
):
    owner, stranger = make_account(), make_account()
    server_id = vulnerable_server(client, db, owner)
    targets = [receivers(), receivers(), receivers()]
    hooks = [add_webhook(client, owner, targets[0].url()),
             add_webhook(client, owner, targets[1].url()),
             add_webhook(client, owner, targets[2].url(), format="form")]
    tests_only = add_webhook(client, owner, receivers().url(), events=["webhook.test"])
    finishes = receivers()
    add_webhook(client, owner, finishes.url(), events=["webhook.scan_finished"])

    background.get(app).start()
    scan(client, owner, server_id)

    for hook, target in zip(hooks, targets):
        arrived = target.wait_for(3)
        bodies = [verified(hook["secret"], request) for request in arrived]
        assert sorted(body["identifier"] for body in bodies) == sorted(SCAN_EVENTS)
        assert all(set(body) - {"webhook_patrolserver"} == {"webhook_id", "event_id", "identifier"}
                   for body in bodies)  # thin: ids only, the event is fetched
        assert {body["webhook_id"] for body in bodies} == {hook["id"]}
        assert all(request.headers["webhook-id"] == body["event_id"] for request, body in zip(arrived, bodies))
        assert all(request.headers["user-agent"].startswith("Patrol-Webhooks/") for request in arrived)
        for body in bodies:
            event = fetch_event(client, owner, hook["id"], body["event_id"])
            assert event["identifier"] == body["identifier"]
            assert event["webhook_id"] == hook["id"]
            assert event["server_id"] == server_id
            for_others = client.get(f"/api/webhooks/{hook['id']}/events/{body['event_id']}", auth=stranger.auth)
            assert for_others.status_code == 404
            not_its_own = client.get(f"/api/webhooks/{tests_only['id']}/events/{body['event_id']}", auth=owner.auth)
            assert not_its_own.status_code == 404
            assert not_its_own.json["error"]["code"] == "not_found"

    wait_until(lambda: all(d["status"] == SUCCEEDED for h in hooks for d in deliveries(client, owner, h["id"])),
               what="every delivery to succeed")
    assert deliveries(client, owner, tests_only["id"]) == []
    (finish,) = finishes.wait_for(1)
    assert finish.json()["identifier"] == "webhook.scan_finished"
    assert len(finishes.requests) == 1


def fetch_event(client, caller, webhook_id, event_id):
    """The event through the event API, asked both ways the contract allows; both must agree."""
    path = f"/api/webhooks/{webhook_id}/events/{event_id}"
    by_query = client.get(f"{path}?{urlencode(caller.query)}")
    by_basic = client.get(path, auth=caller.auth)
    assert by_query.status_code == by_basic.status_code == 200, by_query.json
    assert by_query.json == by_basic.json
    return by_query.json["data"]


def test_the_form_body_is_what_a_patrolserver_receiver_reads(app, client, make_account, receivers):
    owner = make_account()
    target = receivers()
    hook = add_webhook(client, owner, target.url(), format="form")
    background.get(app).start()

    send_test(client, owner, hook["id"])

    (request,) = target.wait_for(1)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    event_id = request.headers["webhook-id"]
    expected = f"webhook_patrolserver=1&identifier=webhook.test&webhook_id={hook['id']}&event_id={event_id}"
    assert request.body.decode() == expected
    Verifier(hook["secret"]).verify(request.body, request.headers, json_parse=False)


def test_new_issues_carry_only_the_issues_the_previous_scan_did_not_have(
    app, client, db, make_account, receivers,
):
    owner = make_account()
    server_id = vulnerable_server(client, db, owner)
    target = receivers()
    hook = add_webhook(client, owner, target.url())
    background.get(app).start()

    scan(client, owner, server_id)
    first = by_identifier(target.wait_for(3))
    wait_until(lambda: not client.get(f"/api/servers/{server_id}/isScanning", auth=owner.auth).json["data"],
               what="the first scan to end")
    scan(client, owner, server_id)
    second = by_identifier(target.wait_for(5)[3:])

    assert sorted(second) == ["webhook.scan_finished", "webhook.scan_started"]
    new_issues = fetch_event(client, owner, hook["id"], first["webhook.new_server_issues"])
    finished = fetch_event(client, owner, hook["id"], second["webhook.scan_finished"])
    assert new_issues["counts"]["new"] == len(new_issues["issues"]) > 0
    assert all(issue["server_id"] == server_id for issue in new_issues["issues"])
    counts = finished["counts"]
    assert (counts["issues"], counts["new"], counts["resolved"]) == (new_issues["counts"]["issues"], 0, 0)


def by_identifier(requests):
    """identifier → event id, for thin JSON pushes."""
    return {r.json()["identifier"]: r.json()["event_id"] for r in requests}


def test_a_retry_is_signed_again_under_the_same_webhook_id(app, client, make_account, receivers):
    owner = make_account()
    target = receivers()
    target.answer(Answer(status=500))
    hook = add_webhook(client, owner, target.url())
    background.get(app).start()

    send_test(client, owner, hook["id"])

    failed, retried = target.wait_for(2)
    assert failed.headers["webhook-id"] == retried.headers["webhook-id"] == failed.json()["event_id"]
    for request in (failed, retried):
        assert verified(hook["secret"], request)["identifier"] == "webhook.test"
    (delivery,) = wait_until(lambda: [d for d in deliveries(client, owner, hook["id"]) if d["status"] == SUCCEEDED],
                             what="the retried delivery to succeed")
    assert [a["status_code"] for a in delivery["log"]] == [200, 500]  # newest first


def test_a_rotated_secret_signs_beside_the_old_one(app, client, make_account, receivers):
    owner = make_account()
    target = receivers()
    hook = add_webhook(client, owner, target.url())
    rotated = client.post(f"/api/webhooks/{hook['id']}/rotate_secret", auth=owner.auth).json["data"]
    background.get(app).start()

    send_test(client, owner, hook["id"])

    (request,) = target.wait_for(1)
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != hook["secret"]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    for secret in (hook["secret"], rotated["secret"]):
        assert verified(secret, request)["identifier"] == "webhook.test"
    stranger_secret = add_webhook(client, owner, target.url())["secret"]
    with pytest.raises(WebhookVerificationError):
        Verifier(stranger_secret).verify(request.body, request.headers)


def test_retention_forgets_old_events_with_their_deliveries_and_attempts(app, client, db, make_account, receivers):
    owner = make_account()
    hook = add_webhook(client, owner, receivers().url())
    old, recent = send_test(client, owner, hook["id"]), send_test(client, owner, hook["id"])
    deliver_due(app, db)
    with db.session() as session:
        session.execute(update(Event).where(Event.id == old["event_id"]).values(created_at=now() - timedelta(days=31)))

    assert retention.purge(db, 30) == 1

    with db.session() as session:
        assert session.get(Event, old["event_id"]) is None
        assert session.get(Delivery, old["id"]) is None
        assert session.scalars(select(Attempt).where(Attempt.delivery_id == old["id"])).all() == []
        assert len(session.scalars(select(Attempt).where(Attempt.delivery_id == recent["id"])).all()) == 1
    assert [d["id"] for d in deliveries(client, owner, hook["id"])] == [recent["id"]]
    gone = client.get(f"/api/webhooks/{hook['id']}/events/{old['event_id']}", auth=owner.auth)
    assert gone.status_code == 404
    assert fetch_event(client, owner, hook["id"], recent["event_id"])["identifier"] == "webhook.test"
