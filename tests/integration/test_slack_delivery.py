"""Slack delivery end to end: the engine posts Block Kit messages to the Slack
stand-in on loopback, paces them, and reads Slack's answers as Slack means them.

Every webhook here is `kind: slack` by hand, because the stand-in is not on
hooks.slack.com; messages are judged by the stand-in (written from Slack's
documentation) and by `slackkit.limits`, each apart from the other.
"""
from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest

from sqlalchemy import update

from patrol import demo
from patrol.advisories import importer
from patrol.clock import now
from patrol.models import Bucket
from patrol.scanning import workers
from slackkit import limits
from slackkit.issues import MAX_LISTED
from tests.support.receivers import loopback_only, wait_until
from tests.support.slack_standin import FAILURES, Received, SlackStandin
from tests.support.webhook_calls import add_webhook, deliveries, send_test
from webhooks.models import FAILED, SUCCEEDED

pytestmark = pytest.mark.extensions("webhooks")

PACE = 0.2  # SLACK_MIN_INTERVAL, seconds
WAIT = 60.0  # a deadline for waits, generous for a busy machine; no test takes near it
PUBLIC_URL = "https://patrol.example.com"  # only written into messages, never called
SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
# Words each message's header block carries, to tell the messages apart.
HEADERS = {
    "webhook.test": "Patrol is connected",
    "webhook.scan_started": "Scan started",
    "webhook.new_server_issues": "new issue",
    "webhook.scan_finished": "Scan finished",
}
DEAD = ["channel_not_found", "channel_is_archived", "action_prohibited", "no_service", "invalid_token"]


class ScriptedStandin(SlackStandin):
    """The stand-in, plus answers a test queues for one webhook.

    `answer_next(url, code, times)` answers the next `times` posts with Slack's
    `code` (one of FAILURES, `invalid_payload` or `rate_limited`), then Slack's
    usual answers resume. Scripted answers do not depend on timing, as the
    stand-in's own rate limit does.
    """

    ANSWERS = {**FAILURES, "invalid_payload": 400, "rate_limited": 429}

    def __init__(self) -> None:
        super().__init__()
        self._script_lock = threading.Lock()
        self._script: dict[str, deque[tuple[str, dict[str, str]]]] = defaultdict(deque)

    def answer_next(self, url: str, code: str, times: int = 1, retry_after: int | None = None) -> None:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        with self._script_lock:
            self._script[urlsplit(url).path].extend([(code, headers)] * times)

    def _decide(self, path: str, payload: object, now: float) -> tuple[int, str, dict[str, str], list[str]]:
        with self._script_lock:
            queued = self._script[path]
            scripted = queued.popleft() if queued else None
        if scripted is None:
            return super()._decide(path, payload, now)
        code, headers = scripted
        return self.ANSWERS[code], code, headers, []


@pytest.fixture
def app_config(app_config):
    app_config.update(WEBHOOK_POLL_INTERVAL=0.1, WEBHOOK_TIMEOUT=2.0, WEBHOOK_RETRY_SCHEDULE=[0.2, 0.4, 0.8],
                      SLACK_MIN_INTERVAL=PACE, PUBLIC_URL=PUBLIC_URL)
    return app_config


@pytest.fixture(autouse=True)
def on_loopback_only():
    with loopback_only():
        yield


@pytest.fixture
def slack(app):
    """The stand-in; it depends on `app` so that it closes before the engine stops."""
    with ScriptedStandin() as standin:
        yield standin


def start_engine(app):
    """Only the delivery engine: scans run in the test (see `scan`), so the
    scheduler's first scan of every new server adds no events of its own."""
    app.extensions["webhooks.engine"].start()


def add_slack_webhook(client, caller, url, **fields):
    return add_webhook(client, caller, url, kind="slack", **fields)


def settled(client, caller, hook, count):
    """The webhook's deliveries once `count` of them exist and none is still due."""
    def done():
        rows = deliveries(client, caller, hook["id"])
        return rows if len(rows) >= count and all(d["status"] in (SUCCEEDED, FAILED) for d in rows) else None
    return wait_until(done, timeout=WAIT, what=f"{count} finished deliveries")


def posts(slack, url) -> list[Received]:
    return [r for r in slack.received if r.path == urlsplit(url).path]


def wait_for_posts(slack, url, count) -> list[Received]:
    return wait_until(lambda: (found := posts(slack, url)) and len(found) >= count and found,
                      timeout=WAIT, what=f"{count} posts to the Slack stand-in")


def identifier(payload) -> str:
    header = payload["blocks"][0]["text"]["text"]
    (found,) = [name for name, words in HEADERS.items() if words in header]
    return found


def text_of(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)


def button_urls(payload) -> list[str]:
    return [e["url"] for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"] if "url" in e]


def assert_accepted_as_slack_wants(request: Received):
    assert (request.status, request.answer, request.problems) == (200, "ok", ())
    assert limits.check(request.payload) == []
    text = request.payload["text"]
    assert text and text == " ".join(text.split()), "the fallback text is one line"
    assert request.headers["content-type"] == "application/json"
    assert not [name for name in SIGNATURE_HEADERS if name in request.headers]


def server_with(client, db, make_server, caller, *buckets):
    """A server holding the demo's lock files for `buckets` (composer, npm, python)."""
    demo.import_advisories(db)
    server_id = make_server(caller)
    for bucket in buckets:
        push(client, caller, server_id, bucket, demo.lockfile_items(bucket))
    return server_id


def push(client, caller, server_id, bucket, items):
    pushed = client.post(f"/api/servers/{server_id}/software_bucket/{bucket}", json={"software": items},
                         auth=caller.auth)
    assert pushed.status_code == 200, pushed.json


def scan(client, db, caller, server_id):
    """Start a scan through the API and run it here, to its end."""
    started = client.post(f"/api/servers/{server_id}/scan", auth=caller.auth)
    assert started.status_code == 202, started.json
    assert workers.run_one(db)


def event(client, caller, hook, delivery):
    answer = client.get(f"/api/webhooks/{hook['id']}/events/{delivery['event_id']}", auth=caller.auth)
    assert answer.status_code == 200, answer.json
    return answer.json["data"]


def test_the_test_message_reaches_slack_unsigned_and_within_limits(app, client, make_account, slack):
    owner = make_account()
    url = slack.webhook_url()
    hook = add_slack_webhook(client, owner, url, description="Security alerts for #ops")
    start_engine(app)

    send_test(client, owner, hook["id"])

    (request,) = wait_for_posts(slack, url, 1)
    assert_accepted_as_slack_wants(request)
    assert identifier(request.payload) == "webhook.test"
    assert owner.email in request.payload["text"] and "#ops" in text_of(request.payload)
    assert request.headers["user-agent"].startswith("Patrol-Webhooks/")
    (delivery,) = settled(client, owner, hook, 1)
    assert delivery["event_id"] in text_of(request.payload)
    assert (delivery["status"], delivery["attempts"]) == (SUCCEEDED, 1)


def test_a_scan_posts_its_messages_and_scan_started_only_when_asked(
    app, client, db, make_account, make_server, slack,
):
    owner = make_account()
    server_id = server_with(client, db, make_server, owner, "composer")
    default_url, everything_url = slack.webhook_url(bot="B0001"), slack.webhook_url(bot="B0002")
    default = add_slack_webhook(client, owner, default_url)
    everything = add_slack_webhook(client, owner, everything_url, events=list(HEADERS))
    start_engine(app)

    scan(client, db, owner, server_id)

    expected = {default_url: default, everything_url: everything}
    arrived = {url: wait_for_posts(slack, url, 3 if hook is everything else 2) for url, hook in expected.items()}
    for url, hook in expected.items():
        logged = settled(client, owner, hook, len(arrived[url]))
        assert sorted(identifier(r.payload) for r in arrived[url]) == sorted(d["identifier"] for d in logged)
        for request in arrived[url]:
            assert_accepted_as_slack_wants(request)
            assert button_urls(request.payload) == [f"{PUBLIC_URL}/servers/{server_id}"]
    assert sorted(identifier(r.payload) for r in arrived[default_url]) == [
        "webhook.new_server_issues", "webhook.scan_finished"]
    assert "webhook.scan_started" in {identifier(r.payload) for r in arrived[everything_url]}
    (new_issues,) = [d for d in deliveries(client, owner, default["id"]) if d["identifier"] == "webhook.new_server_issues"]
    (message,) = [r.payload for r in arrived[default_url] if identifier(r.payload) == "webhook.new_server_issues"]
    advisory_ids = {issue["advisory"]["id"] for issue in event(client, owner, default, new_issues)["issues"]}
    assert advisory_ids and all(advisory_id in text_of(message) for advisory_id in advisory_ids)


def test_a_scan_of_a_server_with_no_software_is_posted_without_a_green_tick(
    app, client, db, make_account, make_server, slack,
):
    owner = make_account()
    server_id = server_with(client, db, make_server, owner)  # nothing pushed

    request, counts = scan_finished_in_slack(app, client, db, owner, server_id, slack)

    assert counts["software"] == 0
    assert request.payload["blocks"][0]["text"]["text"].startswith(":warning: No software reported: ")
    assert "reports no software" in text_of(request.payload)
    assert ":white_check_mark:" not in json.dumps(request.payload) and ":tada:" not in text_of(request.payload)


def test_a_clean_scan_of_a_stale_software_list_is_posted_without_a_green_tick(
    app, client, db, make_account, make_server, slack,
):
    owner = make_account()
    server_id = make_server(owner)
    push(client, owner, server_id, "app", [{"n": "left-pad", "v": "1.3.0", "e": "npm"}])  # no advisory
    with db.session() as session:
        session.execute(update(Bucket).where(Bucket.server_id == server_id)
                        .values(updated_at=now() - timedelta(days=10, hours=1)))

    request, counts = scan_finished_in_slack(app, client, db, owner, server_id, slack)

    assert (counts["issues"], counts["software"], counts["stale_days"]) == (0, 1, 10)
    assert request.payload["blocks"][0]["text"]["text"].startswith(":warning: Stale: last push 10 days ago: ")
    assert "Patrol checked an old list" in text_of(request.payload)
    assert ":white_check_mark:" not in json.dumps(request.payload) and ":tada:" not in text_of(request.payload)


def scan_finished_in_slack(app, client, db, owner, server_id, slack):
    """Scan with a Slack webhook (scan_finished only, as by default): its one message, and the event's counts."""
    url = slack.webhook_url()
    hook = add_slack_webhook(client, owner, url)
    start_engine(app)
    scan(client, db, owner, server_id)
    (request,) = wait_for_posts(slack, url, 1)
    assert_accepted_as_slack_wants(request)
    (delivery,) = settled(client, owner, hook, 1)
    return request, event(client, owner, hook, delivery)["counts"]


def synthetic_advisories(count):
    """One advisory per npm package `patrol-synthetic-NNN`, worst severities first in every four."""
    levels = ["CRITICAL", "HIGH", "MODERATE", "LOW"]
    return [
        {
            "schema_version": "1.3.0",
            "id": f"PATROL-TEST-{n:03d}",
            "modified": "2024-01-01T00:00:00Z",
            "aliases": [f"CVE-2024-{n:05d}"],
            "summary": f"Synthetic flaw {n} <with> markup & " + "a long explanation " * 60,
            "database_specific": {"severity": levels[n % 4]},
            "affected": [{"package": {"ecosystem": "npm", "name": f"patrol-synthetic-{n:03d}"},
                          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}],
            "references": [{"type": "WEB", "url": f"https://advisories.example/PATROL-TEST-{n:03d}"}],
        }
        for n in range(count)
    ]


def test_300_new_issues_fit_one_message_and_the_rest_are_counted(
    app, client, db, make_account, make_server, slack,
):
    owner = make_account()
    records = synthetic_advisories(300)
    report = importer.import_records(db, [(record["id"], record) for record in records])
    assert (report.added, report.invalid) == (300, [])
    server_id = make_server(owner)
    push(client, owner, server_id, "npm", [
        {"n": f"patrol-synthetic-{n:03d}", "v": "1.0.0", "l": f"/srv/app{n}/package-lock.json", "e": "npm"}
        for n in range(300)])
    url = slack.webhook_url()
    add_slack_webhook(client, owner, url)
    start_engine(app)

    scan(client, db, owner, server_id)

    (request,) = [r for r in wait_for_posts(slack, url, 2) if identifier(r.payload) == "webhook.new_server_issues"]
    assert_accepted_as_slack_wants(request)
    text = text_of(request.payload)
    listed = [record for record in records if record["id"] in text]
    assert len(listed) == MAX_LISTED
    assert {record["database_specific"]["severity"] for record in listed} == {"CRITICAL"}
    assert "300 new issues" in request.payload["text"]
    (more,) = [b for b in request.payload["blocks"] if b["type"] == "context" and "more" in text_of(b)]
    assert f"{300 - MAX_LISTED} more issues" in text_of(more)
    assert f"{PUBLIC_URL}/servers/{server_id}" in text_of(more)


def test_min_severity_keeps_lesser_new_issues_out_of_slack(app, client, db, make_account, make_server, slack):
    owner = make_account()
    server_id = server_with(client, db, make_server, owner, "python")  # medium and low issues only
    url = slack.webhook_url()
    hook = add_slack_webhook(client, owner, url, min_severity="high")
    start_engine(app)

    scan(client, db, owner, server_id)
    (finished,) = wait_for_posts(slack, url, 1)
    assert identifier(finished.payload) == "webhook.scan_finished"
    assert [d["identifier"] for d in settled(client, owner, hook, 1)] == ["webhook.scan_finished"]

    push(client, owner, server_id, "npm", demo.lockfile_items("npm"))  # critical, high and medium
    scan(client, db, owner, server_id)
    later = wait_for_posts(slack, url, 3)[1:]
    (message,) = [r.payload for r in later if identifier(r.payload) == "webhook.new_server_issues"]
    (delivery,) = [d for d in settled(client, owner, hook, 3) if d["identifier"] == "webhook.new_server_issues"]
    issues = event(client, owner, hook, delivery)["issues"]
    wanted = {i["advisory"]["id"] for i in issues if i["advisory"]["severity"] in ("critical", "high")}
    unwanted = {i["advisory"]["id"] for i in issues} - wanted
    assert wanted and unwanted
    assert all(advisory_id in text_of(message) for advisory_id in wanted)
    assert not [advisory_id for advisory_id in unwanted if advisory_id in text_of(message)]
    assert f"{len(wanted)} new issues" in message["text"]


def test_known_exploited_only_keeps_other_new_issues_out_of_slack(app, client, db, make_account, make_server, slack):
    owner = make_account()
    demo.import_exploit_samples(db)  # lists minimist's CVE as known exploited, none of the Python ones
    server_id = server_with(client, db, make_server, owner, "python")
    url = slack.webhook_url()
    hook = add_slack_webhook(client, owner, url, known_exploited_only=True)
    start_engine(app)

    scan(client, db, owner, server_id)  # new issues, none known exploited: no message of them
    (finished,) = wait_for_posts(slack, url, 1)
    assert identifier(finished.payload) == "webhook.scan_finished"

    push(client, owner, server_id, "npm", demo.lockfile_items("npm"))
    scan(client, db, owner, server_id)
    later = wait_for_posts(slack, url, 3)[1:]
    (message,) = [r.payload for r in later if identifier(r.payload) == "webhook.new_server_issues"]
    (delivery,) = [d for d in settled(client, owner, hook, 3) if d["identifier"] == "webhook.new_server_issues"]
    issues = event(client, owner, hook, delivery)["issues"]
    assert {i["software"]["name"] for i in issues if i["known_exploited"]} == {"minimist"}
    assert "GHSA-xvch-5gv4-984h" in text_of(message) and "1 new issue" in message["text"]
    others = [i["advisory"]["id"] for i in issues if not i["known_exploited"]]
    assert others and not [advisory_id for advisory_id in others if advisory_id in text_of(message)]


@pytest.mark.parametrize("code", DEAD)
def test_a_dead_slack_webhook_is_disabled_with_slacks_reason(
    app, client, db, make_account, make_server, slack, code,
):
    owner = make_account()
    dead_url, witness_url = slack.webhook_url(bot="B0001"), slack.webhook_url(bot="B0002")
    slack.fail(dead_url, code)
    dead = add_slack_webhook(client, owner, dead_url)
    add_slack_webhook(client, owner, witness_url)  # a live webhook, to see when later events have gone out
    start_engine(app)

    send_test(client, owner, dead["id"])

    (delivery,) = settled(client, owner, dead, 1)
    assert (delivery["status"], delivery["attempts"]) == (FAILED, 1)
    shown = client.get(f"/api/webhooks/{dead['id']}", auth=owner.auth).json["data"]
    assert shown["enabled"] is False
    assert code in shown["disabled_reason"] and str(FAILURES[code]) in shown["disabled_reason"]
    again = client.post(f"/api/webhooks/{dead['id']}/test", auth=owner.auth)
    assert (again.status_code, again.json["error"]["code"]) == (409, "webhook_disabled")
    scan(client, db, owner, make_server(owner))
    wait_for_posts(slack, witness_url, 1)  # the scan's events have been fanned out to every webhook
    assert len(deliveries(client, owner, dead["id"])) == 1
    assert len(posts(slack, dead_url)) == 1


def test_a_slack_outage_is_retried_until_slack_recovers(app, client, make_account, slack):
    owner = make_account()
    url = slack.webhook_url()
    slack.answer_next(url, "rollup_error", times=2)
    hook = add_slack_webhook(client, owner, url)
    start_engine(app)

    send_test(client, owner, hook["id"])

    failed_once, failed_twice, accepted = wait_for_posts(slack, url, 3)
    assert [r.status for r in (failed_once, failed_twice)] == [500, 500]
    assert_accepted_as_slack_wants(accepted)
    assert failed_once.payload == failed_twice.payload == accepted.payload
    (delivery,) = settled(client, owner, hook, 1)
    assert delivery["status"] == SUCCEEDED
    assert [a["status_code"] for a in delivery["log"]] == [200, 500, 500]  # newest first
    assert_each_retry_waited(delivery["log"])
    assert client.get(f"/api/webhooks/{hook['id']}", auth=owner.auth).json["data"]["enabled"] is True


def assert_each_retry_waited(log, at_least=timedelta(0)):
    """Each attempt began no earlier than the time the one before it set, which was `at_least` after it began."""
    oldest_first = log[::-1]
    for before, after in zip(oldest_first, oldest_first[1:]):
        planned = datetime.fromisoformat(before["next_attempt_at"])
        assert planned - datetime.fromisoformat(before["started_at"]) >= at_least
        assert datetime.fromisoformat(after["started_at"]) >= planned


def test_rate_limited_is_retried_no_earlier_than_retry_after(app, client, make_account, slack):
    owner = make_account()
    url = slack.webhook_url()
    slack.answer_next(url, "rate_limited", retry_after=1)
    hook = add_slack_webhook(client, owner, url)
    start_engine(app)

    send_test(client, owner, hook["id"])

    limited, accepted = wait_for_posts(slack, url, 2)
    assert (limited.status, limited.answer) == (429, "rate_limited")
    assert_accepted_as_slack_wants(accepted)
    assert limited.payload == accepted.payload
    (delivery,) = settled(client, owner, hook, 1)
    assert delivery["status"] == SUCCEEDED
    assert [a["status_code"] for a in delivery["log"]] == [200, 429]
    assert_each_retry_waited(delivery["log"], at_least=timedelta(seconds=1))


def test_after_rate_limited_nothing_is_posted_to_that_webhook_until_retry_after(app, client, make_account, slack):
    owner = make_account()
    url = slack.webhook_url()
    slack.answer_next(url, "rate_limited", retry_after=3)
    hook = add_slack_webhook(client, owner, url)
    send_test(client, owner, hook["id"])
    send_test(client, owner, hook["id"])

    start_engine(app)

    settled(client, owner, hook, 2)
    limited, *later = posts(slack, url)
    assert limited.status == 429 and later
    assert later[0].received_at - limited.received_at >= 3


def test_an_invalid_payload_answer_fails_at_once_with_a_note(app, client, make_account, slack):
    owner = make_account()
    url = slack.webhook_url()
    slack.answer_next(url, "invalid_payload")
    hook = add_slack_webhook(client, owner, url)
    start_engine(app)

    send_test(client, owner, hook["id"])

    (delivery,) = settled(client, owner, hook, 1)
    assert (delivery["status"], delivery["attempts"], delivery["next_attempt_at"]) == (FAILED, 1, None)
    (attempt,) = delivery["log"]
    assert (attempt["status_code"], attempt["response_body"]) == (400, "invalid_payload")
    assert "not retried" in attempt["error"] and attempt["next_attempt_at"] is None
    assert len(posts(slack, url)) == 1
    shown = client.get(f"/api/webhooks/{hook['id']}", auth=owner.auth).json["data"]
    assert (shown["enabled"], shown["disabled_reason"]) == (True, None)


def test_a_burst_is_paced_and_nothing_is_lost(app, client, make_account, slack):
    owner = make_account()
    url = slack.webhook_url()
    slack.rate_limit(url, per_second=5, retry_after=1)
    hook = add_slack_webhook(client, owner, url)
    start_engine(app)

    sent = [send_test(client, owner, hook["id"])["event_id"] for _ in range(20)]

    logged = settled(client, owner, hook, 20)
    assert {d["status"] for d in logged} == {SUCCEEDED}
    arrived = posts(slack, url)
    accepted = [r for r in arrived if r.status == 200]
    assert sorted(event_id for event_id in sent for r in accepted if event_id in text_of(r.payload)) == sorted(sent)
    gaps = [after.received_at - before.received_at for before, after in zip(arrived, arrived[1:])]
    assert min(gaps) >= PACE
    assert [r.status for r in arrived if r.status != 200] == []  # paced below its limit, Slack never refused


def test_a_failed_attempt_does_not_show_the_webhook_url(app, client, make_account):
    owner = make_account()
    with SlackStandin() as gone:
        url = gone.webhook_url(secret="Unguessable0042")
    hook = add_slack_webhook(client, owner, url)  # its stand-in has closed: connections are refused
    start_engine(app)

    send_test(client, owner, hook["id"])

    attempt = wait_until(lambda: [a for d in deliveries(client, owner, hook["id"]) for a in d["log"]],
                         timeout=WAIT, what="a logged attempt")[0]
    assert attempt["error_kind"] == "connection"
    assert "Unguessable0042" not in json.dumps(deliveries(client, owner, hook["id"]))


def test_new_issues_carry_exploitation_marks_and_the_upgrades_that_fix_them(
    app, client, db, make_account, make_server, slack,
):
    owner = make_account()
    demo.import_exploit_samples(db)
    server_id = server_with(client, db, make_server, owner, "npm")
    url = slack.webhook_url()
    hook = add_slack_webhook(client, owner, url)
    start_engine(app)

    scan(client, db, owner, server_id)

    requests_ = wait_for_posts(slack, url, 2)
    (request,) = [r for r in requests_ if identifier(r.payload) == "webhook.new_server_issues"]
    assert_accepted_as_slack_wants(request)
    (delivery,) = [d for d in settled(client, owner, hook, 2) if d["identifier"] == "webhook.new_server_issues"]
    issues = {i["id"]: i for i in event(client, owner, hook, delivery)["issues"]}
    sections = {text.split("\n")[1]: text for text in section_texts(request.payload) if text.count("\n") >= 2}
    for issue in issues.values():
        (text,) = [t for line, t in sections.items() if issue["advisory"]["id"] in line]
        assert ("*Known exploited*" in text) is issue["known_exploited"]
        assert ("EPSS" in text) is (issue["epss"] is not None)
    exploited = [i for i in issues.values() if i["known_exploited"]]
    assert exploited and any(i["epss"] for i in issues.values())
    upgrades = client.get(f"/api/servers/{server_id}/upgrades", auth=owner.auth).json["data"]
    (listing,) = [text for text in section_texts(request.payload) if text.startswith("*What fixes them*")]
    lines = listing.split("\n")[1:]
    assert len(lines) == len(upgrades) and all(group["to"] for group in upgrades)  # the demo's npm: 3
    for line, group in zip(lines, upgrades):
        assert line.startswith(f"Upgrade *{group['package']}* from `{group['from']}` to `{group['to']}`: "
                               f"fixes {group['fixes']}")
    assert not [b for b in request.payload["blocks"] if (b.get("accessory") or {}).get("action_id")], \
        "an incoming webhook's message has no Dismiss… button: it cannot open a modal"


def section_texts(payload) -> list[str]:
    return [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section" and b.get("text")]
