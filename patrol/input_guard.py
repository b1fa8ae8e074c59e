"""One check at the edge for input no database can hold, for every route.

NUL bytes (PostgreSQL refuses them in text; SQLite would store them), lone
surrogates (no encoder writes them) and non-finite numbers (1e999, NaN,
Infinity: no column holds them) are refused before any handler runs: in the
path by the default URL converter (no route matches: 404), in the query and
the body, JSON or form, by a `before_request` hook (422 naming the field).
So the API, the web forms and both databases answer alike. A view that must see its raw bytes first (a
signed Slack request) is marked with `raw_body` and calls `check_body` itself.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest
from werkzeug.routing import BaseConverter

from patrol.errors import BadRequest, Invalid

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
TEXT_PROBLEM = "may not contain NUL bytes or unpaired surrogates"
NUMBER_PROBLEM = "must be a finite number"
CREDENTIAL_PARAMS = frozenset({"key", "secret"})


class _NonFinite:
    """What the JSON loader puts where a body had 1e999, NaN or Infinity."""

    def __repr__(self) -> str:
        return "<non-finite number>"


NON_FINITE = _NonFinite()


class StrictJSON(DefaultJSONProvider):
    """Flask's JSON, except that non-finite numbers load as `NON_FINITE` for the guard to refuse."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return json.loads(s, parse_constant=lambda _name: NON_FINITE, parse_float=_finite_or_marked, **kwargs)


def _finite_or_marked(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else NON_FINITE


def init_app(app: Flask) -> None:
    """Before any route is added, so that every `<name>` segment uses `StorableSegment`."""
    app.json = StrictJSON(app)
    app.url_map.converters["default"] = StorableSegment
    app.url_map.converters["any_text"] = AnySegment
    app.before_request(refuse_unstorable_input)


def raw_body(view: Callable) -> Callable:
    """Mark a view whose body must not be read before the view checks it (see `check_body`)."""
    view.reads_raw_body = True  # type: ignore[attr-defined]
    return view


class StorableSegment(BaseConverter):
    """The default URL converter: a path segment with a NUL matches no route (a 404),
    so no id that cannot exist reaches a query."""

    regex = "[^/\x00\ud800-\udfff]+"


class AnySegment(BaseConverter):
    """`<any_text:name>` for a segment that names what the request creates
    (a bucket key): its handler validates it, with a 422 that says why."""


def refuse_unstorable_input() -> None:
    """`before_request`: 422 for a bad query or body.

    The API credentials are left to authentication, which answers any key or
    secret that cannot exist with the contract's 401.
    """
    _refuse(_pairs((k, v) for k, v in request.args.items(multi=True) if k not in CREDENTIAL_PARAMS))
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "reads_raw_body", False):
        check_body()


def check_body() -> None:
    """Raise Invalid (or BadRequest for JSON that does not parse) for an unstorable body."""
    if request.mimetype == "application/json":
        _refuse(_walk(json_body(), ""))
    elif request.is_json:  # a typed JSON body (an SBOM): its view answers for one that does not parse
        _refuse(_walk(_lenient_json(), ""))
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _refuse(_pairs(request.form.items(multi=True)))


def json_body() -> Any:
    """The parsed JSON body (None when empty); BadRequest when it does not parse."""
    if not request.get_data(cache=True):
        return None
    try:
        return request.get_json()
    except (WerkzeugBadRequest, RecursionError) as exc:  # RecursionError: nested too deeply
        raise BadRequest("The request body is not valid JSON.") from exc


def _lenient_json() -> Any:
    try:
        return json_body()
    except BadRequest:
        return None


def _refuse(problems: Iterable[tuple[str, str]]) -> None:
    found = dict(problems)
    if found:
        raise Invalid("The request holds text or numbers that cannot be stored.", fields=found)


def _pairs(pairs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for key, value in pairs:
        if UNSTORABLE.search(key) or UNSTORABLE.search(value):
            yield _printable(key), TEXT_PROBLEM


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every unstorable string, key or number in a JSON value, by field (no recursion)."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if item is NON_FINITE:
            yield where or "body", NUMBER_PROBLEM
        elif isinstance(item, str) and UNSTORABLE.search(item):
            yield where or "body", TEXT_PROBLEM
        elif isinstance(item, dict):
            for key, child in item.items():
                if UNSTORABLE.search(key):
                    yield _join(where, key), TEXT_PROBLEM
                stack.append((_join(where, key), child))
        elif isinstance(item, list):
            stack.extend((where, child) for child in item)


def _join(where: str, key: str) -> str:
    """Problems are reported by top-level field, as handlers name them (`software`, not `software.0.n`)."""
    return where or _printable(key)


def _printable(name: str) -> str:
    return UNSTORABLE.sub("\ufffd", name)
