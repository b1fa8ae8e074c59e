"""RPM version order (Red Hat, Rocky Linux, AlmaLinux): epoch, then
`rpmvercmp` over the version and then over the release.

rpmvercmp walks both strings a run at a time: separators (anything but ASCII
letters, digits, "~" and "^") only split; "~" sorts before everything, even
the end of the string (1.0~rc1 < 1.0); "^" sorts after the end of the string
but before anything else (1.0 < 1.0^git1 < 1.0.1); a number beats a word;
numbers compare by value, words by bytes; at the end the longer string wins.
"""
from __future__ import annotations

import re

from patrol.advisories.versioning.errors import Ordered, sign

_EVR = re.compile(r"(?:(?P<epoch>\d+):)?(?P<version>[^:-]+)(?:-(?P<release>[^:-]*))?", re.ASCII)
_DIGITS = re.compile(r"[0-9]*", re.ASCII)
_LETTERS = re.compile(r"[A-Za-z]*", re.ASCII)
_SEPARATORS = re.compile(r"\A[^0-9A-Za-z~^]+", re.ASCII)


class InvalidRpmVersion(ValueError):
    """Not an [epoch:]version[-release] string."""


class RpmVersion(Ordered):
    __slots__ = ("text", "_epoch", "_version", "_release")

    def __init__(self, epoch: int, version: str, release: str | None, text: str) -> None:
        self.text, self._epoch, self._version, self._release = text, epoch, version, release

    def __repr__(self) -> str:
        return f"RpmVersion({self.text!r})"

    def _compare(self, other: RpmVersion) -> int:
        order = sign(self._epoch, other._epoch) or rpmvercmp(self._version, other._version)
        if order or self._release == other._release:
            return order
        # No release sorts below any release, as osv.dev orders them.
        if self._release is None or other._release is None:
            return -1 if self._release is None else 1
        return rpmvercmp(self._release, other._release)


def rpm_key(text: str) -> RpmVersion:
    found = _EVR.fullmatch(text.strip())
    if found is None:
        raise InvalidRpmVersion(f"not an RPM [epoch:]version[-release]: {text!r}")
    return RpmVersion(int(found["epoch"] or 0), found["version"], found["release"], text)


def rpmvercmp(a: str, b: str) -> int:
    """-1, 0 or 1 as rpm orders two version (or release) strings."""
    while a or b:
        a, b = _SEPARATORS.sub("", a, count=1), _SEPARATORS.sub("", b, count=1)
        order, a, b = _step(a, b)
        if order is not None:
            return order
    return 0


def _step(a: str, b: str) -> tuple[int | None, str, str]:
    """Compare the next run of each string (separators already dropped);
    an order when it decides, else None and what is left of both."""
    head_a, head_b = a[:1], b[:1]
    for mark, rank_with_end in (("~", -1), ("^", 1)):
        if mark in (head_a, head_b):
            if head_a == head_b:
                return None, a[1:], b[1:]
            return _against(head_a, head_b, mark, rank_with_end), a, b
    if not a or not b:
        return sign(bool(a), bool(b)), a, b
    run_a, run_b = _run(a, head_a.isdigit()), _run(b, head_a.isdigit())
    if not run_b:  # b holds the other kind of run here: a number beats a word
        return (1 if head_a.isdigit() else -1), a, b
    order = sign(int(run_a), int(run_b)) if head_a.isdigit() else sign(run_a, run_b)
    return (order or None), a[len(run_a):], b[len(run_b):]


def _against(head_a: str, head_b: str, mark: str, rank_with_end: int) -> int:
    """One string is at `mark` and the other is not: "~" loses to anything,
    "^" loses to anything but the end of the string, where it wins."""
    if head_a == mark:
        return rank_with_end if not head_b else -1
    return -rank_with_end if not head_a else 1


def _run(text: str, digits: bool) -> str:
    found = (_DIGITS if digits else _LETTERS).match(text)
    return found.group() if found else ""
