"""One severity word per advisory: critical, high, medium, low or unknown.

The database's own rating (GitHub's `database_specific.severity`) wins,
because it is what people see on the advisory page; otherwise the CVSS
vector's base score is rated with the standard CVSS bands.
"""
from __future__ import annotations

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

LEVELS = ("critical", "high", "medium", "low", "unknown")
_WORDS = {"critical": "critical", "high": "high", "moderate": "medium", "medium": "medium", "low": "low"}
_VECTORS = {"CVSS_V4": CVSS4, "CVSS_V3": CVSS3, "CVSS_V2": CVSS2}


def of_record(record: dict) -> str:
    specific = record.get("database_specific")
    word = str(specific.get("severity", "")).lower() if isinstance(specific, dict) else ""
    if word in _WORDS:
        return _WORDS[word]
    entries = record.get("severity")
    scores = [s for entry in entries if (s := _score(entry)) is not None] if isinstance(entries, list) else []
    return rate(max(scores)) if scores else "unknown"


def rate(score: float) -> str:
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low" if score > 0 else "unknown"


def rank(level: str) -> int:
    """Sort key: critical first."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _score(entry: object) -> float | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("score"), str):
        return None
    kind = _VECTORS.get(str(entry.get("type")))
    if kind is None:
        return None
    try:
        vector = kind(entry["score"])
    except (CVSSError, ValueError, KeyError):
        return None
    return float(vector.base_score)
