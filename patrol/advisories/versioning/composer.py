"""Composer (Packagist) version order.

Composer first normalises a version (composer/semver's `VersionParser`: drop a
leading "v" and build metadata, pad `1.2` to `1.2.0.0`, spell `dev-` branches
out) and then compares with PHP's `version_compare`. Both steps are folded into
parsing here, so a comparison is a short walk over pre-ranked parts.
univers' Composer order disagrees with PHP on many of osv.dev's test cases,
which is why this module exists.
"""
from __future__ import annotations

import re
from functools import lru_cache

from patrol.advisories.versioning.errors import Ordered

Part = tuple[int, int | None]  # (rank, number); words and "#" have no number


class InvalidComposerVersion(ValueError):
    """The string is neither a Composer version nor a `dev-` branch."""


# PHP's special forms, matched as a prefix of a word the way version_compare
# does: "alpha" shares the rank of "a", "beta" of "b", "pl" and "patch" of "p".
_FORMS = (("dev", 0), ("a", 1), ("b", 2), ("rc", 3), ("#", 4), ("p", 5))
_OTHER_WORD = -1
# PHP ranks a number like the "#" form: 1.0RC1 < 1.0 < 1.0pl1.
_NUMBER = 4
# Composer reads the "x" or "*" of a branch such as "2.x-dev" as this number.
_BRANCH_WILDCARD = 9999999
_RELEASE_PARTS = 4  # Composer writes 1.2 as 1.2.0.0

_TOKEN = re.compile(r"\d+|[a-z]+|[#*]")
_NUMBERED = re.compile(r"\d[0-9a-z.#*_-]*")
_BARE_BRANCHES = frozenset({"master", "trunk", "default"})


class ComposerVersion(Ordered):
    """A Composer version as a sort key: `sorted(tags, key=ComposerVersion)`.

    `dev-` branches sort below every numbered version and, among themselves,
    by version_compare and then by name (Composer never equates two branches).
    """

    __slots__ = ("text", "_branch", "_parts")

    def __init__(self, version: str) -> None:
        self.text = version
        self._branch, self._parts = _analyse(version)

    def __repr__(self) -> str:
        return f"ComposerVersion({self.text!r})"

    def _compare(self, other: ComposerVersion) -> int:
        return _compare(self, other)


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as Composer orders `a` against `b`; raises InvalidComposerVersion."""
    return _compare(ComposerVersion(a), ComposerVersion(b))


def _compare(a: ComposerVersion, b: ComposerVersion) -> int:
    if (a._branch is None) != (b._branch is None):  # noqa: SLF001
        return -1 if a._branch is not None else 1  # noqa: SLF001
    order = _compare_parts(a._parts, b._parts)  # noqa: SLF001
    if order or a._branch is None or b._branch is None:  # noqa: SLF001
        return order
    return (a._branch > b._branch) - (a._branch < b._branch)  # noqa: SLF001


@lru_cache(maxsize=16384)
def _analyse(version: str) -> tuple[str | None, tuple[Part, ...]]:
    """(branch name or None, ranked parts) of a version string."""
    text = version.strip()
    if text.lower() in _BARE_BRANCHES:
        text = "dev-" + text
    if text[:4].lower() == "dev-" and len(text) > 4:
        return text[4:], _parts(text.lower())
    if text[:1] in ("v", "V"):
        text = text[1:]
    text = text.partition("+")[0].lower()
    if not _NUMBERED.fullmatch(text):
        raise InvalidComposerVersion(f"not a Composer version: {version!r}")
    return None, _padded(_parts(text))


def _parts(text: str) -> tuple[Part, ...]:
    # Every separator and every digit/letter boundary splits, as in PHP:
    # "1.0.0-beta2", "1.0.0beta.2" and "1.0.0_b2" have the same parts.
    return tuple(_part(token) for token in _TOKEN.findall(text))


def _part(token: str) -> Part:
    if token.isdigit():
        return (_NUMBER, int(token))
    if token in ("x", "*"):
        return (_NUMBER, _BRANCH_WILDCARD)
    for prefix, rank in _FORMS:
        if token.startswith(prefix):
            return (rank, None)
    return (_OTHER_WORD, None)


def _padded(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """Pad the leading numbers to four, so 1.0 == 1.0.0 and 1.0-pl1 < 1.0.0.5."""
    run = 0
    while run < len(parts) and parts[run][0] == _NUMBER:
        run += 1
    if run >= _RELEASE_PARTS:
        return parts
    wildcard = (_NUMBER, _BRANCH_WILDCARD)
    filler = wildcard if wildcard in parts[:run] else (_NUMBER, 0)
    return parts[:run] + (filler,) * (_RELEASE_PARTS - run) + parts[run:]


def _compare_parts(left: tuple[Part, ...], right: tuple[Part, ...]) -> int:
    """PHP's version_compare over parts, including its rule for unequal lengths."""
    for a, b in zip(left, right):
        if a != b:
            order = _compare_part(a, b)
            if order:
                return order
    return _rest_against_nothing(left[len(right):]) - _rest_against_nothing(right[len(left):])


def _compare_part(a: Part, b: Part) -> int:
    if a[0] != b[0]:
        return -1 if a[0] < b[0] else 1
    if a[1] is None or b[1] is None:  # two words of one rank, or "#" and a number
        return 0
    return -1 if a[1] < b[1] else int(a[1] > b[1])


def _rest_against_nothing(rest: tuple[Part, ...]) -> int:
    """How the extra parts of the longer version weigh: PHP compares them
    with "#", so 1.0.1 > 1.0 and 1.0pl1 > 1.0 but 1.0RC1 < 1.0."""
    for rank, number in rest:
        if number is not None:
            return 1
        if rank != _NUMBER:
            return -1 if rank < _NUMBER else 1
    return 0
