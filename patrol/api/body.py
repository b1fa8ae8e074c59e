"""Request bodies: JSON, or form fields with PHP bracket arrays.

The PHP SDK posts `software[0][n]=php&software[0][v]=8.1.2`; this turns
such keys into nested dicts so handlers see one shape for both encodings.
"""
from __future__ import annotations

import re
from typing import Any

from flask import request

from patrol import input_guard
from patrol.errors import BadRequest

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
MAX_DEPTH = 5
MAX_INDEX_DIGITS = 18  # PHP, too, keeps longer numbers as text keys


def fields() -> dict[str, Any]:
    """The request's fields, whatever the encoding."""
    if request.is_json:
        return _json_object()
    return parse_php_form(request.form.items(multi=True))


def _json_object() -> dict[str, Any]:
    if not request.get_data(cache=True):
        return {}
    data = input_guard.json_body()
    if not isinstance(data, dict):
        raise BadRequest("The JSON body must be an object.")
    return data


def parse_php_form(pairs) -> dict[str, Any]:  # noqa: ANN001 - any iterable of pairs
    """`a[0][b]=1` → `{"a": {"0": {"b": "1"}}}`; `a[]=x` appends."""
    out: dict[str, Any] = {}
    next_index: dict[int, int] = {}  # id(node) → what its next `[]` is numbered
    for raw_key, value in pairs:
        base, _, rest = raw_key.partition("[")
        if not base:  # PHP drops a field without a name
            continue
        path = [base] + (_BRACKETS.findall("[" + rest) if rest else [])
        if len(path) > MAX_DEPTH + 1:
            raise BadRequest(f"Field {raw_key!r} is nested too deeply.")
        _assign(out, path, value, raw_key, next_index)
    return out


def _assign(
    node: dict[str, Any], path: list[str], value: str, raw_key: str, next_index: dict[int, int]
) -> None:
    for part in path[:-1]:
        child = node.setdefault(_slot(node, part, next_index), {})
        if not isinstance(child, dict):
            raise BadRequest(f"Field {raw_key!r} mixes a value and a list.")
        node = child
    last = _slot(node, path[-1], next_index)
    if isinstance(node.get(last), dict):
        raise BadRequest(f"Field {raw_key!r} mixes a value and a list.")
    node[last] = value


def _slot(node: dict[str, Any], part: str, next_index: dict[int, int]) -> str:
    """`part`, or for `[]` what PHP gives: one past the highest number used."""
    if part == "":
        part = str(next_index.get(id(node), 0))
    if part.isascii() and part.isdigit() and len(part) <= MAX_INDEX_DIGITS:
        next_index[id(node)] = max(next_index.get(id(node), 0), int(part) + 1)
    return part
