"""Version order per OSV ecosystem.

`sort_key(ecosystem, version)` returns an object that orders correctly within
that ecosystem. A scan compares the same few strings many times, so every key
function caches its parses; most keys are plain tuples, which Python compares
without calling back into Python code. One module per family of schemes.
"""
from __future__ import annotations

from typing import Any

from patrol.advisories.versioning import alpine, maven, pypi, rpm, rubygems, semver
from patrol.advisories.versioning.composer import ComposerVersion, InvalidComposerVersion
from patrol.advisories.versioning.debian import debian_key
from patrol.advisories.versioning.errors import InvalidVersion, SortKey, UnsupportedEcosystem, cached

__all__ = [
    "InvalidVersion", "SortKey", "UnsupportedEcosystem", "SUPPORTED",
    "base_ecosystem", "key_function", "sort_key", "semver_key",
]

def base_ecosystem(ecosystem: str) -> str:
    """Drop the release OSV may add after a colon: "Debian:12" -> "Debian"."""
    return ecosystem.partition(":")[0]

def key_function(ecosystem: str) -> SortKey:
    """The cached sort key function of an ecosystem (OSV name, release suffix allowed)."""
    try:
        return _KEY_FUNCTIONS[base_ecosystem(ecosystem)]
    except KeyError:
        raise UnsupportedEcosystem(f"no version order for ecosystem {ecosystem!r}") from None

def sort_key(ecosystem: str, version: str) -> Any:
    """An object ordered as `version` is within `ecosystem`; raises InvalidVersion."""
    return key_function(ecosystem)(version)

# The key of OSV ranges of type SEMVER, whatever the ecosystem, and of npm.
semver_key: SortKey = cached(semver.semver_key, semver.InvalidSemver)
_dpkg = cached(debian_key, ValueError)
_rpm = cached(rpm.rpm_key, rpm.InvalidRpmVersion)

# osv.dev's ecosystem names (before any ":release") and the order each uses.
_KEY_FUNCTIONS: dict[str, SortKey] = {
    "Packagist": cached(ComposerVersion, InvalidComposerVersion),
    "npm": semver_key,
    "PyPI": cached(pypi.pypi_key, pypi.InvalidPypiVersion),
    "Debian": _dpkg,
    "Ubuntu": _dpkg,
    "RubyGems": cached(rubygems.GemVersion, rubygems.InvalidGemVersion),
    "Go": cached(semver.go_key, semver.InvalidSemver),
    "crates.io": cached(semver.cargo_key, semver.InvalidSemver),
    "Maven": cached(maven.MavenVersion, maven.InvalidMavenVersion),
    "NuGet": cached(semver.nuget_key, semver.InvalidSemver),
    "Alpine": cached(alpine.apk_key, alpine.InvalidApkVersion),
    "Rocky Linux": _rpm,
    "AlmaLinux": _rpm,
    "Red Hat": _rpm,
}

SUPPORTED: tuple[str, ...] = tuple(_KEY_FUNCTIONS)
