"""Every page: security headers, no inline script or style, a CSRF token in
every form, a label for every control. Checked on real pages with data."""
import re
from html.parser import HTMLParser

import pytest

from patrol import demo
from patrol.scanning import workers
from tests.support.web_pages import PASSWORD, post_form, sign_in

pytestmark = pytest.mark.extensions("web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class PageCheck(HTMLParser):
    """Collects what a page must not have, and the forms and controls it has."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.labelled: set[str] = set()
        self.controls: list[str] = []
        self.open_forms: list[dict] = []
        self._in_label = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        for name in found:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.problems.append("<style> element")
        self._in_script = tag == "script"
        if tag == "script" and not found.get("src"):
            self.problems.append("inline <script>")
        self._track_forms(tag, found)
        self._track_controls(tag, found)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        if tag == "label":
            self._in_label -= 1
        if tag == "form":
            form = self.open_forms.pop()
            if form["method"] == "post" and not form["token"]:
                self.problems.append(f"POST form to {form['action']} without csrf_token")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script with a body")

    def _track_forms(self, tag: str, found: dict) -> None:
        if tag == "form":
            self.open_forms.append({"method": (found.get("method") or "get").lower(),
                                    "action": found.get("action"), "token": False})
        if tag == "input" and found.get("name") == "csrf_token" and self.open_forms:
            self.open_forms[-1]["token"] = True

    def _track_controls(self, tag: str, found: dict) -> None:
        if tag == "label":
            self._in_label += 1
            if found.get("for"):
                self.labelled.add(found["for"])
        visible_input = tag == "input" and found.get("type") not in ("hidden", "submit")
        if (visible_input or tag in ("select", "textarea")) and not self._in_label:
            self.controls.append(found.get("id") or f"<{tag} name={found.get('name')}> without id")

    def unlabelled(self) -> list[str]:
        return [control for control in self.controls if control not in self.labelled]


@pytest.fixture
def pages(client, db, make_account, make_server):
    """Every page, as a signed-in person with a scanned server, a key and a webhook sees it."""
    me = make_account(password=PASSWORD)
    demo.import_advisories(db)
    server_id = make_server(me)
    client.post(f"/api/servers/{server_id}/software_bucket/composer", auth=me.auth,
                json={"software": demo.lockfile_items("composer")})
    hook_id = client.post("/api/webhooks", json={"url": "https://x.example.com/"}, auth=me.auth).json["data"]["id"]
    client.post(f"/api/webhooks/{hook_id}/test", auth=me.auth)
    public = ["/signin", "/register", "/set-password", "/docs/webhooks", "/docs/api"]
    answers = {path: client.get(path) for path in public}
    sign_in(client, me.email)
    post_form(client, f"/servers/{server_id}/scan", token_from="/")
    workers.run_one(db)
    private = ["/", f"/servers/{server_id}", "/api-settings", f"/api-settings/webhooks/{hook_id}/edit",
               f"/api-settings/webhooks/{hook_id}/delete", f"/api-settings/webhooks/{hook_id}/deliveries",
               f"/api-settings/credentials/{me.key}/revoke", "/servers/424242", "/account/password",
               f"/servers/{server_id}/delete", f"/servers/{server_id}?q=guzzle&vulnerable=1"]
    answers.update({path: client.get(path) for path in private})
    answers["POST /api-settings/webhooks"] = post_form(client, "/api-settings/webhooks", {"url": "bad"}, "/api-settings")
    answers["POST /servers"] = post_form(client, "/servers", {"domain": "no spaces please"}, "/")
    answers["POST /api-settings/credentials"] = post_form(client, "/api-settings/credentials", {}, "/api-settings")
    issue_id = client.get(f"/api/servers/{server_id}/issues", auth=me.auth).json["data"][0]["id"]
    dismiss = f"/servers/{server_id}/issues/{issue_id}/dismiss"
    answers[dismiss] = client.get(dismiss)
    answers[f"POST {dismiss}"] = post_form(client, dismiss, {"reason": "bored", "expires_at": "yesterday"}, "/")
    assert post_form(client, dismiss, {"reason": "fix_planned", "scope": "issue"}, "/").status_code == 302
    answers[f"/servers/{server_id} with a dismissed issue"] = client.get(f"/servers/{server_id}")
    answers["/dismissals"] = client.get("/dismissals")
    answers["/?state=stale"] = client.get("/?state=stale")
    answers["/?state=green"] = client.get("/?state=green")
    return answers


def test_every_page_sends_the_security_headers(pages):
    for path, answer in pages.items():
        assert answer.status_code in (200, 201, 404, 422), path
        assert answer.headers["Content-Security-Policy"] == CSP, path
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
        assert answer.headers["Referrer-Policy"] in ("no-referrer", "strict-origin"), path


def test_pages_that_may_show_secrets_send_no_referrer(pages):
    for path, answer in pages.items():
        private = "api-settings" in path
        assert (answer.headers["Referrer-Policy"] == "no-referrer") is private, path


def test_no_page_has_inline_script_or_style_and_every_form_carries_its_token(pages):
    for path, answer in pages.items():
        check = PageCheck()
        check.feed(answer.get_data(as_text=True))
        assert check.problems == [], path
        assert check.unlabelled() == [], path


def test_every_time_on_every_page_is_utc_and_24_hour(pages):
    utc_time = re.compile(r"\d{4}-\d\d-\d\d ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)? UTC")
    for path in ("/", next(p for p in pages if p.startswith("/servers/") and p[9:].isdigit()), "/api-settings",
                 next(p for p in pages if p.endswith("/deliveries"))):
        shown = re.findall(r"<time [^>]*>(.*?)</time>", pages[path].get_data(as_text=True))
        assert shown and all(utc_time.fullmatch(moment) for moment in shown), (path, shown)
    assert '<span class="ago">(just now)</span>' in pages["/"].get_data(as_text=True)  # and how long ago


def test_assets_are_served_by_the_app_with_the_same_headers(client):
    for name, kind in (("patrol.css", "text/css"), ("patrol.js", "text/javascript"), ("slack.svg", "image/svg+xml")):
        answer = client.get(f"/assets/{name}")
        assert answer.status_code == 200 and answer.mimetype == kind
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_api_needs_no_csrf_token(client, make_account):
    caller = make_account()
    created = client.post("/api/servers", data={"domain": "web9.example.com"}, auth=caller.auth)
    assert created.status_code == 201
    assert "Content-Security-Policy" not in created.headers


def test_the_session_cookie_is_http_only_and_lax(client):
    client.get("/register")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_the_session_cookie_is_secure_behind_https(app_config):
    from patrol import create_app
    from patrol.db import get_db

    app_config["PUBLIC_URL"] = "https://patrol.example.com"
    app = create_app(app_config)
    try:
        client = app.test_client()
        client.get("/register")
        assert client.get_cookie("session").secure
    finally:
        get_db(app).dispose()


def test_https_pages_tell_browsers_to_keep_to_https(app_config, client):
    from patrol import create_app
    from patrol.db import get_db

    assert "Strict-Transport-Security" not in client.get("/signin").headers
    app_config["PUBLIC_URL"] = "https://patrol.example.com"
    app = create_app(app_config)
    try:
        for path in ("/signin", "/assets/patrol.css"):
            assert app.test_client().get(path).headers["Strict-Transport-Security"] == "max-age=31536000", path
    finally:
        get_db(app).dispose()
