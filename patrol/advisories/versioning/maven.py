"""Maven version order, as `org.apache.maven.artifact.versioning.ComparableVersion`
(Maven 3.9) defines it.

A version is parsed, lowercased, into a list of items: numbers, qualifiers and
sub-lists. "." separates items of one list; "-", and a change between digits
and letters, start a sub-list. Trailing "null" items (0, "", ga, final,
release, an empty list) are dropped, so 1 == 1.0 == 1-0 == 1.ga.
Known qualifiers order alpha < beta < milestone < rc = cr < snapshot <
"" = ga = final = release < sp; unknown ones follow, alphabetically.
A number beats a sub-list, which beats a qualifier: 1-sp < 1-1 < 1.1.
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


class InvalidMavenVersion(ValueError):
    """Empty, or with white space in it."""


class MavenVersion(Ordered):
    __slots__ = ("text", "_items")

    def __init__(self, version: str) -> None:
        if not version or _WHITESPACE.search(version):
            raise InvalidMavenVersion(f"not a Maven version: {version!r}")
        self.text = version
        self._items = _parse(version.lower())

    def __repr__(self) -> str:
        return f"MavenVersion({self.text!r})"

    def _compare(self, other: MavenVersion) -> int:
        return _compare(self._items, other._items)


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


def _compare(left: Item | None, right: Item | None) -> int:
    """ComparableVersion's compareTo for any pair of items (None: missing)."""
    if left is None:
        return -_compare(right, None) if right is not None else 0
    if isinstance(left, int):
        return _compare_number(left, right)
    if isinstance(left, str):
        return _compare_qualifier(left, right)
    return _compare_list(left, right)


def _compare_number(left: int, right: Item | None) -> int:
    if right is None:
        return int(left != 0)
    return sign(left, right) if isinstance(right, int) else 1


def _compare_qualifier(left: str, right: Item | None) -> int:
    if right is None:
        return sign(left, _RELEASE_RANK)  # 1-rc < 1 < 1-sp
    return sign(left, right) if isinstance(right, str) else -1


def _compare_list(left: tuple, right: Item | None) -> int:
    if right is None:
        # The whole list against nothing, item by item (MNG-6964).
        return next((order for item in left if (order := _compare(item, None))), 0)
    if isinstance(right, int):
        return -1
    if isinstance(right, str):
        return 1
    for i in range(max(len(left), len(right))):
        order = _compare(left[i] if i < len(left) else None, right[i] if i < len(right) else None)
        if order:
            return order
    return 0
