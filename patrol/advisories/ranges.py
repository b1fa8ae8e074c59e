"""Whether an installed version falls in an OSV `affected[]` entry.

Follows the evaluation pseudo-code of the OSV schema: a version is affected if
it is listed in `versions` (exact string) or lies in one of the ECOSYSTEM or
SEMVER ranges. GIT ranges need the repository's commit graph and are skipped.
An entry is compiled once into a `Matcher`; its event versions are parsed and
sorted then, so matching a version costs a few comparisons.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from patrol.advisories import versioning
from patrol.advisories.versioning import InvalidVersion, SortKey
from patrol.memo import Memo

INTRODUCED, FIXED, LAST_AFFECTED, LIMIT = "introduced", "fixed", "last_affected", "limit"
# At one version an introduced event comes first, so [1.0, 1.0) is empty.
_ORDER_AT_SAME_VERSION = {INTRODUCED: 0, FIXED: 1, LAST_AFFECTED: 1}
_MATCHER_CACHE_SIZE = 8192
# Verdicts a Matcher remembers: the versions of its package met so far (a
# fleet runs few versions of each package). Forgotten all at once when full.
_VERDICTS_PER_MATCHER = 256


@dataclass(frozen=True, slots=True)
class _Event:
    kind: str
    text: str
    key: Any  # None: introduced "0", before every version

    def reached_by(self, version: Any) -> bool:
        if self.key is None:
            return True
        return version > self.key if self.kind == LAST_AFFECTED else version >= self.key


class _BadEvent(ValueError):
    """An event whose version the range's scheme cannot read."""


@dataclass(frozen=True, slots=True)
class _Range:
    sort_key: SortKey
    events: tuple[_Event, ...]  # sorted by version
    limits: tuple[Any, ...] | None  # None: no limit, i.e. the implicit "*"

    def key_of(self, version: str) -> Any:
        try:
            return self.sort_key(version)
        except InvalidVersion:
            return None

    def contains(self, key: Any) -> bool:
        if self.limits is not None and not any(key < limit for limit in self.limits):
            return False
        # The walk's final state is set by the highest event the version reaches.
        for event in reversed(self.events):
            if event.reached_by(key):
                return event.kind == INTRODUCED
        return False

    def fixes_above(self, key: Any) -> list[tuple[Any, str]]:
        return [(e.key, e.text) for e in self.events if e.kind == FIXED and e.key > key]


class Matcher:
    """One compiled `affected[]` entry; it remembers the verdicts it gave."""

    def __init__(
        self, listed: frozenset[str], ranges: Iterable[_Range], semver_ranges: Iterable[_Range]
    ) -> None:
        self._listed = listed
        # Kept apart because SEMVER and ecosystem keys need not compare with each other.
        self._groups = (tuple(ranges), tuple(semver_ranges))
        self._verdicts: Memo[str, tuple[bool, str | None]] = Memo(_VERDICTS_PER_MATCHER)

    def matches(self, version: str) -> bool:
        """Whether `version` is affected; an unreadable version only matches `versions`."""
        if version in self._listed:
            return True
        return any(self._containing(group, version) for group in self._groups)

    def fixed_in(self, version: str) -> str | None:
        """The lowest `fixed` version above `version` in the ranges that contain it."""
        return self._lowest_fix([self._containing(group, version) for group in self._groups])

    def verdict(self, version: str) -> tuple[bool, str | None]:
        """`matches` and `fixed_in` at once: a scan asks again at every rescan."""
        return self._verdicts.get(version, self._verdict)

    def _verdict(self, version: str) -> tuple[bool, str | None]:
        """Reads `version` once per range."""
        containing = [self._containing(group, version) for group in self._groups]
        if version not in self._listed and not any(containing):
            return False, None
        return True, self._lowest_fix(containing)

    @staticmethod
    def _lowest_fix(containing: list[list[tuple[_Range, Any]]]) -> str | None:
        for found in containing:
            fixes = [fix for one, key in found for fix in one.fixes_above(key)]
            if fixes:
                return min(fixes, key=itemgetter(0))[1]
        return None

    @staticmethod
    def _containing(group: tuple[_Range, ...], version: str) -> list[tuple[_Range, Any]]:
        """The ranges of `group` that contain `version`, each with the version's key."""
        found = []
        for one in group:
            key = one.key_of(version)
            if key is not None and one.contains(key):
                found.append((one, key))
        return found


def is_affected(ecosystem: str, version: str, affected: dict) -> bool:
    """Whether `version` of a package in `ecosystem` is affected by the entry."""
    return compile_affected(ecosystem, affected).matches(version)


def fixed_in(ecosystem: str, version: str, affected: dict) -> str | None:
    """The version to upgrade to: the lowest `fixed` above `version` in a range
    that contains it; None when no such range or no fix is known."""
    return compile_affected(ecosystem, affected).fixed_in(version)


_matchers: dict[tuple[str, int], tuple[dict, Matcher]] = {}


def compile_affected(ecosystem: str, affected: dict) -> Matcher:
    """The Matcher of `affected`, evaluated in `ecosystem`'s version order.

    Cached by the identity of the dict (held, so its id cannot be reused):
    compile a fresh dict if you change one. Raises UnsupportedEcosystem.
    """
    slot = (ecosystem, id(affected))
    cached = _matchers.get(slot)
    if cached is not None and cached[0] is affected:
        return cached[1]
    matcher = compile_fresh(ecosystem, affected)
    if len(_matchers) >= _MATCHER_CACHE_SIZE:
        _matchers.clear()
    _matchers[slot] = (affected, matcher)
    return matcher


def compile_fresh(ecosystem: str, affected: dict) -> Matcher:
    """The Matcher of `affected`, uncached. Raises UnsupportedEcosystem."""
    return _compile(versioning.key_function(ecosystem), affected)


def _compile(ecosystem_key: SortKey, affected: dict) -> Matcher:
    listed = frozenset(v for v in affected.get("versions") or () if isinstance(v, str))
    compiled: dict[str, list[_Range]] = {"ECOSYSTEM": [], "SEMVER": []}
    for raw in affected.get("ranges") or ():
        kind = raw.get("type")
        if kind in compiled:
            sort_key = ecosystem_key if kind == "ECOSYSTEM" else versioning.semver_key
            try:
                compiled[kind].append(_compile_range(sort_key, raw.get("events") or ()))
            except _BadEvent:
                pass  # an advisory version we cannot read: this range matches nothing
    return Matcher(listed, compiled["ECOSYSTEM"], compiled["SEMVER"])


def _compile_range(sort_key: SortKey, raw_events: Iterable[dict]) -> _Range:
    events: list[_Event] = []
    limits: list[Any] = []
    unlimited = False
    for raw in raw_events:
        for kind, text in raw.items():
            if kind == LIMIT and isinstance(text, str) and "*" in text:
                unlimited = True  # "*" is infinity
            elif kind == LIMIT:
                limits.append(_key(sort_key, text))
            elif kind in _ORDER_AT_SAME_VERSION:
                start = kind == INTRODUCED and text == "0"
                events.append(_Event(kind, text, None if start else _key(sort_key, text)))
    starts = [e for e in events if e.key is None]
    rest = sorted((e for e in events if e.key is not None), key=_walk_order)
    return _Range(sort_key, (*starts, *rest), None if unlimited or not limits else tuple(limits))


def _walk_order(event: _Event) -> tuple[Any, int]:
    return (event.key, _ORDER_AT_SAME_VERSION[event.kind])


def _key(sort_key: SortKey, text: Any) -> Any:
    if not isinstance(text, str):
        raise _BadEvent(f"event version is not a string: {text!r}")
    try:
        return sort_key(text)
    except InvalidVersion as exc:
        raise _BadEvent(str(exc)) from exc
