"""Per-account quotas (409 quota_exceeded) and per-key API rate limits (429 with Retry-After).

The limits are set low here so that a test reaches them in a few requests;
the defaults are generous (patrol.config).
"""
from __future__ import annotations

import pytest

from tests.support.web_pages import PASSWORD, post_form, sign_in

HOOK = "http://127.0.0.1:9/hook"


@pytest.fixture
def app_config(app_config):
    app_config.update(QUOTA_SERVERS=2, QUOTA_WEBHOOKS=2, QUOTA_CREDENTIALS=2, QUOTA_BUCKETS_PER_SERVER=2)
    return app_config


@pytest.fixture
def owner(make_account):
    return make_account(password=PASSWORD)


def assert_over_quota(answer, setting: str) -> None:
    assert answer.status_code == 409, answer.get_data(as_text=True)
    error = answer.json["error"]
    assert error["code"] == "quota_exceeded" and setting in error["message"]


def test_servers_stop_at_the_quota_and_a_delete_makes_room(client, owner, make_account):
    made = [client.post("/api/servers", data={"domain": f"web{n}.example.com"}, auth=owner.auth) for n in (1, 2)]
    assert [answer.status_code for answer in made] == [201, 201]

    assert_over_quota(client.post("/api/servers", data={"domain": "web3.example.com"}, auth=owner.auth),
                      "PATROL_MAX_SERVERS")
    other = make_account()
    assert client.post("/api/servers", data={"domain": "web3.example.com"}, auth=other.auth).status_code == 201
    client.delete(f"/api/servers/{made[0].json['data']['id']}", auth=owner.auth)
    assert client.post("/api/servers", data={"domain": "web3.example.com"}, auth=owner.auth).status_code == 201


@pytest.mark.extensions("web")
def test_webhooks_stop_at_the_quota_through_the_api_and_the_web_form(client, owner):
    for _ in range(2):
        assert client.post("/api/webhooks", json={"url": HOOK}, auth=owner.auth).status_code == 201

    assert_over_quota(client.post("/api/webhooks", json={"url": HOOK}, auth=owner.auth), "PATROL_MAX_WEBHOOKS")
    sign_in(client, owner.email)
    page = post_form(client, "/api-settings/webhooks", {"url": HOOK}, token_from="/api-settings")
    assert page.status_code == 409 and "PATROL_MAX_WEBHOOKS" in page.get_data(as_text=True)


@pytest.mark.extensions("web")
def test_credentials_stop_at_the_quota(client, owner):
    sign_in(client, owner.email)  # the account's first key counts: one more fits

    made = post_form(client, "/api-settings/credentials", {"label": "laptop"}, token_from="/api-settings")
    refused = post_form(client, "/api-settings/credentials", {"label": "ci"}, token_from="/api-settings")

    assert made.status_code == 201
    assert refused.status_code == 409 and "PATROL_MAX_CREDENTIALS" in refused.get_data(as_text=True)


def test_buckets_stop_at_the_quota_but_an_existing_one_can_still_be_replaced(client, owner, make_server):
    base = f"/api/servers/{make_server(owner)}/software_bucket"
    for key in ("os", "shop"):
        assert client.post(f"{base}/{key}", json={"software": []}, auth=owner.auth).status_code == 200

    assert_over_quota(client.post(f"{base}/api", json={"software": []}, auth=owner.auth),
                      "PATROL_MAX_BUCKETS_PER_SERVER")
    assert client.post(f"{base}/os", json={"software": []}, auth=owner.auth).status_code == 200


@pytest.fixture
def limited(app_config):
    """One request's worth of tokens a minute, after a burst of three: the fourth is refused."""
    app_config.update(API_RATE=1 / 60, API_BURST=3)
    return app_config


def test_a_key_past_its_rate_is_refused_with_retry_after(limited, client, owner, make_account):
    answers = [client.get("/api/user", auth=owner.auth) for _ in range(4)]
    other = client.get("/api/user", auth=make_account().auth)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json == {"error": {"code": "too_many_requests", "message": refused.json["error"]["message"]}}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert other.status_code == 200  # each key has its own bucket


def test_both_credential_forms_draw_on_the_same_bucket(limited, client, owner):
    for _ in range(3):
        client.get("/api/user", auth=owner.auth)

    assert client.get("/api/user", auth=owner.auth).status_code == 429
    assert client.get("/api/user", query_string=owner.query).status_code == 429  # same key, other form
