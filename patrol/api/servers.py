"""Servers, their scans, issues and upgrade groups."""
from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, current_app, request
from sqlalchemy import func, select

from patrol import config, db, quotas, serialize, servers
from patrol.api import body
from patrol.api.auth import authenticate_request, callers_server, current_account
from patrol.api.envelope import ok, page_args, page_meta, paged
from patrol.errors import Invalid
from patrol.models import Scan, Server
from patrol.scanning import jobs
from patrol.scanning.states import CLIENT_TRIGGERS, ScanTrigger
from patrol.triage import filters, issues as triage_issues, upgrades
from patrol.triage.state import STATES, risk_key

bp = Blueprint("api_servers", __name__)
bp.before_request(authenticate_request)
SERVER_SORTS = {
    "risk": lambda row: risk_key(row["open_by_severity"], row["state"], row["name"]),
    "name": lambda row: row["name"],
    "id": lambda row: row["id"],
}


@bp.get("/servers")
def listing():
    """The account's servers, riskiest first (`sort=name|id` for others), `state=` filtering."""
    session, wanted, sort = db.session(), _states(), _server_sort()
    rows = servers.listing(session, current_account())
    shaped = sorted(serialize.servers(session, rows, _core().stale_after), key=SERVER_SORTS[sort])
    return paged([row for row in shaped if not wanted or row["state"] in wanted], everything_unasked=True)


def _states() -> set[str]:
    wanted = {part.strip() for part in request.args.get("state", "").split(",") if part.strip()}
    if wanted - set(STATES):
        raise Invalid("Unknown server state.", fields={"state": f"one or more of {', '.join(STATES)}"})
    return wanted


def _server_sort() -> str:
    sort = request.args.get("sort") or "risk"
    if sort not in SERVER_SORTS:
        raise Invalid("Unknown sort.", fields={"sort": f"one of {', '.join(SERVER_SORTS)}"})
    return sort


@bp.post("/servers")
def create():
    session = db.session()
    quotas.require_room(session, current_account(), quotas.SERVERS,
                        select(Server.id).where(Server.account_id == current_account().id))
    server = servers.create(
        session, current_account(), body.fields().get("domain"), _core().scan_interval
    )
    session.commit()
    return ok(serialize.server(session, server, _core().stale_after), 201)


@bp.get("/servers/<id:server_id>")
def show(server_id: int):
    return ok(serialize.server(db.session(), callers_server(server_id), _core().stale_after))


@bp.post("/servers/<id:server_id>/delete")
@bp.delete("/servers/<id:server_id>")
def remove(server_id: int):
    session = db.session()
    servers.remove(session, callers_server(server_id))
    session.commit()
    return ok(True)


@bp.post("/servers/<id:server_id>/scan")
def scan(server_id: int):
    session = db.session()
    trigger = body.fields().get("trigger") or ScanTrigger.API
    if trigger not in CLIENT_TRIGGERS:
        raise Invalid("A scan's trigger is api or slack.", fields={"trigger": "api or slack"})
    started = jobs.start(session, callers_server(server_id), ScanTrigger(trigger))
    session.commit()
    return ok(serialize.scan(started), 202)


@bp.get("/servers/<id:server_id>/isScanning")
def is_scanning(server_id: int):
    return ok(jobs.is_scanning(db.session(), callers_server(server_id)))


@bp.get("/servers/<id:server_id>/scans")
def scans(server_id: int):
    server, (page, per_page) = callers_server(server_id), page_args()
    query = select(Scan).where(Scan.server_id == server.id).order_by(Scan.id.desc())
    session = db.session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    offset = (page - 1) * per_page
    # A page past the end is empty: no need to ask the database.
    rows: Iterable[Scan] = session.scalars(query.offset(offset).limit(per_page)) if offset < total else []
    return ok([serialize.scan(row) for row in rows], meta=page_meta(page, per_page, total))


@bp.get("/servers/<id:server_id>/issues")
def issues(server_id: int):
    """Open issues (or with `dismissed=true` the dismissed ones), filtered and sorted."""
    wanted, server = filters.parse(request.args), callers_server(server_id)
    shaped = triage_issues.open_shaped(db.session(), server.account_id, server.id)
    return paged(wanted.apply(shaped))


@bp.get("/servers/<id:server_id>/upgrades")
def upgrade_groups(server_id: int):
    server = callers_server(server_id)
    return paged([group.as_dict() for group in upgrades.for_server(db.session(), server)], everything_unasked=True)


def _core() -> config.Core:
    return config.of(current_app, config.Core)
