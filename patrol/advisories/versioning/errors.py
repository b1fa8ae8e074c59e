"""What every comparator shares: its errors, a parse cache, and an ordering base."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

SortKey = Callable[[str], Any]

_CACHE_SIZE = 65536


class InvalidVersion(ValueError):
    """The version string cannot be read in the ecosystem's scheme."""


class UnsupportedEcosystem(ValueError):
    """Patrol has no version order for this ecosystem."""


def cached(parse: Callable[[str], Any], errors: type[Exception] | tuple[type[Exception], ...]) -> SortKey:
    """Wrap a parser with a cache and report its failures as InvalidVersion."""

    @lru_cache(maxsize=_CACHE_SIZE)
    def key(version: str) -> Any:
        try:
            return parse(version)
        except errors as exc:
            raise InvalidVersion(f"invalid version {version!r}: {exc}") from exc

    return key


class Ordered:
    """A sort key whose order is a three-way `_compare`, for schemes that a
    plain tuple cannot express (missing parts that count as zero, "~")."""

    __slots__ = ()

    def _compare(self, other: Any) -> int:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self._compare(other) == 0

    # Equal keys need not have equal text, and no hash is needed.
    __hash__ = None  # type: ignore[assignment]

    def __lt__(self, other: Any) -> bool:
        return self._compare(other) < 0

    def __le__(self, other: Any) -> bool:
        return self._compare(other) <= 0

    def __gt__(self, other: Any) -> bool:
        return self._compare(other) > 0

    def __ge__(self, other: Any) -> bool:
        return self._compare(other) >= 0


def sign(a: Any, b: Any) -> int:
    """-1, 0 or 1 as `a` orders against `b`."""
    return (a > b) - (a < b)
