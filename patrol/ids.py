"""Random, unguessable identifiers for webhooks, events and deliveries."""
from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def random_id(prefix: str, length: int = 22) -> str:
    """`prefix_` and `length` base62 characters: 22 characters carry 130 bits."""
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(length))
