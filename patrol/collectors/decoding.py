"""Decode lockfile text and check its shape, turning failures into MalformedFile.

Parsers then work on plain dicts and lists without guarding every access.
"""

import json
import tomllib
from typing import Any

from patrol.collectors.errors import MalformedFile


def load_json_object(text: str, location: str) -> dict[str, Any]:
    """Parse JSON text whose top level must be an object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedFile(f"{location}: not valid JSON ({exc})") from exc
    return _object(data, location, "the top level")


def load_toml(text: str, location: str) -> dict[str, Any]:
    """Parse TOML text."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MalformedFile(f"{location}: not valid TOML ({exc})") from exc


def object_field(data: dict[str, Any], key: str, location: str) -> dict[str, dict[str, Any]]:
    """`data[key]` as an object of objects; missing or null means empty."""
    field = _object(_present(data, key, {}), location, f'"{key}"')
    for name, entry in field.items():
        _object(entry, location, f'"{key}" entry "{name}"')
    return field


def list_field(data: dict[str, Any], key: str, location: str) -> list[dict[str, Any]]:
    """`data[key]` as a list of objects that each have a string "name"."""
    field = _present(data, key, [])
    if not isinstance(field, list):
        raise MalformedFile(f'{location}: "{key}" should be a list')
    for index, entry in enumerate(field):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not name or not isinstance(name, str):
            raise MalformedFile(f'{location}: "{key}" entry {index} has no name')
    return field


def string_field(entry: dict[str, Any], key: str) -> str | None:
    """`entry[key]` if it is a string: a number or list there is not a usable name or version."""
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _present(data: dict[str, Any], key: str, empty: Any) -> Any:
    value = data.get(key)
    return empty if value is None else value


def _object(value: Any, location: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedFile(f"{location}: {what} should be an object")
    return value
