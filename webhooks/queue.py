"""The delivery queue's two verbs: `claim` due deliveries, `finish` attempts.

Claiming is in `webhooks.claim`, recording in `webhooks.record`; what travels
between them is in `webhooks.items`.
Whoever makes deliveries due calls `patrol.wakeups.notify(session, DELIVERIES)`,
which wakes the claim loops of every process once the transaction commits.
"""
from webhooks.claim import claim
from webhooks.items import Claimed, Finished, signing_secrets
from webhooks.record import finish

DELIVERIES = "patrol_deliveries"  # the wake-up channel of due deliveries

__all__ = ["DELIVERIES", "Claimed", "Finished", "claim", "finish", "signing_secrets"]
