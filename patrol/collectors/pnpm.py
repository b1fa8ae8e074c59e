"""pnpm-lock.yaml: the npm packages pnpm installed.

Package keys changed over lock versions: `/lodash/4.17.21` (v5),
`/lodash@4.17.21` (v6), `lodash@4.17.21` (v9); peer dependencies follow
as `_peer@1` (v5) or `(peer@1)` (v6 and later).
"""

import re

import yaml

from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, Skip, Skips, make_item, unique

_V5 = re.compile(r"^/?((?:@[^/]+/)?[^/@]+)/(\d[^/_]*)(?:_.*)?$")
_V6 = re.compile(r"^/?((?:@[^/]+/)?[^/@]+)@([^(]+)(?:\(.*\))?$")


def parse(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the lock's `packages`; ones from git or a tarball URL are skipped."""
    skipped = [] if skipped is None else skipped
    try:
        lock = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MalformedFile(f"{location}: not valid YAML ({exc})") from exc
    packages = lock.get("packages") if isinstance(lock, dict) else None
    if not isinstance(packages, dict):
        return []
    items = []
    for key, entry in packages.items():
        name, version = _name_and_version(str(key))
        if version[:1].isdigit():
            items.append(make_item(name, version, location=location, ecosystem="npm"))
        elif not _is_local(entry):
            skipped.append(Skip(location, str(key), "not an npm registry release"))
    return unique(items)


def _name_and_version(key: str) -> tuple[str, str]:
    """("@s/a", "1.0.0") of "/@s/a/1.0.0_peer", "/@s/a@1.0.0(peer)" or "@s/a@1.0.0"."""
    found = _V5.match(key) or _V6.match(key)
    return (found[1], found[2]) if found else (key, "")


def _is_local(entry: object) -> bool:
    resolution = entry.get("resolution") if isinstance(entry, dict) else None
    return isinstance(resolution, dict) and resolution.get("type") == "directory"
