"""What a person sees of the small things: adding and deleting a server,
advisory text as Markdown, the grouped and searchable software list, UTC times,
the events a webhook really gets, and the delivery log's servers."""
import re

import pytest
from playwright.sync_api import expect

from patrol import demo
from tests.browser.test_servers_in_the_browser import sign_in
from tests.integration.test_web_software_list import WHEEZY
from tests.support.browser import screenshot
from tests.support.receivers import receivers  # noqa: F401 - a fixture
from tests.support.web_pages import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.extensions("web")]
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\d ([01]\d|2[0-3]):[0-5]\d UTC")


def push(client, me, server_id):
    for bucket, items in (("os", WHEEZY), ("composer", demo.lockfile_items("composer"))):
        pushed = client.post(f"/api/servers/{server_id}/software_bucket/{bucket}", auth=me.auth, json={"software": items})
        assert pushed.status_code == 200, pushed.json


def test_add_a_server_scan_it_read_its_advisories_search_and_delete_it(page, client, db, make_account):
    me = make_account(password=PASSWORD)
    demo.import_advisories(db)
    sign_in(page, me.email)

    page.get_by_label("Host name").fill("two words")
    page.get_by_role("button", name="Add server").click()
    expect(page.locator("#f-domain-error")).to_be_in_viewport()
    expect(page.get_by_label("Host name")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "20-add-server-refused")
    page.get_by_label("Host name").fill("wheezy.example.com")
    page.get_by_role("button", name="Add server").click()
    expect(page.get_by_role("heading", name="wheezy.example.com")).to_be_visible()
    expect(page.get_by_text("wheezy.example.com is added.")).to_be_visible()

    server_id = int(re.search(r"/servers/(\d+)", page.url).group(1))
    push(client, me, server_id)
    page.get_by_role("button", name="Scan now").click()
    issues = page.locator("section", has=page.get_by_role("heading", name=re.compile("Open issues")))
    expect(issues).to_contain_text("GHSA-q7rv-6hp3-vh96", timeout=20_000)
    status = page.locator(".status-bar time")
    expect(status).to_have_text(UTC_TIME)

    row = issues.get_by_role("row", name=re.compile("GHSA-q7rv-6hp3-vh96"))
    row.get_by_text("Details").click()
    expect(row.get_by_role("heading", name="Impact")).to_be_visible()
    expect(row.locator(".prose")).to_contain_text("Improper header parsing.")
    screenshot(page, "21-advisory-details")

    page.get_by_role("link", name="Refresh").click()  # the software list is outside the live region
    software = page.locator("section", has=page.get_by_role("heading", name="Software"))
    nginx = software.get_by_role("row", name=re.compile(r"^nginx"))
    expect(nginx).to_contain_text("vulnerable: 2 open issues")
    expect(nginx).to_contain_text("source package of nginx-common, nginx-full")
    expect(software.get_by_role("row", name=re.compile(r"^nginx-common"))).to_have_count(0)
    page.get_by_label("Search packages").fill("libssl")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").filter(has_text="match")).to_have_text("1 package matches “libssl”.")
    expect(software.locator("tbody tr")).to_have_count(1)
    expect(software.locator("tbody tr")).to_contain_text("openssl")
    screenshot(page, "22-software-search", phone=True)
    page.get_by_label("Search packages").fill("")
    page.get_by_label("Vulnerable only").check()
    page.get_by_role("button", name="Search").click()
    expect(software.locator("tbody tr .vuln-mark").first).to_be_visible()
    assert software.locator("tbody tr").count() == software.locator("tbody tr .vuln-mark").count()

    page.get_by_role("link", name="Delete server…").click()
    expect(page.get_by_role("heading", name="Delete wheezy.example.com?")).to_be_visible()
    screenshot(page, "23-delete-server")
    page.get_by_role("button", name="Delete server").click()
    expect(page.get_by_text("wheezy.example.com is deleted")).to_be_visible()
    expect(page.get_by_role("heading", name="No servers yet")).to_be_visible()


def test_the_edit_form_and_the_delivery_log_say_what_a_webhook_gets(page, client, db, make_account, receivers):
    me = make_account(password=PASSWORD)
    hook = client.post("/api/webhooks", json={"url": receivers().url()}, auth=me.auth).json["data"]
    server_id = client.post("/api/servers", json={"domain": "shop.example.com"}, auth=me.auth).json["data"]["id"]
    client.post(f"/api/servers/{server_id}/scan", auth=me.auth)
    sign_in(page, me.email)

    page.goto(f"/api-settings/webhooks/{hook['id']}/edit")
    events = page.get_by_role("group", name="Events")
    for name in ("Scan started", "New issues found", "Scan finished", "Test event"):
        expect(events.get_by_role("checkbox", name=re.compile(name))).to_be_checked()
    screenshot(page, "24-edit-webhook-events")

    page.goto(f"/api-settings/webhooks/{hook['id']}/deliveries")
    first = page.locator(".delivery").first
    expect(first.get_by_role("heading")).to_have_text(re.compile(r"Scan (started|finished) · shop\.example\.com"),
                                                      timeout=20_000)
    expect(first.locator("time").first).to_have_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"))
    screenshot(page, "25-delivery-log-servers")
    first.get_by_role("link", name="shop.example.com").click()
    expect(page.get_by_role("heading", name="shop.example.com")).to_be_visible()
