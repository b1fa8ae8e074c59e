"""Alpine's installed database (/lib/apk/db/installed).

Each package is a block of `K:value` lines: `P:` the package, `V:` its
version, `o:` its origin, the source package (aport) that Alpine's
advisories name. Blocks are separated by a blank line.
"""

from pathlib import Path

from patrol.collectors import os_release
from patrol.collectors.dpkg import LOCATION
from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, make_item, unique

INSTALLED = Path("/lib/apk/db/installed")


def parse(text: str, os_release_text: str = "", *, origin: str = "apk database") -> list[Item]:
    """Items for the packages of an apk installed database."""
    ecosystem = os_release.ecosystem(os_release_text, "apk")
    items = (_item(block, ecosystem) for block in _blocks(text, origin))
    return unique(item for item in items if item)


def _blocks(text: str, origin: str) -> list[dict[str, str]]:
    blocks: list[dict[str, str]] = [{}]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            blocks.append({})
            continue
        key, colon, value = line.partition(":")
        if not colon or len(key) != 1:
            raise MalformedFile(f"{origin}, line {number}: not a 'K:value' line")
        blocks[-1].setdefault(key, value)  # F:, R: and Z: repeat; only single keys are read
    return [block for block in blocks if block]


def _item(block: dict[str, str], ecosystem: str) -> Item | None:
    name, version = block.get("P"), block.get("V")
    if not name or not version:
        return None  # no package release recorded: nothing to match
    return make_item(
        name,
        version,
        location=LOCATION,
        ecosystem=ecosystem,
        source=block.get("o") or name,
        source_version=version,
    )
