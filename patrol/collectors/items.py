"""Software items in the bucket format of the API contract.

An item is `{"n", "v", "l", "p"}` plus Patrol's `"e"` (OSV ecosystem) and, for
Debian, `"s"`/`"sv"` (source package and version, which Debian advisories
name). Only `n` is required, so keys without a value are left out.
"""

from collections.abc import Iterable
from dataclasses import dataclass

Item = dict[str, str]


@dataclass(frozen=True)
class Skip:
    """Something a file lists that no item stands for, and why: `patrol push` says so."""

    location: str
    what: str
    why: str

    def __str__(self) -> str:
        return f"{self.location}: skipped {self.what}: {self.why}"


Skips = list[Skip]


def make_item(
    name: str,
    version: str | None,
    *,
    location: str,
    ecosystem: str,
    parent: str | None = None,
    source: str | None = None,
    source_version: str | None = None,
) -> Item:
    """Build one item, dropping empty keys."""
    fields = {
        "n": name,
        "v": version,
        "l": location,
        "p": parent,
        "e": ecosystem,
        "s": source,
        "sv": source_version,
    }
    return {key: value for key, value in fields.items() if value}


def unique(items: Iterable[Item]) -> list[Item]:
    """Keep the first item of each (name, version).

    Lockfiles install one release in several places (nested node_modules,
    multi-arch dpkg packages); a scan needs each release once.
    """
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for item in items:
        key = (item["n"], item.get("v"))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
