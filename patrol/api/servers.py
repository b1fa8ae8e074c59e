"""Servers, their scans and their issues."""
from __future__ import annotations


from flask import Blueprint, current_app
from sqlalchemy import func, select

from patrol import db, quotas, serialize, servers
from patrol.api import body
from patrol.api.auth import authenticate_request, callers_server, current_account
from patrol.api.envelope import ok, page_args, page_meta
from patrol.errors import Invalid
from patrol.models import Issue, Scan, Server
from patrol.scanning import jobs

bp = Blueprint("api_servers", __name__)
bp.before_request(authenticate_request)


@bp.get("/servers")
def listing():
    session = db.session()
    return ok(serialize.servers(session, servers.listing(session, current_account())))


@bp.post("/servers")
def create():
    session = db.session()
    quotas.require_room(session, current_account(), quotas.SERVERS,
                        select(Server.id).where(Server.account_id == current_account().id))
    server = servers.create(
        session, current_account(), body.fields().get("domain"), current_app.config["SCAN_INTERVAL"]
    )
    session.commit()
    return ok(serialize.server(session, server), 201)


@bp.get("/servers/<id:server_id>")
def show(server_id: int):
    return ok(serialize.server(db.session(), callers_server(server_id)))


@bp.post("/servers/<id:server_id>/delete")
@bp.delete("/servers/<id:server_id>")
def remove(server_id: int):
    session = db.session()
    servers.remove(session, callers_server(server_id))
    session.commit()
    return ok(True)


# What a client may say started a scan; the Slack bot says `slack`.
CLIENT_TRIGGERS = ("api", "slack")


@bp.post("/servers/<id:server_id>/scan")
def scan(server_id: int):
    session = db.session()
    trigger = body.fields().get("trigger") or "api"
    if trigger not in CLIENT_TRIGGERS:
        raise Invalid("A scan's trigger is api or slack.", fields={"trigger": "api or slack"})
    started = jobs.start(session, callers_server(server_id), trigger)
    session.commit()
    return ok(serialize.scan(started), 202)


@bp.get("/servers/<id:server_id>/isScanning")
def is_scanning(server_id: int):
    return ok(jobs.is_scanning(db.session(), callers_server(server_id)))


@bp.get("/servers/<id:server_id>/scans")
def scans(server_id: int):
    server, (page, per_page) = callers_server(server_id), page_args()
    query = select(Scan).where(Scan.server_id == server.id)
    return _paged(query.order_by(Scan.id.desc()), page, per_page, serialize.scan)


@bp.get("/servers/<id:server_id>/issues")
def issues(server_id: int):
    server, (page, per_page) = callers_server(server_id), page_args()
    query = select(Issue).where(Issue.server_id == server.id, Issue.resolved_at.is_(None))
    return _paged(query.order_by(Issue.id), page, per_page, serialize.issue)


def _paged(query, page: int, per_page: int, shape):  # noqa: ANN001, ANN202
    session = db.session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    offset = (page - 1) * per_page
    # A page past the end is empty: no need to ask the database.
    rows = session.scalars(query.offset(offset).limit(per_page)).unique() if offset < total else []
    return ok([shape(row) for row in rows], meta=page_meta(page, per_page, total))
