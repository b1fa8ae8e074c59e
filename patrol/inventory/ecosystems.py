"""Which OSV ecosystem a pushed software item belongs to.

Collectors may say so with `e`; older PatrolServer collectors do not, so
the ecosystem is inferred from the shapes they send.
"""
from __future__ import annotations

import re

KNOWN = {
    "packagist": "Packagist", "npm": "npm", "pypi": "PyPI", "debian": "Debian",
    "rubygems": "RubyGems", "go": "Go", "crates.io": "crates.io", "maven": "Maven", "nuget": "NuGet",
    "alpine": "Alpine", "ubuntu": "Ubuntu", "rocky linux": "Rocky Linux", "almalinux": "AlmaLinux",
    "red hat": "Red Hat",
}
# Distributions, whose records carry a release after a colon: "Ubuntu:22.04:LTS".
DISTRIBUTIONS = frozenset({"Debian", "Ubuntu", "Alpine", "Rocky Linux", "AlmaLinux", "Red Hat"})
# Their records name source packages (dpkg `Source:`, apk `o:` origin); the
# Red Hat family's records name binary RPMs, so those are matched by name.
SOURCE_PACKAGE_DISTRIBUTIONS = frozenset({"Debian", "Ubuntu", "Alpine"})
# Composer's name rule, written so that each separator must be present: the
# usual `([_.-]?[a-z0-9]+)*` form backtracks exponentially on a near miss.
_VENDOR_PACKAGE = re.compile(r"[a-z0-9]+(?:[_.-][a-z0-9]+)*/[a-z0-9]+(?:(?:[_.]|--?)[a-z0-9]+)*")
_PYPI_LOCATIONS = ("requirements", "poetry.lock", "uv.lock", "pipfile.lock", "site-packages")


def normalise(explicit: str) -> str | None:
    """`packagist` → `Packagist`, `ubuntu:22.04:LTS` → `Ubuntu:22.04:LTS`; unknown → None."""
    base, _, release = explicit.strip().partition(":")
    name = KNOWN.get(base.lower())
    if name is None:
        return None
    return f"{name}:{release}" if release and name in DISTRIBUTIONS else name


def infer(name: str, location: str | None, explicit: str | None = None) -> str | None:
    """The ecosystem of one item, or None when it maps to none (kept, not matched)."""
    if explicit:
        return normalise(explicit)
    location = (location or "").lower()
    if name.startswith("npm/") or location.endswith(("package-lock.json", "package.json")):
        return "npm"
    if location.endswith(("composer.lock", "composer.json")) and _VENDOR_PACKAGE.fullmatch(name.lower()):
        return "Packagist"
    if any(marker in location for marker in _PYPI_LOCATIONS):
        return "PyPI"
    if location == "/":
        return "Debian"
    return None


def package_name(name: str, ecosystem: str | None) -> str:
    """The name as advisories spell it: `npm/lodash` → `lodash`, PyPI per PEP 503."""
    if ecosystem == "npm" and name.startswith("npm/"):
        return name[4:]
    if ecosystem == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem in ("Packagist", "NuGet"):  # both treat names case-insensitively
        return name.lower()
    return name


def advisory_key(name: str, ecosystem: str | None, source_name: str | None = None) -> tuple[str, str] | None:
    """The (base ecosystem, name) that advisories name this item by, or None.

    A Debian, Ubuntu or Alpine binary package is looked up by its source
    package, as those distributions' advisories name them. Stored on each software row and indexed, so that a
    new advisory finds the servers it affects without reading the fleet.
    """
    if not ecosystem:
        return None
    base = ecosystem.partition(":")[0]
    if base in SOURCE_PACKAGE_DISTRIBUTIONS and source_name:
        name = source_name
    return base, package_name(name, base)
