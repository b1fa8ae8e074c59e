"""poetry.lock: the PyPI packages Poetry resolved."""

from typing import Any

from patrol.collectors import pypi
from patrol.collectors.items import Item


def parse(text: str, location: str) -> list[Item]:
    """Items for every locked package except path dependencies."""
    return pypi.lock_items(text, location, _is_path_dependency)


def _is_path_dependency(package: dict[str, Any]) -> bool:
    source = package.get("source")
    return isinstance(source, dict) and source.get("type") == "directory"
