"""The docs the app serves itself: the webhooks guide and the API reference."""
from pathlib import Path

import pytest

from patrol.api.openapi import document
from webhooks.config import DEFAULT_RETRY_SCHEDULE
from tests.support.web_pages import text

pytestmark = pytest.mark.extensions("web")


@pytest.fixture
def app_config(app_config):
    app_config["WEBHOOK_RETRY_SCHEDULE"] = [float(s) for s in DEFAULT_RETRY_SCHEDULE.split(",")]
    return app_config


def test_the_webhooks_guide_shows_how_to_verify_and_fetch(client):
    page = text(client.get("/docs/webhooks"))
    for expected in ("webhook-signature", "from standardwebhooks import Webhook, WebhookVerificationError",
                     "abort(401)", "http_response_code(401)", "hash_hmac('sha256'", "hash_equals", "/webhooks/{webhook_id}/events/{event_id}",
                     "http://localhost/api", "5 seconds, 5 minutes, 30 minutes, 2 hours", "10 hours", "5 days"):
        assert expected in page, expected


def test_the_api_reference_lists_every_operation_of_the_served_document(app, client):
    page = text(client.get("/docs/api"))
    doc = document(app)
    for path, item in doc["paths"].items():
        for method in ("get", "post", "patch", "delete"):
            if method in item:
                assert f'<span class="method method-{method.upper()}">{method.upper()}</span> <code>{path}</code>' in page
    assert "/webhooks/{webhook_id}/events/{event_id}" in page
    assert "<code>already_scanning</code>" in page
    assert "list of Issue" in page and 'id="schema-Scan"' in page


def test_the_docs_need_no_sign_in_and_no_network(client):
    for path in ("/docs/webhooks", "/docs/api"):
        page = text(client.get(path))
        assert "Sign in" in page
        assert "https://cdn" not in page and "<script src=\"http" not in page


def test_the_readme_and_the_guide_verify_alike_and_agree_on_401(client):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    page = text(client.get("/docs/webhooks"))
    for source in (readme, page):
        assert "from standardwebhooks import Webhook, WebhookVerificationError" in source
        assert "hash_hmac('sha256'" in source and "http_response_code(401)" in source
