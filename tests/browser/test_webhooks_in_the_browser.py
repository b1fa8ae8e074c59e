"""The seed, in a browser: register, add a webhook, test it, watch the delivery land."""
import re

import pytest
from playwright.sync_api import expect
from standardwebhooks.webhooks import Webhook as Verifier

from tests.support.browser import screenshot
from tests.support.receivers import Answer, receivers  # noqa: F401 - a fixture
from tests.support.web_pages import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.extensions("web")]
SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"


@pytest.fixture
def app_config(app_config):
    """Here a failed attempt is final (no retries), so "Redeliver" is what sends it again."""
    app_config["WEBHOOK_RETRY_SCHEDULE"] = []
    return app_config


def register(page, email="newcomer@example.com"):
    """Register, then sign in (registering never signs in: it must not tell who has an account)."""
    page.goto("/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("If that email had no account, it has one now")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Servers", exact=True)).to_be_visible()


def add_webhook(page, url):
    """Add a webhook on the API page; its signing secret as shown once (Slack webhooks have none)."""
    page.goto("/api-settings")
    page.get_by_label("URL", exact=True).fill(url)
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("heading", name="Webhook added")).to_be_visible()
    shown = page.locator("#new-webhook-secret")
    return shown.text_content() if shown.count() else None


def test_a_newcomer_registers_signs_in_and_sees_a_delivery_land(page, receivers):
    target = receivers()
    page.goto("/register")
    screenshot(page, "01-register", phone=True)
    register(page)
    page.goto("/api-settings")
    page.get_by_role("button", name="Create API key").click()
    expect(page.get_by_role("heading", name="Your new API key")).to_be_visible()
    screenshot(page, "02-first-api-key")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "03-sign-in", phone=True)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Servers", exact=True)).to_be_visible()
    screenshot(page, "04-dashboard-empty")

    secret = add_webhook(page, target.url())
    assert secret.startswith("whsec_")
    screenshot(page, "05-webhook-added", phone=True)

    page.goto("/api-settings")
    page.get_by_role("button", name="Test webhook").click()
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    expect(page.locator(".delivery").first).to_contain_text("Delivered")
    expect(page.locator(".delivery").first).to_contain_text("HTTP 200")
    assert page.evaluate("window.stillTheSamePage") is True, "the log reloaded instead of updating in place"
    screenshot(page, "06-delivery-log", phone=True)

    arrived = target.wait_for(1)[0]
    body = Verifier(secret).verify(arrived.body, arrived.headers)
    assert body["identifier"] == "webhook.test"


def test_a_failed_delivery_is_redelivered_from_the_log(page, receivers):
    target = receivers()
    target.answer(Answer(500, body=b"database is down"))
    register(page)
    add_webhook(page, target.url())
    page.goto("/api-settings")
    page.get_by_role("button", name="Test webhook").click()
    delivery = page.locator(".delivery").first
    expect(delivery).to_contain_text("Failed")
    expect(delivery).to_contain_text("database is down")
    screenshot(page, "07-delivery-failed")

    delivery.get_by_role("button", name=re.compile("^Redeliver")).click()
    expect(page.get_by_text("The event is being sent again")).to_be_visible()
    expect(page.locator(".delivery").first).to_contain_text("Delivered")
    expect(page.locator(".delivery").first).to_contain_text("HTTP 200")
    expect(page.locator(".delivery").first).to_contain_text("HTTP 500")
    assert len(target.wait_for(2)) == 2
    screenshot(page, "08-redelivered", phone=True)


def test_a_refused_url_is_explained_next_to_its_field(page, receivers):
    register(page)
    for _ in range(3):  # webhooks above the form push it below the fold
        add_webhook(page, receivers().url())
    page.goto("/api-settings")
    page.get_by_label("URL", exact=True).fill("ftp://files.example.com/drop")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("#f-url-error")).to_have_text("URL: must start with http:// or https://")
    expect(page.locator("#f-url-error")).to_be_in_viewport()
    expect(page.get_by_label("URL", exact=True)).to_be_in_viewport()
    expect(page.get_by_role("alert")).to_contain_text("URL: must start with http:// or https://")
    expect(page.get_by_label("URL", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("URL", exact=True)).to_have_value("ftp://files.example.com/drop")
    page.get_by_role("alert").get_by_role("link").click()
    expect(page.get_by_label("URL", exact=True)).to_be_focused()
    screenshot(page, "09-webhook-refused", phone=True)


def test_a_slack_url_shows_with_the_slack_icon_and_masked(page):
    register(page)
    add_webhook(page, SLACK_URL)
    page.goto("/api-settings")
    hook = page.locator(".hook").first
    icon = hook.locator("img[src$='slack.svg']")
    expect(icon).to_be_visible()
    expect(hook.locator(".kind-slack")).to_have_text("Slack")
    expect(hook.locator(".hook-url")).to_contain_text("https://hooks.slack.com/services/T000/B000/")
    expect(hook.locator(".hook-url")).not_to_contain_text("XXXX")
    assert icon.evaluate("img => img.naturalWidth") > 0, "the icon did not load"
    screenshot(page, "10-slack-webhook", phone=True)
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("URL", exact=True)).to_have_value("")
    screenshot(page, "10-edit-slack-webhook-form")
