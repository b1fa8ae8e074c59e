"""The OpenAPI document at /api/openapi.json covers every API route the app has."""
from __future__ import annotations

import re

import pytest

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _openapi_path(rule: str) -> str:
    """`/api/servers/<id:server_id>` → `/servers/{server_id}` (the document's server is /api)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix("/api"))


def _api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]


def test_every_api_route_is_documented(app, document):
    missing = sorted(
        f"{method} {_openapi_path(rule.rule)}"
        for rule in _api_rules(app)
        for method in rule.methods - IGNORED_METHODS
        if method.lower() not in document["paths"].get(_openapi_path(rule.rule), {})
    )
    assert missing == []


def test_every_documented_path_exists(app, document):
    routed = {_openapi_path(rule.rule) for rule in _api_rules(app)}
    assert sorted(set(document["paths"]) - routed) == []


def test_the_walk_sees_the_core_routes(app):
    """Guards the two tests above against passing on an empty walk."""
    paths = {_openapi_path(rule.rule) for rule in _api_rules(app)}
    assert {"/user", "/servers", "/servers/{server_id}/software_bucket/{key}",
            "/servers/{server_id}/software/{software_id}/exploits"} <= paths


def test_path_parameters_are_declared(document):
    for path, item in document["paths"].items():
        named = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            if method == "parameters":
                continue
            declared = {
                _resolve(document, parameter)["name"]
                for parameter in item.get("parameters", []) + operation.get("parameters", [])
                if _resolve(document, parameter)["in"] == "path"
            }
            assert declared == named, f"{method.upper()} {path}"


def test_every_reference_resolves(document):
    for reference in _references(document):
        assert _resolve(document, {"$ref": reference}) is not None, reference


def test_it_names_the_running_version(app, document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == app.config["PATROL_VERSION"]
    assert document["servers"] == [{"url": "/api"}]


def _references(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def _resolve(document: dict, node: dict):
    if "$ref" not in node:
        return node
    target = document
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target.get(part) if isinstance(target, dict) else None
        if target is None:
            return None
    return target


def test_every_authenticated_operation_documents_429_and_503(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "patch", "delete", "put"} and path != "/openapi.json":
                assert {"429", "503"} <= set(operation["responses"]), f"{method} {path}"
    assert "Retry-After" in document["components"]["responses"]["RateLimited"]["headers"]
