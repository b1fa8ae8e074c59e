"""Issues as every surface shows them: the contract's issue plus its
exploitation marks and the dismissal that covers it, if any."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from patrol import serialize
from patrol.exploits import marks
from patrol.models import Issue
from patrol.triage import decisions, dismissals


def shaped(session: Session, account_id: int, rows: list[Issue]) -> list[dict]:
    """`rows` as API dicts, in two or three queries however many there are."""
    found = marks.for_advisories(session, {row.advisory_id: row.advisory for row in rows}.values())
    covering = dismissals.active_for(session, account_id, rows)
    return [_one(row, found.get(row.advisory_id, marks.NONE), covering.get(row.id)) for row in rows]


def _one(row: Issue, mark: marks.Marks, dismissal) -> dict:  # noqa: ANN001 - a Dismissal or None
    shaped_row = serialize.issue(row)
    shaped_row.update(mark.as_dict())
    shaped_row["dismissal"] = decisions.shape(dismissal) if dismissal is not None else None
    return shaped_row


def open_issues(session: Session, server_id: int) -> list[Issue]:
    query = select(Issue).where(Issue.server_id == server_id, Issue.resolved_at.is_(None)).order_by(Issue.id)
    return list(session.scalars(query).unique())


def open_shaped(session: Session, account_id: int, server_id: int) -> list[dict]:
    """The server's open issues, dismissed or not, shaped."""
    return shaped(session, account_id, open_issues(session, server_id))
