"""Pipfile.lock: the PyPI packages pipenv locked, default and develop."""

from patrol.collectors import decoding
from patrol.collectors.items import Item, Skip, Skips, unique
from patrol.collectors.pypi import pypi_item

_SECTIONS = ("default", "develop")


def parse(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the `==` pinned packages; git and path entries are reported as skipped."""
    skipped = [] if skipped is None else skipped
    lock = decoding.load_json_object(text, location)
    items = []
    for section in _SECTIONS:
        for name, entry in decoding.object_field(lock, section, location).items():
            version = decoding.string_field(entry, "version") or ""
            if version.startswith("=="):
                items.append(pypi_item(name, version[2:], location))
            else:
                skipped.append(Skip(location, name, _why_unpinned(entry)))
    return unique(items)


def _why_unpinned(entry: dict) -> str:
    for key in ("git", "path", "file"):
        if key in entry:
            return f"installed from a {key}, not a PyPI release"
    return "no pinned version"
