"""A server's life through the API: push lock files, scan, read issues, diff, events.

Scans are run in the test's thread (`workers.run_one`), never by background loops.
"""
from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from patrol import demo, events
from patrol.advisories import importer
from patrol.clock import now
from patrol.models import Advisory, AdvisoryPackage, Bucket, Event, Issue, Scan, Server
from patrol.scanning import jobs, workers

DEMO_ISSUES = {
    ("guzzlehttp/guzzle", "GHSA-f2wf-25xc-69c9"),
    ("guzzlehttp/psr7", "GHSA-q7rv-6hp3-vh96"),
    ("symfony/http-kernel", "GHSA-h7vf-5wrv-9fhv"),
    ("twig/twig", "GHSA-52m2-vc4m-jj33"),
    ("elliptic", "GHSA-r9p9-mrjm-926w"),
    ("lodash", "GHSA-35jh-r3h4-6jhm"),
    ("lodash", "GHSA-p6mc-m468-83gw"),
    ("minimist", "GHSA-xvch-5gv4-984h"),
    ("jinja2", "GHSA-h5c8-rqwp-cp95"),
    ("requests", "GHSA-j8r2-6x86-q33q"),
    ("aiohttp", "GHSA-v6wp-4m6f-gcjg"),
}


class Shop:
    """One account's server, driven through the API."""

    def __init__(self, client, db, caller, server_id: int) -> None:
        self.client, self.db, self.caller, self.server_id = client, db, caller, server_id
        self.first_scan: dict | None = None

    def push(self, key: str, items: list[dict], encoding: str = "json") -> None:
        url = f"/api/servers/{self.server_id}/software_bucket/{key}"
        if encoding == "json":
            response = self.client.post(url, json={"software": items}, auth=self.caller.auth)
        elif encoding == "json-string":
            response = self.client.post(url, data={"software": json.dumps(items)}, auth=self.caller.auth)
        else:
            pairs = [(f"software[{i}][{k}]", v) for i, item in enumerate(items) for k, v in item.items()]
            response = self.client.post(url, data=urlencode(pairs), auth=self.caller.auth,
                                        content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200, response.get_data(as_text=True)

    def scan(self) -> dict:
        response = self.client.post(f"/api/servers/{self.server_id}/scan", auth=self.caller.auth)
        assert response.status_code == 202
        assert workers.run_one(self.db)
        scans = self.client.get(f"/api/servers/{self.server_id}/scans", auth=self.caller.auth).get_json()["data"]
        assert scans[0]["id"] == response.get_json()["data"]["id"]
        return scans[0]

    def issues(self) -> list[dict]:
        return self.client.get(f"/api/servers/{self.server_id}/issues?per_page=200",
                               auth=self.caller.auth).get_json()["data"]

    def pairs(self) -> set[tuple[str, str]]:
        return {(issue["software"]["name"], issue["advisory"]["id"]) for issue in self.issues()}

    def events_of(self, scan_id: int) -> dict[str, Event]:
        with self.db.session() as session:
            rows = session.scalars(select(Event).where(Event.server_id == self.server_id))
            found = [row for row in rows if (row.payload.get("scan") or {}).get("id") == scan_id]
        by_identifier = {row.identifier: row for row in found}
        assert len(by_identifier) == len(found), "one event of each kind per scan"
        return by_identifier


def _counts(event: Event) -> dict[str, int]:
    """The contract's counts; `by_severity` beside them must add up to the open issues."""
    counts = event.payload["counts"]
    if "by_severity" in counts:
        assert sum(counts["by_severity"].values()) == counts["issues"]
    return {key: counts[key] for key in ("issues", "new", "resolved")}


@pytest.fixture
def shop(client, db, make_account) -> Shop:
    """The demo advisories, and a server with the demo lock files pushed in all three encodings."""
    demo.import_advisories(db)
    caller = make_account()
    created = client.post("/api/servers", json={"domain": "shop.example.com"}, auth=caller.auth)
    shop = Shop(client, db, caller, created.get_json()["data"]["id"])
    shop.push("composer", demo.lockfile_items("composer"), "json")
    shop.push("npm", demo.lockfile_items("npm"), "json-string")
    shop.push("python", demo.lockfile_items("python"), "php")
    return shop


@pytest.fixture
def scanned(shop: Shop) -> Shop:
    shop.first_scan = shop.scan()
    return shop


def test_the_demo_lock_files_give_the_eleven_known_issues(shop):
    first = shop.scan()
    assert first["status"] == "finished" and first["trigger"] == "api"
    assert (first["issue_count"], first["new_issue_count"], first["resolved_issue_count"]) == (11, 11, 0)
    assert shop.pairs() == DEMO_ISSUES
    assert all(issue["fixed_in"] for issue in shop.issues())


def test_items_without_an_ecosystem_are_inferred_and_give_the_same_issues(client, db, make_account):
    demo.import_advisories(db)
    caller = make_account()
    created = client.post("/api/servers", json={"domain": "old.example.com"}, auth=caller.auth)
    old = Shop(client, db, caller, created.get_json()["data"]["id"])
    for key in demo.LOCKFILES:  # what a PatrolServer collector sends: no `e`
        old.push(key, [{k: v for k, v in item.items() if k != "e"} for item in demo.lockfile_items(key)])
    old.scan()
    assert old.pairs() == DEMO_ISSUES


def test_a_first_scan_records_started_new_issues_and_finished(scanned):
    found = scanned.events_of(scanned.first_scan["id"])
    assert set(found) == {events.SCAN_STARTED, events.NEW_SERVER_ISSUES, events.SCAN_FINISHED}
    started, new, finished = (found[events.SCAN_STARTED], found[events.NEW_SERVER_ISSUES],
                              found[events.SCAN_FINISHED])
    assert started.created_at <= new.created_at and started.created_at <= finished.created_at
    assert started.payload["scan"]["status"] == "running"
    assert started.payload["server"] == {"id": scanned.server_id, "name": "shop.example.com"}
    assert {(i["software"]["name"], i["advisory"]["id"]) for i in new.payload["issues"]} == DEMO_ISSUES
    assert _counts(new) == {"issues": 11, "new": 11, "resolved": 0}
    assert finished.payload["scan"]["status"] == "finished"
    assert _counts(finished) == {"issues": 11, "new": 11, "resolved": 0}
    assert {row.account_id for row in found.values()} == {scanned.caller.account_id}


def test_a_second_scan_reports_nothing_new(scanned):
    before = {issue["id"]: issue["first_seen_at"] for issue in scanned.issues()}
    second = scanned.scan()
    assert (second["issue_count"], second["new_issue_count"], second["resolved_issue_count"]) == (11, 0, 0)
    assert {issue["id"]: issue["first_seen_at"] for issue in scanned.issues()} == before
    found = scanned.events_of(second["id"])
    assert set(found) == {events.SCAN_STARTED, events.SCAN_FINISHED}
    assert _counts(found[events.SCAN_FINISHED]) == {"issues": 11, "new": 0, "resolved": 0}


def test_one_more_vulnerable_package_is_the_only_new_issue(scanned):
    scanned.push("extra", demo.extra_items())
    third = scanned.scan()
    assert (third["issue_count"], third["new_issue_count"], third["resolved_issue_count"]) == (12, 1, 0)
    assert scanned.pairs() == DEMO_ISSUES | {("lodash.pick", "GHSA-p6mc-m468-83gw")}
    found = scanned.events_of(third["id"])
    carried = found[events.NEW_SERVER_ISSUES].payload["issues"]
    assert [(i["software"]["name"], i["advisory"]["id"]) for i in carried] == [("lodash.pick", "GHSA-p6mc-m468-83gw")]
    assert _counts(found[events.NEW_SERVER_ISSUES]) == {"issues": 12, "new": 1, "resolved": 0}
    assert _counts(found[events.SCAN_FINISHED]) == {"issues": 12, "new": 1, "resolved": 0}


def test_removing_a_package_resolves_its_issue(scanned):
    scanned.push("npm", [item for item in demo.lockfile_items("npm") if item["n"] != "minimist"])
    after = scanned.scan()
    assert (after["issue_count"], after["new_issue_count"], after["resolved_issue_count"]) == (10, 0, 1)
    assert scanned.pairs() == DEMO_ISSUES - {("minimist", "GHSA-xvch-5gv4-984h")}
    found = scanned.events_of(after["id"])
    assert set(found) == {events.SCAN_STARTED, events.SCAN_FINISHED}
    assert _counts(found[events.SCAN_FINISHED]) == {"issues": 10, "new": 0, "resolved": 1}
    with scanned.db.session() as session:
        gone = session.scalar(select(Issue).where(Issue.software_name == "minimist"))
        assert gone.resolved_at is not None and gone.resolved_scan_id == after["id"]


def test_upgrading_to_the_fix_resolves_and_to_another_bad_version_keeps_the_issue(scanned):
    composer = demo.lockfile_items("composer")
    psr7_issue = next(i for i in scanned.issues() if i["software"]["name"] == "guzzlehttp/psr7")

    still_bad = [dict(item, v="1.8.0") if item["n"] == "guzzlehttp/psr7" else item for item in composer]
    scanned.push("composer", still_bad)
    scan = scanned.scan()
    assert (scan["new_issue_count"], scan["resolved_issue_count"]) == (0, 0)
    kept = next(i for i in scanned.issues() if i["software"]["name"] == "guzzlehttp/psr7")
    assert kept["id"] == psr7_issue["id"] and kept["software"]["version"] == "1.8.0"

    fixed = [dict(item, v="1.8.4") if item["n"] == "guzzlehttp/psr7" else item for item in composer]
    scanned.push("composer", fixed)
    scan = scanned.scan()
    assert (scan["new_issue_count"], scan["resolved_issue_count"]) == (0, 1)
    assert ("guzzlehttp/psr7", "GHSA-q7rv-6hp3-vh96") not in scanned.pairs()


def test_a_package_that_comes_back_is_a_new_issue_again(scanned):
    npm = demo.lockfile_items("npm")
    scanned.push("npm", [item for item in npm if item["n"] != "minimist"])
    scanned.scan()
    scanned.push("npm", npm)
    back = scanned.scan()
    assert (back["new_issue_count"], back["resolved_issue_count"]) == (1, 0)
    carried = scanned.events_of(back["id"])[events.NEW_SERVER_ISSUES].payload["issues"]
    assert [issue["software"]["name"] for issue in carried] == ["minimist"]


def test_an_expired_bucket_drops_out_of_the_next_scan(scanned):
    with scanned.db.session() as session:
        bucket = session.scalar(select(Bucket).where(Bucket.server_id == scanned.server_id, Bucket.key == "python"))
        bucket.expires_at = now() - timedelta(seconds=1)
    after = scanned.scan()
    assert (after["issue_count"], after["resolved_issue_count"]) == (8, 3)
    assert {name for name, _ in scanned.pairs()} & {"jinja2", "requests", "aiohttp"} == set()


def test_a_withdrawn_advisory_resolves_its_issue(scanned, tmp_path):
    record = json.loads((demo.ADVISORIES / "GHSA-xvch-5gv4-984h.json").read_text())
    record.update(withdrawn="2030-01-01T00:00:00Z", modified="2030-01-01T00:00:00Z")
    report = importer.import_records(scanned.db, [("withdrawn", record)])
    assert (report.updated, report.added) == (1, 0)
    after = scanned.scan()
    assert after["resolved_issue_count"] == 1
    assert ("minimist", "GHSA-xvch-5gv4-984h") not in scanned.pairs()


def test_a_scan_that_breaks_is_failed_with_its_finished_event_and_no_issues(shop):
    with shop.db.session() as session:  # an advisory row no importer would write
        advisory = session.scalar(select(Advisory).where(Advisory.osv_id == "GHSA-xvch-5gv4-984h"))
        session.add(AdvisoryPackage(advisory_id=advisory.id, ecosystem="npm", ecosystem_full="NoSuchEcosystem",
                                    name="minimist", affected={"ranges": []}))
    failed = shop.scan()
    assert failed["status"] == "failed"
    assert failed["finished_at"] is not None
    assert shop.issues() == []
    found = shop.events_of(failed["id"])
    assert set(found) == {events.SCAN_STARTED, events.SCAN_FINISHED}
    assert found[events.SCAN_FINISHED].payload["scan"]["status"] == "failed"
    assert _counts(found[events.SCAN_FINISHED]) == {"issues": 0, "new": 0, "resolved": 0}
    assert shop.client.get(f"/api/servers/{shop.server_id}/isScanning", auth=shop.caller.auth).get_json() == {
        "data": False}


def test_a_scan_start_and_its_event_commit_or_vanish_together(shop):
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), shop.db.session() as session:
        jobs.start(session, session.get(Server, shop.server_id), "manual")
        raise Abandon
    with shop.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Scan)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_refused_second_scan_records_no_event(shop):
    shop.client.post(f"/api/servers/{shop.server_id}/scan", auth=shop.caller.auth)
    refused = shop.client.post(f"/api/servers/{shop.server_id}/scan", auth=shop.caller.auth)
    assert refused.status_code == 409
    with shop.db.session() as session:
        identifiers = list(session.scalars(select(Event.identifier)))
    assert identifiers == [events.SCAN_STARTED]


def test_a_scan_of_a_server_deleted_meanwhile_ends_quietly(shop):
    shop.client.post(f"/api/servers/{shop.server_id}/scan", auth=shop.caller.auth)
    assert shop.client.delete(f"/api/servers/{shop.server_id}", auth=shop.caller.auth).status_code == 200
    assert workers.run_one(shop.db) is False
    with shop.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Scan)) == 0
