"""os-release: which Debian release a host runs, for the OSV ecosystem of its packages."""

import shlex
from collections.abc import Sequence
from pathlib import Path

# The lookup order the os-release specification gives.
OS_RELEASE_PATHS = (Path("/etc/os-release"), Path("/usr/lib/os-release"))


def read_os_release(paths: Sequence[Path] = OS_RELEASE_PATHS) -> str:
    """Text of the first os-release file that exists; "" when there is none."""
    for path in paths:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
    return ""


def parse_os_release(text: str) -> dict[str, str]:
    """The KEY=value fields, with shell quoting undone."""
    fields = {}
    for line in text.splitlines():
        key, equals, value = line.strip().partition("=")
        if equals and not key.startswith("#"):
            fields[key] = _unquote(value)
    return fields


def debian_ecosystem(os_release: str) -> str:
    """"Debian:12" on Debian 12; plain "Debian" when the release is unknown.

    Testing and sid have no VERSION_ID, and a derivative's VERSION_ID
    (Ubuntu's 22.04) is not a Debian release, so both get plain "Debian".
    """
    fields = parse_os_release(os_release)
    major = fields.get("VERSION_ID", "").split(".")[0]
    if fields.get("ID") == "debian" and major.isdigit():
        return f"Debian:{major}"
    return "Debian"


def _unquote(value: str) -> str:
    try:
        return " ".join(shlex.split(value))
    except ValueError:  # unbalanced quotes: keep what is there
        return value.strip("\"'")
