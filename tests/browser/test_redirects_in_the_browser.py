"""A `next=` that a browser would read as another site keeps Chromium on this one."""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.web_pages import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.extensions("web")]
TRICKS = ["/%09/evil.example", "/%0a/evil.example", "/%5Cevil.example", "//evil.example"]


def on_this_site(page, site: str) -> None:
    assert urlsplit(page.url).netloc == urlsplit(site).netloc, page.url
    expect(page.get_by_role("heading", name="Servers", exact=True)).to_be_visible()


@pytest.mark.parametrize("target", TRICKS)
def test_signing_in_with_a_tricky_next_stays_on_site(page, site, make_account, target):
    me = make_account(password=PASSWORD)
    page.goto(f"/signin?next={target}")
    page.get_by_label("Email").fill(me.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    on_this_site(page, site)
    page.goto(f"/signin?next={target}")
    on_this_site(page, site)
