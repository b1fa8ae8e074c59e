"""Alpine apk version order, as apk-tools compares versions.

A version is numbers joined by dots, an optional letter, any number of
`_suffix[N]` parts and an optional `-rN` package release: `1.2.3a_rc1-r4`.
apk reads it as a stream of tokens and, where two streams part, the kind of
the next token decides: more numbers beat a letter, which beats a suffix,
which beats a suffix number, which beats a release, which beats the end;
but a pre-release suffix (_alpha, _beta, _pre, _rc) loses to everything.
Here each token is ranked so that comparing the token tuples gives that order.
"""
from __future__ import annotations

import re

_VERSION = re.compile(
    r"(?P<first>[0-9]+)(?P<more>(?:\.[0-9]+)*)(?P<letter>[a-z])?"
    r"(?P<suffixes>(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*)"
    r"(?:-r(?P<release>[0-9]+))?",
    re.ASCII,
)
_SUFFIX = re.compile(r"_([a-z]+)([0-9]*)", re.ASCII)
_PRE_SUFFIXES = {"alpha": -4, "beta": -3, "pre": -2, "rc": -1}
_POST_SUFFIXES = {"cvs": 1, "svn": 2, "git": 3, "hg": 4, "p": 5}
# Token ranks: where two versions part, the higher-ranked token wins.
_NUMBER, _LETTER, _POST, _SUFFIX_NUMBER, _RELEASE, _END, _PRE = 6, 5, 4, 3, 2, 1, 0


class InvalidApkVersion(ValueError):
    """Not an apk version string."""


def apk_key(version: str) -> tuple[tuple[int, int], ...]:
    found = _VERSION.fullmatch(version.strip())
    if found is None:
        raise InvalidApkVersion(f"not an Alpine package version: {version!r}")
    tokens = [(_NUMBER, int(found["first"]))]
    for number in found["more"].split(".")[1:]:
        tokens += _dotted_number(number)
    if found["letter"]:
        tokens.append((_LETTER, ord(found["letter"])))
    for name, number in _SUFFIX.findall(found["suffixes"]):
        tokens.append((_PRE, _PRE_SUFFIXES[name]) if name in _PRE_SUFFIXES else (_POST, _POST_SUFFIXES[name]))
        if number:
            tokens.append((_SUFFIX_NUMBER, int(number)))
    if found["release"] is not None:
        tokens.append((_RELEASE, int(found["release"])))
    return (*tokens, (_END, 0))


def _dotted_number(digits: str) -> list[tuple[int, int]]:
    """apk reads leading zeros after a dot as a token of minus their count,
    then the rest as a number of its own: 1.02 < 1.1 and 1.00 < 1.0."""
    rest = digits.lstrip("0")
    if len(rest) == len(digits):
        return [(_NUMBER, int(digits))]
    zeros = [(_NUMBER, -(len(digits) - len(rest)))]
    return [*zeros, (_NUMBER, int(rest))] if rest else zeros
