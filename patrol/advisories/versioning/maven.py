"""Maven version order, as `org.apache.maven.artifact.versioning.ComparableVersion`
(Maven 3.9) defines it.

A version is parsed, lowercased, into a list of items: numbers, qualifiers and
sub-lists. "." separates items of one list; "-", and a change between digits
and letters, start a sub-list. Trailing "null" items (0, "", ga, final,
release, an empty list) are dropped, so 1 == 1.0 == 1-0 == 1.ga.
Known qualifiers order alpha < beta < milestone < rc = cr < snapshot <
"" = ga = final = release < sp; unknown ones follow, alphabetically.
A number beats a sub-list, which beats a qualifier: 1-sp < 1-1 < 1.1.

One departure makes the order total. Maven's answers go round in a circle
where two items in one place fall on opposite sides of a version's end:
0.alpha < 0 < 0-0-1 yet 0-0-1 < 0.alpha (a number beats a sub-list), and
1-m1 < 1 < 1.sp1 yet 1.sp1 < 1-m1 (a sub-list beats a qualifier).
Here the side of the end decides such a pair; a 0 or a release word that more
follows is on the side of what follows it. Items on one side keep Maven's order.
"""
from __future__ import annotations

import re
from typing import Union

from patrol.advisories.versioning.errors import Ordered, sign

Item = Union[int, str, tuple]  # number, qualifier (comparable form), sub-list

_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}  # only right before a digit
_RELEASE_RANK = str(_QUALIFIERS.index(""))
_DIGITS = frozenset("0123456789")
_WHITESPACE = re.compile(r"\s")
# An item's rank in its place; the end of a version (or sub-list) has one too.
(_WORD_BELOW, _RELEASE_BELOW, _LIST_BELOW, _ZERO_BELOW, _END,
 _RELEASE_ABOVE, _WORD_ABOVE, _LIST_ABOVE, _ZERO_ABOVE, _NUMBER) = range(10)


class InvalidMavenVersion(ValueError):
    """Empty, or with white space in it."""


class MavenVersion(Ordered):
    __slots__ = ("text", "_key")

    def __init__(self, version: str) -> None:
        if not version or _WHITESPACE.search(version):
            raise InvalidMavenVersion(f"not a Maven version: {version!r}")
        self.text = version
        self._key = _key(_parse(version.lower()))

    def __repr__(self) -> str:
        return f"MavenVersion({self.text!r})"

    def _compare(self, other: MavenVersion) -> int:
        return sign(self._key, other._key)


def _qualifier(word: str, before_digit: bool) -> str:
    """A qualifier's comparable form: its rank as a digit, or "7-" and the word."""
    if before_digit and word in _SHORT:
        word = _SHORT[word]
    word = _ALIASES.get(word, word)
    return str(_QUALIFIERS.index(word)) if word in _QUALIFIERS else f"{len(_QUALIFIERS)}-{word}"


def _item(text: str, digits: bool) -> Item:
    return int(text) if digits else _qualifier(text, False)


def _parse(text: str) -> tuple:
    root: list = []
    current, stack = root, [root]
    digits, start = False, 0

    def open_sublist() -> None:
        nonlocal current
        current.append([])
        current = current[-1]
        stack.append(current)

    for i, char in enumerate(text):
        if char in ".-":
            current.append(0 if i == start else _item(text[start:i], digits))
            start = i + 1
            if char == "-":
                open_sublist()
        elif (char in _DIGITS) != digits and i > start:
            # "1alpha" and "alpha1" split as "1-alpha" and "alpha-1" would.
            current.append(_qualifier(text[start:i], True) if not digits else int(text[start:i]))
            start = i
            open_sublist()
        digits = char in _DIGITS if char not in ".-" else digits
    if start < len(text):
        current.append(_item(text[start:], digits))
    for items in reversed(stack):
        _drop_trailing_nulls(items)
    return _frozen(root)


def _drop_trailing_nulls(items: list) -> None:
    """From the end, drop null items and step over non-empty sub-lists,
    stopping at the first number or word that counts: 1.0-2 == 1-2."""
    i = len(items) - 1
    while i >= 0 and (_is_null(items[i]) or isinstance(items[i], list)):
        if _is_null(items[i]):
            del items[i]
        i -= 1


def _is_null(item: object) -> bool:
    return item == 0 or item == _RELEASE_RANK or item == []


def _frozen(items: list) -> tuple:
    return tuple(_frozen(i) if isinstance(i, list) else i for i in items)


def _key(items: tuple) -> tuple:
    """Each item as (rank, value), closed by the end: plain tuples, so the order is total."""
    return (*(_item_key(item, items[i + 1:]) for i, item in enumerate(items)), (_END, 0))


def _item_key(item: Item, rest: tuple) -> tuple:
    if isinstance(item, tuple):
        return (_LIST_BELOW if _sign(item) < 0 else _LIST_ABOVE), _key(item)
    if _sign(item) == 0:  # a 0 or a release word that more follows: below or above the end, as that is
        below = _sign(rest) < 0
        if isinstance(item, int):
            return (_ZERO_BELOW if below else _ZERO_ABOVE), 0
        return (_RELEASE_BELOW if below else _RELEASE_ABOVE), item
    if isinstance(item, int):
        return _NUMBER, item
    return (_WORD_BELOW if item < _RELEASE_RANK else _WORD_ABOVE), item


def _sign(item: Item) -> int:
    """ComparableVersion's compareTo against a missing item: a sub-list by its
    first item that is not null (MNG-6964)."""
    if isinstance(item, int):
        return int(item != 0)
    if isinstance(item, str):
        return sign(item, _RELEASE_RANK)  # 1-rc < 1 < 1-sp
    return next((order for part in item if (order := _sign(part))), 0)
