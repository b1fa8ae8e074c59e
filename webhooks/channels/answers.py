"""What Slack's Web API answer to `chat.postMessage` / `chat.update` means for a delivery.

The Web API answers 200 with `{"ok": false, "error": CODE}` for most problems,
429 `ratelimited` with Retry-After, and 5xx for its own trouble.
"""
from __future__ import annotations

import json

from webhooks.slack.answers import Outcome, SlackAnswer
from webhooks.transport import Result

# The subscription cannot deliver any more until a person acts: disable it and say why.
DEAD_CODES = frozenset({
    "not_in_channel", "channel_not_found", "is_archived", "invalid_auth", "not_authed",
    "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope",
    "team_access_not_granted", "restricted_action", "not_installed", "ekm_access_denied",
})
RETRY_CODES = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                         "request_timeout"})
_ADVICE = {
    "not_in_channel": "Patrol is not in this channel: type /invite @Patrol there, then enable it again.",
    "channel_not_found": "The channel is gone, or Patrol cannot see it (a private channel needs /invite @Patrol).",
    "is_archived": "The channel was archived.",
    "not_installed": "The Slack app is no longer installed in this workspace.",
}


def classify(result: Result) -> SlackAnswer:
    """The outcome of one Web API call Slack answered (`result.status` is not None)."""
    code = error_code(result.body)
    if result.status == 200 and code is None:
        return SlackAnswer(Outcome.SUCCESS)
    reason = code or f"http_{result.status}"
    if code in DEAD_CODES:
        return SlackAnswer(Outcome.DEAD, disable_reason(code))
    if code in RETRY_CODES or result.status == 429 or (result.status is not None and result.status >= 500):
        return SlackAnswer(Outcome.RETRY, reason, _seconds(result.headers.get("Retry-After")))
    return SlackAnswer(Outcome.INVALID_PAYLOAD, reason)


def disable_reason(code: str | None) -> str:
    return f"Slack answered {code}. {_ADVICE.get(code or '', '')}".strip()


def error_code(body: str) -> str | None:
    """Slack's error code in an answer body, or None when the answer says ok."""
    try:
        answer = json.loads(body or "{}")
    except ValueError:
        return "unreadable_answer"
    if not isinstance(answer, dict):
        return "unreadable_answer"
    return None if answer.get("ok") is True else str(answer.get("error") or "not_ok")


def _seconds(value: str | None) -> float | None:
    text = (value or "").strip()
    return float(text) if text.isascii() and text.isdigit() else None
