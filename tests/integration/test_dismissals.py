"""Setting issues aside: dismissals of one issue, of an advisory on a server and
across the account; they stop alerts, count apart, list apart, come back when
they expire or the advisory's ranges change; every change is audited."""
from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources

import pytest
from sqlalchemy import select, update

from patrol import demo, events
from patrol.advisories import importer
from patrol.clock import now
from patrol.models import AdvisoryPackage, Dismissal, Event
from tests.support.demo_server import DemoServer, demo_data, make_demo_server, shop  # noqa: F401 - fixtures

LODASH_OLD = "GHSA-p6mc-m468-83gw"  # one of lodash 4.17.15's two advisories
MINIMIST = "GHSA-xvch-5gv4-984h.json"  # the demo's minimist advisory


def _new_issue_events(server: DemoServer, scan_id: int) -> list[Event]:
    with server.db.session() as session:
        rows = session.scalars(select(Event).where(Event.server_id == server.server_id,
                                                   Event.identifier == events.NEW_SERVER_ISSUES))
        return [row for row in rows if row.payload["scan"]["id"] == scan_id]


def _finished_counts(server: DemoServer, scan_id: int) -> dict:
    with server.db.session() as session:
        rows = session.scalars(select(Event).where(Event.server_id == server.server_id,
                                                   Event.identifier == events.SCAN_FINISHED))
        return next(row.payload["counts"] for row in rows if row.payload["scan"]["id"] == scan_id)


def _dismiss_issue(server: DemoServer, package: str, **fields: object) -> dict:
    issue = next(i for i in server.issues() + server.issues(dismissed="true") if i["software"]["name"] == package)
    body = {"reason": "risk_accepted", "comment": "internal tool", **fields}
    return server.send("POST", f"/servers/{server.server_id}/issues/{issue['id']}/dismissal", 201, **body)["data"]


def test_a_dismissed_issue_is_listed_apart_and_counted_apart(shop):
    dismissal = _dismiss_issue(shop, "minimist", expires_at="2099-01-31")
    assert dismissal["reason"] == "risk_accepted" and dismissal["scope"] == "issue"
    assert dismissal["expires_at"] == "2099-01-31T00:00:00Z" and "API key" in dismissal["by"]
    assert "minimist" not in {i["software"]["name"] for i in shop.issues()}
    dismissed = shop.issues(dismissed="true")
    assert [i["software"]["name"] for i in dismissed] == ["minimist"] and dismissed[0]["dismissal"]["id"]
    server = shop.get(f"/servers/{shop.server_id}")["data"]
    assert (server["issue_count"], server["dismissed_issue_count"]) == (10, 1)
    assert "critical" not in server["open_by_severity"]
    assert "minimist" not in {g["package"] for g in shop.get(f"/servers/{shop.server_id}/upgrades")["data"]}


def test_a_dismissed_issue_does_not_alert_and_the_scan_counts_it_apart(shop):
    _dismiss_issue(shop, "minimist")
    scan = shop.scan()
    assert _new_issue_events(shop, scan["id"]) == []
    counts = _finished_counts(shop, scan["id"])
    assert (counts["issues"], counts["dismissed"], counts["new"]) == (10, 1, 0)
    assert "critical" not in counts["by_severity"]
    assert (scan["issue_count"], scan["new_issue_count"]) == (10, 0)


def test_an_issue_dismissal_does_not_cover_the_package_installed_again_later(shop):
    _dismiss_issue(shop, "minimist")
    shop.push("npm", [])  # minimist goes away (its issue is resolved) ...
    shop.scan()
    shop.push("npm", demo.lockfile_items("npm"))  # ... and comes back: a new issue, which alerts
    scan = shop.scan()
    alerted = {i["software"]["name"] for e in _new_issue_events(shop, scan["id"]) for i in e.payload["issues"]}
    assert "minimist" in alerted


def test_an_advisory_dismissed_on_a_server_covers_its_new_issues_without_an_alert(shop):
    body = {"reason": "not_affected", "comment": "we never call merge()"}
    shop.send("POST", f"/servers/{shop.server_id}/advisories/{LODASH_OLD}/dismissal", 201, **body)
    shop.push("npm", [])
    shop.scan()
    shop.push("npm", demo.lockfile_items("npm"))
    scan = shop.scan()
    alerted = {i["advisory"]["id"] for e in _new_issue_events(shop, scan["id"]) for i in e.payload["issues"]}
    assert LODASH_OLD not in alerted and "GHSA-35jh-r3h4-6jhm" in alerted
    counts = _finished_counts(shop, scan["id"])
    assert counts["dismissed"] == 1 and counts["issues"] == 10
    assert [i["advisory"]["id"] for i in shop.issues(dismissed="true")] == [LODASH_OLD]


def test_an_account_wide_dismissal_covers_every_server(client, db, make_account, demo_data):
    owner = make_account()
    first = make_demo_server(client, db, owner, "a.example.com")
    first.send("POST", f"/advisories/{LODASH_OLD}/dismissal", 201, reason="false_positive")
    second = make_demo_server(client, db, owner, "b.example.com")  # scanned after the dismissal
    scan = second.get(f"/servers/{second.server_id}/scans")["data"][0]
    alerted = {i["advisory"]["id"] for e in _new_issue_events(second, scan["id"]) for i in e.payload["issues"]}
    assert LODASH_OLD not in alerted and len(alerted) == 10
    for server in (first, second):
        assert LODASH_OLD not in {i["advisory"]["id"] for i in server.issues()}
    other = make_demo_server(client, db, make_account(), "c.example.com")  # another account: not covered
    assert LODASH_OLD in {i["advisory"]["id"] for i in other.issues()}


def test_an_expired_dismissal_brings_the_issue_back_with_an_alert(shop):
    _dismiss_issue(shop, "minimist", expires_at=(now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    quiet = shop.scan()
    assert _new_issue_events(shop, quiet["id"]) == []
    with shop.db.session() as session:
        session.execute(update(Dismissal).values(expires_at=now() - timedelta(seconds=1)))
    back = shop.scan()
    [event] = _new_issue_events(shop, back["id"])
    assert [i["software"]["name"] for i in event.payload["issues"]] == ["minimist"]
    assert event.payload["counts"]["returned"] == 1 and event.payload["counts"]["new"] == 0
    assert "minimist" in {i["software"]["name"] for i in shop.issues()}
    assert _new_issue_events(shop, shop.scan()["id"]) == []  # and alerts once


def test_a_change_of_the_advisorys_ranges_brings_the_issue_back(shop):
    _dismiss_issue(shop, "minimist")
    with shop.db.session() as session:
        for row in session.scalars(select(AdvisoryPackage).where(AdvisoryPackage.name == "minimist")):
            ranges = [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.7"}]}]
            row.affected = {**row.affected, "ranges": ranges}
    assert "minimist" in {i["software"]["name"] for i in shop.issues()}
    scan = shop.scan()
    assert {i["software"]["name"] for e in _new_issue_events(shop, scan["id"]) for i in e.payload["issues"]} == {
        "minimist"}


def test_restoring_takes_the_dismissal_back_quietly_and_is_audited(shop):
    dismissal = _dismiss_issue(shop, "minimist")
    path = f"/servers/{shop.server_id}/issues/{dismissal['issue_id']}/dismissal"
    assert shop.send("DELETE", path, 200) == {"data": True}
    assert "minimist" in {i["software"]["name"] for i in shop.issues()}
    assert _new_issue_events(shop, shop.scan()["id"]) == []  # restored by hand: no alert
    assert shop.send("DELETE", path, 404)["error"]["code"] == "not_found"
    trail = shop.get("/dismissals/audit")["data"]
    assert [row["action"] for row in trail] == ["restored", "dismissed"]
    assert trail[1]["reason"] == "risk_accepted" and trail[1]["comment"] == "internal tool"
    assert trail[1]["server"] == {"id": shop.server_id, "name": "shop.example.com"}
    assert shop.get("/dismissals")["data"] == []


def test_dismissing_again_replaces_the_dismissal(shop):
    _dismiss_issue(shop, "minimist")
    _dismiss_issue(shop, "minimist", reason="fix_planned", by="alice")
    [only] = shop.get("/dismissals")["data"]
    assert only["reason"] == "fix_planned" and only["by"].startswith("alice via ")


@pytest.mark.parametrize("fields, bad", [
    ({"reason": "bored"}, {"reason"}),
    ({}, {"reason"}),
    ({"reason": "risk_accepted", "expires_at": "2001-01-01"}, {"expires_at"}),
    ({"reason": "risk_accepted", "expires_at": "next week"}, {"expires_at"}),
    ({"reason": "risk_accepted", "comment": "x" * 2001}, {"comment"}),
])
def test_a_bad_dismissal_is_422_naming_the_field(shop, fields, bad):
    issue = shop.issues()[0]
    answer = shop.send("POST", f"/servers/{shop.server_id}/issues/{issue['id']}/dismissal", 422, **fields)
    assert set(answer["error"]["fields"]) == bad


def test_another_accounts_issue_or_an_unknown_advisory_is_404(client, db, make_account, shop):
    stranger = make_demo_server(client, db, make_account(), "other.example.com")
    issue = shop.issues()[0]
    for path in (f"/servers/{shop.server_id}/issues/{issue['id']}/dismissal",
                 f"/servers/{stranger.server_id}/issues/{issue['id']}/dismissal",
                 "/advisories/GHSA-0000-0000-0000/dismissal"):
        stranger.send("POST", path, 404, reason="not_affected")


def _reimport_minimist(server: DemoServer, **changes: object) -> None:
    """The minimist advisory as a later sync brings it: newer `modified`, with `changes`."""
    record = json.loads(resources.files("patrol.demo").joinpath("advisories", MINIMIST).read_text(encoding="utf-8"))
    report = importer.import_records(server.db, [(MINIMIST, {**record, "modified": "2026-11-30T10:00:00Z",
                                                             **changes})])
    assert report.updated == 1


def test_a_sync_that_changes_the_advisorys_ranges_brings_the_issue_back_with_an_alert(shop):
    _dismiss_issue(shop, "minimist")
    affected = [{"package": {"ecosystem": "npm", "name": "minimist"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.6"}]}]}]

    _reimport_minimist(shop, affected=affected)

    assert "minimist" in {i["software"]["name"] for i in shop.issues()}
    [event] = _new_issue_events(shop, shop.scan()["id"])
    assert [i["software"]["name"] for i in event.payload["issues"]] == ["minimist"]


def test_a_sync_that_keeps_the_advisorys_ranges_keeps_the_dismissal(shop):
    _dismiss_issue(shop, "minimist")

    _reimport_minimist(shop, summary="Prototype pollution in minimist (reworded)")

    assert "minimist" not in {i["software"]["name"] for i in shop.issues()}
    assert _new_issue_events(shop, shop.scan()["id"]) == []
