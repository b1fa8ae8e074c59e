"""The delivery queue's two verbs: `claim` due deliveries, `finish` attempts.

Claiming is in `webhooks.claim`, recording in `webhooks.record`; what travels
between them is in `webhooks.items`.
"""
from webhooks.claim import claim
from webhooks.items import Claimed, Finished, signing_secrets
from webhooks.record import finish

__all__ = ["Claimed", "Finished", "claim", "finish", "signing_secrets"]
