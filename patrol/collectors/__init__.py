"""Collectors: read lockfiles and package lists into software items for `patrol push`.

`collect(path)` picks the format by file name; each format's module also has
a pure `parse` function. `dpkg.query_installed()` lists this host's packages.
"""

from patrol.collectors.dispatch import collect, parser_for
from patrol.collectors.errors import (
    CollectorError,
    DpkgQueryFailed,
    MalformedFile,
    UnreadableFile,
    UnsupportedFile,
)
from patrol.collectors.items import Item

__all__ = [
    "CollectorError",
    "DpkgQueryFailed",
    "Item",
    "MalformedFile",
    "UnreadableFile",
    "UnsupportedFile",
    "collect",
    "parser_for",
]
