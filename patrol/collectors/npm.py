"""package-lock.json and npm-shrinkwrap.json: the npm packages under node_modules.

Lockfile v1 nests packages in "dependencies"; v2 and v3 list every installed
folder in "packages", keyed by its path (v2 also keeps the v1 tree, which
would only repeat what "packages" says).
"""

from collections.abc import Iterator
from typing import Any

from patrol.collectors import decoding
from patrol.collectors.items import Item, make_item, unique


def parse(text: str, location: str) -> list[Item]:
    """Items for every installed npm package, each (name, version) once."""
    lock = decoding.load_json_object(text, location)
    if "packages" in lock:
        packages = decoding.object_field(lock, "packages", location)
        items = _from_packages(packages, location)
    else:
        dependencies = decoding.object_field(lock, "dependencies", location)
        items = _from_dependencies(dependencies, None, location)
    return unique(items)


def _from_packages(packages: dict[str, dict[str, Any]], location: str) -> Iterator[Item]:
    for path, entry in packages.items():
        folders = _package_folders(path)
        # "" is the project itself and paths outside node_modules are workspace
        # sources: the user's own code. Links only point at such folders.
        if not folders or not folders[-1] or entry.get("link"):
            continue
        # An alias ("foo": "npm:bar@1.0") installs bar in folder foo and says so in "name".
        name = decoding.string_field(entry, "name") or folders[-1]
        parent = folders[-2] if len(folders) > 1 else None
        version = decoding.string_field(entry, "version")
        yield make_item(name, version, location=location, ecosystem="npm", parent=parent)


def _package_folders(path: str) -> list[str]:
    """["a", "@s/b"] for "node_modules/a/node_modules/@s/b": the chain of installed packages."""
    folders: list[str] = []
    for segment in path.split("/"):
        if segment == "node_modules":
            folders.append("")
        elif folders:
            folders[-1] = f"{folders[-1]}/{segment}" if folders[-1] else segment
    return folders


def _from_dependencies(
    dependencies: dict[str, dict[str, Any]], parent: str | None, location: str
) -> Iterator[Item]:
    for name, entry in dependencies.items():
        version = decoding.string_field(entry, "version")
        if version and version.startswith("file:"):
            continue  # a local folder linked in, not a published package
        yield make_item(name, version, location=location, ecosystem="npm", parent=parent)
        nested = decoding.object_field(entry, "dependencies", location)
        yield from _from_dependencies(nested, name, location)
