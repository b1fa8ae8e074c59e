"""Keeping the compiled advisories out of the garbage collector's walk.

A worker holds tens of thousands of compiled `affected` entries (a few
hundred thousand small objects) for as long as it lives. Python's cyclic
collector walks every tracked object at each full collection, and a scan
allocates enough to set one off: measured on the 40,000-advisory benchmark,
that walk cost about 0.3 s per scan, more than the matching. Once the cache
has grown, the process collects once and freezes what is alive
(`gc.freeze`): frozen objects are never walked again, and those freed by
reference counting (an evicted entry, a finished request) are freed as
usual. The price: a frozen object that later ends up in a reference cycle is
never collected, so freezing happens only after real growth, not per scan.
"""
from __future__ import annotations

import gc
import threading

# Entries compiled since the last freeze that make another worthwhile.
GROWTH = 2000

_lock = threading.Lock()
_frozen_at = 0


def freeze_when_grown(compiled: int) -> bool:
    """Collect and freeze when `compiled` (entries compiled so far) grew by GROWTH
    since the last freeze; True when it froze."""
    global _frozen_at  # noqa: PLW0603 - one mark for the whole process, guarded by _lock
    with _lock:
        if compiled - _frozen_at < GROWTH:
            return False
        _frozen_at = compiled
        gc.collect()
        gc.freeze()
        return True
