"""A server with software of the newer ecosystems, scanned against their real
records: exactly the issues the records say, each release's entries only,
and unreadable versions reported on the software item."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from patrol.advisories import importer
from patrol.scanning import workers

RECORDS = Path(__file__).resolve().parents[1] / "data" / "ecosystems" / "osv"

ITEMS = [
    {"n": "rack", "v": "2.2.3", "e": "RubyGems"},
    {"n": "nokogiri", "v": "1.13.4-x86_64-linux", "e": "RubyGems"},  # fixed in 1.13.4, older flaw too
    {"n": "golang.org/x/net", "v": "v0.9.0", "e": "Go"},
    {"n": "golang.org/x/text", "v": "v0.3.8", "e": "Go"},
    {"n": "smallvec", "v": "0.6.9", "e": "crates.io"},
    {"n": "rand_core", "v": "0.3.1", "e": "crates.io"},
    {"n": "org.apache.logging.log4j:log4j-core", "v": "2.14.1", "e": "Maven"},
    {"n": "com.fasterxml.jackson.core:jackson-databind", "v": "2.12.6.1", "e": "Maven"},
    {"n": "NEWTONSOFT.JSON", "v": "12.0.3", "e": "NuGet"},
    {"n": "libapt-pkg5.0", "v": "1.6.3ubuntu0.1", "e": "Ubuntu:18.04:LTS", "s": "apt"},
    {"n": "libext2fs2", "v": "1.44.1-1ubuntu1.2", "e": "Ubuntu:18.04:LTS", "s": "e2fsprogs"},
    {"n": "glibc-common", "v": "2.34-28.el9_0", "e": "AlmaLinux:9"},
    {"n": "bash", "v": "5.1.8-6.el9_1", "e": "AlmaLinux:9"},
    {"n": "mariadb-client", "v": "10.6.7-r0", "e": "Alpine:v3.16", "s": "mariadb"},
    # Other releases than the records': never a finding.
    {"n": "apt", "v": "1.6.3ubuntu0.1", "e": "Ubuntu:20.04:LTS"},
    {"n": "glibc", "v": "2.34-28.el9_0", "e": "AlmaLinux:8"},
    {"n": "mariadb", "v": "10.6.7-r0", "e": "Alpine:v3.17"},
    {"n": "mariadb", "v": "10.4.24-r1", "e": "Alpine:v3.12"},
]
EXPECTED = {
    ("rack", "GHSA-wq4h-7r42-5hrr"),
    ("golang.org/x/net", "GO-2023-1988"),
    ("smallvec", "RUSTSEC-2019-0009"),
    ("org.apache.logging.log4j:log4j-core", "GHSA-7rjr-3q55-vv33"),
    ("NEWTONSOFT.JSON", "GHSA-5crp-9r3c-p9vr"),
    ("libapt-pkg5.0", "USN-3863-1"),
    ("glibc-common", "ALSA-2023:5453"),
    ("mariadb-client", "CVE-2022-27449"),
    ("mariadb", "CVE-2022-27449"),  # the v3.12 one; v3.17 has no entry
}


@pytest.fixture
def server(client, db, make_account):
    importer.import_records(db, ((p.name, json.loads(p.read_text())) for p in sorted(RECORDS.glob("*/*.json"))))
    caller = make_account()
    created = client.post("/api/servers", json={"domain": "polyglot.example.com"}, auth=caller.auth)
    server_id = created.get_json()["data"]["id"]

    def call(method: str, path: str, **kwargs):
        return getattr(client, method)(f"/api/servers/{server_id}{path}", auth=caller.auth, **kwargs)

    return call


def _scan(server, db) -> list[dict]:
    assert server("post", "/scan").status_code == 202
    assert workers.run_one(db)
    return server("get", "/issues?per_page=200").get_json()["data"]


def test_each_ecosystem_gets_exactly_the_issues_its_records_say(server, db):
    assert server("post", "/software_bucket/mixed", json={"software": ITEMS}).status_code == 200
    issues = _scan(server, db)
    found = [(i["software"]["name"], i["advisory"]["id"]) for i in issues]
    assert set(found) == EXPECTED
    assert len(found) == len(EXPECTED)  # and each once
    fixes = {(i["software"]["name"], i["software"]["version"]): i["fixed_in"] for i in issues}
    assert fixes[("mariadb", "10.4.24-r1")] == "10.4.25-r0"
    assert fixes[("rack", "2.2.3")] == "2.2.3.1"


def test_one_flaw_in_two_databases_is_one_issue(server, db):
    # A GHSA copy of GO-2022-1059 (same flaw, its GHSA id) as github/advisory-database
    # would publish it, loaded beside the Go record.
    go = json.loads((RECORDS / "Go" / "GO-2022-1059.json").read_text())
    ghsa = {**go, "id": "GHSA-69ch-w2m2-3vjp", "aliases": ["CVE-2022-32149"]}
    importer.import_records(db, [("ghsa", ghsa)])
    item = {"n": "golang.org/x/text", "v": "v0.3.7", "e": "Go"}
    assert server("post", "/software_bucket/go", json={"software": [item]}).status_code == 200
    assert [i["advisory"]["id"] for i in _scan(server, db)] == ["GHSA-69ch-w2m2-3vjp"]


def test_an_unreadable_version_is_reported_on_the_item(server, db, client):
    items = [{"n": "rack", "v": "two point oh", "e": "RubyGems"}, {"n": "rack2", "v": "2.2.3", "e": "RubyGems"},
             {"n": "musl", "v": "1.2.4_git", "e": "Alpine:v3.18"}, {"n": "x", "v": "1.0"}]
    assert server("post", "/software_bucket/odd", json={"software": items}).status_code == 200
    listed = {s["name"]: s for s in server("get", "/software").get_json()["data"]}
    assert "not a RubyGems version" in listed["rack"]["version_error"]
    assert listed["rack2"]["version_error"] is None
    assert listed["musl"]["version_error"] is None
    assert listed["x"]["version_error"] is None  # no ecosystem: nothing to compare in
