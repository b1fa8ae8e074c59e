"""Validating the `software` field of a bucket push, in any of its encodings."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from patrol.errors import Invalid
from patrol.inventory import ecosystems

MAX_ITEMS = 50_000
LIMITS = {"n": 255, "v": 100, "l": 1024, "p": 255, "e": 50, "s": 255, "sv": 100}


@dataclass(frozen=True)
class SoftwareInput:
    name: str
    version: str | None
    location: str | None
    parent: str | None
    ecosystem: str | None
    source_name: str | None
    source_version: str | None


def parse(value: Any) -> list[SoftwareInput]:
    """A JSON array, a JSON-encoded string, or a PHP bracket dict → items."""
    raw = _as_list(value)
    if len(raw) > MAX_ITEMS:
        raise _invalid(f"at most {MAX_ITEMS} items in one bucket")
    return [_item(index, entry) for index, entry in enumerate(raw)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        raise _invalid("is required")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            raise _invalid("is not valid JSON") from exc
    if isinstance(value, dict):  # PHP bracket arrays: {"0": {...}, "1": {...}}
        try:
            return [value[k] for k in sorted(value, key=int)]
        except ValueError as exc:
            raise _invalid("must be a list indexed 0, 1, 2, ...") from exc
    if not isinstance(value, list):
        raise _invalid("must be a list of {n, v, l, p}")
    return value


def _item(index: int, entry: Any) -> SoftwareInput:
    if not isinstance(entry, dict):
        raise _invalid(f"item {index} must be an object with at least n")
    clean = {key: _text(index, key, entry.get(key)) for key in LIMITS}
    if not clean["n"]:
        raise _invalid(f"item {index} has no name (n)")
    ecosystem = ecosystems.infer(clean["n"], clean["l"], clean["e"])
    return SoftwareInput(
        name=clean["n"],
        version=clean["v"],
        location=clean["l"],
        parent=clean["p"],
        ecosystem=ecosystem,
        source_name=clean["s"],
        source_version=clean["sv"],
    )


def _text(index: int, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _invalid(f"item {index}: {key} must be text")
    if len(value) > LIMITS[key]:
        raise _invalid(f"item {index}: {key} is longer than {LIMITS[key]} characters")
    if not _storable(value):
        raise _invalid(f"item {index}: {key} holds a NUL or an unpaired surrogate")
    return value.strip() or None


def _storable(text: str) -> bool:
    """Neither database stores NUL, nor text that is not valid Unicode."""
    return "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


def _invalid(why: str) -> Invalid:
    return Invalid(f"The software list is not valid: {why}.", fields={"software": why})
