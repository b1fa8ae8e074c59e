"""What one delivery attempt came to, as the delivery log shows it, and the limits on reading an answer."""
from __future__ import annotations

import codecs
from dataclasses import dataclass

USER_AGENT = "Patrol-Webhooks/1.0"
READ_LIMIT = 64 * 1024
KEEP_LIMIT = 4 * 1024
CHUNK_SIZE = 16 * 1024
KEPT_HEADERS = ("Retry-After", "Location", "Content-Type")


class DeadlineExceeded(Exception):
    """The whole attempt took longer than the total timeout."""


@dataclass(frozen=True)
class Result:
    """One attempt, as the delivery log shows it. `error_kind` is None only for a 2xx in time."""

    status: int | None
    body: str
    headers: dict[str, str]
    duration_ms: int
    error_kind: str | None
    error: str | None


def answered(status: int, answer: bytes, kept: dict[str, str], duration_ms: int) -> Result:
    """An answer that arrived whole: a success, a redirect (never followed) or an HTTP error."""
    kind, error = None, None
    if 300 <= status < 400:
        kind, error = "redirect", f"redirected to {kept.get('Location', '(no Location)')}; redirects are not followed"
    elif not 200 <= status < 300:
        kind, error = "http_status", f"HTTP {status}"
    return Result(status, text(answer), kept, duration_ms, kind, error)


def text(answer: bytes) -> str:
    # Not final: a character cut in half at the 4 KiB mark is dropped, not mangled.
    return codecs.getincrementaldecoder("utf-8")("replace").decode(answer, final=False)
