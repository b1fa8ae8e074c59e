"""PyPI items, and the package tables that poetry.lock and uv.lock share."""

from collections.abc import Callable
from typing import Any

from packaging.utils import canonicalize_name

from patrol.collectors import decoding
from patrol.collectors.items import Item, make_item


def pypi_item(name: str, version: str | None, location: str) -> Item:
    """An item whose name is normalised per PEP 503, as OSV writes PyPI names."""
    return make_item(canonicalize_name(name), version, location=location, ecosystem="PyPI")


def lock_items(
    text: str, location: str, is_local: Callable[[dict[str, Any]], bool]
) -> list[Item]:
    """Items for the [[package]] tables of a TOML lockfile.

    `is_local` tells the user's own projects apart: no advisory names them,
    and a name shared with a PyPI project would match the wrong advisories.
    """
    lock = decoding.load_toml(text, location)
    packages = decoding.list_field(lock, "package", location)
    return [
        pypi_item(package["name"], decoding.string_field(package, "version"), location)
        for package in packages
        if not is_local(package)
    ]
