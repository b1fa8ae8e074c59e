"""Version order per OSV ecosystem.

`sort_key(ecosystem, version)` returns an object that orders correctly within
that ecosystem. A scan compares the same few strings many times, so every key
function caches its parses, and the npm/SEMVER and Debian keys are plain
tuples, which Python compares without calling back into Python code.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import semver
from packaging import version as pep440
from univers import debian

from patrol.advisories.composer_version import ComposerVersion, InvalidComposerVersion

SortKey = Callable[[str], Any]

_CACHE_SIZE = 65536


class InvalidVersion(ValueError):
    """The version string cannot be read in the ecosystem's scheme."""


class UnsupportedEcosystem(ValueError):
    """Patrol has no version order for this ecosystem."""


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


def _cached(parse: Callable[[str], Any], errors: type[Exception]) -> SortKey:
    """Wrap a parser with a cache and report its failures as InvalidVersion."""

    @lru_cache(maxsize=_CACHE_SIZE)
    def key(version: str) -> Any:
        try:
            return parse(version)
        except errors as exc:
            raise InvalidVersion(f"invalid version {version!r}: {exc}") from exc

    return key


def _semver_tuple(version: str) -> tuple:
    """SemVer 2.0 precedence (section 11) as a tuple; build metadata does not count.
    A leading "v" is accepted, as npm accepts it."""
    parsed = semver.Version.parse(version.removeprefix("v"))
    return (parsed.major, parsed.minor, parsed.patch, _prerelease_key(parsed.prerelease))


def _prerelease_key(prerelease: str | None) -> tuple:
    if prerelease is None:
        return (1,)  # a release outranks all of its pre-releases
    # Numeric identifiers compare as numbers and below alphanumeric ones.
    identifiers = prerelease.split(".")
    return (0, *((0, int(i)) if i.isdigit() else (1, i) for i in identifiers))


# univers reads the Debian version (epoch, upstream, revision); the order of
# each part is dpkg's verrevcmp written as a tuple, since univers' own
# comparison walks the strings in Python on every call and a scan makes many.
_DEBIAN_RUN = re.compile(r"(\D*)(\d*)")
_DEBIAN_END = ((0,), 0)  # an exhausted string: empty text, number 0


def _debian_tuple(version: str) -> tuple:
    parsed = debian.Version.from_string(version)
    return (parsed.epoch, _debian_part(parsed.upstream), _debian_part(parsed.revision))


def _debian_part(text: str) -> tuple:
    """dpkg compares run i of one string with run i of the other, a missing run
    counting as empty text and 0. Runs after the first never have empty text, so
    with trailing empty runs dropped ("0" and "" agree) and the first run kept,
    one end marker settles any comparison with a longer string ("0" > "0~")."""
    runs = [(_debian_text(chars), int(digits or 0)) for chars, digits in _DEBIAN_RUN.findall(text)]
    while len(runs) > 1 and runs[-1] == _DEBIAN_END:
        runs.pop()
    return (*runs, _DEBIAN_END)


def _debian_text(chars: str) -> tuple[int, ...]:
    # "~" sorts before the end of the text, letters after it, other symbols last.
    return (*(-1 if c == "~" else ord(c) if c.isalpha() else ord(c) + 256 for c in chars), 0)


# The key of OSV ranges of type SEMVER, whatever the ecosystem, and of npm.
semver_key: SortKey = _cached(_semver_tuple, ValueError)

_KEY_FUNCTIONS: dict[str, SortKey] = {
    "Packagist": _cached(ComposerVersion, InvalidComposerVersion),
    "npm": semver_key,
    "PyPI": _cached(pep440.Version, pep440.InvalidVersion),
    "Debian": _cached(_debian_tuple, ValueError),
}
