"""Setting issues aside from the web: the dismiss form on each issue, "Restore",
and the account's audit trail of dismissals. Validation is the core's, as for the API."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from patrol import db, servers
from patrol.errors import Invalid, NotFound
from patrol.exploits import marks
from patrol.models import Issue, Server
from patrol.triage import decisions, dismissals
from web import access, paging

bp = Blueprint("dismissals", __name__)
bp.before_request(access.require_account)
SCOPES = ("issue", "server", "account")
AUDIT_PER_PAGE = 50


def _actor() -> str:
    return f"{access.account().email} (web)"


def _issue(session: Session, server_id: int, issue_id: int) -> tuple[Server, Issue]:
    """The caller's server and one of its open issues; 404 for anything else."""
    server = servers.get(session, access.account(), server_id)
    issue = dismissals.issue_target(session, server, issue_id).issue
    if issue is None or issue.resolved_at is not None:
        raise NotFound("Issue is resolved")
    return server, issue


def _target(server: Server, issue: Issue, scope: str) -> dismissals.Target:
    """The issue, its advisory on its server, or its advisory on every server of the account."""
    return dismissals.Target(issue.advisory, scope, None if scope == "account" else server,
                             issue if scope == "issue" else None)


@bp.route("/servers/<int:server_id>/issues/<int:issue_id>/dismiss", methods=["GET", "POST"])
def dismiss(server_id: int, issue_id: int):
    session = db.session()
    server, issue = _issue(session, server_id, issue_id)
    if request.method == "GET":
        return _form(server, issue, {"scope": "issue"}, {})
    fields = {name: request.form.get(name, "") for name in ("reason", "comment", "expires_at", "scope")}
    errors = {} if fields["scope"] in SCOPES else {"scope": "this issue, this advisory on this server, or everywhere"}
    try:
        decision = decisions.parse({**fields, "comment": fields["comment"] or None}, _actor())
    except Invalid as exc:
        errors.update(exc.fields or {})
    if errors:
        return _form(server, issue, fields, errors, 422)
    dismissals.dismiss(session, access.account(), _target(server, issue, fields["scope"]), decision)
    session.commit()
    flash(f"{issue.advisory.osv_id} is dismissed ({fields['reason'].replace('_', ' ')}).", "info")
    return redirect(url_for("web.servers.server", server_id=server.id, _anchor="dismissed-title"))


def _form(server: Server, issue: Issue, fields: dict, errors: dict, status: int = 200):
    found = marks.for_advisories(db.session(), [issue.advisory]).get(issue.advisory_id, marks.NONE)
    return render_template("web/dismiss.html", server=server, issue=issue, fields=fields, errors=errors,
                           marks=found.as_dict()), status


@bp.post("/servers/<int:server_id>/issues/<int:issue_id>/restore")
def restore(server_id: int, issue_id: int):
    """Take back the dismissal that covers the issue, whatever its scope."""
    session = db.session()
    server, issue = _issue(session, server_id, issue_id)
    covering = dismissals.active_for(session, server.account_id, [issue]).get(issue.id)
    if covering is None:
        raise NotFound("That issue is not dismissed")
    dismissals.restore(session, access.account(), _target(server, issue, covering.scope), _actor())
    session.commit()
    flash(f"{issue.advisory.osv_id} is restored: it counts as open again.", "info")
    return redirect(url_for("web.servers.server", server_id=server.id, _anchor="issues-title"))


@bp.get("/dismissals")
def audit():
    """Every dismissal and restoration of the account, newest first."""
    session, query = db.session(), dismissals.audit_query(access.account())
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = paging.requested("page", total, AUDIT_PER_PAGE)
    rows = session.scalars(query.offset(page.offset).limit(page.size))
    return render_template("web/dismissals.html", entries=[decisions.shape_audit(row) for row in rows], page=page)
