"""Servers, their scans, issues and installed software through the API."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from patrol import demo
from patrol.clock import now
from patrol.models import Bucket, Issue, Scan, Server, Software
from patrol.scanning import workers

SERVER_FIELDS = {"id", "name", "created_at", "scanning", "last_scan", "issue_count", "state", "open_by_severity",
                 "dismissed_issue_count", "software_count", "last_push_at", "advisories_as_of"}
SCAN_FIELDS = {"id", "server_id", "trigger", "status", "started_at", "finished_at",
               "issue_count", "new_issue_count", "resolved_issue_count"}


def _data(response, status: int = 200):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["data"]


@pytest.fixture
def caller(make_account):
    return make_account()


@pytest.fixture
def scanned(client, db, caller):
    """A server with the demo lock files pushed and scanned once (11 open issues)."""
    demo.import_advisories(db)
    server_id = _data(client.post("/api/servers", json={"domain": "shop.example.com"}, auth=caller.auth), 201)["id"]
    for key in demo.LOCKFILES:
        items = demo.lockfile_items(key)
        _data(client.post(f"/api/servers/{server_id}/software_bucket/{key}", json={"software": items}, auth=caller.auth))
    _scan(client, db, caller, server_id)
    return server_id


def _scan(client, db, caller, server_id: int) -> dict:
    started = _data(client.post(f"/api/servers/{server_id}/scan", auth=caller.auth), 202)
    assert workers.run_one(db)
    return started


def test_create_server_from_json(client, caller):
    server = _data(client.post("/api/servers", json={"domain": "web1.example.com"}, auth=caller.auth), 201)
    assert set(server) == SERVER_FIELDS
    assert server["name"] == "web1.example.com"
    assert server["created_at"].endswith("Z")
    assert (server["scanning"], server["last_scan"], server["issue_count"]) == (False, None, 0)


def test_create_server_from_a_form_with_query_credentials(client, caller):
    response = client.post("/api/servers", query_string=caller.query, data={"domain": " web2.example.com "})
    assert _data(response, 201)["name"] == "web2.example.com"
    assert [s["name"] for s in _data(client.get("/api/servers", auth=caller.auth))] == ["web2.example.com"]


def test_a_new_server_is_first_scanned_by_the_schedule_one_interval_later(app, client, db, caller):
    server_id = _data(client.post("/api/servers", json={"domain": "later.example.com"}, auth=caller.auth), 201)["id"]
    with db.session() as session:
        due = session.get(Server, server_id).next_scan_at
    interval = timedelta(seconds=app.config["SCAN_INTERVAL"])
    assert now() + interval - timedelta(minutes=1) < due <= now() + interval
    assert workers.schedule_due(db, app.config["SCAN_INTERVAL"]) == 0


def test_the_same_name_twice_is_409(client, caller, make_account):
    client.post("/api/servers", json={"domain": "web1.example.com"}, auth=caller.auth)
    response = client.post("/api/servers", json={"domain": "web1.example.com"}, auth=caller.auth)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "already_exists"
    # Names are per account: another account may use it.
    other = make_account()
    assert client.post("/api/servers", json={"domain": "web1.example.com"}, auth=other.auth).status_code == 201


@pytest.mark.parametrize("domain", [None, "", "   ", "two words", "a" * 254, 42, ["x"], "tab\there", "nul\x00"])
def test_a_bad_domain_is_422_with_the_field(client, caller, domain):
    body = {} if domain is None else {"domain": domain}
    response = client.post("/api/servers", json=body, auth=caller.auth)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"domain"}
    assert _data(client.get("/api/servers", auth=caller.auth)) == []


def test_list_and_show(client, caller, make_server):
    first, second = make_server(caller, "a.example.com"), make_server(caller, "b.example.com")
    listed = _data(client.get("/api/servers", auth=caller.auth))
    assert [s["id"] for s in listed] == [first, second]
    assert _data(client.get(f"/api/servers/{second}", auth=caller.auth)) == listed[1]


@pytest.mark.parametrize(("method", "suffix"), [("DELETE", ""), ("POST", "/delete")])
def test_delete_removes_the_server_and_everything_under_it(client, db, caller, scanned, method, suffix):
    assert _data(client.open(f"/api/servers/{scanned}{suffix}", method=method, auth=caller.auth)) is True
    assert client.get(f"/api/servers/{scanned}", auth=caller.auth).status_code == 404
    assert client.open(f"/api/servers/{scanned}{suffix}", method=method, auth=caller.auth).status_code == 404
    with db.session() as session:
        for model in (Bucket, Software, Scan, Issue):
            assert session.scalar(select(func.count()).select_from(model).where(model.server_id == scanned)) == 0


def test_scan_is_accepted_runs_once_and_reports(client, db, caller, make_server):
    server_id = make_server(caller)
    started = _data(client.post(f"/api/servers/{server_id}/scan", auth=caller.auth), 202)
    assert set(started) >= SCAN_FIELDS
    assert (started["status"], started["trigger"], started["finished_at"]) == ("running", "api", None)
    assert _data(client.get(f"/api/servers/{server_id}/isScanning", auth=caller.auth)) is True
    busy = client.post(f"/api/servers/{server_id}/scan", auth=caller.auth)
    assert busy.status_code == 409
    assert busy.get_json()["error"]["code"] == "already_scanning"
    server = _data(client.get(f"/api/servers/{server_id}", auth=caller.auth))
    assert server["scanning"] is True and server["last_scan"]["id"] == started["id"]

    assert workers.run_one(db) is True
    assert workers.run_one(db) is False
    assert _data(client.get(f"/api/servers/{server_id}/isScanning", auth=caller.auth)) is False
    server = _data(client.get(f"/api/servers/{server_id}", auth=caller.auth))
    assert server["scanning"] is False
    assert server["last_scan"]["status"] == "finished"
    assert server["last_scan"]["finished_at"].endswith("Z")
    # Only one scan was created, despite the refused second request.
    assert len(_data(client.get(f"/api/servers/{server_id}/scans", auth=caller.auth))) == 1


def test_scans_are_newest_first_and_paged(client, db, caller, make_server):
    server_id = make_server(caller)
    ids = [_scan(client, db, caller, server_id)["id"] for _ in range(3)]
    response = client.get(f"/api/servers/{server_id}/scans?per_page=2", auth=caller.auth)
    body = response.get_json()
    assert [scan["id"] for scan in body["data"]] == [ids[2], ids[1]]
    assert body["meta"] == {"page": 1, "per_page": 2, "total": 3}
    body = client.get(f"/api/servers/{server_id}/scans?per_page=2&page=2", auth=caller.auth).get_json()
    assert [scan["id"] for scan in body["data"]] == [ids[0]]
    assert body["meta"] == {"page": 2, "per_page": 2, "total": 3}


def test_paging_defaults_and_bounds(client, caller, make_server):
    server_id = make_server(caller)
    for path in ("scans", "issues"):
        default = client.get(f"/api/servers/{server_id}/{path}", auth=caller.auth).get_json()
        assert default == {"data": [], "meta": {"page": 1, "per_page": 50, "total": 0}}
        capped = client.get(f"/api/servers/{server_id}/{path}?per_page=5000", auth=caller.auth).get_json()
        assert capped["meta"]["per_page"] == 200
        far = client.get(f"/api/servers/{server_id}/{path}?page=999999999&per_page=200", auth=caller.auth)
        assert far.get_json() == {"data": [], "meta": {"page": 999999999, "per_page": 200, "total": 0}}


@pytest.mark.parametrize(
    ("query", "field"),
    [("page=0", "page"), ("page=-1", "page"), ("page=x", "page"), ("per_page=0", "per_page"),
     ("per_page=1.5", "per_page"), ("page=99999999999999999999", "page")],
)
def test_bad_paging_is_422_naming_the_parameter(client, caller, make_server, query, field):
    server_id = make_server(caller)
    response = client.get(f"/api/servers/{server_id}/issues?{query}", auth=caller.auth)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {field}


def test_issues_page_through_every_open_issue_once(client, caller, scanned):
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"/api/servers/{scanned}/issues?per_page=4&page={page}", auth=caller.auth).get_json()
        assert body["meta"] == {"page": page, "per_page": 4, "total": 11}
        seen += [issue["id"] for issue in body["data"]]
    assert len(seen) == 11 and seen == sorted(set(seen))
    last = client.get(f"/api/servers/{scanned}/issues?per_page=4&page=4", auth=caller.auth).get_json()
    assert last["data"] == []


def test_issue_shape(client, caller, scanned):
    issues = _data(client.get(f"/api/servers/{scanned}/issues", auth=caller.auth))
    psr7 = next(issue for issue in issues if issue["software"]["name"] == "guzzlehttp/psr7")
    assert psr7["server_id"] == scanned
    assert psr7["software"] == {"name": "guzzlehttp/psr7", "version": "1.8.3",
                                "location": "/var/www/shop/composer.lock"}
    assert psr7["advisory"]["id"] == "GHSA-q7rv-6hp3-vh96"
    assert "CVE-2022-24775" in psr7["advisory"]["aliases"]
    assert psr7["advisory"]["url"] == "https://github.com/advisories/GHSA-q7rv-6hp3-vh96"
    assert psr7["advisory"]["severity"] == "high"
    assert psr7["advisory"]["summary"]
    assert psr7["fixed_in"] == "1.8.4"
    assert psr7["first_seen_at"].endswith("Z")
    assert all(issue["advisory"]["severity"] in {"critical", "high", "medium", "low", "unknown"} for issue in issues)
    server = _data(client.get(f"/api/servers/{scanned}", auth=caller.auth))
    assert server["issue_count"] == 11
    assert server["last_scan"]["issue_count"] == 11


def test_software_is_the_union_of_live_buckets(client, db, caller, make_server):
    server_id = make_server(caller)
    client.post(f"/api/servers/{server_id}/software_bucket/os", json={"software": [{"n": "nginx", "v": "1.2", "l": "/"}]},
                auth=caller.auth)
    client.post(f"/api/servers/{server_id}/software_bucket/app", json={"software": [{"n": "npm/left-pad", "v": "1.0.0"}]},
                auth=caller.auth)
    listed = _data(client.get(f"/api/servers/{server_id}/software", auth=caller.auth))
    assert {(item["name"], item["bucket"]) for item in listed} == {("nginx", "os"), ("npm/left-pad", "app")}
    assert set(listed[0]) >= {"id", "name", "version", "location", "parent", "bucket"}
    nginx = next(item for item in listed if item["name"] == "nginx")
    assert _data(client.get(f"/api/servers/{server_id}/software/{nginx['id']}", auth=caller.auth)) == nginx

    with db.session() as session:
        bucket = session.scalar(select(Bucket).where(Bucket.server_id == server_id, Bucket.key == "os"))
        bucket.expires_at = now() - timedelta(seconds=1)
    listed = _data(client.get(f"/api/servers/{server_id}/software", auth=caller.auth))
    assert [item["name"] for item in listed] == ["npm/left-pad"]
    gone = client.get(f"/api/servers/{server_id}/software/{nginx['id']}", auth=caller.auth)
    assert gone.status_code == 404


def test_software_with_exploits(client, caller, scanned):
    listed = _data(client.get(f"/api/servers/{scanned}/software?scope=exploits", auth=caller.auth))
    lodash = next(item for item in listed if item["name"] == "lodash")
    assert {issue["advisory"]["id"] for issue in lodash["exploits"]} == {"GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw"}
    flask = next(item for item in listed if item["name"] == "flask")
    assert flask["exploits"] == []
    assert sum(len(item["exploits"]) for item in listed) == 11
    plain = _data(client.get(f"/api/servers/{scanned}/software", auth=caller.auth))
    assert all("exploits" not in item for item in plain)
    exploits = _data(client.get(f"/api/servers/{scanned}/software/{lodash['id']}/exploits", auth=caller.auth))
    assert exploits == lodash["exploits"]


def test_unknown_software_is_404(client, caller, make_server):
    server_id = make_server(caller)
    response = client.get(f"/api/servers/{server_id}/software/12345", auth=caller.auth)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
