"""Request bodies: JSON, or form fields with PHP bracket arrays.

The PHP SDK posts `software[0][n]=php&software[0][v]=8.1.2`; this turns
such keys into nested dicts so handlers see one shape for both encodings.
"""
from __future__ import annotations

import re
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest

from patrol.errors import BadRequest

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
MAX_DEPTH = 5


def fields() -> dict[str, Any]:
    """The request's fields, whatever the encoding."""
    if request.is_json:
        return _json_object()
    return parse_php_form(request.form.items(multi=True))


def _json_object() -> dict[str, Any]:
    if not request.get_data(cache=True):
        return {}
    try:
        data = request.get_json()
    except WerkzeugBadRequest as exc:
        raise BadRequest("The request body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise BadRequest("The JSON body must be an object.")
    return data


def parse_php_form(pairs) -> dict[str, Any]:  # noqa: ANN001 - any iterable of pairs
    """`a[0][b]=1` → `{"a": {"0": {"b": "1"}}}`; `a[]=x` appends."""
    out: dict[str, Any] = {}
    for raw_key, value in pairs:
        base, _, rest = raw_key.partition("[")
        path = [base] + (_BRACKETS.findall("[" + rest) if rest else [])
        if len(path) > MAX_DEPTH + 1:
            raise BadRequest(f"Field {raw_key!r} is nested too deeply.")
        _assign(out, path, value, raw_key)
    return out


def _assign(node: dict[str, Any], path: list[str], value: str, raw_key: str) -> None:
    for part in path[:-1]:
        if part == "":
            part = str(len(node))
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise BadRequest(f"Field {raw_key!r} mixes a value and a list.")
        node = child
    last = path[-1] if path[-1] != "" else str(len(node))
    if isinstance(node.get(last), dict):
        raise BadRequest(f"Field {raw_key!r} mixes a value and a list.")
    node[last] = value
