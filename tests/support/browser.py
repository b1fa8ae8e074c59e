"""What browser tests share: where Chromium is, how it is started, and screenshots."""
from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet; the resolver rule makes every host name but 127.0.0.1
# unresolvable, so the browser cannot reach past this machine.
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
MISSING = ("Chromium is not installed; on Debian or Ubuntu run `apt-get install chromium` "
           "to run the browser tests (Playwright drives /usr/bin/chromium).")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}


def screenshot(page, name: str, *, phone: bool = False, full_page: bool = True) -> Path:
    """Save the page (a Playwright Page) as NAME.png, and with `phone` as NAME-phone.png
    at a phone's width; `full_page=False` keeps to the window, for very long pages."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page)
    if phone:
        size = page.viewport_size
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=full_page)
        page.set_viewport_size(size)
    return path
