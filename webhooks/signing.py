"""Signing deliveries after the Standard Webhooks specification (standardwebhooks.com).

A receiver recomputes `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
and compares. During a secret rotation every delivery carries one signature
per live secret, space separated, so receivers holding either secret accept it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from secrets import token_bytes

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SECRET_BYTES = 32


class InvalidSecret(ValueError):
    """A signing secret that is not `whsec_` followed by non-empty base64."""


def new_secret() -> str:
    """A fresh secret: `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a secret; the `whsec_` prefix is optional, as in the spec's libraries."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise InvalidSecret("a webhook secret must be base64 after `whsec_`") from exc
    if not key:
        raise InvalidSecret("a webhook secret must not be empty")
    return key


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature of the exact body bytes."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value: one signature per secret, space separated."""
    if not secrets:
        raise InvalidSecret("at least one secret is needed to sign a delivery")
    return " ".join(signature(secret, msg_id, timestamp, body) for secret in secrets)


def headers(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three `webhook-*` headers of one delivery."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secrets, msg_id, timestamp, body),
    }
