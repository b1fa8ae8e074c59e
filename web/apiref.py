"""The OpenAPI document, flattened into what the API reference page lists.

Rendered on the server from `patrol.api.openapi.document`, so the page is
always the document the app serves, and needs no script or CDN.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    shape: str
    description: str


@dataclass
class Response:
    status: str
    description: str
    shape: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    public: bool
    parameters: list[Parameter] = field(default_factory=list)
    bodies: list[tuple[str, str]] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.method.lower()}-{self.path}".replace("/", "-").replace("{", "").replace("}", "")


def operations(doc: dict) -> list[Operation]:
    found = []
    for path, item in doc.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method in item:
                found.append(_operation(doc, method, path, item[method], shared))
    return found


def _operation(doc: dict, method: str, path: str, op: dict, shared: list) -> Operation:
    return Operation(
        method=method.upper(),
        path=path,
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        public=op.get("security") == [],
        parameters=[_parameter(doc, p) for p in [*shared, *op.get("parameters", [])]],
        bodies=[(kind, shape(media.get("schema", {})))
                for kind, media in op.get("requestBody", {}).get("content", {}).items()],
        responses=[_response(doc, status, answer) for status, answer in op.get("responses", {}).items()],
    )


def _parameter(doc: dict, raw: dict) -> Parameter:
    param = resolve(doc, raw)
    return Parameter(param["name"], param.get("in", ""), bool(param.get("required")),
                     shape(param.get("schema", {})), param.get("description", ""))


def _response(doc: dict, status: str, raw: dict) -> Response:
    answer = resolve(doc, raw)
    first: dict = next(iter(answer.get("content", {}).values()), {})
    schema = first.get("schema")
    # A reference may carry its own description beside `$ref` (e.g. the error code).
    description = raw.get("description") or answer.get("description", "")
    return Response(str(status), description, shape(schema) if schema else "")


def resolve(doc: dict, node: dict) -> dict:
    """Follow a local `$ref` (`#/components/...`) to what it names."""
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        target = target.get(part, {})
    return target


def ref_name(node: dict) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def shape(schema: dict) -> str:
    """A schema in a few words: `Scan`, `list of Issue`, `{data: Server}`, `string or null`."""
    if name := ref_name(schema):
        return name
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            return " or ".join(shape(option) for option in schema[combinator])
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    kind = schema.get("type")
    if kind == "array":
        return "list of " + shape(schema.get("items", {}))
    if kind == "object" and schema.get("properties"):
        return "{" + ", ".join(f"{name}: {shape(sub)}" for name, sub in schema["properties"].items()) + "}"
    if isinstance(kind, list):
        return " or ".join(kind)
    return kind or "any"


def schemas(doc: dict) -> list[tuple[str, list[Parameter]]]:
    """Each named schema with its properties, for the reference's glossary."""
    listed = []
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        props = [Parameter(prop, "", prop in required, shape(sub), sub.get("description", ""))
                 for prop, sub in schema.get("properties", {}).items()]
        listed.append((name, props))
    return listed
