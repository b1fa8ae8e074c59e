"""A memo with a size bound that forgets everything when full.

For answers asked again and again on hot paths (a compiled range's verdict
per version, a webhook URL's checked target): no eviction bookkeeping per
lookup, and memory stays bounded.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    __slots__ = ("_kept", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: dict[K, V] = {}

    def get(self, key: K, compute: Callable[[K], V]) -> V:
        """The answer for `key`, computed once until the memo fills and starts over."""
        if key in self._kept:
            return self._kept[key]
        if len(self._kept) >= self.size:
            self._kept.clear()
        answer = self._kept[key] = compute(key)
        return answer
