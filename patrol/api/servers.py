"""Servers, their scans and their issues."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app
from sqlalchemy import func, select

from patrol import db, serialize, servers
from patrol.api import body
from patrol.api.auth import current_account
from patrol.api.envelope import ok, page_args, page_meta
from patrol.clock import now
from patrol.models import Issue, Scan
from patrol.scanning import jobs

bp = Blueprint("api_servers", __name__)


def _server(server_id: int):  # noqa: ANN202
    return servers.get(db.session(), current_account(), server_id)


@bp.get("/servers")
def listing():
    session = db.session()
    return ok(serialize.servers(session, servers.listing(session, current_account())))


@bp.post("/servers")
def create():
    session = db.session()
    server = servers.create(session, current_account(), body.fields().get("domain"))
    server.next_scan_at = now() + timedelta(seconds=current_app.config["SCAN_INTERVAL"])
    session.commit()
    return ok(serialize.server(session, server), 201)


@bp.get("/servers/<int:server_id>")
def show(server_id: int):
    return ok(serialize.server(db.session(), _server(server_id)))


@bp.post("/servers/<int:server_id>/delete")
@bp.delete("/servers/<int:server_id>")
def remove(server_id: int):
    session = db.session()
    servers.remove(session, _server(server_id))
    session.commit()
    return ok(True)


@bp.post("/servers/<int:server_id>/scan")
def scan(server_id: int):
    session = db.session()
    started = jobs.start(session, _server(server_id), "api")
    session.commit()
    return ok(serialize.scan(started), 202)


@bp.get("/servers/<int:server_id>/isScanning")
def is_scanning(server_id: int):
    return ok(jobs.is_scanning(db.session(), _server(server_id)))


@bp.get("/servers/<int:server_id>/scans")
def scans(server_id: int):
    server, (page, per_page) = _server(server_id), page_args()
    query = select(Scan).where(Scan.server_id == server.id)
    return _paged(query.order_by(Scan.id.desc()), page, per_page, serialize.scan)


@bp.get("/servers/<int:server_id>/issues")
def issues(server_id: int):
    server, (page, per_page) = _server(server_id), page_args()
    query = select(Issue).where(Issue.server_id == server.id, Issue.resolved_at.is_(None))
    return _paged(query.order_by(Issue.id), page, per_page, serialize.issue)


def _paged(query, page: int, per_page: int, shape):  # noqa: ANN001, ANN202
    session = db.session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.offset((page - 1) * per_page).limit(per_page)).unique()
    return ok([shape(row) for row in rows], meta=page_meta(page, per_page, total))
