"""A fingerprint of an advisory's affected ranges: a dismissal holds only
while the ranges are those it was made against."""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from patrol.models import AdvisoryPackage

BATCH = 500


def ranges_digests(session: Session, advisory_ids: set[int]) -> dict[int, str]:
    """SHA-256 over each advisory's (package, ranges, versions), in a stable order."""
    entries: dict[int, list[str]] = defaultdict(list)
    ordered = sorted(advisory_ids)
    for start in range(0, len(ordered), BATCH):
        rows = session.execute(
            select(AdvisoryPackage.advisory_id, AdvisoryPackage.ecosystem_full, AdvisoryPackage.name,
                   AdvisoryPackage.affected)
            .where(AdvisoryPackage.advisory_id.in_(ordered[start : start + BATCH]))
        )
        for advisory_id, ecosystem, name, affected in rows:
            entries[advisory_id].append(_entry(ecosystem, name, affected))
    return {advisory_id: _digest(entries.get(advisory_id, [])) for advisory_id in ordered}


def _entry(ecosystem: str, name: str, affected: dict) -> str:
    shape = [ecosystem, name, affected.get("ranges") or [], sorted(affected.get("versions") or [])]
    return json.dumps(shape, sort_keys=True, ensure_ascii=False)


def _digest(entries: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()
