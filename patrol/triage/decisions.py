"""A dismissal as a person sends it (reason, comment, expiry) and as the API shows it."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from patrol.advisories.records import parse_time
from patrol.clock import iso, now
from patrol.errors import Invalid
from patrol.models import Dismissal, DismissalAudit
from patrol.models.triage import REASONS
from patrol.triage.dismissals import Decision

MAX_COMMENT = 2000
MAX_ACTOR = 254


def parse(fields: dict[str, Any], actor: str) -> Decision:
    """Validate a dismissal's fields; Invalid names every bad one."""
    problems: dict[str, str] = {}
    reason = fields.get("reason", "")
    if reason not in REASONS:
        problems["reason"] = f"one of {', '.join(REASONS)}"
    comment = fields.get("comment")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        problems["comment"] = f"text of at most {MAX_COMMENT} characters"
    expires_at = _expiry(fields.get("expires_at"), problems)
    by = fields.get("by")
    if by is not None and (not isinstance(by, str) or not by.strip() or len(by) > MAX_ACTOR - len(actor) - 4):
        problems["by"] = "a short name of who decided (the caller is recorded beside it)"
    if problems:
        raise Invalid("The dismissal is not valid.", fields=problems)
    who = f"{by.strip()} via {actor}" if by else actor
    return Decision(reason, (comment or "").strip() or None, expires_at, who)


def _expiry(value: object, problems: dict[str, str]) -> datetime | None:
    if value in (None, ""):
        return None
    moment = _day_or_time(value)
    if moment is None or moment <= now():
        problems["expires_at"] = "a future date (YYYY-MM-DD) or time (ISO 8601)"
    return moment


def _day_or_time(value: object) -> datetime | None:
    """`2027-01-31` means the start of that day, UTC."""
    if isinstance(value, str) and len(value) == 10:
        value += "T00:00:00Z"
    return parse_time(value) if isinstance(value, str) else None


def shape(row: Dismissal) -> dict:
    return {
        "id": row.id,
        "scope": row.scope,
        "advisory": row.advisory.osv_id,
        "server_id": row.server_id,
        "issue_id": row.issue_id,
        "reason": row.reason,
        "comment": row.comment,
        "by": row.created_by,
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
    }


def shape_audit(row: DismissalAudit) -> dict:
    return {
        "id": row.id,
        "action": row.action,
        "scope": row.scope,
        "advisory": row.advisory,
        "server": {"id": row.server_id, "name": row.server_name} if row.server_id else None,
        "issue_id": row.issue_id,
        "reason": row.reason,
        "comment": row.comment,
        "expires_at": iso(row.expires_at),
        "by": row.actor,
        "at": iso(row.at),
    }
