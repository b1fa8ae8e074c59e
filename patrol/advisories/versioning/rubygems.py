"""RubyGems version order, as `Gem::Version#<=>` defines it.

A version is a dot-separated list of numbers and words ("1.0.0.rc1"); a "-"
means ".pre.". Digit/letter boundaries split too ("1.0b1" is 1, 0, "b", 1).
Trailing zeros of the release part and of the pre-release part do not count,
a missing segment counts as 0, and any word sorts below any number, so
"1.0.a" < "1.0" < "1.0.0.1". Gemfile.lock may add a platform
("1.16.5-x86_64-linux"); it names a build, not a version, and is dropped.
"""
from __future__ import annotations

import re

from patrol.advisories.versioning.errors import Ordered, sign

_VALID = re.compile(r"[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?", re.ASCII)
_SEGMENT = re.compile(r"[0-9]+|[a-zA-Z]+", re.ASCII)
_CPU = r"x86_64|x86|x64|i[3-6]86|amd64|arm64|aarch64|armv?\d*[a-z]*|universal|powerpc64le|powerpc|ppc64le|ppc64|s390x|sparc\w*|mips\w*|riscv64"  # noqa: E501
_PLATFORM = re.compile(rf"-(?:(?:{_CPU})-[a-z][a-z0-9_]*(?:-[a-z0-9_.]+)?|java|jruby|dalvik\d*|mswin\d*|mingw\d*|dotnet)\Z", re.ASCII)  # noqa: E501


class InvalidGemVersion(ValueError):
    """Not a Gem::Version string."""


def strip_platform(version: str) -> str:
    """"1.16.5-x86_64-linux" -> "1.16.5"; a version without a platform is kept."""
    return _PLATFORM.sub("", version.strip())


class GemVersion(Ordered):
    __slots__ = ("text", "_segments")

    def __init__(self, version: str) -> None:
        self.text = version
        self._segments = _canonical(strip_platform(version))

    def __repr__(self) -> str:
        return f"GemVersion({self.text!r})"

    def _compare(self, other: GemVersion) -> int:
        left, right = self._segments, other._segments
        for i in range(max(len(left), len(right))):
            a = left[i] if i < len(left) else 0
            b = right[i] if i < len(right) else 0
            if a != b:
                return _compare_segments(a, b)
        return 0


def _compare_segments(a: int | str, b: int | str) -> int:
    if isinstance(a, str) != isinstance(b, str):
        return -1 if isinstance(a, str) else 1  # a word is below any number
    return sign(a, b)


def _canonical(text: str) -> tuple[int | str, ...]:
    text = text or "0"  # Gem::Version reads "" as "0"
    if not _VALID.fullmatch(text):
        raise InvalidGemVersion(f"not a RubyGems version: {text!r}")
    segments = [int(s) if s.isdigit() else s for s in _SEGMENT.findall(text.replace("-", ".pre."))]
    first_word = next((i for i, s in enumerate(segments) if isinstance(s, str)), len(segments))
    return (*_without_trailing_zeros(segments[:first_word]), *_without_trailing_zeros(segments[first_word:]))


def _without_trailing_zeros(segments: list[int | str]) -> list[int | str]:
    while segments and segments[-1] == 0:
        segments = segments[:-1]
    return segments
