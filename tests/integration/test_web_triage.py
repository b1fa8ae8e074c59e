"""Triage on the web pages: verdicts never falsely green, the risk order and its
filter, upgrade groups and exploitation marks, dismissing and restoring issues
with the core's validation, the audit page, and "known exploited only" webhooks."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from patrol.clock import now
from patrol.feeds import state as feeds
from patrol.models import Bucket, Dismissal, DismissalAudit, FeedState, Issue
from tests.support.demo_server import DemoServer, demo_data, make_demo_server, shop  # noqa: F401 - fixtures
from tests.support.web_pages import post_form, signed_in_as, text
from webhooks.models import Webhook

pytestmark = pytest.mark.extensions("web")

SAFE = [{"n": "left-pad", "v": "1.3.0", "e": "npm"}]


@pytest.fixture
def web(client, db, shop):
    """The shop's owner, signed in to the web pages."""
    return signed_in_as(client, db, shop.caller.account_id)


def _age(db, server_id: int, days: int) -> None:
    with db.session() as session:
        session.execute(update(Bucket).where(Bucket.server_id == server_id)
                        .values(updated_at=now() - timedelta(days=days)))


def _row(page: str, name: str) -> str:
    """The dashboard's table row of the server called `name`."""
    found = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>" + re.escape(name) + r"</a>.*?</tr>", page, re.S)
    assert found, name
    return found.group(0)


def _issue_id(shop: DemoServer, package: str) -> int:
    return next(issue["id"] for issue in shop.issues() if issue["software"]["name"] == package)


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def _dismiss(web, shop, package: str, **fields: str):
    issue_id = _issue_id(shop, package)
    path = f"/servers/{shop.server_id}/issues/{issue_id}/dismiss"
    return post_form(web, path, {"reason": "risk_accepted", "scope": "issue", **fields}, token_from=path)


# Nothing falsely green ---------------------------------------------------------------------------------


def test_each_verdict_comes_from_the_state_and_only_ok_is_green(web, client, db, shop, make_server):
    owner = shop.caller
    make_server(owner, "a-empty.example.com")
    stale = make_server(owner, "b-stale.example.com")
    client.post(f"/api/servers/{stale}/software_bucket/app", json={"software": SAFE}, auth=owner.auth)
    _age(db, stale, 5)
    clean = make_server(owner, "d-clean.example.com")
    client.post(f"/api/servers/{clean}/software_bucket/app", json={"software": SAFE}, auth=owner.auth)
    client.post(f"/api/servers/{clean}/scan", auth=owner.auth)
    from patrol.scanning import workers

    assert workers.run_one(db)
    page = text(web.get("/"))

    assert 'data-state="empty"' in _row(page, "a-empty.example.com")
    assert "No software reported" in _row(page, "a-empty.example.com")
    assert "Stale: last push 5 days ago" in _row(page, "b-stale.example.com")
    assert "Vulnerable" in _row(page, "shop.example.com") and "1 critical" in _row(page, "shop.example.com")
    assert "No open issues" in _row(page, "d-clean.example.com")
    for name in ("a-empty.example.com", "b-stale.example.com", "shop.example.com"):
        assert "state-ok" not in _row(page, name), name
    assert "state-ok" in _row(page, "d-clean.example.com")
    order = [page.index(f">{name}</a>") for name in
             ("shop.example.com", "b-stale.example.com", "a-empty.example.com", "d-clean.example.com")]
    assert order == sorted(order), "critical first, then stale, then the rest"


def test_the_state_filter_keeps_one_state_and_says_when_it_is_unknown(web, client, db, shop, make_server):
    make_server(shop.caller, "empty.example.com")
    only_empty = text(web.get("/?state=empty"))
    assert "empty.example.com" in only_empty and ">shop.example.com</a>" not in only_empty
    assert '<option value="empty" selected>' in only_empty
    assert "/?state=empty&amp;partial=1" in only_empty  # the live region keeps the filter
    nothing = text(web.get("/?state=ok"))
    assert "No server is in that state." in nothing
    refused = web.get("/?state=green")
    assert refused.status_code == 422
    assert re.search(r'id="f-state-error">Show: one of ok, vulnerable', text(refused))
    assert ">shop.example.com</a>" in text(refused)
    region = web.get("/?state=green&partial=1")  # the refused page's live region still refreshes
    assert region.status_code == 200 and ">shop.example.com</a>" in text(region)


def test_the_advisories_age_shows_beside_each_verdict(web, db, shop):
    for ecosystem in ("Packagist", "npm", "PyPI"):
        assert feeds.claim(db, f"osv/{ecosystem}") is not None
        feeds.succeeded(db, f"osv/{ecosystem}", 3600)
    month_ago = now() - timedelta(days=30)
    with db.session() as session:
        session.get(FeedState, "osv/npm").last_success_at = month_ago
    expected = f"advisories as of <time datetime=\"{month_ago:%Y-%m-%dT%H:%M}"
    assert expected in _row(text(web.get("/")), "shop.example.com")
    header = text(web.get(f"/servers/{shop.server_id}"))
    assert expected in header[header.index("server-verdict"):] and "(30 days ago)" in header


def test_the_server_page_header_says_stale_and_never_a_green_tick(web, db, shop):
    _age(db, shop.server_id, 4)
    page = text(web.get(f"/servers/{shop.server_id}"))
    verdict = page[page.index("server-verdict"):page.index("</p>", page.index("server-verdict"))]
    assert "Stale: last push 4 days ago" in verdict and "state-ok" not in verdict
    assert "1 critical" in verdict  # the open issues are still counted


# Upgrade groups and exploitation marks ------------------------------------------------------------------


def test_the_server_page_shows_upgrade_groups_most_useful_first(web, shop):
    page = text(web.get(f"/servers/{shop.server_id}"))
    upgrades = _section(page, "upgrades-title")
    assert "upgrade lodash from 4.17.15 to 4.17.21: fixes 2 (2 high)" in upgrades
    assert upgrades.index("upgrade minimist from 1.2.5 to 1.2.6: fixes 1 (1 critical)") < upgrades.index("lodash")


def test_upgrade_groups_are_paged(web, shop, monkeypatch):
    from web import dashboard

    total = len(shop.get(f"/servers/{shop.server_id}/upgrades")["data"])
    monkeypatch.setattr(dashboard, "UPGRADES_PER_PAGE", 2)
    first, last = (_section(text(web.get(f"/servers/{shop.server_id}", query_string={"upgrades": n})),
                            "upgrades-title") for n in (1, (total + 1) // 2))
    assert f"What to upgrade ({total})" in first and first.count("<li>") == 2
    assert "minimist" in first and "minimist" not in last
    assert f"Page {(total + 1) // 2} of {(total + 1) // 2}" in last


def test_a_group_without_a_fixed_version_says_so(web, db, shop):
    from patrol.models import AdvisoryPackage

    with db.session() as session:
        for row in session.scalars(select(AdvisoryPackage).where(AdvisoryPackage.name == "minimist")):
            row.affected = {**row.affected, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}
    shop.scan()
    upgrades = _section(text(web.get(f"/servers/{shop.server_id}")), "upgrades-title")
    assert "<strong>minimist 1.2.5</strong>: no fixed version yet for 1 issue" in upgrades


def test_each_issue_shows_its_known_exploited_mark_and_epss_percentile(web, shop):
    issues = _section(text(web.get(f"/servers/{shop.server_id}")), "issues-title")
    rows = {issue["software"]["name"]: issues[issues.index(f'id="issue-{issue["id"]}"'):]
            .split("</tr>")[0] for issue in shop.issues()}
    assert "known exploited" in rows["minimist"] and "since 2026-10-15" in rows["minimist"]
    assert "known exploited" not in rows["lodash"]
    assert "EPSS 93th percentile" in rows["requests"]  # 0.93468


# Dismissing from the web ---------------------------------------------------------------------------------


def test_dismissing_an_issue_lists_it_apart_with_who_when_why_and_counts_it_apart(web, db, shop):
    minimist = _issue_id(shop, "minimist")
    form = text(web.get(f"/servers/{shop.server_id}/issues/{minimist}/dismiss"))
    assert "Dismiss GHSA-" in form and 'value="fix_planned"' in form and 'type="date"' in form
    answer = _dismiss(web, shop, "minimist", comment="CLI only, never fed user input", expires_at="2099-01-31")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/servers/{shop.server_id}#dismissed-title")

    page = text(web.get(f"/servers/{shop.server_id}"))
    assert f'id="issue-{minimist}"' not in _section(page, "issues-title")
    assert "Open issues (10)" in page and "Dismissed issues (1)" in page
    dismissed = _section(page, "dismissed-title")
    assert f'id="issue-{minimist}"' in dismissed
    for expected in ("risk accepted", "(this issue)", f"{shop.caller.email} (web)", "until <time",
                     "2099-01-31 00:00 UTC", "“CLI only, never fed user input”", "Restore"):
        assert expected in dismissed, expected
    verdict = page[page.index("server-verdict"):]
    assert "critical" not in verdict[:verdict.index("</p>")] and "1 dismissed" in verdict
    assert "upgrade minimist" not in page  # dismissed issues need no upgrade
    assert "1 dismissed" in _row(text(web.get("/")), "shop.example.com")
    assert shop.get(f"/servers/{shop.server_id}")["data"]["dismissed_issue_count"] == 1


def test_a_dismissal_without_reason_or_with_a_past_expiry_is_refused_beside_the_fields(web, db, shop):
    answer = _dismiss(web, shop, "lodash", reason="", expires_at="2001-01-01", scope="galaxy",
                      comment="x" * 2001)
    assert answer.status_code == 422
    page = text(answer)
    for field in ("reason", "expires_at", "scope", "comment"):
        assert f'id="f-{field}-error"' in page, field
    assert "one of not_affected, false_positive, risk_accepted, fix_planned" in page
    assert "a future date (YYYY-MM-DD)" in page and 'value="2001-01-01"' in page
    with db.session() as session:
        assert session.scalars(select(Dismissal)).all() == []


def test_dismissing_an_advisory_on_the_server_or_everywhere(web, client, db, shop):
    second = make_demo_server(client, db, shop.caller, "second.example.com")
    _dismiss(web, shop, "lodash", scope="server", reason="fix_planned")
    with db.session() as session:
        row = session.scalars(select(Dismissal)).one()
        assert (row.scope, row.server_id, row.issue_id) == ("server", shop.server_id, None)
    assert "Open issues (10)" in text(web.get(f"/servers/{shop.server_id}"))
    assert "Open issues (11)" in text(web.get(f"/servers/{second.server_id}"))
    _dismiss(web, shop, "requests", scope="account", reason="not_affected")
    other = text(web.get(f"/servers/{second.server_id}"))
    assert "Open issues (10)" in other and "(this advisory everywhere)" in _section(other, "dismissed-title")


def test_restore_brings_the_issue_back_whatever_the_dismissals_scope(web, db, shop):
    _dismiss(web, shop, "minimist", scope="account")
    minimist = next(i["id"] for i in shop.issues(dismissed="true"))
    path = f"/servers/{shop.server_id}/issues/{minimist}/restore"
    answer = post_form(web, path, token_from=f"/servers/{shop.server_id}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#issues-title")
    page = text(web.get(f"/servers/{shop.server_id}"))
    assert "Open issues (11)" in page and "dismissed-title" not in page
    with db.session() as session:
        assert session.scalars(select(Dismissal)).all() == []
        assert [row.action for row in session.scalars(select(DismissalAudit).order_by(DismissalAudit.id))] == [
            "dismissed", "restored"]
    assert post_form(web, path, token_from=f"/servers/{shop.server_id}").status_code == 404  # not dismissed now


def test_a_lapsed_dismissal_puts_the_issue_back_in_the_open_list(web, db, shop):
    _dismiss(web, shop, "minimist", expires_at="2099-01-31")
    assert "Open issues (10)" in text(web.get(f"/servers/{shop.server_id}"))
    with db.session() as session:
        session.execute(update(Dismissal).values(expires_at=now() - timedelta(minutes=1)))
    page = text(web.get(f"/servers/{shop.server_id}"))
    assert "Open issues (11)" in page and "dismissed-title" not in page
    assert "upgrade minimist from 1.2.5 to 1.2.6" in page


def test_the_software_list_marks_ignore_dismissed_issues(web, shop):
    def mark(page: str) -> str:
        row = re.search(r'<th scope="row">minimist\s.*?</th>', page, re.S).group(0)
        return "vuln-mark" if "vuln-mark" in row else ""

    assert mark(text(web.get(f"/servers/{shop.server_id}?q=minimist"))) == "vuln-mark"
    _dismiss(web, shop, "minimist")
    assert mark(text(web.get(f"/servers/{shop.server_id}?q=minimist"))) == ""
    assert "0 packages match" in text(web.get(f"/servers/{shop.server_id}?q=minimist&vulnerable=1"))


def test_the_audit_page_lists_every_dismissal_paged(web, shop, monkeypatch):
    from web import dismissal_pages

    _dismiss(web, shop, "minimist", comment="accepted for now")
    _dismiss(web, shop, "lodash", scope="server", reason="fix_planned", expires_at="2099-06-30")
    minimist = next(i["id"] for i in shop.issues(dismissed="true") if i["software"]["name"] == "minimist")
    post_form(web, f"/servers/{shop.server_id}/issues/{minimist}/restore", token_from=f"/servers/{shop.server_id}")
    page = text(web.get("/dismissals"))
    assert 'href="/dismissals" aria-current="page">Dismissals</a>' in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S)
    actions = [re.search(r'data-label="What">(\w+)', row).group(1) for row in rows]
    assert actions == ["restored", "dismissed", "dismissed"]
    assert "fix planned" in rows[1] and "2099-06-30 00:00 UTC" in rows[1] and "shop.example.com" in rows[1]
    assert "one issue on shop.example.com" in rows[2] and "“accepted for now”" in rows[2]
    monkeypatch.setattr(dismissal_pages, "AUDIT_PER_PAGE", 2)
    second = text(web.get("/dismissals?page=2"))
    assert "Page 2 of 2" in second and len(re.findall(r"<tr>\s*<th scope=\"row\">", second)) == 1


def test_another_accounts_issues_are_not_found(web, client, db, shop, make_account):
    theirs = make_demo_server(client, db, make_account(), "theirs.example.com")
    their_issue = theirs.issues()[0]["id"]
    own_issue = _issue_id(shop, "minimist")
    paths = [f"/servers/{theirs.server_id}/issues/{their_issue}/dismiss",
             f"/servers/{shop.server_id}/issues/{their_issue}/dismiss",  # my server, their issue
             f"/servers/{theirs.server_id}/issues/{own_issue}/dismiss",
             f"/servers/{shop.server_id}/issues/999999/dismiss"]
    for path in paths:
        assert web.get(path).status_code == 404, path
        sent = post_form(web, path, {"reason": "risk_accepted", "scope": "account"}, token_from="/")
        assert sent.status_code == 404 and "theirs.example.com" not in text(sent), path
        restore = post_form(web, path.replace("/dismiss", "/restore"), token_from="/")
        assert restore.status_code == 404, path
    with db.session() as session:
        assert session.scalars(select(Dismissal)).all() == []


def test_a_resolved_issue_cannot_be_dismissed(web, db, shop):
    lodash = _issue_id(shop, "lodash")
    with db.session() as session:
        session.execute(update(Issue).where(Issue.id == lodash).values(resolved_at=now()))
    assert web.get(f"/servers/{shop.server_id}/issues/{lodash}/dismiss").status_code == 404


def test_dismissing_needs_the_csrf_token(web, db, shop):
    answer = web.post(f"/servers/{shop.server_id}/issues/{_issue_id(shop, 'lodash')}/dismiss",
                      data={"reason": "risk_accepted", "scope": "issue"})
    assert answer.status_code == 400
    with db.session() as session:
        assert session.scalars(select(Dismissal)).all() == []


# Webhooks: known exploited only --------------------------------------------------------------------------


def test_known_exploited_only_on_adding_and_editing_a_webhook(web, db):
    added = post_form(web, "/api-settings/webhooks", {"url": "https://hooks.example.com/kev", "min_severity": "high",
                                                      "known_exploited_only": "on"}, token_from="/api-settings")
    assert added.status_code == 201
    with db.session() as session:
        hook = session.scalars(select(Webhook)).one()
        assert (hook.min_severity, hook.known_exploited_only) == ("high", True)
    assert "Known exploited issues only." in text(web.get("/api-settings"))
    form = text(web.get(f"/api-settings/webhooks/{hook.id}/edit"))
    assert re.search(r'id="f-known_exploited_only" type="checkbox" name="known_exploited_only"\s*checked', form)
    saved = post_form(web, f"/api-settings/webhooks/{hook.id}/edit",
                      {"url": "", "kind": "auto", "format": "json", "enabled": "on", "min_severity": "high"},
                      token_from="/api-settings")
    assert saved.status_code == 302
    with db.session() as session:
        assert session.get(Webhook, hook.id).known_exploited_only is False
