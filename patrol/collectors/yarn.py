"""yarn.lock, classic (v1) and Berry (v2 and later): the npm packages Yarn installed.

v1 is Yarn's own format: an entry starts with its comma-separated
specifiers (`lodash@^4.17.15, lodash@^4.17.20:`) and holds an indented
`version "4.17.21"`. Berry writes YAML whose entries carry a `resolution`
such as `lodash@npm:4.17.21`, where the protocol says where it came from.
"""

import re
from typing import Any

import yaml

from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, Skip, Skips, make_item, unique

_V1_VERSION = re.compile(r'^  version "?([^"\s]+)"?\s*$')
# name@protocol:reference; the name may start with its own "@" (a scope).
_RESOLUTION = re.compile(r"^(@?[^@]+)@([a-z]+):(.*)$")
# Protocols of the user's own code: workspaces, local folders and links.
_OWN = {"workspace", "link", "portal", "file"}


def parse(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the packages of a yarn.lock of either kind."""
    skipped = [] if skipped is None else skipped
    if "__metadata:" in text:
        return _berry(text, location, skipped)
    return _classic(text, location)


def _classic(text: str, location: str) -> list[Item]:
    items, name = [], None
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            name = _package_name(line.split(",")[0].strip().strip('"').rstrip(":").strip('"'))
        version = _V1_VERSION.match(line)
        if version and name:
            items.append(make_item(name, version.group(1), location=location, ecosystem="npm"))
    return unique(items)


def _package_name(specifier: str) -> str:
    """"lodash" of "lodash@^4", "@babel/core" of "@babel/core@^7", "real" of "alias@npm:real@^1"."""
    alias = specifier.partition("@npm:")[2]
    if alias:
        specifier = alias
    at = specifier.find("@", 1)
    return specifier[:at] if at > 0 else specifier


def _berry(text: str, location: str, skipped: Skips) -> list[Item]:
    try:
        lock = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MalformedFile(f"{location}: not valid YAML ({exc})") from exc
    if not isinstance(lock, dict):
        raise MalformedFile(f"{location}: the top level should be a mapping")
    items = []
    for key, entry in lock.items():
        if key != "__metadata" and isinstance(entry, dict):
            items += _berry_item(entry, location, skipped)
    return unique(items)


def _berry_item(entry: dict[str, Any], location: str, skipped: Skips) -> list[Item]:
    resolution = _RESOLUTION.match(str(entry.get("resolution", "")))
    if resolution is None:
        raise MalformedFile(f"{location}: an entry has no name@protocol:reference resolution")
    name, protocol, _reference = resolution.groups()
    version = str(entry.get("version", ""))
    if protocol in ("npm", "patch"):  # a patch changes an npm release, still that release
        return [make_item(name, version, location=location, ecosystem="npm")]
    if protocol not in _OWN:
        skipped.append(Skip(location, f"{name} {version}", f"installed from {protocol}:, not the npm registry"))
    return []
