"""Where OSV records come from: JSON files, folders of them, osv.dev zips."""
from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path


class SourceError(ValueError):
    """A path that holds no readable OSV data."""


def read(paths: list[str | Path]) -> Iterator[tuple[str, object]]:
    """Yield (where, parsed JSON) for every record under the paths."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _folder(path)
        elif path.suffix == ".zip":
            yield from _zip(path)
        elif path.is_file():
            yield str(path), parse_json(path.read_bytes())
        else:
            raise SourceError(f"{path}: no such file or folder")


def count(paths: list[str | Path]) -> int:
    """How many records `read` will yield, for a progress bar."""
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            total += sum(1 for _ in path.rglob("*.json"))
        elif path.suffix == ".zip":
            with _open_zip(path) as archive:
                total += sum(1 for n in archive.namelist() if n.endswith(".json"))
        else:
            total += 1
    return total


def _folder(path: Path) -> Iterator[tuple[str, object]]:
    for file in sorted(path.rglob("*.json")):
        yield str(file), parse_json(file.read_bytes())


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path}: not a zip file") from exc


def _zip(path: Path) -> Iterator[tuple[str, object]]:
    with _open_zip(path) as archive:
        for name in archive.namelist():
            if name.endswith(".json"):
                yield f"{path}:{name}", parse_json(_member(archive, name))


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes; a damaged one reads as empty, so it is reported as not JSON."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error):
        return b""


def parse_json(raw: bytes) -> object:
    """Parsed JSON, or None for a file that is not JSON (reported, not fatal)."""
    try:
        return json.loads(raw)
    except ValueError:
        return None
