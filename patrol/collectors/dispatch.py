"""Pick the collector for a file by its name, as `patrol push FILE` does."""

from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import Path

from patrol.collectors import composer, dpkg, npm, poetry, requirements, uv
from patrol.collectors.errors import UnreadableFile, UnsupportedFile
from patrol.collectors.items import Item

Parser = Callable[[str, str], list[Item]]

# File name patterns and the parser for each; they read `(text, location)`.
LOCKFILES: tuple[tuple[str, Parser], ...] = (
    ("composer.lock", composer.parse),
    ("package-lock.json", npm.parse),
    ("npm-shrinkwrap.json", npm.parse),
    ("requirements*.txt", requirements.parse),
    ("poetry.lock", poetry.parse),
    ("uv.lock", uv.parse),
)
# Saved output of the dpkg-query command in dpkg.DPKG_QUERY_FORMAT.
DPKG_OUTPUT = "dpkg*.txt"


def collect(path: str | Path, *, os_release: str = "") -> list[Item]:
    """Items of one file, located at its absolute path.

    `os_release` only matters for saved dpkg-query output: the os-release text
    of the host it came from (without it the ecosystem is plain "Debian").
    """
    path = Path(path)
    if fnmatchcase(path.name, DPKG_OUTPUT):
        return dpkg.parse(_read(path), os_release, origin=str(path))
    return parser_for(path.name)(_read(path), str(path.absolute()))


def parser_for(file_name: str) -> Parser:
    """The lockfile parser for a file name; raises UnsupportedFile."""
    for pattern, parser in LOCKFILES:
        if fnmatchcase(file_name, pattern):
            return parser
    supported = ", ".join([pattern for pattern, _ in LOCKFILES] + [DPKG_OUTPUT])
    raise UnsupportedFile(f"{file_name}: not a file Patrol can read (supported: {supported})")


def _read(path: Path) -> str:
    try:
        # utf-8-sig: editors on Windows may start the file with a byte order mark.
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise UnreadableFile(f"{path}: {exc.strerror or exc}") from exc
