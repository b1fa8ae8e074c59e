"""dpkg version order (Debian, Ubuntu).

univers reads the Debian version (epoch, upstream, revision); the order of
each part is dpkg's verrevcmp written as a tuple, since univers' own
comparison walks the strings in Python on every call and a scan makes many.
"""
from __future__ import annotations

import re

from univers import debian

_DEBIAN_RUN = re.compile(r"(\D*)(\d*)")
_DEBIAN_END = ((0,), 0)  # an exhausted string: empty text, number 0


def debian_key(version: str) -> tuple:
    parsed = debian.Version.from_string(version)
    return (parsed.epoch, _debian_part(parsed.upstream), _debian_part(parsed.revision))


def _debian_part(text: str) -> tuple:
    """dpkg compares run i of one string with run i of the other, a missing run
    counting as empty text and 0. Runs after the first never have empty text, so
    with trailing empty runs dropped ("0" and "" agree) and the first run kept,
    one end marker settles any comparison with a longer string ("0" > "0~")."""
    runs = [(_debian_text(chars), int(digits or 0)) for chars, digits in _DEBIAN_RUN.findall(text)]
    while len(runs) > 1 and runs[-1] == _DEBIAN_END:
        runs.pop()
    return (*runs, _DEBIAN_END)


def _debian_text(chars: str) -> tuple[int, ...]:
    # "~" sorts before the end of the text, letters after it, other symbols last.
    return (*(-1 if c == "~" else ord(c) if c.isalpha() else ord(c) + 256 for c in chars), 0)
