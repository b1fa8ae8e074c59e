"""Who may call the API: both credential forms, 401s, and 404 for other accounts' things."""
from __future__ import annotations

import base64
import re

import pytest

from patrol import credentials
from patrol.models import Account


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    return body["error"]


def test_query_key_and_secret_authenticate(client, make_account):
    caller = make_account("query@example.com")
    response = client.get("/api/user", query_string=caller.query)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["id"] == caller.account_id
    assert data["email"] == "query@example.com"
    assert data["created_at"].endswith("Z")


def test_http_basic_authenticates(client, make_account):
    caller = make_account("basic@example.com")
    response = client.get("/api/user", auth=caller.auth)
    assert response.status_code == 200
    assert response.get_json()["data"]["email"] == "basic@example.com"


def test_basic_header_built_by_hand_authenticates(client, make_account):
    caller = make_account()
    token = base64.b64encode(f"{caller.key}:{caller.secret}".encode()).decode()
    response = client.get("/api/user", headers={"Authorization": f"Basic {token}"})
    assert response.get_json()["data"]["id"] == caller.account_id


def test_other_auth_schemes_fall_back_to_the_query(client, make_account):
    caller = make_account()
    response = client.get("/api/user", query_string=caller.query, headers={"Authorization": "Bearer abc"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "how",
    ["nothing", "key only", "secret only", "wrong secret", "wrong key", "empty basic password",
     "malformed basic", "key with a NUL", "secret of another account"],
)
def test_missing_or_wrong_credentials_are_401(client, make_account, how):
    caller, other = make_account(), make_account()
    requests = {
        "nothing": {},
        "key only": {"query_string": {"key": caller.key}},
        "secret only": {"query_string": {"secret": caller.secret}},
        "wrong secret": {"query_string": {"key": caller.key, "secret": "0" * 64}},
        "wrong key": {"query_string": {"key": "0" * 32, "secret": caller.secret}},
        "empty basic password": {"auth": (caller.key, "")},
        "malformed basic": {"headers": {"Authorization": "Basic !!not-base64"}},
        "key with a NUL": {"query_string": {"key": caller.key[:-1] + "\x00", "secret": caller.secret}},
        "secret of another account": {"query_string": {"key": caller.key, "secret": other.secret}},
    }
    error = _error(client.get("/api/user", **requests[how]), 401, "unauthorized")
    assert caller.secret not in error["message"]


def test_a_revoked_credential_is_401_and_the_others_still_work(client, db, make_account):
    caller = make_account()
    with db.session() as session:
        account = session.get(Account, caller.account_id)
        spare = credentials.issue(session, account, label="spare")
        credentials.revoke(session, account, caller.key)
    _error(client.get("/api/user", auth=caller.auth), 401, "unauthorized")
    _error(client.get("/api/user", query_string=caller.query), 401, "unauthorized")
    assert client.get("/api/user", auth=(spare.key, spare.secret)).status_code == 200


def test_every_api_route_but_the_document_requires_credentials(app, client):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/openapi.json":
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code == 401, f"{method} {rule.rule}"


def test_the_openapi_document_needs_no_credentials(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "paths" in response.get_json()


# Every route that names a server (and what it needs in its body).
SERVER_ROUTES = [
    ("GET", "/servers/{id}", None),
    ("DELETE", "/servers/{id}", None),
    ("POST", "/servers/{id}/delete", None),
    ("POST", "/servers/{id}/scan", None),
    ("GET", "/servers/{id}/isScanning", None),
    ("GET", "/servers/{id}/scans", None),
    ("GET", "/servers/{id}/issues", None),
    ("GET", "/servers/{id}/software", None),
    ("GET", "/servers/{id}/software?scope=exploits", None),
    ("GET", "/servers/{id}/software_bucket", None),
    ("GET", "/servers/{id}/software_bucket/main", None),
    ("POST", "/servers/{id}/software_bucket/main", {"software": [{"n": "php", "v": "8.1.2"}]}),
    ("POST", "/servers/{id}/software_bucket/main/delete", None),
]


@pytest.mark.parametrize(("method", "path", "body"), SERVER_ROUTES)
def test_another_accounts_server_is_404_like_a_missing_one(client, make_account, make_server, method, path, body):
    owner, stranger = make_account(), make_account()
    server_id = make_server(owner)
    client.post(f"/api/servers/{server_id}/software_bucket/main", json={"software": [{"n": "php"}]}, auth=owner.auth)
    foreign = client.open("/api" + path.format(id=server_id), method=method, json=body, auth=stranger.auth)
    missing = client.open("/api" + path.format(id=server_id + 1000), method=method, json=body, auth=stranger.auth)
    assert _error(foreign, 404, "not_found") == _error(missing, 404, "not_found")
    # Nothing was changed on the owner's side.
    assert client.get(f"/api/servers/{server_id}/software_bucket/main", auth=owner.auth).status_code == 200
    assert client.get(f"/api/servers/{server_id}/isScanning", auth=owner.auth).get_json() == {"data": False}


def test_another_servers_software_item_is_404_under_my_server(client, make_account, make_server):
    owner, stranger = make_account(), make_account()
    theirs, mine = make_server(owner), make_server(stranger, "mine.example.com")
    client.post(f"/api/servers/{theirs}/software_bucket/main", json={"software": [{"n": "php"}]}, auth=owner.auth)
    item_id = client.get(f"/api/servers/{theirs}/software", auth=owner.auth).get_json()["data"][0]["id"]
    for suffix in ("", "/exploits"):
        _error(client.get(f"/api/servers/{mine}/software/{item_id}{suffix}", auth=stranger.auth), 404, "not_found")
        _error(client.get(f"/api/servers/{theirs}/software/{item_id}{suffix}", auth=stranger.auth), 404, "not_found")
        assert client.get(f"/api/servers/{theirs}/software/{item_id}{suffix}", auth=owner.auth).status_code == 200


def test_listing_shows_only_my_servers(client, make_account, make_server):
    me, other = make_account(), make_account()
    mine = make_server(me, "mine.example.com")
    make_server(other, "theirs.example.com")
    listed = client.get("/api/servers", auth=me.auth).get_json()["data"]
    assert [server["id"] for server in listed] == [mine]
