"""Dismissals: set an issue, or an advisory on a server or everywhere, aside
with a reason; take it back; read the account's audit trail."""
from __future__ import annotations

from flask import Blueprint

from patrol import db
from patrol.api import body
from patrol.api.auth import authenticate_request, callers_server, current_account, current_actor
from patrol.api.envelope import ok, paged
from patrol.triage import decisions, dismissals

bp = Blueprint("api_dismissals", __name__)
bp.before_request(authenticate_request)


@bp.post("/servers/<id:server_id>/issues/<id:issue_id>/dismissal")
def dismiss_issue(server_id: int, issue_id: int):
    return _dismiss(dismissals.issue_target(db.session(), callers_server(server_id), issue_id))


@bp.delete("/servers/<id:server_id>/issues/<id:issue_id>/dismissal")
def restore_issue(server_id: int, issue_id: int):
    return _restore(dismissals.issue_target(db.session(), callers_server(server_id), issue_id))


@bp.post("/servers/<id:server_id>/advisories/<osv_id>/dismissal")
def dismiss_on_server(server_id: int, osv_id: str):
    return _dismiss(dismissals.advisory_target(db.session(), osv_id, callers_server(server_id)))


@bp.delete("/servers/<id:server_id>/advisories/<osv_id>/dismissal")
def restore_on_server(server_id: int, osv_id: str):
    return _restore(dismissals.advisory_target(db.session(), osv_id, callers_server(server_id)))


@bp.post("/advisories/<osv_id>/dismissal")
def dismiss_everywhere(osv_id: str):
    return _dismiss(dismissals.advisory_target(db.session(), osv_id))


@bp.delete("/advisories/<osv_id>/dismissal")
def restore_everywhere(osv_id: str):
    return _restore(dismissals.advisory_target(db.session(), osv_id))


@bp.get("/dismissals")
def listing():
    rows = db.session().scalars(dismissals.listing_query(current_account())).unique()
    return paged([decisions.shape(row) for row in rows])


@bp.get("/dismissals/audit")
def audit():
    rows = db.session().scalars(dismissals.audit_query(current_account()))
    return paged([decisions.shape_audit(row) for row in rows])


def _dismiss(target: dismissals.Target):
    session, decision = db.session(), decisions.parse(body.fields(), current_actor())
    row = dismissals.dismiss(session, current_account(), target, decision)
    session.commit()
    return ok(decisions.shape(row), 201)


def _restore(target: dismissals.Target):
    session = db.session()
    dismissals.restore(session, current_account(), target, current_actor())
    session.commit()
    return ok(True)
