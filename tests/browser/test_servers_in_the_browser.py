"""Servers in a browser: start a scan from the dashboard and see its issues."""
import pytest
from playwright.sync_api import expect

from patrol import demo
from tests.support.browser import screenshot
from tests.support.web_pages import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.extensions("web")]


def sign_in(page, email):
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_scan_now_on_the_dashboard_finds_the_issues(page, client, db, make_account, make_server):
    me = make_account(password=PASSWORD)
    demo.import_advisories(db)
    server_id = make_server(me, "web1.example.com")
    for bucket in ("composer", "npm"):
        pushed = client.post(f"/api/servers/{server_id}/software_bucket/{bucket}", auth=me.auth,
                             json={"software": demo.lockfile_items(bucket)})
        assert pushed.status_code == 200

    sign_in(page, me.email)
    row = page.get_by_role("row", name="web1.example.com")
    expect(row).to_contain_text("Never scanned")
    page.evaluate("window.stillTheSamePage = true")
    row.get_by_role("button", name="Scan now").click()
    expect(page.get_by_text("A scan of web1.example.com started")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    expect(row).to_contain_text("Scanned", timeout=20_000)
    expect(row).to_contain_text("high")
    assert page.evaluate("window.stillTheSamePage") is True, "the dashboard reloaded instead of updating in place"
    screenshot(page, "11-dashboard-scanned", phone=True)

    row.get_by_role("link", name="web1.example.com").click()
    expect(page.get_by_role("heading", name="web1.example.com")).to_be_visible()
    issues = page.locator("section", has=page.get_by_role("heading", name="Open issues"))
    expect(issues).to_contain_text("GHSA-q7rv-6hp3-vh96")
    expect(issues).to_contain_text("guzzlehttp/psr7")
    expect(issues).to_contain_text("1.8.4")
    expect(page.get_by_role("heading", name="Recent scans")).to_be_visible()
    screenshot(page, "12-server", phone=True)
    # Nothing changes now: the page's next refresh is answered with an empty 304.
    with page.expect_response(lambda answer: "partial=1" in answer.url, timeout=15_000) as refresh:
        pass
    assert refresh.value.status == 304


def test_the_docs_and_the_error_pages_render(page, make_account):
    page.goto("/docs/webhooks")
    expect(page.get_by_role("heading", name="A receiver in PHP")).to_be_visible()
    screenshot(page, "13-docs-webhooks", phone=True)
    page.goto("/docs/api")
    expect(page.locator("#get--servers")).to_be_visible()
    screenshot(page, "14-docs-api", phone=True, full_page=False)
    me = make_account(password=PASSWORD)
    sign_in(page, me.email)
    page.goto("/servers/424242")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    screenshot(page, "15-not-found")
