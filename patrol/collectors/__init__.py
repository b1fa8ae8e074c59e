"""Collectors: read lock files, package lists and SBOMs into software items for `patrol push`.

`collect(path)` picks the format by `--format`, file name or content; each
format's module also has a pure `parse` function. `dpkg.query_installed()`
and `rpm.run_rpm_query()` list this host's packages.
"""

from patrol.collectors.dispatch import Collected, collect, parser_for, read
from patrol.collectors.errors import (
    CollectorError,
    CommandFailed,
    DpkgQueryFailed,
    FileTooLarge,
    MalformedFile,
    UnknownDistribution,
    UnreadableFile,
    UnsupportedFile,
)
from patrol.collectors.formats import NAMES, SBOM_FORMATS
from patrol.collectors.items import Item, Skip

__all__ = [
    "NAMES",
    "SBOM_FORMATS",
    "Collected",
    "CollectorError",
    "CommandFailed",
    "DpkgQueryFailed",
    "FileTooLarge",
    "Item",
    "MalformedFile",
    "Skip",
    "UnknownDistribution",
    "UnreadableFile",
    "UnsupportedFile",
    "collect",
    "parser_for",
    "read",
]
