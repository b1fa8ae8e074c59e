"""Where a user-supplied `next=` may send someone: a path on this site, nothing else.

Browsers forgive a lot in a Location header: they drop tabs and newlines,
read a backslash as a slash, and treat `//host` as another site. So a target
is checked as sent, fully percent-decoded, and in its Unicode compatibility
form (a fullwidth solidus is a slash there); each spelling must be a plain
absolute path with no control, blank or invisible character anywhere.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2048
MAX_DECODINGS = 5


def local_path(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, else `default`."""
    return target if target and is_local_path(target) else default


def is_local_path(target: str) -> bool:
    if len(target) > MAX_LENGTH:
        return False
    decoded = _fully_decoded(target)
    if decoded is None:
        return False
    spellings = (target, decoded, unicodedata.normalize("NFKC", decoded))
    if not all(_plain_path(spelling) for spelling in spellings):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _plain_path(text: str) -> bool:
    """Starts with one slash, never two, and has no backslash or unseen character."""
    if not text.startswith("/") or text[1:2] in ("/", "\\") or "\\" in text:
        return False
    return all(char.isprintable() and not char.isspace() for char in text)


def _fully_decoded(text: str) -> str | None:
    """Percent-decoded until it stops changing (`%252F` is `%2F` is `/`); None
    when it is still changing after a few rounds (nobody links like that)."""
    for _ in range(MAX_DECODINGS):
        decoded = unquote(text)
        if decoded == text:
            return decoded
        text = decoded
    return None
