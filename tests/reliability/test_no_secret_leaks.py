"""A full run, scanned for secrets: none outside the one answer that creates each.

Demo data, a registration, pushes, scans, webhooks (generic and Slack) with
deliveries, a secret rotation, the event API, Slack commands and buttons
from a linked workspace, and every web page, all over real loopback HTTP.
Every API answer, page and Slack answer is kept with a label, and every log
line at any level. Then each secret (API secrets, webhook secrets, the Slack
webhook URL's token, the bot token, the signing secret, passwords, the
session key) must appear in no log line and in no answer but the one that
created it; nor may anything shaped like one (`whsec_...`, `xoxb-...`).
"""
from __future__ import annotations

import io
import json
import logging
import re

import pytest
import requests

from patrol import background, demo
from slackkit import blocks
from tests.support.live_server import live_server  # noqa: F401 - a fixture
from tests.support.receivers import Receiver, wait_until
from tests.support.slack_api_standin import SlackRequests, slack_api  # noqa: F401 - a fixture
from tests.support.slack_standin import SlackStandin

pytestmark = [pytest.mark.reliability, pytest.mark.extensions("webhooks", "bot", "web")]
SIGNING_SECRET = "c4ca4238a0b923820dcc509a6f75849b"
BOT_TOKEN = "xoxb-1111-2222-LeakTestBotToken"
SLACK_URL_TOKEN = "LeakTestHookToken77"
TEAM = "T0LEAKTEST"
PASSWORD = "a leak test pass phrase"
HEX_SECRET = re.compile(r"\b[0-9a-f]{64}\b")
SHAPES = [re.compile(r"whsec_[A-Za-z0-9+/=_-]{8,}"), re.compile(r"xox[abpr]-[A-Za-z0-9-]+")]
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_config(app_config, slack_api):
    app_config.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_BOT_TOKEN=BOT_TOKEN, API_RATE=0,
                      SLACK_API_URL=slack_api.base_url, SECRET_KEY="leak-test-session-key-0123456789")
    return app_config


def not_the_tests_own_client(record: logging.LogRecord) -> bool:
    """The test's HTTP client logs its own URLs from the main thread; Patrol logs from its threads."""
    return not (record.name.startswith("urllib3") and record.threadName == "MainThread")


@pytest.fixture
def log_text():
    """Every log line of Patrol's threads, at any level."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(threadName)s %(message)s"))
    handler.addFilter(not_the_tests_own_client)
    root, level = logging.getLogger(), logging.getLogger().level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream.getvalue
    root.removeHandler(handler)
    root.setLevel(level)


class Run:
    """Every answer of the run, labelled; which answer created which secret."""

    def __init__(self, base_url: str) -> None:
        self.base, self.http = base_url, requests.Session()
        self.http.trust_env = False
        self.answers: list[tuple[str, str]] = []
        self.created: dict[str, str] = {}  # secret -> the label of the answer that created it

    def call(self, label: str, method: str, path: str, **options) -> requests.Response:
        answer = self.http.request(method, self.base + path, timeout=30, **options)
        assert answer.status_code < 500, (label, answer.status_code, answer.text[:500])
        self.answers.append((label, answer.text))
        return answer

    def form(self, label: str, path: str, data: dict, token_from: str = "/register") -> requests.Response:
        token = _TOKEN.search(self.call(f"{label} (form)", "GET", token_from).text).group(1)
        return self.call(label, "POST", path, data={**data, "csrf_token": token})

    def creates(self, label: str, *secrets: str) -> None:
        for secret in secrets:
            self.created[secret] = label


def test_a_full_run_leaks_no_secret(app, app_config, db, live_server, runner, log_text):
    background.get(app).start()
    app.config["API_URL"] = live_server.base_url + "/api"
    made = demo.set_up(db)  # its credentials are printed by `patrol serve --demo`, not answered
    run = Run(live_server.base_url)
    with Receiver() as receiver, SlackStandin() as slack_hooks:
        registered = register_and_issue(run)
        webhooks = api_run(run, (made.key, made.secret), made.server_id, receiver, slack_hooks)
        slack_run(run, runner, made)
        web_run(run, made, webhooks)
        wait_until(lambda: len(receiver.requests) >= 2 and slack_hooks.received, timeout=30,
                   what="deliveries to the receiver and to Slack")
    secrets = {made.secret, made.password, PASSWORD, BOT_TOKEN, SIGNING_SECRET, SLACK_URL_TOKEN,
               app_config["SECRET_KEY"], *registered, *run.created}

    logged = log_text()
    assert "GET /api/servers" in logged or "/api/servers" in logged  # the requests were logged
    for secret in secrets:
        assert secret not in logged, f"a secret in the log: {secret[:6]}..."
        found_in = {label for label, body in run.answers if secret in body}
        assert found_in <= {run.created.get(secret)}, (secret[:6], found_in)
    for shape in SHAPES:
        assert not shape.search(logged)
        assert not [label for label, body in run.answers if shape.search(body) and label not in run.created.values()]


def register_and_issue(run: Run) -> set[str]:
    """A web registration, a sign-in and a credential: its page shows the new secret, once."""
    run.form("register", "/register", {"email": "leak@example.com", "password": PASSWORD})
    run.form("sign in (registered)", "/signin", {"email": "leak@example.com", "password": PASSWORD},
             token_from="/signin")
    page = run.form("new credential", "/api-settings/credentials", {"label": "ci"}, token_from="/api-settings")
    issued = set(HEX_SECRET.findall(page.text))
    run.creates("new credential", *issued)
    run.call("settings", "GET", "/api-settings")
    token = _TOKEN.search(run.call("settings again", "GET", "/api-settings").text).group(1)
    run.call("sign out", "POST", "/signout", data={"csrf_token": token})
    assert len(issued) == 1
    return issued


def api_run(run: Run, auth: tuple[str, str], server_id: int, receiver: Receiver, slack_hooks) -> list[str]:
    """Pushes, a scan, webhooks with deliveries, a rotation, the event API; Basic auth and query auth."""
    query = {"key": auth[0], "secret": auth[1]}
    bucket = {"software": [{"n": "lodash", "v": "4.17.0", "e": "npm"}]}
    run.call("push", "POST", f"/api/servers/{server_id}/software_bucket/extra", json=bucket, auth=auth)
    run.call("scan", "POST", f"/api/servers/{server_id}/scan", params=query)
    hook = run.call("webhook", "POST", "/api/webhooks", json={"url": receiver.url()}, auth=auth).json()["data"]
    slack_url = slack_hooks.webhook_url(TEAM, "B0LEAK", SLACK_URL_TOKEN)
    slack = run.call("slack webhook", "POST", "/api/webhooks", json={"url": slack_url, "kind": "slack"},
                     auth=auth).json()["data"]
    run.creates("webhook", hook["secret"])
    run.creates("slack webhook", slack["secret"])
    rotated = run.call("rotate", "POST", f"/api/webhooks/{hook['id']}/rotate_secret", auth=auth).json()["data"]
    run.creates("rotate", rotated["secret"])
    for made in (hook, slack):
        delivery = run.call("test", "POST", f"/api/webhooks/{made['id']}/test", auth=auth).json()["data"]
        run.call("event", "GET", f"/api/webhooks/{made['id']}/events/{delivery['event_id']}", params=query)
    wait_until(lambda: receiver.requests, what="a delivery")
    for path in ("/user", "/servers", f"/servers/{server_id}", f"/servers/{server_id}/issues",
                 f"/servers/{server_id}/software", f"/servers/{server_id}/software_bucket", "/webhooks",
                 f"/webhooks/{hook['id']}", f"/webhooks/{slack['id']}", f"/webhooks/{hook['id']}/deliveries",
                 f"/webhooks/{slack['id']}/deliveries", "/advisories/status", "/openapi.json"):
        run.call(f"GET {path}", "GET", f"/api{path}", auth=auth)
    run.call("wrong secret", "GET", "/api/user", params={"key": auth[0], "secret": "0" * 64})
    return [hook["id"], slack["id"]]


def slack_run(run: Run, runner, made) -> None:
    """Commands (one public, through the bot token) and buttons from a linked workspace."""
    assert runner.invoke(args=["slack", "link", TEAM, made.email]).exit_code == 0
    slack = SlackRequests(run.base, SIGNING_SECRET)
    with Receiver() as answers:
        for text in ("status", f"issues {demo.SERVER}", f"scan {demo.SERVER} --public", "help"):
            acked = slack.command(text, team_id=TEAM, response_url=answers.url("/response"))
            run.answers.append((f"slack ack {text}", acked.text))
        for action in (blocks.SHOW_ISSUES, blocks.SCAN_AGAIN):
            run.answers.append((f"slack ack {action}", slack.click(action, str(made.server_id), team_id=TEAM,
                                                                 response_url=answers.url("/response")).text))
        wait_until(lambda: len(answers.requests) >= 4, what="Slack's answers")
        run.answers.extend((f"slack answer {n}", json.dumps(r.json())) for n, r in enumerate(answers.requests))


def web_run(run: Run, made, webhooks: list[str]) -> None:
    """Every page the demo account sees, signed in with its password."""
    run.form("sign in", "/signin", {"email": made.email, "password": made.password}, token_from="/signin")
    for path in ("/", f"/servers/{made.server_id}", "/api-settings", "/docs/api", "/docs/webhooks",
                 "/api/openapi.json", "/register", "/signin", "/set-password", "/healthz", "/readyz", "/metrics",
                 *(f"/api-settings/webhooks/{hook}/{page}" for hook in webhooks for page in ("edit", "deliveries")),
                 f"/api-settings/credentials/{made.key}/revoke"):
        run.call(f"page {path}", "GET", path)
