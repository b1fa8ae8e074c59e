"""The API page: credentials, webhooks (add, edit, delete, enable, rotate, test), "Add to Slack"."""
import json
import re

import pytest

from patrol import create_app
from patrol.db import get_db
from patrol.models import Credential
from tests.support.web_pages import PASSWORD, post_form, sign_in, text
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.extensions("web")

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX"


@pytest.fixture
def me(client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    return caller


def add(client, **fields):
    return post_form(client, "/api-settings/webhooks", fields, token_from="/api-settings")


def only_hook(db) -> Webhook:
    with db.session() as session:
        return session.query(Webhook).one()


def test_a_new_api_key_shows_its_secret_once_and_works(app, client, me):
    answer = post_form(client, "/api-settings/credentials", {"label": "web1 collector"}, token_from="/api-settings")
    assert answer.status_code == 201
    assert answer.headers["Cache-Control"] == "no-store" and answer.headers["Referrer-Policy"] == "no-referrer"
    page = text(answer)
    key, secret = re.search(r'id="new-key">(\w+)<', page).group(1), re.search(r'id="new-secret">(\w+)<', page).group(1)
    assert client.get("/api/user", auth=(key, secret)).status_code == 200
    listing = text(client.get("/api-settings"))
    assert key in listing and "web1 collector" in listing and secret not in listing
    session_cookie = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value)
    assert secret not in json.dumps(session_cookie)


def test_revoking_a_key_asks_first_then_the_api_refuses_it(client, me):
    confirm = client.get(f"/api-settings/credentials/{me.key}/revoke")
    assert confirm.status_code == 200 and "Revoke this API key?" in text(confirm)
    assert client.get("/api/user", auth=me.auth).status_code == 200
    done = post_form(client, f"/api-settings/credentials/{me.key}/revoke", token_from="/api-settings")
    assert done.headers["Location"] == "/api-settings"
    assert client.get("/api/user", auth=me.auth).status_code == 401
    assert "Revoked" in text(client.get("/api-settings"))


def test_another_accounts_key_cannot_be_revoked(client, db, me, make_account):
    theirs = make_account()
    assert client.get(f"/api-settings/credentials/{theirs.key}/revoke").status_code == 404
    refused = post_form(client, f"/api-settings/credentials/{theirs.key}/revoke", token_from="/api-settings")
    assert refused.status_code == 404
    with db.session() as session:
        assert session.query(Credential).filter_by(key=theirs.key).one().revoked_at is None


def test_adding_a_webhook_shows_its_secret_once(client, db, me):
    answer = add(client, url="https://receiver.example.com/hooks/patrol", format="form", description="billing")
    assert answer.status_code == 201 and answer.headers["Cache-Control"] == "no-store"
    hook = only_hook(db)
    assert (hook.kind, hook.format, hook.description, hook.events) == ("generic", "form", "billing", None)
    assert hook.secret in text(answer)
    listing = text(client.get("/api-settings"))
    assert "https://receiver.example.com/hooks/patrol" in listing and hook.secret not in listing


def test_a_slack_url_is_masked_and_marked_with_the_slack_icon(client, db, me):
    answer = add(client, url=SLACK_URL)
    assert answer.status_code == 201
    listing = text(client.get("/api-settings"))
    assert only_hook(db).kind == "slack"
    assert "XXXXSECRETXXXX" not in listing and "XXXXSECRETXXXX" not in text(answer)
    assert "https://hooks.slack.com/services/T000/B000/" in listing
    assert re.search(r'<span class="kind kind-slack"><img src="/assets/slack.svg" alt=""[^>]*> Slack</span>', listing)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "http://10.0.0.5/hook", "", "https://user:pw@example.com/"])
def test_a_refused_url_shows_the_apis_own_message(client, db, me, url):
    api = client.post("/api/webhooks", json={"url": url}, auth=me.auth)
    assert api.status_code == 422
    answer = add(client, url=url, description="kept")
    assert answer.status_code == 422
    page = text(answer)
    assert f"URL: {api.json['error']['fields']['url']}".replace("'", "&#39;") in page
    assert 'value="kept"' in page and 'aria-invalid="true"' in page
    with db.session() as session:
        assert session.query(Webhook).count() == 0


def test_unknown_events_are_refused_like_the_api(client, me):
    answer = add(client, url="https://receiver.example.com/", events="webhook.nonsense")
    assert answer.status_code == 422 and "unknown events: webhook.nonsense" in text(answer)


def test_what_people_type_is_escaped(client, me):
    add(client, url="https://receiver.example.com/?q=<x>", description='<script>alert("hi")</script>')
    page = text(client.get("/api-settings"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;" in page


def test_editing_a_webhook_changes_what_was_asked(client, db, me):
    add(client, url="https://receiver.example.com/a")
    hook = only_hook(db)
    form = text(client.get(f"/api-settings/webhooks/{hook.id}/edit"))
    assert 'value="https://receiver.example.com/a"' in form
    saved = post_form(client, f"/api-settings/webhooks/{hook.id}/edit", {
        "url": "https://receiver.example.com/b", "kind": "auto", "format": "json", "enabled": "on",
        "events": ["webhook.scan_finished", "webhook.test"], "min_severity": "high", "description": "ops",
    }, token_from="/api-settings")
    assert saved.headers["Location"] == f"/api-settings#webhook-{hook.id}"
    hook = only_hook(db)
    assert (hook.url, hook.events, hook.min_severity, hook.description, hook.enabled) == (
        "https://receiver.example.com/b", ["webhook.scan_finished", "webhook.test"], "high", "ops", True)


def test_editing_a_slack_webhook_keeps_its_url_when_left_empty(client, db, me):
    add(client, url=SLACK_URL)
    hook = only_hook(db)
    form = text(client.get(f"/api-settings/webhooks/{hook.id}/edit"))
    assert "XXXXSECRETXXXX" not in form
    post_form(client, f"/api-settings/webhooks/{hook.id}/edit",
              {"url": "", "kind": "auto", "format": "json", "enabled": "on", "description": "alerts"},
              token_from="/api-settings")
    hook = only_hook(db)
    assert (hook.url, hook.kind, hook.description) == (SLACK_URL, "slack", "alerts")


def ticked(form: str) -> set[str]:
    return set(re.findall(r'name="events" value="([^"]+)" checked', form))


def test_the_edit_form_ticks_the_events_the_webhook_really_receives(client, db, me):
    add(client, url=SLACK_URL)
    hook = only_hook(db)
    form = text(client.get(f"/api-settings/webhooks/{hook.id}/edit"))
    assert ticked(form) == {"webhook.new_server_issues", "webhook.scan_finished", "webhook.test"}
    unchanged = {"url": "", "kind": "auto", "format": "json", "enabled": "on", "events": sorted(ticked(form))}
    post_form(client, f"/api-settings/webhooks/{hook.id}/edit", unchanged, token_from="/api-settings")
    assert only_hook(db).events is None  # still following the usual set
    more = {**unchanged, "events": [*unchanged["events"], "webhook.scan_started"]}
    post_form(client, f"/api-settings/webhooks/{hook.id}/edit", more, token_from="/api-settings")
    assert set(only_hook(db).events) == set(more["events"])
    assert ticked(text(client.get(f"/api-settings/webhooks/{hook.id}/edit"))) == set(more["events"])


def test_an_invalid_edit_is_shown_again_with_the_message(client, db, me):
    add(client, url="https://receiver.example.com/a")
    hook = only_hook(db)
    answer = post_form(client, f"/api-settings/webhooks/{hook.id}/edit",
                       {"url": "gopher://x", "kind": "auto", "format": "json", "enabled": "on"},
                       token_from="/api-settings")
    assert answer.status_code == 422 and "URL: must start with http:// or https://" in text(answer)
    assert only_hook(db).url == "https://receiver.example.com/a"


def test_deleting_a_webhook_asks_first(client, db, me):
    add(client, url="https://receiver.example.com/a")
    hook = only_hook(db)
    assert "Delete this webhook?" in text(client.get(f"/api-settings/webhooks/{hook.id}/delete"))
    post_form(client, f"/api-settings/webhooks/{hook.id}/delete", token_from="/api-settings")
    with db.session() as session:
        assert session.query(Webhook).count() == 0


def test_a_disabled_webhook_shows_why_and_can_be_enabled_again(client, db, me):
    add(client, url="https://receiver.example.com/a")
    with db.session() as session:
        hook = session.query(Webhook).one()
        hook.enabled, hook.disabled_reason = False, "The receiver answered 410 Gone."
    page = text(client.get("/api-settings"))
    assert "Disabled" in page and "The receiver answered 410 Gone." in page and "Enable again" in page
    refused = post_form(client, f"/api-settings/webhooks/{hook.id}/test", token_from="/api-settings")
    assert refused.status_code == 302
    assert "This webhook is disabled; enable it before testing it." in text(client.get("/api-settings"))
    post_form(client, f"/api-settings/webhooks/{hook.id}/enable", token_from="/api-settings")
    hook = only_hook(db)
    assert (hook.enabled, hook.disabled_reason) == (True, None)


def test_rotating_a_secret_shows_the_new_one_once(client, db, me):
    add(client, url="https://receiver.example.com/a")
    old = only_hook(db).secret
    answer = post_form(client, f"/api-settings/webhooks/{only_hook(db).id}/rotate", token_from="/api-settings")
    hook = only_hook(db)
    assert hook.secret != old and hook.previous_secret == old
    assert hook.secret in text(answer) and "The old secret keeps signing beside it for 24 hours." in text(answer)
    assert answer.headers["Cache-Control"] == "no-store"


def test_test_webhook_queues_a_delivery_and_opens_the_log(client, db, me):
    add(client, url="https://receiver.example.com/a")
    hook = only_hook(db)
    answer = post_form(client, f"/api-settings/webhooks/{hook.id}/test", token_from="/api-settings")
    assert answer.headers["Location"] == f"/api-settings/webhooks/{hook.id}/deliveries"
    with db.session() as session:
        assert session.query(Delivery).filter_by(webhook_id=hook.id).count() == 1
    log = text(client.get(answer.headers["Location"]))
    assert "Test event" in log and "Queued" in log and "A test event is on its way" in log


def test_another_accounts_webhook_is_not_found(client, db, me, make_account):
    theirs = make_account()
    hook_id = client.post("/api/webhooks", json={"url": "https://x.example.com/"}, auth=theirs.auth).json["data"]["id"]
    for path in ("edit", "delete", "deliveries"):
        assert client.get(f"/api-settings/webhooks/{hook_id}/{path}").status_code == 404
    for path in ("edit", "delete", "enable", "rotate", "test"):
        answer = post_form(client, f"/api-settings/webhooks/{hook_id}/{path}", {"url": "https://y.example.com/"},
                           token_from="/api-settings")
        assert answer.status_code == 404, path
    with db.session() as session:
        hook = session.get(Webhook, hook_id)
        assert hook.url == "https://x.example.com/" and hook.previous_secret is None
        assert session.query(Delivery).count() == 0


def test_webhook_forms_need_their_csrf_token(client, db, me):
    assert client.post("/api-settings/webhooks", data={"url": "https://x.example.com/"}).status_code == 400
    assert client.post("/api-settings/credentials").status_code == 400
    with db.session() as session:
        assert session.query(Webhook).count() == 0
        assert session.query(Credential).count() == 1


def test_add_to_slack_is_offered_only_when_the_slack_app_can_install(app_config, client, me):
    assert "Add to Slack" not in text(client.get("/api-settings"))
    app_config.update(SLACK_SIGNING_SECRET="s" * 32, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="c" * 32,
                      SLACK_API_URL="http://127.0.0.1:9/api/")
    with_slack = create_app(app_config)
    try:
        browser = with_slack.test_client()
        sign_in(browser, me.email)
        page = text(browser.get("/api-settings"))
        assert "Add to Slack" in page and 'href="/slack/install"' in page
    finally:
        get_db(with_slack).dispose()
