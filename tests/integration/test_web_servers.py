"""The dashboard, a server's page, and "Scan now"."""
import re

import pytest

from patrol import demo
from patrol.models import Scan
from patrol.scanning import workers
from tests.support.web_pages import PASSWORD, post_form, sign_in, text

pytestmark = pytest.mark.extensions("web")


def vulnerable_server(client, db, make_server, caller, name="web1.example.com"):
    demo.import_advisories(db)
    server_id = make_server(caller, name)
    pushed = client.post(f"/api/servers/{server_id}/software_bucket/composer",
                         json={"software": demo.lockfile_items("composer")}, auth=caller.auth)
    assert pushed.status_code == 200, pushed.json
    return server_id


def signed_in(client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    return caller


def scan_now(client, server_id, back="/"):
    return post_form(client, f"/servers/{server_id}/scan", {"next": back}, token_from="/")


def test_the_dashboard_lists_only_my_servers(client, make_account, make_server):
    me = signed_in(client, make_account)
    make_server(me, "mine.example.com")
    make_server(make_account(), "theirs.example.com")
    page = text(client.get("/"))
    assert "mine.example.com" in page and "Never scanned" in page
    assert "theirs.example.com" not in page


def test_a_newcomer_without_servers_is_told_how_to_add_one(client, make_account):
    signed_in(client, make_account)
    page = text(client.get("/"))
    assert "No servers yet" in page and "patrol push" in page


def test_scan_now_runs_a_scan_and_the_pages_show_its_issues(client, db, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = vulnerable_server(client, db, make_server, me)

    started = scan_now(client, server_id)
    assert started.status_code == 302 and started.headers["Location"] == "/"
    running = text(client.get("/"))
    assert "Scanning" in running
    assert "A scan of web1.example.com started" in running
    with db.session() as session:
        scan = session.query(Scan).filter_by(server_id=server_id).one()
        assert (scan.status, scan.trigger) == ("running", "manual")

    assert workers.run_one(db)
    issues = client.get("/").get_data(as_text=True)
    assert "Scanned" in issues and "high" in issues
    server_page = text(client.get(f"/servers/{server_id}"))
    for expected in ("GHSA-q7rv-6hp3-vh96", "guzzlehttp/psr7", "1.8.4", "https://github.com/advisories/GHSA-q7rv-6hp3-vh96",
                     "composer", "/var/www/shop/composer.lock", "finished", "manual"):
        assert expected in server_page, expected


def test_scan_now_while_a_scan_runs_says_so(client, db, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = make_server(me)
    scan_now(client, server_id)
    again = scan_now(client, server_id, back=f"/servers/{server_id}")
    assert again.headers["Location"] == f"/servers/{server_id}"
    assert "web1.example.com is already being scanned." in text(client.get(f"/servers/{server_id}"))
    with db.session() as session:
        assert session.query(Scan).filter_by(server_id=server_id).count() == 1


def test_another_accounts_server_is_not_found(client, make_account, make_server):
    signed_in(client, make_account)
    theirs = make_server(make_account(), "theirs.example.com")
    for answer in (client.get(f"/servers/{theirs}"), scan_now(client, theirs), client.get("/servers/999999")):
        assert answer.status_code == 404
        assert "Not found" in text(answer) and "theirs.example.com" not in text(answer)


def test_scan_now_without_a_csrf_token_is_refused(client, db, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = make_server(me)
    assert client.post(f"/servers/{server_id}/scan").status_code == 400
    with db.session() as session:
        assert session.query(Scan).count() == 0


def test_a_server_page_shows_software_by_bucket(client, db, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = vulnerable_server(client, db, make_server, me)
    client.post(f"/api/servers/{server_id}/software_bucket/python", auth=me.auth,
                json={"software": [{"n": "<b>requests</b>", "v": "2.0.0", "l": "/srv/api/requirements.txt"}]})
    page = text(client.get(f"/servers/{server_id}"))
    assert "composer" in page and "python" in page
    assert "&lt;b&gt;requests&lt;/b&gt;" in page and "<b>requests</b>" not in page


def test_live_regions_answer_with_a_version_that_changes_with_the_state(client, db, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = make_server(me)
    versions = {}
    for path in ("/", f"/servers/{server_id}"):
        region = client.get(path, query_string={"partial": 1})
        assert "<html" not in text(region) and "Scan now" in text(region)
        versions[path] = region.headers["X-Live-Version"]
        assert client.get(path, query_string={"partial": 1}).headers["X-Live-Version"] == versions[path]
        assert f'data-live-version="{versions[path]}"' in text(client.get(path))
    scan_now(client, server_id)
    for path in versions:
        after = client.get(path, query_string={"partial": 1})
        assert after.headers["X-Live-Version"] != versions[path]
        assert "Scanning" in text(after)


def test_a_server_is_added_from_the_dashboard(client, db, make_account):
    me = signed_in(client, make_account)
    added = post_form(client, "/servers", {"domain": " web2.example.com "}, token_from="/")
    assert added.status_code == 302
    page = text(client.get(added.headers["Location"]))
    assert "<h1>web2.example.com</h1>" in page and "web2.example.com is added." in page
    names = [server["name"] for server in client.get("/api/servers", auth=me.auth).json["data"]]
    assert names == ["web2.example.com"]


@pytest.mark.parametrize(("name", "status", "message"), [
    ("two words", 422, "A server needs a domain or host name"),
    ("", 422, "A server needs a domain or host name"),
    ("web1.example.com", 409, "A server named web1.example.com already exists."),
])
def test_a_refused_server_name_is_explained_next_to_the_field(client, make_account, make_server, name, status, message):
    me = signed_in(client, make_account)
    make_server(me, "web1.example.com")
    refused = post_form(client, "/servers", {"domain": name}, token_from="/")
    page = text(refused)
    assert refused.status_code == status
    assert 'id="f-domain-error"' in page and 'aria-invalid="true"' in page
    assert message in page or "a host name such as web1.example.com" in page
    assert f'value="{name}"' in page
    assert len(client.get("/api/servers", auth=me.auth).json["data"]) == 1


def test_adding_or_deleting_a_server_needs_the_csrf_token(client, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = make_server(me)
    assert client.post("/servers", data={"domain": "web2.example.com"}).status_code == 400
    assert client.post(f"/servers/{server_id}/delete").status_code == 400
    assert len(client.get("/api/servers", auth=me.auth).json["data"]) == 1


def test_deleting_a_server_asks_first_then_takes_everything_with_it(client, db, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = vulnerable_server(client, db, make_server, me)
    scan_now(client, server_id)
    assert workers.run_one(db)
    asked = text(client.get(f"/servers/{server_id}/delete"))
    assert "Delete web1.example.com?" in asked and "cannot be undone" in asked
    assert client.get(f"/api/servers/{server_id}", auth=me.auth).status_code == 200
    gone = post_form(client, f"/servers/{server_id}/delete", token_from=f"/servers/{server_id}/delete")
    assert gone.headers["Location"] == "/"
    assert "web1.example.com is deleted" in text(client.get("/"))
    assert client.get(f"/api/servers/{server_id}", auth=me.auth).status_code == 404
    with db.session() as session:
        assert session.query(Scan).filter_by(server_id=server_id).count() == 0


def test_another_accounts_server_cannot_be_deleted(client, make_account, make_server):
    signed_in(client, make_account)
    theirs = make_server(make_account(), "theirs.example.com")
    assert client.get(f"/servers/{theirs}/delete").status_code == 404
    assert post_form(client, f"/servers/{theirs}/delete", token_from="/").status_code == 404


def many_issues(db, server_id, count):
    """`count` open issues on the server, inserted in bulk (a scan would take far longer)."""
    from sqlalchemy import insert

    from patrol.models import Advisory, Issue

    with db.session() as session:
        advisory = Advisory(osv_id="GHSA-many-many-many", summary="One of many", severity="high")
        session.add(advisory)
        session.flush()
        session.execute(insert(Issue), [
            {"server_id": server_id, "advisory_id": advisory.id, "software_name": f"pkg{n:05d}",
             "software_version": "1.0.0", "severity": ("critical", "high", "low")[n % 3]} for n in range(count)
        ])
        session.commit()


ISSUE_ROW = '<td data-label="Severity">'
LOW_ROW = ISSUE_ROW + '<span class="sev sev-low">'


def test_a_server_with_thousands_of_issues_is_shown_a_page_at_a_time(client, db, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = make_server(me)
    many_issues(db, server_id, 2950)
    first = client.get(f"/servers/{server_id}")
    page = text(first)
    assert first.status_code == 200 and len(first.data) < 250_000
    assert page.count(ISSUE_ROW) == 100 and "Open issues (2950)" in page
    assert "Page 1 of 30" in page and f'href="/servers/{server_id}?issues=2#issues-title"' in page
    assert page.index("pkg00000") < page.index("pkg00003") and LOW_ROW not in page  # critical first
    last = text(client.get(f"/servers/{server_id}", query_string={"issues": 30}))
    assert last.count(ISSUE_ROW) == 50 and "Page 30 of 30" in last and LOW_ROW in last
    region = client.get(f"/servers/{server_id}", query_string={"issues": 30, "partial": 1})
    assert text(region).count(ISSUE_ROW) == 50 and "<html" not in text(region)
    for odd in ("0", "-3", "x", "99999", "1e9", "\u0663"):
        assert client.get(f"/servers/{server_id}", query_string={"issues": odd}).status_code == 200, odd
    assert client.get(f"/servers/{server_id}", query_string={"issues": "\x00"}).status_code == 422


def test_a_server_with_much_software_is_shown_a_page_at_a_time(client, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = make_server(me)
    items = [{"n": f"lib{n:04d}", "v": "1.0"} for n in range(450)]
    assert client.post(f"/api/servers/{server_id}/software_bucket/python", auth=me.auth,
                       json={"software": items}).status_code == 200
    page = text(client.get(f"/servers/{server_id}"))
    assert page.count('<td data-label="Version">') == 200 and "lib0199" in page and "lib0200" not in page
    assert "450 packages" in page and "Page 1 of 3" in page
    last = text(client.get(f"/servers/{server_id}", query_string={"software": 3}))
    assert last.count('<td data-label="Version">') == 50 and "lib0449" in last


def test_an_unchanged_live_region_is_not_sent_again(client, make_account, make_server):
    me = signed_in(client, make_account)
    server_id = make_server(me)
    for path in ("/", f"/servers/{server_id}"):
        region = client.get(path, query_string={"partial": 1})
        tag = region.headers["ETag"]
        unchanged = client.get(path, query_string={"partial": 1}, headers={"If-None-Match": tag})
        assert unchanged.status_code == 304 and unchanged.data == b""
    tags = {path: client.get(path, query_string={"partial": 1}).headers["ETag"] for path in ("/", f"/servers/{server_id}")}
    scan_now(client, server_id)
    for path, tag in tags.items():
        changed = client.get(path, query_string={"partial": 1}, headers={"If-None-Match": tag})
        assert changed.status_code == 200 and "Scanning" in text(changed) and changed.headers["ETag"] != tag


def test_the_dashboard_warns_when_an_ecosystem_in_use_was_never_synced(client, make_account, make_server):
    me = signed_in(client, make_account)
    assert "Advisory data is out of date" not in text(client.get("/"))  # no software, nothing to warn of
    server_id = make_server(me)
    client.post(f"/api/servers/{server_id}/software_bucket/npm",
                json={"software": [{"n": "lodash", "v": "4.17.15", "e": "npm"}]}, auth=me.auth)
    page = text(client.get("/"))
    assert "Advisory data is out of date" in page and "npm: never synced" in page


def test_the_dashboard_shows_the_advisory_age_and_none_when_fresh(client, db, make_account, make_server):
    from patrol.feeds import state

    me = signed_in(client, make_account)
    server_id = make_server(me)
    client.post(f"/api/servers/{server_id}/software_bucket/npm",
                json={"software": [{"n": "lodash", "v": "4.17.15", "e": "npm"}]}, auth=me.auth)
    assert state.claim(db, "osv/npm") is not None
    state.succeeded(db, "osv/npm", 3600, records=12)
    page = text(client.get("/"))
    assert "Advisory data is out of date" not in page
    assert re.search(r"npm updated <time [^>]+>[0-9-]+ [0-9:]+ UTC</time> <span class=\"ago\">\(just now\)</span>, 12 records", page)
