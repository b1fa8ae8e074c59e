"""Browser tests: Playwright drives Debian's Chromium against the whole app
(pages, scans, webhook deliveries) served over loopback HTTP.

Chromium resolves no host name but 127.0.0.1, and the Python side runs
inside `loopback_only()`, so no test reaches past this machine, even by
mistake. Screenshots go to test-output/screenshots.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from patrol import background
from tests.support import browser as chromium
from tests.support.live_server import live_server  # noqa: F401 - a fixture
from tests.support.receivers import loopback_only


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not chromium.CHROMIUM.exists():
        if os.environ.get("PATROL_BROWSER_REQUIRED"):  # .ci/run: never skip in CI
            pytest.fail(chromium.MISSING)
        pytest.skip(chromium.MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium.CHROMIUM), args=chromium.ARGS)
        yield launched
        launched.close()


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config.update(WEBHOOK_POLL_INTERVAL=0.1, WEBHOOK_TIMEOUT=5.0, SCHEDULER_TICK=3600.0)
    return app_config


@pytest.fixture
def site(app, live_server) -> Iterator[str]:  # live_server is the fixture
    """The app's address, with scans and deliveries running behind it."""
    with loopback_only():
        background.get(app).start()
        yield live_server.base_url


@pytest.fixture
def page(browser, site: str) -> Iterator:
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()
