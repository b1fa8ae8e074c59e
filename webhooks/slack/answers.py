"""What Slack's answer to an Incoming Webhook POST means for the delivery.

Slack answers with a status and a short code as the body: `200 ok`; 400
`invalid_payload`, `no_text`, ... (our message is wrong); 403
`action_prohibited`, 404 `channel_not_found` / `no_service` / `no_team`,
410 `channel_is_archived` (the webhook will never work again); 429
`rate_limited` with Retry-After; 5xx `rollup_error` (Slack's trouble).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    SUCCESS = "success"
    RETRY = "retry"  # try again later; at `retry_after` seconds when Slack says so
    INVALID_PAYLOAD = "invalid_payload"  # our bug: the same message would fail again
    DEAD = "dead"  # the webhook cannot deliver any more: disable it, say why


@dataclass(frozen=True)
class SlackAnswer:
    outcome: Outcome
    reason: str | None = None  # Slack's code, or `http_<status>` when it gave none
    retry_after: float | None = None


# Codes that mean the webhook itself is gone or forbidden, whatever the status.
DEAD_CODES = frozenset({
    "action_prohibited", "channel_is_archived", "channel_not_found", "invalid_token",
    "no_service", "no_service_id", "no_team", "posting_to_general_channel_denied",
    "team_disabled",
})
_DEAD_STATUSES = frozenset({403, 404, 410})
_RETRY_STATUSES = frozenset({408, 429})
_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def classify(status: int, body: str, retry_after: str | None = None) -> SlackAnswer:
    """The outcome of one POST: `status`, the body text and the Retry-After header."""
    code = _code(body)
    if code == "invalid_token":  # a revoked webhook, however Slack chose to answer
        return SlackAnswer(Outcome.DEAD, code)
    if 200 <= status < 300:
        return SlackAnswer(Outcome.SUCCESS)
    reason = code or f"http_{status}"
    if code in DEAD_CODES or status in _DEAD_STATUSES:
        return SlackAnswer(Outcome.DEAD, reason)
    if status in _RETRY_STATUSES or status >= 500:
        return SlackAnswer(Outcome.RETRY, reason, _seconds(retry_after))
    if 400 <= status < 500:
        return SlackAnswer(Outcome.INVALID_PAYLOAD, reason)
    return SlackAnswer(Outcome.RETRY, reason)  # 1xx/3xx: not Slack's way; the retry limit ends it


def _code(body: str) -> str | None:
    """Slack's error code when the body is one, so a stray HTML page is not a reason."""
    text = body.strip()
    return text if _CODE.fullmatch(text) else None


def _seconds(retry_after: str | None) -> float | None:
    # Slack sends delta-seconds; anything else is ignored and the retry policy decides.
    try:
        seconds = float((retry_after or "").strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
