"""The webhook routes of the contract: CRUD, validation, secrets, the delivery log, accounts.

Nothing here runs the engine on its own: deliveries stay queued unless a
test sends them synchronously (`deliver_due`) to a receiver on loopback.
"""
import base64

import pytest

from tests.support.receivers import receivers  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, deliver_due, deliveries, send_test
from webhooks.slack.urls import MASK

pytestmark = pytest.mark.extensions("webhooks")

SLACK_URL = "https://hooks.slack.com/services/T0001/B0001/SlackSecret0001"
SCAN_EVENTS = ["webhook.scan_started", "webhook.new_server_issues", "webhook.scan_finished"]
LOOPBACK = "http://127.0.0.1:9/hook"  # the discard port: never called, as no engine runs


@pytest.fixture
def owner(make_account):
    return make_account()


def show(client, caller, webhook_id):
    return client.get(f"/api/webhooks/{webhook_id}", auth=caller.auth)


def patch(client, caller, webhook_id, **fields):
    return client.patch(f"/api/webhooks/{webhook_id}", json=fields, auth=caller.auth)


def test_a_webhook_is_added_listed_shown_changed_and_deleted(client, owner):
    made = add_webhook(client, owner, LOOPBACK, events=["webhook.scan_finished"], format="form",
                       description="Deploy bot")
    assert made["id"].startswith("wh_") and len(made["id"]) >= 3 + 17  # base62: 17 characters > 96 bits
    assert (made["url"], made["kind"], made["format"]) == (LOOPBACK, "generic", "form")
    assert (made["events"], made["description"]) == (["webhook.scan_finished"], "Deploy bot")
    assert (made["enabled"], made["disabled_reason"]) == (True, None)
    assert made["created_at"].endswith("Z")
    assert len(base64.b64decode(made["secret"].removeprefix("whsec_"))) == 32

    listed = client.get("/api/webhooks", auth=owner.auth).json["data"]
    assert [w["id"] for w in listed] == [made["id"]]
    assert show(client, owner, made["id"]).json["data"] == listed[0]

    changed = patch(client, owner, made["id"], url="http://127.0.0.1:9/other", events=SCAN_EVENTS,
                    format="json", kind="slack", description="", enabled=False, min_severity="high",
                    known_exploited_only=True)
    assert changed.status_code == 200, changed.json
    now_is = show(client, owner, made["id"]).json["data"]
    assert now_is == changed.json["data"]
    # A kind: slack webhook's URL is its credential wherever it points: shown masked.
    assert (now_is["url"], now_is["kind"], now_is["format"]) == (f"http://127.0.0.1:9/{MASK}", "slack", "json")
    assert (now_is["events"], now_is["description"], now_is["min_severity"]) == (SCAN_EVENTS, None, "high")
    assert now_is["enabled"] is False and now_is["known_exploited_only"] is True

    assert client.delete(f"/api/webhooks/{made['id']}", auth=owner.auth).json == {"data": True}
    assert show(client, owner, made["id"]).status_code == 404
    assert client.get("/api/webhooks", auth=owner.auth).json["data"] == []


def test_a_webhook_can_be_added_with_php_form_fields(client, owner):
    answer = client.post("/api/webhooks", auth=owner.auth, data={
        "url": LOOPBACK, "format": "form",
        "events[]": ["webhook.scan_started", "webhook.scan_finished"],
    })
    assert answer.status_code == 201, answer.json
    assert answer.json["data"]["events"] == ["webhook.scan_started", "webhook.scan_finished"]


def test_the_secret_is_shown_only_when_it_is_made(client, owner):
    made = add_webhook(client, owner, LOOPBACK)
    rotated = client.post(f"/api/webhooks/{made['id']}/rotate_secret", auth=owner.auth)
    assert rotated.status_code == 200
    secret = rotated.json["data"]["secret"]
    assert secret.startswith("whsec_") and secret != made["secret"]

    shown = [
        show(client, owner, made["id"]),
        client.get("/api/webhooks", auth=owner.auth),
        patch(client, owner, made["id"], description="x"),
    ]
    for answer in shown:
        assert "whsec_" not in answer.get_data(as_text=True)


@pytest.mark.parametrize(("url", "kind", "shown"), [
    (SLACK_URL, "slack", f"https://hooks.slack.com/services/T0001/B0001/{MASK}"),
    ("https://hooks.slack-gov.com/services/T1/B1/Gov1", "slack", f"https://hooks.slack-gov.com/services/T1/B1/{MASK}"),
    ("https://hooks.slack.com.evil.example/services/T/B/X", "generic", None),
    ("https://example.com/services/T/B/X", "generic", None),
])
def test_the_kind_is_detected_and_slack_urls_are_masked(client, owner, url, kind, shown):
    """`shown` None: the URL is shown as it was given."""
    shown = shown or url
    made = add_webhook(client, owner, url)
    assert (made["kind"], made["url"]) == (kind, shown)
    assert show(client, owner, made["id"]).json["data"]["url"] == shown


def test_slack_webhooks_hear_of_scans_starting_only_when_they_ask(client, owner):
    made = add_webhook(client, owner, SLACK_URL)
    assert "webhook.scan_started" not in made["events"]
    assert add_webhook(client, owner, LOOPBACK)["events"] == [*SCAN_EVENTS, "webhook.test"]


def test_the_kind_can_be_set_by_hand_and_a_new_url_is_judged_again(client, owner):
    proxy = add_webhook(client, owner, LOOPBACK, kind="slack")
    assert proxy["kind"] == "slack"
    assert add_webhook(client, owner, SLACK_URL, kind="generic")["kind"] == "generic"

    moved = patch(client, owner, proxy["id"], url="http://127.0.0.1:9/plain").json["data"]
    assert moved["kind"] == "generic"
    to_slack = patch(client, owner, proxy["id"], url=SLACK_URL).json["data"]
    assert (to_slack["kind"], to_slack["url"]) == ("slack", f"https://hooks.slack.com/services/T0001/B0001/{MASK}")


@pytest.mark.parametrize(("fields", "field"), [
    ({}, "url"),
    ({"url": "ftp://example.com/hook"}, "url"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "http:///hook"}, "url"),
    ({"url": "https://user:pass@example.com/hook"}, "url"),
    ({"url": "https://example.com/hook", "kind": "teams"}, "kind"),
    ({"url": "https://example.com/hook", "format": "xml"}, "format"),
    ({"url": "https://example.com/hook", "events": ["webhook.everything"]}, "events"),
    ({"url": "https://example.com/hook", "min_severity": "dreadful"}, "min_severity"),
    ({"url": "https://example.com/hook", "known_exploited_only": "perhaps"}, "known_exploited_only"),
    ({"url": "https://example.com/hook", "description": "x" * 501}, "description"),
])
def test_invalid_settings_are_refused_field_by_field(client, owner, fields, field):
    answer = client.post("/api/webhooks", json=fields, auth=owner.auth)
    assert answer.status_code == 422
    assert answer.json["error"]["code"] == "validation_failed"
    assert field in answer.json["error"]["fields"]
    assert client.get("/api/webhooks", auth=owner.auth).json["data"] == []


class TestWithoutAllowedNetworks:
    """As deployed: no network is allowed beyond the public Internet."""

    @pytest.fixture
    def app_config(self, app_config):
        app_config.update(WEBHOOK_ALLOWED_NETWORKS=[])
        return app_config

    @pytest.mark.parametrize("url", [
        "http://10.0.0.1/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://0x7f.1/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://127.1/",
    ])
    def test_urls_of_private_addresses_are_refused(self, client, owner, url):
        answer = client.post("/api/webhooks", json={"url": url}, auth=owner.auth)
        assert answer.status_code == 422, answer.json
        assert "PATROL_WEBHOOK_ALLOWED_NETWORKS" in answer.json["error"]["fields"]["url"]

    def test_a_public_url_is_accepted_and_a_private_one_cannot_be_patched_in(self, client, owner):
        made = add_webhook(client, owner, "https://receiver.example.com/hook")
        refused = patch(client, owner, made["id"], url="http://10.0.0.1/hook", description="moved")
        assert refused.status_code == 422 and "url" in refused.json["error"]["fields"]
        kept = show(client, owner, made["id"]).json["data"]
        assert (kept["url"], kept["description"]) == ("https://receiver.example.com/hook", None)


def test_the_delivery_log_pages_newest_first(client, owner):
    hook = add_webhook(client, owner, LOOPBACK)
    queued = [send_test(client, owner, hook["id"])["id"] for _ in range(3)]
    path = f"/api/webhooks/{hook['id']}/deliveries"

    first = client.get(f"{path}?per_page=2", auth=owner.auth).json
    second = client.get(f"{path}?per_page=2&page=2", auth=owner.auth).json
    assert [d["id"] for d in first["data"] + second["data"]] == queued[::-1]
    assert first["meta"] == {"page": 1, "per_page": 2, "total": 3}
    assert second["meta"] == {"page": 2, "per_page": 2, "total": 3}
    assert all((d["identifier"], d["status"], d["attempts"], d["log"]) == ("webhook.test", "pending", 0, [])
               for d in first["data"])
    assert client.get(f"{path}?per_page=1000", auth=owner.auth).json["meta"]["per_page"] == 200
    assert client.get(f"{path}?page=0", auth=owner.auth).status_code == 422


def test_show_and_patch_tell_the_newest_delivery(client, owner):
    hook = add_webhook(client, owner, LOOPBACK)
    assert show(client, owner, hook["id"]).json["data"]["last_delivery"] is None
    send_test(client, owner, hook["id"])
    newest = send_test(client, owner, hook["id"])

    shown = show(client, owner, hook["id"]).json["data"]["last_delivery"]
    assert (shown["id"], shown["status"]) == (newest["id"], "pending")
    assert patch(client, owner, hook["id"], description="x").json["data"]["last_delivery"] == shown
    assert client.get("/api/webhooks", auth=owner.auth).json["data"][0]["last_delivery"] == shown


def test_a_delivery_is_redelivered_once_by_hand(app, client, db, owner, receivers):
    target = receivers()
    hook = add_webhook(client, owner, target.url())
    queued = send_test(client, owner, hook["id"])
    assert deliver_due(app, db) == 1
    redeliver = f"/api/webhooks/{hook['id']}/deliveries/{queued['id']}/redeliver"

    again = client.post(redeliver, auth=owner.auth)
    assert again.status_code == 202
    assert (again.json["data"]["id"], again.json["data"]["status"]) == (queued["id"], "pending")
    assert deliver_due(app, db) == 1
    assert deliver_due(app, db) == 0

    (delivery,) = deliveries(client, owner, hook["id"])
    assert (delivery["status"], delivery["attempts"]) == ("succeeded", 2)
    assert [(a["number"], a["manual"]) for a in delivery["log"]] == [(2, True), (1, False)]
    first, second = target.requests
    assert first.body == second.body and first.headers["webhook-id"] == second.headers["webhook-id"]


def test_redelivering_needs_the_delivery_of_that_webhook_and_an_enabled_webhook(client, owner):
    hook, other = add_webhook(client, owner, LOOPBACK), add_webhook(client, owner, LOOPBACK)
    queued = send_test(client, owner, other["id"])
    wrong_hook = client.post(f"/api/webhooks/{hook['id']}/deliveries/{queued['id']}/redeliver", auth=owner.auth)
    assert wrong_hook.status_code == 404
    unknown = client.post(f"/api/webhooks/{hook['id']}/deliveries/dlv_nope/redeliver", auth=owner.auth)
    assert unknown.status_code == 404

    patch(client, owner, other["id"], enabled=False)
    disabled = client.post(f"/api/webhooks/{other['id']}/deliveries/{queued['id']}/redeliver", auth=owner.auth)
    assert (disabled.status_code, disabled.json["error"]["code"]) == (409, "webhook_disabled")


def test_the_event_api_shows_a_test_event_to_its_webhook(client, owner):
    hook = add_webhook(client, owner, LOOPBACK)
    queued = send_test(client, owner, hook["id"])

    event = client.get(f"/api/webhooks/{hook['id']}/events/{queued['event_id']}", auth=owner.auth).json["data"]
    assert (event["id"], event["identifier"], event["webhook_id"]) == (queued["event_id"], "webhook.test", hook["id"])
    assert event["server_id"] is None and "server" not in event
    missing = client.get(f"/api/webhooks/{hook['id']}/events/evt_nope", auth=owner.auth)
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "not_found")


def test_no_account_reaches_another_accounts_webhooks(client, make_account):
    first, second = make_account(), make_account()
    for owner, other in ((first, second), (second, first)):
        hook = add_webhook(client, owner, LOOPBACK, description="mine")
        queued = send_test(client, owner, hook["id"])
        for answer in foreign_calls(client, other, hook, queued):
            assert (answer.status_code, answer.json["error"]["code"]) == (404, "not_found"), answer.request.path
        listed = client.get("/api/webhooks", auth=other.auth).json["data"]
        assert hook["id"] not in {w["id"] for w in listed}

        mine = show(client, owner, hook["id"]).json["data"]
        assert (mine["description"], mine["enabled"]) == ("mine", True)
        assert [d["id"] for d in deliveries(client, owner, hook["id"])] == [queued["id"]]


def foreign_calls(client, caller, hook, queued):
    """Every webhook route, called by `caller` on a webhook it does not own."""
    base = f"/api/webhooks/{hook['id']}"
    return [
        client.get(base, auth=caller.auth),
        client.patch(base, json={"description": "theirs", "enabled": False}, auth=caller.auth),
        client.post(f"{base}/test", auth=caller.auth),
        client.post(f"{base}/rotate_secret", auth=caller.auth),
        client.get(f"{base}/deliveries", auth=caller.auth),
        client.post(f"{base}/deliveries/{queued['id']}/redeliver", auth=caller.auth),
        client.get(f"{base}/events/{queued['event_id']}", auth=caller.auth),
        client.delete(base, auth=caller.auth),
    ]


def test_credentials_are_required(client, owner):
    hook = add_webhook(client, owner, LOOPBACK)
    assert client.get("/api/webhooks").status_code == 401
    assert client.get(f"/api/webhooks/{hook['id']}", auth=(owner.key, "0" * 64)).status_code == 401
    assert client.get(f"/api/webhooks?key={owner.key}&secret={owner.secret}").status_code == 200
