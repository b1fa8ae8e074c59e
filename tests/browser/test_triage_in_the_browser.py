"""Triage as a person sees it: verdicts that are never falsely green, riskiest
first with a filter; what to upgrade; known exploited issues; dismissing an
issue with a reason (refused beside the field first), restoring it, the audit
page; and "known exploited only" on a webhook."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from patrol import demo
from patrol.clock import now
from patrol.models import Bucket
from tests.browser.test_servers_in_the_browser import sign_in
from tests.support.browser import screenshot
from tests.support.receivers import wait_until
from tests.support.web_pages import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.extensions("web")]
MINIMIST = re.compile(r"GHSA-\S+.*minimist", re.S)


def scanned_shop(client, db, me, make_server) -> int:
    """A server with the demo lock files, scanned by the app's own workers."""
    server_id = make_server(me, "shop.example.com")
    for key in demo.LOCKFILES:
        pushed = client.post(f"/api/servers/{server_id}/software_bucket/{key}", auth=me.auth,
                             json={"software": demo.lockfile_items(key)})
        assert pushed.status_code == 200
    assert client.post(f"/api/servers/{server_id}/scan", auth=me.auth).status_code == 202
    wait_until(lambda: client.get(f"/api/servers/{server_id}", auth=me.auth).json["data"]["state"] == "vulnerable",
               timeout=30, what="the shop's scan")
    return server_id


def stale_server(client, db, me, make_server) -> None:
    server_id = make_server(me, "old.example.com")
    client.post(f"/api/servers/{server_id}/software_bucket/app", auth=me.auth,
                json={"software": [{"n": "left-pad", "v": "1.3.0", "e": "npm"}]})
    with db.session() as session:
        session.execute(update(Bucket).where(Bucket.server_id == server_id)
                        .values(updated_at=now() - timedelta(days=6)))


def test_the_dashboard_is_riskiest_first_and_never_falsely_green(page, client, db, make_account, make_server):
    me = make_account(password=PASSWORD)
    demo.import_advisories(db)
    demo.import_exploit_samples(db)
    make_server(me, "a-empty.example.com")
    stale_server(client, db, me, make_server)
    scanned_shop(client, db, me, make_server)

    sign_in(page, me.email)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("shop.example.com")
    expect(rows.nth(0)).to_contain_text("Vulnerable")
    expect(rows.nth(0)).to_contain_text("1 critical")
    expect(rows.nth(1)).to_contain_text("Stale: last push 6 days ago")
    expect(rows.nth(2)).to_contain_text("No software reported")
    expect(page.locator("tbody .state-ok")).to_have_count(0)
    screenshot(page, "30-dashboard-verdicts", phone=True)

    page.get_by_label("Show").select_option("stale")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("old.example.com")
    expect(page.get_by_label("Show")).to_have_value("stale")
    screenshot(page, "31-dashboard-filtered")
    page.goto("/?state=green")
    expect(page.locator("#f-state-error")).to_have_text("Show: one of ok, vulnerable, empty, stale, never_scanned")


def test_decide_dismiss_restore_and_read_the_audit(page, client, db, make_account, make_server):
    me = make_account(password=PASSWORD)
    demo.import_advisories(db)
    demo.import_exploit_samples(db)
    server_id = scanned_shop(client, db, me, make_server)
    sign_in(page, me.email)
    page.goto(f"/servers/{server_id}")

    upgrades = page.locator("section", has=page.get_by_role("heading", name=re.compile("What to upgrade")))
    expect(upgrades.locator("li").first).to_contain_text("upgrade minimist from 1.2.5 to 1.2.6: fixes 1 (1 critical)")
    expect(upgrades).to_contain_text("upgrade lodash from 4.17.15 to 4.17.21: fixes 2 (2 high)")
    issues = page.locator("section", has=page.get_by_role("heading", name=re.compile("Open issues")))
    expect(page.get_by_role("heading", name="Open issues (11)")).to_be_visible()
    minimist = issues.get_by_role("row", name=MINIMIST)
    expect(minimist.locator(".known-exploited")).to_have_text("known exploited")
    expect(issues.get_by_role("row", name=re.compile("requests"))).to_contain_text("EPSS 93th percentile")
    screenshot(page, "32-upgrades-and-exploited", phone=True)

    minimist.get_by_role("link", name=re.compile("Dismiss")).click()
    expect(page.get_by_role("heading", name=re.compile("^Dismiss GHSA-"))).to_be_visible()
    page.get_by_label("Every issue of").first.check()  # this advisory on this server
    page.get_by_label("Expires").fill("2001-01-01")
    page.get_by_role("button", name="Dismiss", exact=True).click()
    expect(page.locator("#f-reason-error")).to_be_visible()
    expect(page.locator("#f-expires_at-error")).to_contain_text("a future date")
    expect(page.get_by_label("Expires")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "33-dismiss-refused", phone=True)
    page.get_by_label("Risk accepted").check()
    page.get_by_label("Comment").fill("A build tool; never fed untrusted input")
    page.get_by_label("Expires").fill("2099-01-31")
    page.get_by_role("button", name="Dismiss", exact=True).click()

    expect(page.get_by_text(re.compile("is dismissed \\(risk accepted\\)"))).to_be_visible()
    expect(page.get_by_role("heading", name="Open issues (10)")).to_be_visible()
    dismissed = page.locator("section", has=page.get_by_role("heading", name="Dismissed issues (1)"))
    row = dismissed.get_by_role("row", name=MINIMIST)
    expect(row).to_contain_text("risk accepted")
    expect(row).to_contain_text("(this advisory on this server)")
    expect(row).to_contain_text(f"by {me.email} (web)")
    expect(row).to_contain_text("until 2099-01-31 00:00 UTC")
    expect(page.locator(".server-verdict")).to_contain_text("1 dismissed")
    expect(page.locator(".server-verdict")).not_to_contain_text("critical")
    expect(upgrades).not_to_contain_text("minimist")
    screenshot(page, "34-dismissed", phone=True)

    page.get_by_role("link", name="Dismissals").click()
    audit = page.locator("tbody tr")
    expect(audit).to_have_count(1)
    expect(audit.first).to_contain_text("dismissed")
    expect(audit.first).to_contain_text("shop.example.com")
    expect(audit.first).to_contain_text("“A build tool; never fed untrusted input”")
    screenshot(page, "35-dismissals-audit")

    page.go_back()
    row.get_by_role("button", name=re.compile("Restore")).click()
    expect(page.get_by_text(re.compile("is restored"))).to_be_visible()
    expect(page.get_by_role("heading", name="Open issues (11)")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Dismissed issues"))).to_have_count(0)
    page.get_by_role("link", name="Dismissals").click()
    expect(page.locator("tbody tr").first).to_contain_text("restored")


def test_a_webhook_for_known_exploited_issues_only(page, make_account):
    me = make_account(password=PASSWORD)
    sign_in(page, me.email)
    page.goto("/api-settings")
    page.get_by_label("URL", exact=True).fill("https://hooks.example.com/exploited")
    page.get_by_label("Known exploited only").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("heading", name="Webhook added")).to_be_visible()
    expect(page.get_by_text("Known exploited issues only.")).to_be_visible()
    page.get_by_role("link", name="Edit").first.click()
    box = page.get_by_label("Known exploited only")
    expect(box).to_be_checked()
    screenshot(page, "36-webhook-known-exploited")
    box.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The webhook is saved.")).to_be_visible()
    expect(page.get_by_text("Known exploited issues only.")).to_have_count(0)
