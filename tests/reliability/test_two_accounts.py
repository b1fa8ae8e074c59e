"""Two accounts x every route: the intruder reads and changes nothing of the victim's.

The victim has one of everything (a server with a bucket, software and a
scan; a webhook with a delivery, its event; a second credential). The
intruder calls every route of the app's url_map, through the API with its
own key, the web pages signed in as itself, and Slack (commands and buttons
from its own linked workspace), aiming at the victim's ids. A route with a
foreign id answers 404 and leaves every table as it was; a route without
one answers nothing of the victim's and changes none of the victim's rows.
A route added to the app without an entry in MATRIX fails the first test.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import inspect, select, text

from bot.parsing import ACTIONS
from patrol import background
from patrol.advisories import importer, sources
from patrol.models import Scan
from slackkit import blocks
from tests.support.data import OSV
from tests.support.live_server import live_server  # noqa: F401 - a fixture
from tests.support.receivers import Receiver, wait_until
from tests.support.slack_api_standin import SlackRequests, slack_api  # noqa: F401 - a fixture
from tests.support.web_pages import PASSWORD, post_form, sign_in

pytestmark = [pytest.mark.reliability, pytest.mark.extensions("webhooks", "bot", "web")]
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"
PUBLIC_URL = "https://patrol.matrix.test"
INTRUDER_TEAM = "T0INTRUDER"
VICTIM_SERVER = "victim-only.example.com"
VICTIM_BUCKET = "victim-bucket"
VOLATILE = {"slack_seen_requests", "signin_failures", "alembic_version"}  # written by any request
SIGN_IN_ROWS = frozenset({"web_sessions"})  # the intruder's own sign-in writes one
TOUCHED = frozenset({"last_used_at", "last_seen_at"})  # written by every authenticated request


@dataclass(frozen=True)
class Call:
    """How the intruder calls one route: `via` api, web or public; `foreign` if the path names victim ids."""

    via: str
    path: str
    body: dict | None = None
    foreign: bool = True


HOOK_FORM = {"url": "http://127.0.0.1:9/intruder", "description": "mine now", "events": "webhook.test"}
NEW_PASSWORD_FORM = {"current_password": PASSWORD, "password": "n3w pass phrase", "confirm": "n3w pass phrase"}
SOFTWARE = {"software": [{"n": "openssl", "v": "1.0.1"}, {"n": "lodash", "v": "4.17.0", "e": "npm"}]}
ADVISORY = "GHSA-35jh-r3h4-6jhm"  # imported for the victim: lodash 4.17.0 has an open issue
DISMISSAL = {"reason": "risk_accepted", "comment": "mine now"}
MATRIX: dict[tuple[str, str], Call] = {
    # The API, with the intruder's key and the victim's ids.
    ("/api/servers/<id:server_id>", "GET"): Call("api", "/api/servers/{server}"),
    ("/api/servers/<id:server_id>", "DELETE"): Call("api", "/api/servers/{server}"),
    ("/api/servers/<id:server_id>/delete", "POST"): Call("api", "/api/servers/{server}/delete"),
    ("/api/servers/<id:server_id>/isScanning", "GET"): Call("api", "/api/servers/{server}/isScanning"),
    ("/api/servers/<id:server_id>/issues", "GET"): Call("api", "/api/servers/{server}/issues"),
    ("/api/servers/<id:server_id>/scan", "POST"): Call("api", "/api/servers/{server}/scan"),
    ("/api/servers/<id:server_id>/scans", "GET"): Call("api", "/api/servers/{server}/scans"),
    ("/api/servers/<id:server_id>/software", "GET"): Call("api", "/api/servers/{server}/software"),
    ("/api/servers/<id:server_id>/software/<id:software_id>", "GET"):
        Call("api", "/api/servers/{server}/software/{software}"),
    ("/api/servers/<id:server_id>/software/<id:software_id>/exploits", "GET"):
        Call("api", "/api/servers/{server}/software/{software}/exploits"),
    ("/api/servers/<id:server_id>/software_bucket", "GET"): Call("api", "/api/servers/{server}/software_bucket"),
    ("/api/servers/<id:server_id>/software_bucket/<any_text:key>", "GET"):
        Call("api", "/api/servers/{server}/software_bucket/{bucket}"),
    ("/api/servers/<id:server_id>/software_bucket/<any_text:key>", "POST"):
        Call("api", "/api/servers/{server}/software_bucket/{bucket}", SOFTWARE),
    ("/api/servers/<id:server_id>/software_bucket/<any_text:key>/delete", "POST"):
        Call("api", "/api/servers/{server}/software_bucket/{bucket}/delete"),
    ("/api/servers/<id:server_id>/upgrades", "GET"): Call("api", "/api/servers/{server}/upgrades"),
    ("/api/servers/<id:server_id>/issues/<id:issue_id>/dismissal", "POST"):
        Call("api", "/api/servers/{server}/issues/{issue}/dismissal", DISMISSAL),
    ("/api/servers/<id:server_id>/issues/<id:issue_id>/dismissal", "DELETE"):
        Call("api", "/api/servers/{server}/issues/{issue}/dismissal"),
    ("/api/servers/<id:server_id>/advisories/<osv_id>/dismissal", "POST"):
        Call("api", "/api/servers/{server}/advisories/{advisory}/dismissal", DISMISSAL),
    ("/api/servers/<id:server_id>/advisories/<osv_id>/dismissal", "DELETE"):
        Call("api", "/api/servers/{server}/advisories/{advisory}/dismissal"),
    # Account-wide dismissals act on the caller's own account: nothing of the victim's may change.
    ("/api/advisories/<osv_id>/dismissal", "POST"):
        Call("api", "/api/advisories/{advisory}/dismissal", DISMISSAL, foreign=False),
    ("/api/advisories/<osv_id>/dismissal", "DELETE"):
        Call("api", "/api/advisories/{advisory}/dismissal", foreign=False),
    ("/api/dismissals", "GET"): Call("api", "/api/dismissals", foreign=False),
    ("/api/dismissals/audit", "GET"): Call("api", "/api/dismissals/audit", foreign=False),
    ("/api/webhooks/<webhook_id>", "GET"): Call("api", "/api/webhooks/{webhook}"),
    ("/api/webhooks/<webhook_id>", "PATCH"): Call("api", "/api/webhooks/{webhook}", {"description": "mine"}),
    ("/api/webhooks/<webhook_id>", "DELETE"): Call("api", "/api/webhooks/{webhook}"),
    ("/api/webhooks/<webhook_id>/deliveries", "GET"): Call("api", "/api/webhooks/{webhook}/deliveries"),
    ("/api/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver", "POST"):
        Call("api", "/api/webhooks/{webhook}/deliveries/{delivery}/redeliver"),
    ("/api/webhooks/<webhook_id>/events/<event_id>", "GET"): Call("api", "/api/webhooks/{webhook}/events/{event}"),
    ("/api/webhooks/<webhook_id>/rotate_secret", "POST"): Call("api", "/api/webhooks/{webhook}/rotate_secret"),
    ("/api/webhooks/<webhook_id>/test", "POST"): Call("api", "/api/webhooks/{webhook}/test"),
    # The API's own-account routes: the intruder's view holds none of the victim's.
    ("/api/user", "GET"): Call("api", "/api/user", foreign=False),
    ("/api/servers", "GET"): Call("api", "/api/servers", foreign=False),
    ("/api/servers", "POST"): Call("api", "/api/servers", {"domain": "intruder.example.com"}, foreign=False),
    ("/api/webhooks", "GET"): Call("api", "/api/webhooks", foreign=False),
    ("/api/webhooks", "POST"): Call("api", "/api/webhooks", {"url": "http://127.0.0.1:9/x"}, foreign=False),
    ("/api/advisories/status", "GET"): Call("api", "/api/advisories/status", foreign=False),
    # Web pages, signed in as the intruder, at the victim's ids.
    ("/servers/<int:server_id>", "GET"): Call("web", "/servers/{server}"),
    ("/servers/<int:server_id>/scan", "POST"): Call("web", "/servers/{server}/scan", {}),
    ("/servers/<int:server_id>/delete", "GET"): Call("web", "/servers/{server}/delete"),
    ("/servers/<int:server_id>/delete", "POST"): Call("web", "/servers/{server}/delete", {}),
    ("/servers/<int:server_id>/issues/<int:issue_id>/dismiss", "GET"):
        Call("web", "/servers/{server}/issues/{issue}/dismiss"),
    ("/servers/<int:server_id>/issues/<int:issue_id>/dismiss", "POST"):
        Call("web", "/servers/{server}/issues/{issue}/dismiss", {**DISMISSAL, "scope": "account"}),
    ("/servers/<int:server_id>/issues/<int:issue_id>/restore", "POST"):
        Call("web", "/servers/{server}/issues/{issue}/restore", {}),
    ("/api-settings/credentials/<key>/revoke", "GET"): Call("web", "/api-settings/credentials/{credential}/revoke"),
    ("/api-settings/credentials/<key>/revoke", "POST"):
        Call("web", "/api-settings/credentials/{credential}/revoke", {}),
    ("/api-settings/webhooks/<webhook_id>/delete", "GET"): Call("web", "/api-settings/webhooks/{webhook}/delete"),
    ("/api-settings/webhooks/<webhook_id>/delete", "POST"):
        Call("web", "/api-settings/webhooks/{webhook}/delete", {}),
    ("/api-settings/webhooks/<webhook_id>/deliveries", "GET"):
        Call("web", "/api-settings/webhooks/{webhook}/deliveries"),
    ("/api-settings/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver", "POST"):
        Call("web", "/api-settings/webhooks/{webhook}/deliveries/{delivery}/redeliver", {}),
    ("/api-settings/webhooks/<webhook_id>/edit", "GET"): Call("web", "/api-settings/webhooks/{webhook}/edit"),
    ("/api-settings/webhooks/<webhook_id>/edit", "POST"):
        Call("web", "/api-settings/webhooks/{webhook}/edit", HOOK_FORM),
    ("/api-settings/webhooks/<webhook_id>/enable", "POST"):
        Call("web", "/api-settings/webhooks/{webhook}/enable", {}),
    ("/api-settings/webhooks/<webhook_id>/rotate", "POST"):
        Call("web", "/api-settings/webhooks/{webhook}/rotate", {}),
    ("/api-settings/webhooks/<webhook_id>/test", "POST"): Call("web", "/api-settings/webhooks/{webhook}/test", {}),
    # Web pages of the intruder's own account.
    ("/", "GET"): Call("web", "/", foreign=False),
    ("/dismissals", "GET"): Call("web", "/dismissals", foreign=False),
    ("/api-settings", "GET"): Call("web", "/api-settings", foreign=False),
    ("/servers", "POST"): Call("web", "/servers", {"domain": "intruder.example.com"}, foreign=False),
    ("/api-settings/credentials", "POST"): Call("web", "/api-settings/credentials", {"label": "x"}, foreign=False),
    ("/api-settings/webhooks", "POST"): Call("web", "/api-settings/webhooks", HOOK_FORM, foreign=False),
    ("/set-password", "GET"): Call("web", "/set-password", foreign=False),
    ("/set-password", "POST"): Call("web", "/set-password", NEW_PASSWORD_FORM, foreign=False),
    ("/account/password", "GET"): Call("web", "/account/password", foreign=False),
    ("/account/password", "POST"): Call("web", "/account/password", NEW_PASSWORD_FORM, foreign=False),
    ("/signout", "POST"): Call("web", "/signout", {}, foreign=False),
    ("/register", "GET"): Call("web", "/register", foreign=False),
    ("/register", "POST"): Call("public", "/register", {"email": "victim@example.com", "password": PASSWORD,
                                                      "confirm": PASSWORD}, foreign=False),
    ("/signin", "GET"): Call("public", "/signin", foreign=False),
    ("/signin", "POST"): Call("public", "/signin", {"email": "victim@example.com", "password": "wrong guess"},
                              foreign=False),
    # Pages that belong to no account.
    ("/docs/api", "GET"): Call("public", "/docs/api", foreign=False),
    ("/docs/webhooks", "GET"): Call("public", "/docs/webhooks", foreign=False),
    ("/api/openapi.json", "GET"): Call("public", "/api/openapi.json", foreign=False),
    ("/healthz", "GET"): Call("public", "/healthz", foreign=False),
    ("/readyz", "GET"): Call("public", "/readyz", foreign=False),
    ("/metrics", "GET"): Call("public", "/metrics", foreign=False),
    ("/assets/<path:filename>", "GET"): Call("public", "/assets/app.css", foreign=False),
    ("/static/<path:filename>", "GET"): Call("public", "/static/app.css", foreign=False),
    # Slack: covered by SLACK_CALLS below, from the intruder's linked workspace.
    ("/slack/events", "POST"): Call("slack", "/slack/events", foreign=False),
}
WORKSPACE_EVENTS = {"link_shared", "app_home_opened"}  # app_uninstalled, tokens_revoked: the intruder's own
# Every command word and every button Patrol's messages carry, aimed at the victim's server.
SLACK_CALLS = {
    "status": ("command", f"status {VICTIM_SERVER}"),
    "issues": ("command", f"issues {VICTIM_SERVER}"),
    "scan": ("command", f"scan {VICTIM_SERVER}"),
    "help": ("command", "help"),
    blocks.SCAN_AGAIN: ("button", "{server}"),
    blocks.SHOW_ISSUES: ("button", "{server}"),
    blocks.OPEN_SERVER: ("button", "{server}"),
    blocks.DISMISS_ISSUE: ("button", "{server}:{issue}"),
    # Events whose answers go to Slack's Web API: a shared link to the victim's server page, the App Home.
    "link_shared": ("event", PUBLIC_URL + "/servers/{server}"),
    "app_home_opened": ("event", ""),
}


@pytest.fixture
def app_config(app_config, slack_api):
    app_config.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack_api.base_url, API_RATE=0,
                      SLACK_BOT_TOKEN="xoxb-matrix-bot-token", PUBLIC_URL=PUBLIC_URL)
    return app_config


def routes(app) -> set[tuple[str, str]]:
    return {(rule.rule, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_and_slack_action_has_a_matrix_entry(app):
    assert routes(app) - MATRIX.keys() == set(), "add these routes to MATRIX"
    assert MATRIX.keys() - routes(app) == set(), "these MATRIX entries name no route any more"
    buttons = {value for name, value in vars(blocks).items() if name.isupper() and str(value).startswith("patrol_")}
    assert set(ACTIONS) | buttons | WORKSPACE_EVENTS == SLACK_CALLS.keys()


@dataclass
class World:
    ids: dict[str, object]
    victim_id: int
    markers: tuple[str, ...]  # text only the victim's data holds


@pytest.fixture
def world(app, db, client, make_account, make_server, runner, live_server) -> World:
    victim = make_account("victim@example.com", PASSWORD)
    server_id = make_server(victim, VICTIM_SERVER)
    background.get(app).start()  # scans and deliveries run as they do in `patrol serve`
    importer.import_records(db, sources.read([OSV / f"{ADVISORY}.json"]))
    with Receiver() as receiver:
        api = app.test_client()
        api.post(f"/api/servers/{server_id}/software_bucket/{VICTIM_BUCKET}", json=SOFTWARE, auth=victim.auth)
        api.post(f"/api/servers/{server_id}/scan", auth=victim.auth)
        hook = api.post("/api/webhooks", json={"url": receiver.url("/victim-hook"), "description": "victim hook"},
                        auth=victim.auth).json["data"]
        delivery = api.post(f"/api/webhooks/{hook['id']}/test", auth=victim.auth).json["data"]
        wait_until(lambda: settled(db), what="the victim's scan and deliveries to finish")
    software_id = api.get(f"/api/servers/{server_id}/software", auth=victim.auth).json["data"][0]["id"]
    issue_id = api.get(f"/api/servers/{server_id}/issues", auth=victim.auth).json["data"][0]["id"]
    ids = {"server": server_id, "software": software_id, "bucket": VICTIM_BUCKET, "webhook": hook["id"],
           "issue": issue_id, "advisory": ADVISORY,
           "delivery": delivery["id"], "event": delivery["event_id"], "credential": victim.key}
    app.config["API_URL"] = live_server.base_url + "/api"
    return World(ids, victim.account_id, (VICTIM_SERVER, hook["id"], "victim-hook", victim.key, VICTIM_BUCKET))


def settled(db) -> bool:
    with db.engine.connect() as connection:
        busy = connection.scalar(text("SELECT count(*) FROM deliveries WHERE status IN ('pending', 'delivering')"))
        undispatched = connection.scalar(text("SELECT count(*) FROM events WHERE dispatched_at IS NULL"))
        running = connection.scalar(select(Scan.id).where(Scan.status == "running").limit(1))
    return busy == 0 and undispatched == 0 and running is None


def snapshot(db, skip: frozenset[str] = frozenset()) -> dict[str, set[tuple]]:
    """Every row of every table but the volatile ones (and `skip`), less the `last_used_at` reads touch."""
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names()) - VOLATILE - skip
        return {table: {tuple((k, str(v)) for k, v in sorted(row._mapping.items()) if k not in TOUCHED)
                        for row in connection.execute(text(f'SELECT * FROM "{table}"'))} for table in tables}


def victims_rows(db, victim_id: int) -> dict[str, set[tuple]]:
    """The rows that belong to the victim, table by table."""
    ids = {"server_id": "SELECT id FROM servers WHERE account_id = :a",
           "webhook_id": "SELECT id FROM webhooks WHERE account_id = :a"}
    with db.engine.connect() as connection:
        owned = {column: {row[0] for row in connection.execute(text(sql), {"a": victim_id})}
                 for column, sql in ids.items()}
    owned["account_id"] = {victim_id}
    return {table: {row for row in rows if _owned_by(dict(row), owned, table, victim_id)}
            for table, rows in snapshot(db).items()}


def _owned_by(row: dict, owned: dict[str, set], table: str, victim_id: int) -> bool:
    if table == "accounts":
        return row["id"] == str(victim_id)
    return any(row.get(column) in {str(value) for value in values} for column, values in owned.items())


def intruder_call(app, call: Call, method: str, ids: dict, intruder) -> tuple[int, str]:
    path = call.path.format(**ids)
    client = app.test_client()
    if call.via == "web":
        sign_in(client, intruder.email)
    if call.via == "api":
        answer = client.open(path, method=method, json=call.body, auth=intruder.auth)
    elif method == "GET":
        answer = client.get(path)
    else:
        answer = post_form(client, path, call.body, token_from="/register")
    return answer.status_code, answer.get_data(as_text=True)


@pytest.mark.parametrize("route", sorted(key for key, call in MATRIX.items() if call.via != "slack"), ids=str)
def test_the_intruder_gets_nothing_of_the_victims(app, db, world, make_account, route):
    intruder = make_account("intruder@example.com", PASSWORD)
    call = MATRIX[route]
    before, victims_before = snapshot(db, SIGN_IN_ROWS), victims_rows(db, world.victim_id)

    status, body = intruder_call(app, call, route[1], world.ids, intruder)

    assert status < 500
    assert not [marker for marker in world.markers if marker in body], body[:2000]
    if call.foreign:
        assert status == 404, (route, status, body[:500])
        assert snapshot(db, SIGN_IN_ROWS) == before
    assert victims_rows(db, world.victim_id) == victims_before


def slack_event(slack: SlackRequests, slack_api, name: str, victims_link: str, own_server: int) -> str:
    """The event from the intruder's workspace; what Patrol then sent to Slack's Web API."""
    if name == "link_shared":  # with a link of its own, whose unfurl shows the event was handled
        urls = (victims_link, f"{PUBLIC_URL}/servers/{own_server}")
        links = [{"domain": "patrol.matrix.test", "url": url} for url in urls]
        event = {"type": "link_shared", "channel": "C0X", "user": "U0X", "message_ts": "1.2", "links": links}
    else:
        event = {"type": name, "user": "U0X", "channel": "D0HOME", "tab": "home"}
    assert slack.event(event, team_id=INTRUDER_TEAM).status_code == 200
    calls = wait_until(lambda: slack_api.calls("chat.unfurl" if name == "link_shared" else "views.publish"),
                       what=f"Patrol's answer to {name}")
    return json.dumps([call.args for call in calls])


@pytest.mark.parametrize("name", sorted(SLACK_CALLS))
def test_the_intruders_slack_workspace_gets_nothing_of_the_victims(app, db, world, make_account, make_server,
                                                                   runner, live_server, slack_api, name):
    intruder = make_account("intruder@example.com", PASSWORD)
    assert runner.invoke(args=["slack", "link", INTRUDER_TEAM, intruder.email]).exit_code == 0
    slack = SlackRequests(live_server.base_url, SIGNING_SECRET)
    victims_before = victims_rows(db, world.victim_id)
    kind, value = SLACK_CALLS[name]

    with Receiver() as answers:
        if kind == "event":
            answer = slack_event(slack, slack_api, name, value.format(**world.ids), make_server(intruder, "mine.test"))
        elif value == "help":  # answered in the acknowledgement
            answer = slack.command(value, team_id=INTRUDER_TEAM, response_url=answers.url("/response")).text
        elif kind == "command":
            answer = slack.ask(value, team_id=INTRUDER_TEAM, answers=answers)
            assert f"no server called *{VICTIM_SERVER}*" in answer["text"]
        elif name == blocks.OPEN_SERVER:  # only acknowledged: Slack opens the link itself
            answer = slack.click(name, value.format(**world.ids), team_id=INTRUDER_TEAM,
                                 response_url=answers.url("/response")).text
        else:
            answer = slack.press(name, value.format(**world.ids), team_id=INTRUDER_TEAM, answers=answers)

    revealed = [marker for marker in world.markers if marker in str(answer) and marker not in value]
    assert not revealed, answer
    assert victims_rows(db, world.victim_id) == victims_before
