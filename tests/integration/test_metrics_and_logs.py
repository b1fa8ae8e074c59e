"""/metrics after real deliveries to loopback receivers and a real scan, and
the structured log lines of requests and delivery attempts."""
import json
import logging
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from patrol import background
from patrol.clock import now
from patrol.logformat import JsonFormatter
from webhooks.models import Delivery
from tests.integration.test_webhook_delivery import scan, vulnerable_server
from tests.support.receivers import Answer, receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook

pytestmark = pytest.mark.extensions("webhooks")

SCAN_EVENTS = 3  # started, new issues, finished


@pytest.fixture
def app_config(app_config):
    app_config.update(WEBHOOK_POLL_INTERVAL=0.1, WEBHOOK_TIMEOUT=2.0, WEBHOOK_RETRY_SCHEDULE=[3600])
    return app_config


def scrape(client) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics, keyed by (name, sorted labels)."""
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.content_type.startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.get_data(as_text=True))
        for sample in family.samples
    }


def moved(before: dict, after: dict, name: str, **labels) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def settled(before: dict, after: dict) -> dict | None:
    """`after` once the failed attempts are counted and their retries queued (recorded in a batch)."""
    counted = moved(before, after, "patrol_webhook_deliveries_total", outcome="retrying", kind="generic")
    queued = after.get(("patrol_webhook_queue_depth", (("status", "pending"),)))
    return after if counted >= SCAN_EVENTS and queued == SCAN_EVENTS else None


def test_metrics_count_real_deliveries_and_a_real_scan(app, client, db, make_account, receivers):
    owner = make_account()
    server_id = vulnerable_server(client, db, owner)
    good, failing = receivers(), receivers(Answer(status=500))
    add_webhook(client, owner, good.url())
    add_webhook(client, owner, failing.url())
    before = scrape(client)

    background.get(app).start()
    scan(client, owner, server_id)
    good.wait_for(SCAN_EVENTS)
    failing.wait_for(SCAN_EVENTS)
    after = wait_until(lambda: settled(before, scrape(client)), what="the failed attempts to be counted and recorded")

    assert moved(before, after, "patrol_webhook_deliveries_total", outcome="succeeded", kind="generic") == SCAN_EVENTS
    assert moved(before, after, "patrol_webhook_attempt_duration_seconds_count", kind="generic") == 2 * SCAN_EVENTS
    assert moved(before, after, "patrol_scans_total", outcome="finished") == 1
    assert moved(before, after, "patrol_scan_duration_seconds_count") == 1
    assert after[("patrol_webhook_in_flight", ())] == 0
    # The failed ones wait an hour for their retry: queued, none due yet.
    assert after[("patrol_webhook_queue_depth", (("status", "pending"),))] == SCAN_EVENTS
    assert after[("patrol_webhook_oldest_due_seconds", ())] == 0


def test_the_oldest_due_delivery_ages_in_the_gauge(app, client, db, make_account, receivers):
    owner = make_account()
    add_webhook(client, owner, receivers(Answer(status=500)).url())
    background.get(app).start()
    server_id = vulnerable_server(client, db, owner)
    scan(client, owner, server_id)
    wait_until(lambda: scrape(client).get(("patrol_webhook_queue_depth", (("status", "pending"),))) == SCAN_EVENTS,
               what="three deliveries waiting for their retry")
    background.get(app).stop()
    with db.session() as session:
        session.execute(update(Delivery).values(next_attempt_at=now() - timedelta(minutes=10)))

    assert scrape(client)[("patrol_webhook_oldest_due_seconds", ())] >= 600


def json_lines(records: list[logging.LogRecord], logger: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in records if record.name == logger]


def test_each_request_logs_one_json_line_with_its_id_and_no_secret(client, make_account, caplog):
    owner = make_account()
    key, secret = owner.auth
    with caplog.at_level(logging.INFO, logger="patrol.access"):
        kept = client.get(f"/api/user?key={key}&secret={secret}", headers={"X-Request-ID": "lb-7f3a.42"})
        replaced = client.get("/api/user", auth=owner.auth, headers={"X-Request-ID": "bad id <script>"})
        too_long = client.get("/api/user", auth=owner.auth, headers={"X-Request-ID": "a" * 129})
        made = client.get("/api/user", auth=owner.auth)

    lines = json_lines(caplog.records, "patrol.access")
    assert [line["request_id"] for line in lines] == [
        answer.headers["X-Request-ID"] for answer in (kept, replaced, too_long, made)]
    assert kept.headers["X-Request-ID"] == "lb-7f3a.42"
    assert replaced.headers["X-Request-ID"] != "bad id <script>" and len(replaced.headers["X-Request-ID"]) == 32
    assert too_long.headers["X-Request-ID"] != "a" * 129
    assert len({answer.headers["X-Request-ID"] for answer in (replaced, too_long, made)}) == 3
    first = lines[0]
    assert (first["event"], first["method"], first["path"], first["status"]) == ("request", "GET", "/api/user", 200)
    assert first["query"] == f"key={key}&secret=[redacted]" and first["level"] == "info"
    assert isinstance(first["duration_ms"], float)
    assert not any(secret in json.dumps(line) for line in lines)


def test_each_delivery_attempt_logs_one_json_line_without_secrets(app, client, db, make_account, receivers, caplog):
    owner = make_account()
    target = receivers()
    hook = add_webhook(client, owner, target.url("/hook?token=receiver-token-123"))
    with caplog.at_level(logging.INFO, logger="patrol.delivery"):
        background.get(app).start()
        scan(client, owner, vulnerable_server(client, db, owner))
        target.wait_for(SCAN_EVENTS)
        lines = wait_until(lambda: len(found := json_lines(caplog.records, "patrol.delivery")) >= SCAN_EVENTS
                           and found, what="three attempt lines")

    assert len(lines) == SCAN_EVENTS
    assert {line["event_type"] for line in lines} == {
        "webhook.scan_started", "webhook.new_server_issues", "webhook.scan_finished"}
    for line in lines:
        assert line["event"] == "delivery_attempt" and line["webhook_id"] == hook["id"]
        assert (line["kind"], line["attempt"], line["outcome"], line["status_code"]) == ("generic", 1, "succeeded", 200)
        assert line["delivery_id"].startswith("dlv") and line["event_id"].startswith("evt")
        assert line["error_kind"] is None and line["duration_ms"] >= 0
        text = json.dumps(line)
        for secret in (hook["secret"], "receiver-token-123", owner.auth[1]):
            assert secret not in text
