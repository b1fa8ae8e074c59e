"""Pick the format of an input, by `--format`, by file name, or by content, and read it."""

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from patrol.collectors import reading, sniffing
from patrol.collectors.errors import UnsupportedFile
from patrol.collectors.formats import BY_NAME, FORMATS, NAMES, Format, Source
from patrol.collectors.items import Item, Skips

Parser = Callable[[str, str], list[Item]]


@dataclass(frozen=True)
class Collected:
    """What one input gave: its format's name, its items, and what it skipped."""

    format: str
    items: list[Item]
    skipped: Skips


def collect(path: str | Path, *, os_release: str = "", format: str | None = None) -> Collected:  # noqa: A002 - the format's name, as callers pass it
    """Read one file, located at its absolute path.

    `format` names the format outright; otherwise the file name decides, and
    failing that the content. `os_release` only matters for OS package lists:
    the os-release text of the host they came from.
    """
    path = Path(path)
    chosen = _named(format) if format else _by_file_name(path.name)
    text = reading.read_text(path)
    chosen = chosen or _by_content(text, path)
    return read(text, str(path.absolute()), chosen.name, os_release=os_release)


def read(text: str, location: str, format: str, *, os_release: str = "") -> Collected:  # noqa: A002 - the format's name, as callers pass it
    """Read text already in hand (an SBOM request body, a command's output) as `format`."""
    source = Source(text, location, os_release)
    items = _named(format).read(source)
    return Collected(format, items, source.skipped)


def parser_for(file_name: str) -> Parser:
    """The lock file parser for a file name, as `(text, location) -> items`; raises UnsupportedFile."""
    chosen = _by_file_name(file_name)
    if chosen is None:
        raise UnsupportedFile(f"{file_name}: not a file name Patrol knows")
    return lambda text, location: read(text, location, chosen.name).items


def _named(format: str) -> Format:  # noqa: A002 - the format's name, as callers pass it
    if format not in BY_NAME:
        raise UnsupportedFile(f"{format}: not a format Patrol reads (formats: {', '.join(NAMES)})")
    return BY_NAME[format]


def _by_file_name(file_name: str) -> Format | None:
    return next((fmt for fmt in FORMATS if any(fnmatchcase(file_name, p) for p in fmt.file_names)), None)


def _by_content(text: str, path: Path) -> Format:
    name = sniffing.detect(text)
    if name is None:
        raise UnsupportedFile(
            f"{path}: neither its name nor its content says what it is; name it with --format"
            f" ({', '.join(NAMES)})"
        )
    return BY_NAME[name]
