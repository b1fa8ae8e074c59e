"""How many deliveries each webhook may have in flight: a limit that adapts (AIMD).

A receiver that answers fast earns one more slot per fast answer, up to the
process's whole in-flight cap; a timeout, a connection error or a 5xx/429
halves its limit (never below one). So one fast receiver soon gets many
deliveries in flight, and a hanging one is quickly held to a single slot and
cannot take the others' share. Slack webhooks are not adapted: they stay paced.
"""
from __future__ import annotations

import threading

from webhooks.results import Result

FAST = 1.0  # seconds: an answer within this earns a slot
BACKING_OFF = frozenset({"timeout", "connection", "tls"})


def next_limit(limit: int, result: Result, *, ceiling: int, fast: float = FAST) -> int:
    """The limit after one answer: +1 for a fast answer, halved for trouble, else unchanged."""
    if _trouble(result):
        return max(1, limit // 2)
    if result.error_kind is None and result.duration_ms <= fast * 1000:
        return min(ceiling, limit + 1)
    return min(ceiling, limit)


def _trouble(result: Result) -> bool:
    status = result.status
    return result.error_kind in BACKING_OFF or (status is not None and (status >= 500 or status == 429))


class Limits:
    """The adaptive limits of one process's webhooks; safe to share between threads."""

    def __init__(self, start: int, ceiling: int) -> None:
        self.start, self.ceiling = start, max(start, ceiling)
        self._limits: dict[str, int] = {}
        self._lock = threading.Lock()

    def observe(self, webhook_id: str, result: Result) -> None:
        with self._lock:
            current = self._limits.get(webhook_id, self.start)
            self._limits[webhook_id] = next_limit(current, result, ceiling=self.ceiling)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._limits)
