"""PyPI version order: PEP 440, and pip's old rule for everything else.

Real records list versions such as `0.9-doduo` that PEP 440 cannot read.
pip (through packaging's `LegacyVersion`) placed every such version before
every PEP 440 one and ordered them among themselves with setuptools' old
`parse_version`; this module does the same.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from packaging import version as pep440

_PEP440, _LEGACY = 1, 0
_LEGACY_TEXT = re.compile(r"[^\s]*\d[^\s]*")
_PARTS = re.compile(r"(\d+|[a-z]+|\.|-)", re.ASCII)
# setuptools' spellings: every pre-release tag sorts as "c", "dev" first of all.
_RENAMED = {"pre": "c", "preview": "c", "rc": "c", "dev": "@", "-": "final-"}
_ZERO = "00000000"
_FINAL = "*final"


class InvalidPypiVersion(ValueError):
    """Neither PEP 440 nor a legacy version (empty, spaces, no digit)."""


def pypi_key(version: str) -> tuple:
    try:
        return (_PEP440, pep440.Version(version))
    except pep440.InvalidVersion:
        return (_LEGACY, legacy_parts(version))


def legacy_parts(version: str) -> tuple[str, ...]:
    """setuptools' pre-PEP 440 key: numbers padded to eight digits so they
    compare as text, words marked with "*", trailing zeros dropped."""
    if not _LEGACY_TEXT.fullmatch(version):
        raise InvalidPypiVersion(f"not a PEP 440 or legacy version: {version!r}")
    parts: list[str] = []
    for part in _words(version.lower()):
        if part.startswith("*"):
            if part < _FINAL:  # a pre-release tag swallows the "-" before it
                while parts and parts[-1] == "*final-":
                    parts.pop()
            while parts and parts[-1] == _ZERO:
                parts.pop()
        parts.append(part)
    return tuple(parts)


def _words(text: str) -> Iterator[str]:
    """The marked parts of a lowercased version, "*final" last so that
    alpha, beta and candidate tags sort before the plain release."""
    # Splitting on a captured pattern keeps both the matches and the text between.
    for piece in _PARTS.split(text):
        word = _RENAMED.get(piece, piece)
        if word and word != ".":
            yield word.zfill(8) if word[0].isdigit() else "*" + word
    yield _FINAL
