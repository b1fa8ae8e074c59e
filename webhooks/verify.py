"""Receiver side: check that a delivery came from Patrol before acting on it.

For people who run a receiver in Python. Any Standard Webhooks library works
too; this one also reads the `form` format that PatrolServer SDK receivers use.
"""
from __future__ import annotations

import hmac
import json
import time
from collections.abc import Mapping
from urllib.parse import parse_qsl

from webhooks import signing

FORM_TYPE = "application/x-www-form-urlencoded"


class VerificationError(Exception):
    """A delivery that must not be trusted or cannot be read."""


class InvalidSignature(VerificationError):
    """Headers missing, timestamp out of tolerance, or no signature matches."""


class InvalidPayload(VerificationError):
    """A correctly signed body that is neither a JSON object nor a form."""


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    tolerance: int = 300,
    now: float | None = None,
) -> dict:
    """Check the signature and timestamp, then return the payload as a dict.

    `tolerance` bounds clock skew in seconds in both directions; it is what
    makes a captured delivery useless for a replay later on.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id, timestamp, offered = (_header(lowered, name) for name in ("id", "timestamp", "signature"))
    sent_at = _timestamp(timestamp)
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        raise InvalidSignature("webhook-timestamp is outside the tolerance")
    expected = signing.signature(secret, msg_id, sent_at, body).encode()
    if not any(hmac.compare_digest(expected, candidate.encode()) for candidate in offered.split()):
        raise InvalidSignature("no signature matches the secret")
    return _payload(body, lowered.get("content-type", ""))


def _header(headers: Mapping[str, str], suffix: str) -> str:
    value = headers.get(f"webhook-{suffix}", "").strip()
    if not value:
        raise InvalidSignature(f"webhook-{suffix} header is missing")
    return value


def _timestamp(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise InvalidSignature("webhook-timestamp is not Unix seconds")
    return int(value)


def _payload(body: bytes, content_type: str) -> dict:
    try:
        text = body.decode("utf-8")
        if content_type.split(";")[0].strip().lower() == FORM_TYPE:
            return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
        payload = json.loads(text)
    except ValueError as exc:
        raise InvalidPayload(f"the body cannot be read: {exc}") from exc
    if not isinstance(payload, dict):
        raise InvalidPayload("the body is not a JSON object")
    return payload
