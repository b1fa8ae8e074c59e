"""SemVer 2.0 precedence and the schemes built on it: npm, crates.io, Go
modules and NuGet.

Keys are plain tuples of Python ints and strings, so numbers of any size
order correctly and a comparison never calls back into Python code.
"""
from __future__ import annotations

import re

_NUMBER = r"0|[1-9]\d*"
_IDENTIFIER = r"[0-9A-Za-z-]+"
_SEMVER = re.compile(
    rf"(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-(?P<pre>{_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
    rf"(?:\+{_IDENTIFIER}(?:\.{_IDENTIFIER})*)?",
    re.ASCII,
)
# NuGet: two to four numbers, leading zeros allowed ("1.01" is 1.1).
_NUGET = re.compile(
    rf"(?P<release>\d+(?:\.\d+){{1,3}})"
    rf"(?:-(?P<pre>{_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
    rf"(?:\+{_IDENTIFIER}(?:\.{_IDENTIFIER})*)?",
    re.ASCII,
)
_RELEASE = (1,)  # a release outranks every pre-release of it


class InvalidSemver(ValueError):
    """Not a version in this SemVer-based scheme."""


def semver_key(version: str) -> tuple:
    """SemVer 2.0 section 11 precedence; build metadata does not count.
    A leading "v" is accepted, as npm accepts it."""
    return _strict(version.removeprefix("v"))


def cargo_key(version: str) -> tuple:
    """crates.io: SemVer 2.0 as the `semver` crate reads it (no "v")."""
    return _strict(version)


def go_key(version: str) -> tuple:
    """Go modules: "v"-prefixed SemVer (osv.dev writes it without the "v").
    `+incompatible` is build metadata and pseudo-versions
    (`v0.0.0-20210101000000-abcdef123456`) are pre-releases, so both follow."""
    return _strict(version.removeprefix("v"))


def nuget_key(version: str) -> tuple:
    """NuGet.Versioning: up to four numbers, missing ones 0; pre-release
    labels compare without regard to case."""
    found = _NUGET.fullmatch(version.strip())
    if found is None:
        raise InvalidSemver(f"not a NuGet version: {version!r}")
    numbers = [int(n) for n in found["release"].split(".")]
    numbers += [0] * (4 - len(numbers))
    return (*numbers, _prerelease(found["pre"], fold_case=True))


def _strict(version: str) -> tuple:
    found = _SEMVER.fullmatch(version)
    if found is None:
        raise InvalidSemver(f"not a SemVer 2.0 version: {version!r}")
    pre = found["pre"]
    if pre is not None and any(_leading_zero(i) for i in pre.split(".")):
        raise InvalidSemver(f"a numeric pre-release identifier has a leading zero: {version!r}")
    return (int(found["major"]), int(found["minor"]), int(found["patch"]), _prerelease(pre))


def _leading_zero(identifier: str) -> bool:
    return identifier.isdigit() and len(identifier) > 1 and identifier[0] == "0"


def _prerelease(prerelease: str | None, fold_case: bool = False) -> tuple:
    if prerelease is None:
        return _RELEASE
    if fold_case:
        prerelease = prerelease.lower()
    # Numeric identifiers compare as numbers and below alphanumeric ones;
    # with all shared ones equal, more identifiers rank higher (a tuple's rule).
    return (0, *((0, int(i)) if i.isdigit() else (1, i) for i in prerelease.split(".")))
