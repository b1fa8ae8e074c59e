"""Why a software item's version cannot be compared, so that it is shown
instead of silently matching nothing: the scan looks such an item up but
its ranges cannot contain it (only an advisory's exact `versions` list can)."""
from __future__ import annotations

from patrol.advisories import versioning
from patrol.models import Software
from patrol.scanning.matcher import probe_of


def version_problem(item: Software) -> str | None:
    """None when the version orders in the item's ecosystem, or when Patrol
    matches nothing in that ecosystem anyway; otherwise the reason."""
    if not item.ecosystem:
        return None
    try:
        key = versioning.key_function(item.ecosystem)
    except versioning.UnsupportedEcosystem:
        return None
    looked_up = probe_of(item)
    if looked_up is None:
        return "no version given"
    try:
        key(looked_up.version)
    except versioning.InvalidVersion as exc:
        return str(exc)
    return None
