"""composer.lock: the PHP packages Composer installed (Packagist)."""

import re
from typing import Any

from patrol.collectors import decoding
from patrol.collectors.items import Item, make_item

# Composer copies git tags, so many versions read "v5.4.10"; advisories say "5.4.10".
_TAG_PREFIX = re.compile(r"^[vV](?=\d)")


def parse(text: str, location: str) -> list[Item]:
    """Items for the runtime and dev packages of a composer.lock."""
    lock = decoding.load_json_object(text, location)
    entries = decoding.list_field(lock, "packages", location) + decoding.list_field(
        lock, "packages-dev", location
    )
    return [_item(entry, location) for entry in entries]


def _item(entry: dict[str, Any], location: str) -> Item:
    version = decoding.string_field(entry, "version")
    if version:
        version = _TAG_PREFIX.sub("", version)
    return make_item(entry["name"], version, location=location, ecosystem="Packagist")
