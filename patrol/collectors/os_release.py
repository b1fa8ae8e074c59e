"""os-release: which distribution and release a host runs, for the OSV ecosystem of its packages."""

import shlex
from collections.abc import Sequence
from pathlib import Path

from patrol.collectors.errors import UnknownDistribution

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


def ecosystem(os_release: str, manager: str) -> str:
    """The OSV ecosystem, as osv.dev writes it, of packages that `manager` installed.

    `manager` is "dpkg", "apk" or "rpm". dpkg and apk fall back to the plain
    family name when the release is unknown (Debian testing, a derivative);
    RPM distributions each have their own advisories, so an unknown one is
    an error rather than a guess.
    """
    fields = parse_os_release(os_release)
    distro, version = fields.get("ID", ""), fields.get("VERSION_ID", "")
    name, wanted = _RELEASE_NAMES.get(distro, (None, None))
    if name and wanted == manager and version[:1].isdigit():
        return name(version, fields)
    if manager in _FALLBACKS:
        return _FALLBACKS[manager]
    described = fields.get("PRETTY_NAME") or distro or "no os-release"
    raise UnknownDistribution(
        f"{described}: not an RPM distribution Patrol knows (AlmaLinux, Rocky Linux, Red Hat);"
        " give the right one with --os-release FILE"
    )


def _major(version: str) -> str:
    return version.split(".")[0]


def _ubuntu(version: str, fields: dict[str, str]) -> str:
    # osv.dev marks long-term releases: "Ubuntu:22.04:LTS", but "Ubuntu:23.10".
    lts = ":LTS" if "LTS" in fields.get("VERSION", "") else ""
    return f"Ubuntu:{'.'.join(version.split('.')[:2])}{lts}"


def _alpine(version: str, _fields: dict[str, str]) -> str:
    return f"Alpine:v{'.'.join(version.split('.')[:2])}"


_RELEASE_NAMES = {
    "debian": (lambda version, _: f"Debian:{_major(version)}", "dpkg"),
    "ubuntu": (_ubuntu, "dpkg"),
    "alpine": (_alpine, "apk"),
    "almalinux": (lambda version, _: f"AlmaLinux:{_major(version)}", "rpm"),
    "rocky": (lambda version, _: f"Rocky Linux:{_major(version)}", "rpm"),
    # Red Hat's records add the repository ("...:9::appstream"), which a
    # package list does not tell; the release part is what a host knows.
    "rhel": (lambda version, _: f"Red Hat:enterprise_linux:{_major(version)}", "rpm"),
}
_FALLBACKS = {"dpkg": "Debian", "apk": "Alpine"}


def _unquote(value: str) -> str:
    try:
        return " ".join(shlex.split(value))
    except ValueError:  # unbalanced quotes: keep what is there
        return value.strip("\"'")
