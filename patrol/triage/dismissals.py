"""Dismissing issues: one issue, one advisory on one server, or one advisory on
every server of the account; restoring them; and which open issues a
dismissal covers now (unexpired, and the advisory's ranges unchanged)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, false, or_, select, update
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.db import rows_changed
from patrol.errors import NotFound
from patrol.models import Account, Advisory, Dismissal, DismissalAudit, Issue, Server
from patrol.scanning.bound_lists import BoundList
from patrol.triage.digests import ranges_digests


class IssueKeys(Protocol):
    """What deciding coverage reads of an issue: an Issue, or one read as columns."""

    @property
    def id(self) -> int: ...
    @property
    def advisory_id(self) -> int: ...
    @property
    def server_id(self) -> int: ...


@dataclass(frozen=True)
class Target:
    """What a dismissal is for: an advisory, narrowed to a server and an issue."""

    advisory: Advisory
    scope: str  # issue, server, account
    server: Server | None = None
    issue: Issue | None = None


@dataclass(frozen=True)
class Decision:
    reason: str
    comment: str | None
    expires_at: datetime | None
    actor: str


def issue_target(session: Session, server: Server, issue_id: int) -> Target:
    issue = session.get(Issue, issue_id)
    if issue is None or issue.server_id != server.id:
        raise NotFound("Issue does not exist")
    return Target(issue.advisory, "issue", server, issue)


def advisory_target(session: Session, osv_id: str, server: Server | None = None) -> Target:
    advisory = session.scalar(select(Advisory).where(Advisory.osv_id == osv_id))
    if advisory is None:
        raise NotFound("Advisory does not exist")
    return Target(advisory, "server" if server else "account", server)


def dismiss(session: Session, account: Account, target: Target, decision: Decision) -> Dismissal:
    """Dismiss `target`, replacing an earlier dismissal of exactly it."""
    _drop(session, account, target)
    row = Dismissal(
        account_id=account.id, advisory_id=target.advisory.id, scope=target.scope,
        server_id=target.server.id if target.server else None,
        issue_id=target.issue.id if target.issue else None,
        reason=decision.reason, comment=decision.comment, expires_at=decision.expires_at,
        created_by=decision.actor, created_at=now(),
        ranges_digest=ranges_digests(session, {target.advisory.id})[target.advisory.id],
    )
    session.add(row)
    _audit(session, account, target, "dismissed", decision)
    _silence(session, account, target, True)
    session.flush()
    return row


def restore(session: Session, account: Account, target: Target, actor: str) -> None:
    """Undo the dismissal of `target`; its issues count as open at once, without a new alert
    (unless a wider dismissal still covers them, which the next scan sees)."""
    if not _drop(session, account, target):
        raise NotFound("No dismissal of that exists")
    _audit(session, account, target, "restored", Decision("", None, None, actor))
    _silence(session, account, target, False)


def active_for(session: Session, account_id: int, issues: Sequence[IssueKeys]) -> dict[int, Dismissal]:
    """The dismissal that covers each issue, by issue id (the narrowest wins)."""
    advisory_ids = {issue.advisory_id for issue in issues}
    if not advisory_ids:
        return {}
    wanted = BoundList(session.get_bind().dialect, "advisory_ids")  # a scan's thousands, one parameter
    holding = in_force(session, account_id, wanted.contains(Dismissal.advisory_id),
                       params={"advisory_ids": wanted.value(sorted(advisory_ids))})
    return {issue.id: found for issue in issues if (found := _covering(holding, issue)) is not None}


def in_force(session: Session, account_id: int, *where, params: dict | None = None) -> list[Dismissal]:  # noqa: ANN002
    """The account's dismissals that hold now (unexpired, the advisory's ranges unchanged);
    `where` adds SQL conditions, `params` the values they bind."""
    rows = list(session.scalars(
        select(Dismissal).where(Dismissal.account_id == account_id, *where,
                                or_(Dismissal.expires_at.is_(None), Dismissal.expires_at > now())),
        params or {},
    ))
    digests = ranges_digests(session, {row.advisory_id for row in rows})
    return [row for row in rows if digests[row.advisory_id] == row.ranges_digest]


def covered(session: Session, account_id: int, server_id: int):  # noqa: ANN201 - a SQL condition
    """True for the issues of the server a dismissal in force covers: lets a page
    read one page of the open (or the dismissed) issues without reading them all."""
    rows = in_force(session, account_id, or_(Dismissal.server_id == server_id, Dismissal.scope == "account"))
    issue_ids = [row.issue_id for row in rows if row.scope == "issue"]
    advisory_ids = [row.advisory_id for row in rows if row.scope != "issue"]
    return or_(Issue.id.in_(issue_ids), Issue.advisory_id.in_(advisory_ids)) if rows else false()


def _covering(rows: list[Dismissal], issue: IssueKeys) -> Dismissal | None:
    fits = [row for row in rows if row.advisory_id == issue.advisory_id and (
        row.issue_id == issue.id or (row.scope == "server" and row.server_id == issue.server_id)
        or row.scope == "account")]
    return min(fits, key=lambda row: ("issue", "server", "account").index(row.scope), default=None)


def _where(account: Account, target: Target) -> list:
    server_id = target.server.id if target.server else None
    issue_id = target.issue.id if target.issue else None
    return [Dismissal.account_id == account.id, Dismissal.advisory_id == target.advisory.id,
            Dismissal.scope == target.scope, _is(Dismissal.server_id, server_id), _is(Dismissal.issue_id, issue_id)]


def _is(column, value: int | None):  # noqa: ANN001, ANN202 - a SQL condition
    return column.is_(None) if value is None else column == value


def _drop(session: Session, account: Account, target: Target) -> bool:
    gone = session.execute(delete(Dismissal).where(*_where(account, target)).execution_options(
        synchronize_session=False))
    return rows_changed(gone) > 0


def _silence(session: Session, account: Account, target: Target, silenced: bool) -> None:
    """Mark the target's open issues as the next scan will find them: a dismissal
    ends silently when taken back by hand, and alerts when it lapses."""
    session.execute(
        update(Issue)
        .where(Issue.advisory_id == target.advisory.id, Issue.resolved_at.is_(None), _issues_of(account, target))
        .values(silenced=silenced).execution_options(synchronize_session=False)
    )


def _issues_of(account: Account, target: Target):  # noqa: ANN202 - a SQL condition
    if target.issue is not None:
        return Issue.id == target.issue.id
    if target.server is not None:
        return Issue.server_id == target.server.id
    return Issue.server_id.in_(select(Server.id).where(Server.account_id == account.id))


def _audit(session: Session, account: Account, target: Target, action: str, decision: Decision) -> None:
    session.add(DismissalAudit(
        account_id=account.id, action=action, scope=target.scope, advisory=target.advisory.osv_id,
        server_id=target.server.id if target.server else None,
        server_name=target.server.name if target.server else None,
        issue_id=target.issue.id if target.issue else None,
        reason=decision.reason or None, comment=decision.comment, expires_at=decision.expires_at,
        actor=decision.actor, at=now(),
    ))


def audit_query(account: Account):  # noqa: ANN201 - a select, newest first
    return select(DismissalAudit).where(DismissalAudit.account_id == account.id).order_by(DismissalAudit.id.desc())


def listing_query(account: Account):  # noqa: ANN201 - a select of unexpired dismissals, newest first
    live = or_(Dismissal.expires_at.is_(None), Dismissal.expires_at > now())
    return select(Dismissal).where(Dismissal.account_id == account.id, live).order_by(Dismissal.id.desc())
