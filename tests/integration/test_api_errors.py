"""The error envelope everywhere: routing errors, bodies, validation, the unexpected."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

BODY_LIMIT = 2048


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def small_body_limit(app_config):
    """Requested before `client`, so the app is built with this limit."""
    app_config["MAX_CONTENT_LENGTH"] = BODY_LIMIT


@pytest.fixture
def caller(make_account):
    return make_account()


@pytest.fixture
def server_id(caller, make_server):
    return make_server(caller)


@pytest.mark.parametrize("path", ["/api/nope", "/api", "/api/servers/abc", "/api/servers/1/nope", "/api/servers/0"])
def test_unknown_paths_are_404_envelopes(client, caller, path):
    _error(client.get(path, auth=caller.auth), 404, "not_found")


def test_unknown_paths_are_404_even_without_credentials(client):
    _error(client.get("/api/nope"), 404, "not_found")


def test_an_id_past_the_database_range_is_404_not_500(client, caller, server_id):
    for path in ("/api/servers/99999999999999999999", "/api/servers/2147483648",
                 f"/api/servers/{server_id}/software/99999999999999999999"):
        _error(client.get(path, auth=caller.auth), 404, "not_found")


def test_wrong_method_is_405_with_allow(client, caller):
    response = client.put("/api/servers", auth=caller.auth)
    _error(response, 405, "method_not_allowed")
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_a_body_over_the_limit_is_413(small_body_limit, client, caller, server_id):
    items = [{"n": f"package-{i}", "v": "1.0.0"} for i in range(200)]
    big_json = client.post(f"/api/servers/{server_id}/software_bucket/main", json={"software": items},
                           auth=caller.auth)
    error = _error(big_json, 413, "payload_too_large")
    assert str(BODY_LIMIT) in error["message"]
    big_form = client.post(f"/api/servers/{server_id}/software_bucket/main", data={"software": json.dumps(items)},
                           auth=caller.auth)
    _error(big_form, 413, "payload_too_large")
    small = client.post(f"/api/servers/{server_id}/software_bucket/main", json={"software": items[:5]},
                        auth=caller.auth)
    assert small.status_code == 200


@pytest.mark.parametrize("raw", [b"{not json", b'{"software": [', b"\xff\xfe", b'{"a": NaN'])
def test_malformed_json_is_400(client, caller, server_id, raw):
    response = client.post(f"/api/servers/{server_id}/software_bucket/main", data=raw,
                           content_type="application/json", auth=caller.auth)
    _error(response, 400, "bad_request")


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"42", b"null"])
def test_a_json_body_that_is_not_an_object_is_400(client, caller, raw):
    response = client.post("/api/servers", data=raw, content_type="application/json", auth=caller.auth)
    _error(response, 400, "bad_request")


def test_an_empty_json_body_is_a_validation_error(client, caller):
    response = client.post("/api/servers", data=b"", content_type="application/json", auth=caller.auth)
    assert _error(response, 422, "validation_failed")["fields"] == {"domain": "a host name such as web1.example.com"}


def test_validation_errors_are_422_with_fields(client, caller, server_id):
    response = client.post(f"/api/servers/{server_id}/software_bucket/main", json={"software": [{"v": "1"}]},
                           auth=caller.auth)
    error = _error(response, 422, "validation_failed")
    assert set(error["fields"]) == {"software"}
    assert "item 0" in error["fields"]["software"]


@pytest.mark.parametrize(
    "pairs",
    [
        [("software[0][n][a][b][c][d][e]", "x")],  # nested too deeply
        [("software", "x"), ("software[0][n]", "php")],  # a value, then a list
        [("software[0][n]", "php"), ("software[0]", "x")],  # a list, then a value
    ],
)
def test_malformed_php_forms_are_400(client, caller, server_id, pairs):
    response = client.post(f"/api/servers/{server_id}/software_bucket/main", data=urlencode(pairs),
                           content_type="application/x-www-form-urlencoded", auth=caller.auth)
    _error(response, 400, "bad_request")


def test_an_unexpected_failure_is_a_bare_500_envelope(app, client, caller):
    def explode():
        raise RuntimeError("secret detail: SELECT * FROM credentials")

    app.add_url_rule("/api/explode", view_func=explode)
    response = client.get("/api/explode", auth=caller.auth)
    error = _error(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "secret detail" not in text and "Traceback" not in text and "SELECT" not in text
    assert error == {"code": "internal_error", "message": "Something went wrong on our side."}


HOSTILE = [
    ("GET", "/api/servers/{id}/software_bucket/%00", None),
    ("POST", "/api/servers/{id}/software_bucket/%00", {"json": {"software": []}}),
    ("POST", "/api/servers", {"json": {"domain": "a\x00b"}}),
    ("POST", "/api/servers", {"data": b'{"domain": "\\ud800"}', "content_type": "application/json"}),
    ("POST", "/api/servers/{id}/software_bucket/k",
     {"data": b'{"software": [{"n": "\\udfff"}]}', "content_type": "application/json"}),
    ("POST", "/api/servers/{id}/software_bucket/k", {"json": {"software": [{"n": "x", "l": "\x00"}]}}),
    ("POST", "/api/servers/{id}/software_bucket/k", {"json": {"software": [{"n": {"deep": ["x"]}}]}}),
    ("POST", "/api/servers/{id}/software_bucket/k", {"json": {"software": [], "expire": [1]}}),
    ("POST", "/api/servers/{id}/software_bucket/k", {"json": {"software": "[" * 5000}}),
    ("POST", "/api/servers/{id}/software_bucket/k", {"data": "[" * 5000, "content_type": "application/json"}),
    ("POST", "/api/servers/{id}/software_bucket/k",
     {"data": '{"software": ' + "[" * 5000 + "]" * 5000 + "}", "content_type": "application/json"}),
    ("POST", "/api/servers/{id}/software_bucket/k",
     {"data": "software[" + "9" * 5000 + "][n]=x", "content_type": "application/x-www-form-urlencoded"}),
    ("GET", "/api/servers/{id}/issues?page=" + "9" * 5000, None),
    ("GET", "/api/servers/{id}/scans?per_page=%00", None),
    ("GET", "/api/user?key=%00&secret=%00", None),
]


@pytest.mark.parametrize(("method", "path", "extra"), HOSTILE)
def test_hostile_input_never_reaches_the_database_as_a_500(client, caller, server_id, method, path, extra):
    kwargs = dict(extra or {})
    if "key=" not in path:
        kwargs["auth"] = caller.auth
    response = client.open(path.format(id=server_id), method=method, **kwargs)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert set(response.get_json()) == {"error"}


def test_pages_outside_api_keep_flasks_own_errors(client):
    response = client.get("/no-such-page-outside-the-api")
    assert response.status_code == 404
    assert not (response.is_json and "error" in response.get_json())
