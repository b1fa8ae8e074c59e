"""NUL bytes, lone surrogates and non-finite numbers, wherever a request can carry them.

No database stores a NUL in text (PostgreSQL refuses it, SQLite would keep
it), no encoder writes a lone surrogate, and no column holds 1e999; one layer
at the edge refuses all three before a handler sees them, so both databases
answer alike: 422 in the contract's envelope, or 404 for an id in the path.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.web_pages import PASSWORD, post_form, sign_in
from webhooks.models import Webhook


@pytest.fixture
def owner(make_account):
    return make_account(password=PASSWORD)


def raw_json(client, method, path, caller, body: str):
    return client.open(path, method=method, data=body, content_type="application/json", auth=caller.auth)


def assert_refused(answer, status=422):
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert set(answer.json) == {"error"} and answer.json["error"]["code"]
    return answer.json["error"]


def webhook_count(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Webhook))


@pytest.mark.parametrize("number", ["1e999", "-1e999", "Infinity", "-Infinity", "NaN"])
def test_a_bucket_with_a_non_finite_expire_is_refused(client, owner, make_server, number):
    server_id = make_server(owner)
    body = '{"expire": %s, "software": [{"name": "php", "version": "8.1.2"}]}' % number

    error = assert_refused(raw_json(client, "POST", f"/api/servers/{server_id}/software_bucket/os", owner, body))

    assert "expire" in error["fields"]


@pytest.mark.extensions("webhooks")
@pytest.mark.parametrize("text", [r"\udc00", r"ops \ud83d", r"ops\u0000team"])
def test_a_webhook_description_with_a_lone_surrogate_or_nul_is_refused(client, db, owner, text):
    body = '{"url": "http://127.0.0.1:9/hook", "description": "%s"}' % text

    error = assert_refused(raw_json(client, "POST", "/api/webhooks", owner, body))

    assert "description" in error["fields"] and webhook_count(db) == 0


def test_a_nul_in_a_json_key_or_nested_value_is_refused(client, owner, make_server):
    server_id = make_server(owner)
    body = '{"software": [{"name": "php\\u0000", "version": "8.1.2"}]}'

    error = assert_refused(raw_json(client, "POST", f"/api/servers/{server_id}/software_bucket/os", owner, body))

    assert set(error["fields"]) == {"software"}


@pytest.mark.extensions("webhooks")
def test_a_nul_in_a_form_body_is_refused(client, db, owner):
    answer = client.post("/api/webhooks", data={"url": "http://127.0.0.1:9/hook", "description": "a\x00b"},
                         auth=owner.auth)

    assert "description" in assert_refused(answer)["fields"] and webhook_count(db) == 0


@pytest.mark.extensions("webhooks")
def test_a_nul_in_a_patch_is_refused(client, owner):
    hook = client.post("/api/webhooks", json={"url": "http://127.0.0.1:9/hook"}, auth=owner.auth).json["data"]

    answer = client.patch(f"/api/webhooks/{hook['id']}", json={"description": "x\x00"}, auth=owner.auth)

    assert_refused(answer)
    assert client.get(f"/api/webhooks/{hook['id']}", auth=owner.auth).json["data"]["description"] != "x\x00"


@pytest.mark.extensions("webhooks")
@pytest.mark.parametrize("path", ["/api/webhooks/wh_%00", "/api/webhooks/wh_%00/deliveries",
                                  "/api/webhooks/wh_%00/events/x", "/api/webhooks/%ED%B2%80",
                                  "/api/servers/1/software_bucket/os%00"])
def test_an_id_in_the_path_with_a_nul_or_broken_utf8_is_not_found(client, owner, path):
    assert_refused(client.get(path, auth=owner.auth), 404)


@pytest.mark.extensions("webhooks")
def test_a_nul_in_the_query_is_refused(client, owner):
    error = assert_refused(client.get("/api/webhooks/wh_x/deliveries?page=1%00", auth=owner.auth))

    assert "page" in error["fields"]


@pytest.mark.parametrize("key, secret", [("k\x00", "s"), ("key", "sec\x00ret")])
def test_credentials_that_cannot_exist_are_401_like_any_wrong_credential(client, key, secret):
    for sent in ({"query_string": {"key": key, "secret": secret}}, {"auth": (key, secret)}):
        assert assert_refused(client.get("/api/user", **sent), 401)["code"] == "unauthorized"


@pytest.mark.extensions("web")
def test_signing_in_with_a_nul_in_the_email_is_refused_with_a_page(client):
    answer = post_form(client, "/signin", {"email": "a\x00@example.com", "password": "x"})

    assert answer.status_code == 422
    assert "<html" in answer.get_data(as_text=True).lower()


@pytest.mark.extensions("web")
def test_a_credential_label_with_a_nul_from_the_web_form_is_refused(client, owner):
    sign_in(client, owner.email)

    answer = post_form(client, "/api-settings/credentials", {"label": "laptop\x00"}, token_from="/api-settings")

    assert answer.status_code == 422
    assert "laptop" not in client.get("/api-settings").get_data(as_text=True)


@pytest.mark.extensions("web")
def test_a_webhook_description_with_a_nul_from_the_web_form_is_refused(client, db, owner):
    sign_in(client, owner.email)

    answer = post_form(client, "/api-settings/webhooks", {"url": "http://127.0.0.1:9/hook", "description": "a\x00"},
                       token_from="/api-settings")

    assert answer.status_code == 422 and webhook_count(db) == 0


@pytest.mark.extensions("web")
@pytest.mark.parametrize("method, path", [("GET", "/api-settings/webhooks/%00/edit"),
                                          ("POST", "/api-settings/credentials/%00/revoke"),
                                          ("GET", "/api-settings/credentials/%00/revoke")])
def test_web_pages_with_a_nul_in_the_path_are_not_found(client, owner, method, path):
    sign_in(client, owner.email)

    answer = post_form(client, path, token_from="/api-settings") if method == "POST" else client.get(path)

    assert answer.status_code == 404
