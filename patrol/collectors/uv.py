"""uv.lock: the PyPI packages uv resolved."""

from typing import Any

from patrol.collectors import pypi
from patrol.collectors.items import Item

# Source kinds of the project itself and its workspace members.
_OWN_SOURCES = {"editable", "virtual", "directory"}


def parse(text: str, location: str) -> list[Item]:
    """Items for every locked package except the project and its workspace."""
    return pypi.lock_items(text, location, _is_own_project)


def _is_own_project(package: dict[str, Any]) -> bool:
    source = package.get("source")
    return isinstance(source, dict) and not _OWN_SOURCES.isdisjoint(source)
