"""Cargo.lock: the Rust crates Cargo resolved (crates.io)."""

from typing import Any

from patrol.collectors import decoding
from patrol.collectors.items import Item, Skip, Skips, make_item, unique

# crates.io's index, as the git registry and as the sparse one.
_CRATES_IO = {
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
}


def parse(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the crates from crates.io; git and other registries' crates are skipped.

    A package without `source` is a member of the workspace: the user's own code.
    """
    skipped = [] if skipped is None else skipped
    lock = decoding.load_toml(text, location)
    items = []
    for package in decoding.list_field(lock, "package", location):
        source = decoding.string_field(package, "source")
        version = decoding.string_field(package, "version")
        if source in _CRATES_IO:
            items.append(make_item(package["name"], version, location=location, ecosystem="crates.io"))
        elif source:
            skipped.append(Skip(location, _label(package), f"not from crates.io ({source.split('#')[0]})"))
    return unique(items)


def _label(package: dict[str, Any]) -> str:
    return f"{package['name']} {package.get('version', '')}".strip()
