"""Slack's signature, checked before anything reads the body, and replays refused.

Bolt verifies too, but only after it has parsed the body, so junk that was
never signed could reach its parser (and a 500). Here the raw bytes are
checked first; only a request Slack signed within the last five minutes,
and not seen before, goes on to Bolt.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.models import SeenRequest
from patrol.clock import now
from patrol.db import Database
from patrol.errors import Unauthorized

WINDOW = 5 * 60  # seconds either side of now that Slack's timestamp may be
MAX_STAMP_DIGITS = 12


class SlackRequestGuard:
    def __init__(self, signing_secret: str, database: Database) -> None:
        self._key = signing_secret.encode()
        self._database = database

    def check(self, body: bytes, timestamp: str | None, signature: str | None) -> None:
        """Raise `Unauthorized` unless Slack signed `body` recently and this is its first arrival."""
        stamp = _stamp(timestamp)
        if stamp is None or abs(now().timestamp() - stamp) > WINDOW:
            raise Unauthorized("The request is not signed by Slack, or its timestamp is too old.")
        if not signature or not hmac.compare_digest(self.signature(stamp, body), signature):
            raise Unauthorized("The request is not signed by Slack.")
        self._remember(signature, stamp)

    def signature(self, stamp: int, body: bytes) -> str:
        digest = hmac.new(self._key, b"v0:%d:%s" % (stamp, body), hashlib.sha256).hexdigest()
        return "v0=" + digest

    def _remember(self, signature: str, stamp: int) -> None:
        """One row per signature until it can no longer verify; a second insert is a replay."""
        expires = datetime.fromtimestamp(stamp + WINDOW + 1, timezone.utc)
        try:
            with self._database.session() as session:
                session.execute(delete(SeenRequest).where(SeenRequest.expires_at < now()))
                session.add(SeenRequest(signature=signature, expires_at=expires))
        except IntegrityError as exc:
            raise Unauthorized("This request was already received; Slack does not send one twice.") from exc


def _stamp(raw: str | None) -> int | None:
    if raw is None or not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_STAMP_DIGITS):
        return None
    return int(raw)
