"""Software buckets: the three encodings, replace, expire, ecosystems, errors."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from patrol import demo
from patrol.clock import now
from patrol.models import Bucket, Issue
from patrol.scanning import workers

ITEMS = [
    {"n": "php", "v": "8.1.2", "l": "/usr/bin/php"},
    {"n": "laravel/framework", "v": "9.0.1", "l": "/var/www/composer.lock", "p": "laravel/laravel"},
    {"n": "npm/lodash", "v": "4.17.4"},
]


def _data(response, status: int = 200):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["data"]


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]


def php_form(items: list[dict], prefix: str = "software") -> str:
    """What PHP's http_build_query makes of `['software' => $items]`."""
    return urlencode([(f"{prefix}[{i}][{k}]", v) for i, item in enumerate(items) for k, v in item.items()])


@pytest.fixture
def caller(make_account):
    return make_account()


@pytest.fixture
def server_id(caller, make_server):
    return make_server(caller)


@pytest.fixture
def push(client, caller, server_id):
    def push(key: str, **kwargs):
        return client.post(f"/api/servers/{server_id}/software_bucket/{key}", auth=caller.auth, **kwargs)

    return push


ENCODINGS = {
    "json array in a json body": lambda items: {"json": {"software": items}},
    "json string in a json body": lambda items: {"json": {"software": json.dumps(items)}},
    "json string in a form field": lambda items: {"data": {"software": json.dumps(items)}},
    "php bracket arrays": lambda items: {
        "data": php_form(items), "content_type": "application/x-www-form-urlencoded"},
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_stores_the_same_bucket(push, encoding):
    bucket = _data(push("main", **ENCODINGS[encoding](ITEMS)))
    assert set(bucket) == {"id", "key", "server_id", "software", "expire", "expires_at", "updated_at"}
    assert bucket["key"] == "main"
    assert [{k: v for k, v in item.items() if k != "e"} for item in bucket["software"]] == ITEMS
    assert [item.get("e") for item in bucket["software"]] == [None, "Packagist", "npm"]
    assert (bucket["expire"], bucket["expires_at"]) == (None, None)


def test_get_returns_what_was_pushed(client, caller, server_id, push):
    pushed = _data(push("main", json={"software": ITEMS}))
    assert _data(client.get(f"/api/servers/{server_id}/software_bucket/main", auth=caller.auth)) == pushed


def test_a_missing_bucket_says_so(client, caller, server_id):
    error = _error(client.get(f"/api/servers/{server_id}/software_bucket/nope", auth=caller.auth), 404)
    assert error == {"code": "not_found", "message": "Bucket does not exist"}


def test_a_push_replaces_the_bucket_whole(client, caller, server_id, push):
    first = _data(push("main", json={"software": ITEMS}))
    second = _data(push("main", json={"software": [{"n": "nginx", "v": "1.24.0"}]}))
    assert second["id"] == first["id"]
    assert second["software"] == [{"n": "nginx", "v": "1.24.0"}]
    names = [item["name"] for item in _data(client.get(f"/api/servers/{server_id}/software", auth=caller.auth))]
    assert names == ["nginx"]


def test_an_empty_list_empties_the_bucket(push):
    _data(push("main", json={"software": ITEMS}))
    assert _data(push("main", json={"software": []}))["software"] == []


def test_buckets_are_listed_by_key(client, caller, server_id, push):
    for key in ("web", "os", "composer"):
        _data(push(key, json={"software": [{"n": key}]}))
    listed = _data(client.get(f"/api/servers/{server_id}/software_bucket", auth=caller.auth))
    assert [bucket["key"] for bucket in listed] == ["composer", "os", "web"]
    assert all(bucket["server_id"] == server_id for bucket in listed)


@pytest.mark.parametrize("encoding", ["json", "form"])
def test_expire_sets_when_the_bucket_stops_counting(push, encoding):
    body = {"software": json.dumps(ITEMS), "expire": "3600"} if encoding == "form" else {
        "software": ITEMS, "expire": 3600}
    bucket = _data(push("main", **{"data" if encoding == "form" else "json": body}))
    assert bucket["expire"] == 3600
    updated = datetime.fromisoformat(bucket["updated_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(bucket["expires_at"].replace("Z", "+00:00"))
    assert timedelta(seconds=3599) <= expires - updated <= timedelta(seconds=3601)


def test_a_push_without_expire_makes_the_bucket_permanent_again(push):
    _data(push("main", json={"software": ITEMS, "expire": 60}))
    bucket = _data(push("main", json={"software": ITEMS}))
    assert (bucket["expire"], bucket["expires_at"]) == (None, None)


def test_an_expired_bucket_no_longer_counts_and_a_push_revives_it(client, db, caller, server_id, push):
    _data(push("os", json={"software": [{"n": "nginx", "v": "1.2", "l": "/"}], "expire": 60}))
    _data(push("app", json={"software": [{"n": "npm/lodash", "v": "4.17.4"}]}))
    with db.session() as session:
        bucket = session.scalar(select(Bucket).where(Bucket.key == "os"))
        bucket.expires_at = now() - timedelta(seconds=1)
    names = {item["name"] for item in _data(client.get(f"/api/servers/{server_id}/software", auth=caller.auth))}
    assert names == {"npm/lodash"}
    _data(push("os", json={"software": [{"n": "nginx", "v": "1.2", "l": "/"}], "expire": 60}))
    names = {item["name"] for item in _data(client.get(f"/api/servers/{server_id}/software", auth=caller.auth))}
    assert names == {"npm/lodash", "nginx"}


def test_delete_removes_the_bucket_and_its_software(client, caller, server_id, push):
    _data(push("main", json={"software": ITEMS}))
    assert _data(client.post(f"/api/servers/{server_id}/software_bucket/main/delete", auth=caller.auth)) is True
    _error(client.get(f"/api/servers/{server_id}/software_bucket/main", auth=caller.auth), 404)
    assert _data(client.get(f"/api/servers/{server_id}/software", auth=caller.auth)) == []
    again = _error(client.post(f"/api/servers/{server_id}/software_bucket/main/delete", auth=caller.auth), 404)
    assert again["message"] == "Bucket does not exist"


@pytest.mark.parametrize(
    ("item", "ecosystem"),
    [
        ({"n": "npm/lodash", "v": "4.17.4"}, "npm"),
        ({"n": "lodash", "v": "4.17.4", "l": "/srv/app/package-lock.json"}, "npm"),
        ({"n": "guzzlehttp/psr7", "v": "1.8.3", "l": "/var/www/composer.lock"}, "Packagist"),
        ({"n": "nginx", "v": "1.2.1-2.2+wheezy2", "l": "/"}, "Debian"),
        ({"n": "requests", "v": "2.28.1", "l": "/srv/requirements.txt"}, "PyPI"),
        ({"n": "Requests", "v": "2.28.1", "e": "pypi"}, "PyPI"),
        ({"n": "nginx", "v": "1.2", "e": "debian:12"}, "Debian:12"),
        ({"n": "php", "v": "8.1.2", "l": "/usr/bin/php"}, None),
        ({"n": "serde", "v": "1.0.0", "e": "crates.io"}, "crates.io"),
        ({"n": "libssl3", "v": "3.0.2-0ubuntu1.10", "e": "Ubuntu:22.04:LTS"}, "Ubuntu:22.04:LTS"),
        ({"n": "busybox", "v": "1.36.0-r9", "e": "Alpine:v3.18"}, "Alpine:v3.18"),
        ({"n": "bash", "v": "5.1.8-4.el9", "e": "AlmaLinux:9"}, "AlmaLinux:9"),
        ({"n": "com.example:lib", "v": "1.0", "e": "Maven"}, "Maven"),
        ({"n": "plug", "v": "1.0.0", "e": "Hex"}, None),
        ({"n": "Not A Package", "v": "1", "l": "/var/www/composer.lock"}, None),
    ],
)
def test_each_item_gets_an_ecosystem_or_null(client, caller, server_id, push, item, ecosystem):
    _data(push("main", json={"software": [item]}))
    listed = _data(client.get(f"/api/servers/{server_id}/software", auth=caller.auth))
    assert [(entry["name"], entry["ecosystem"]) for entry in listed] == [(item["n"], ecosystem)]


def test_items_of_no_known_ecosystem_are_kept_but_never_matched(client, db, caller, server_id, push):
    demo.import_advisories(db)
    _data(push("main", json={"software": [
        {"n": "lodash", "v": "4.17.4"},  # no ecosystem: lodash of what?
        {"n": "npm/lodash", "v": "4.17.4"},
        {"n": "nginx", "v": "1.2.1-2.2+wheezy2", "l": "/"},
    ]}))
    _data(client.post(f"/api/servers/{server_id}/scan", auth=caller.auth), 202)
    workers.run_one(db)
    issues = _data(client.get(f"/api/servers/{server_id}/issues", auth=caller.auth))
    assert sorted((i["software"]["name"], i["advisory"]["id"]) for i in issues) == [
        ("nginx", "DSA-3029-1"),
        ("npm/lodash", "GHSA-35jh-r3h4-6jhm"),
        ("npm/lodash", "GHSA-p6mc-m468-83gw"),
    ]


BAD_BODIES = [
    ({}, "software"),
    ({"software": None}, "software"),
    ({"software": "not json"}, "software"),
    ({"software": {"n": "php"}}, "software"),
    ({"software": 5}, "software"),
    ({"software": ["php"]}, "software"),
    ({"software": [{"v": "1.0"}]}, "software"),
    ({"software": [{"n": "   "}]}, "software"),
    ({"software": [{"n": ["php"]}]}, "software"),
    ({"software": [{"n": True}]}, "software"),
    ({"software": [{"n": "x" * 256}]}, "software"),
    ({"software": [{"n": "php", "v": "1" * 101}]}, "software"),
    ({"software": [{"n": "php\x00"}]}, "software"),
    ({"software": [], "expire": "soon"}, "expire"),
    ({"software": [], "expire": -5}, "expire"),
    ({"software": [], "expire": 10**12}, "expire"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_a_bad_push_is_422_and_changes_nothing(client, caller, server_id, push, body, field):
    _data(push("main", json={"software": ITEMS}))
    error = _error(push("main", json=body), 422)
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {field}
    kept = _data(client.get(f"/api/servers/{server_id}/software_bucket/main", auth=caller.auth))
    assert len(kept["software"]) == len(ITEMS)


def test_php_form_indexes_may_have_gaps_but_must_be_numbers(push):
    gap = urlencode({"software[0][n]": "php", "software[2][n]": "nginx"})
    stored = _data(push("main", data=gap, content_type="application/x-www-form-urlencoded"))
    assert [item["n"] for item in stored["software"]] == ["php", "nginx"]
    word = urlencode({"software[first][n]": "php"})
    assert _error(push("main", data=word, content_type="application/x-www-form-urlencoded"), 422)["fields"]


def test_php_form_items_keep_their_numeric_order(push):
    body = urlencode([("software[10][n]", "ten"), ("software[2][n]", "two"), ("software[0][n]", "zero")])
    stored = _data(push("main", data=body, content_type="application/x-www-form-urlencoded"))
    assert [item["n"] for item in stored["software"]] == ["zero", "two", "ten"]


def test_a_bucket_key_past_100_characters_is_422(push):
    assert set(_error(push("k" * 101, json={"software": ITEMS}), 422)["fields"]) == {"key"}
    assert _data(push("k" * 100, json={"software": ITEMS}))["key"] == "k" * 100


def test_a_key_with_a_nul_is_refused_and_never_found(client, caller, server_id, push):
    assert set(_error(push("a%00b", json={"software": ITEMS}), 422)["fields"]) == {"key"}
    response = client.get(f"/api/servers/{server_id}/software_bucket/a%00b", auth=caller.auth)
    assert _error(response, 404)["message"] == "Bucket does not exist"


def test_two_pushes_racing_for_a_new_bucket_both_succeed(app, db, caller, server_id):
    gate = threading.Barrier(2)
    answers: list[int] = []

    def push(name: str) -> None:
        client = app.test_client()
        gate.wait()
        response = client.post(f"/api/servers/{server_id}/software_bucket/race", json={"software": [{"n": name}]},
                               auth=caller.auth)
        answers.append(response.status_code)

    threads = [threading.Thread(target=push, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Bucket).where(Bucket.key == "race")) == 1
        bucket = session.scalar(select(Bucket).where(Bucket.key == "race"))
        assert len(bucket.software) == 1


def test_dropping_a_bucket_resolves_its_issues_at_the_next_scan(client, db, caller, server_id, push):
    demo.import_advisories(db)
    _data(push("npm", json={"software": demo.lockfile_items("npm")}))
    _data(client.post(f"/api/servers/{server_id}/scan", auth=caller.auth), 202)
    workers.run_one(db)
    assert _data(client.post(f"/api/servers/{server_id}/software_bucket/npm/delete", auth=caller.auth)) is True
    _data(client.post(f"/api/servers/{server_id}/scan", auth=caller.auth), 202)
    workers.run_one(db)
    assert _data(client.get(f"/api/servers/{server_id}/issues", auth=caller.auth)) == []
    with db.session() as session:
        resolved = session.scalar(select(func.count()).select_from(Issue).where(Issue.resolved_at.is_not(None)))
    assert resolved == 4
