"""The web pages' settings: how long a signed-in session lives."""
from __future__ import annotations

from dataclasses import dataclass

from patrol.config import integer, setting


@dataclass(frozen=True)
class Web:
    """Read when the pages are initialised (`patrol.config.load`); `patrol.config.of(app, Web)`."""

    session_idle_timeout: int = setting("PATROL_SESSION_IDLE_TIMEOUT", integer, 7 * 86400, key="SESSION_IDLE_TIMEOUT")
    session_max_age: int = setting("PATROL_SESSION_MAX_AGE", integer, 30 * 86400, key="SESSION_MAX_AGE")
