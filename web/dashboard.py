"""The dashboard (every server at a glance) and one server's page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from sqlalchemy.orm import Session

from patrol import db, servers
from patrol.advisories import status
from patrol.advisories.settings import SyncSettings
from patrol.errors import AlreadyScanning
from patrol.models import Server
from patrol.scanning import jobs
from web import access, overview, paging, rendering, software_list
from web.redirects import local_path

bp = Blueprint("servers", __name__)
bp.before_request(access.require_account)


@bp.get("/")
def dashboard():
    return render_dashboard()


def render_dashboard(name: str = "", errors: dict | None = None, http_status: int = 200):
    """The dashboard; `name` and `errors` show a refused "Add a server" form again."""
    session = db.session()
    shown = overview.dashboard(session, servers.listing(session, access.account()))
    page = rendering.live("web/dashboard.html", "web/_server_table.html", shown, _advisory_age, servers=shown,
                          new_server=name, errors=errors or {})
    return page if http_status == 200 else (page, http_status)


def _advisory_age() -> dict:
    """How fresh the advisories of the ecosystems in use are: shown on the whole page, not in its live part."""
    advisories = [row for row in status.report(db.get_db(), SyncSettings.from_config(current_app.config)) if row.in_use]
    return {"advisories": advisories, "stale": [row for row in advisories if row.stale]}


@bp.get("/servers/<int:server_id>")
def server(server_id: int):
    session = db.session()
    row = servers.get(session, access.account(), server_id)
    shown = overview.dashboard(session, [row])[0]
    issue_page = paging.requested("issues", sum(shown["by_severity"].values()), overview.ISSUES_PER_PAGE)
    live = {"server": shown, "issues": overview.open_issues(session, row, issue_page), "issue_page": issue_page,
            "scans": overview.recent_scans(session, row)}
    return rendering.live("web/server.html", "web/_server_live.html", live, lambda: _software(session, row), **live)


def _software(session: Session, row: Server) -> dict:
    """The server page's software section: its buckets, and one page of the rows the search keeps."""
    search = software_list.Search.from_args(request.args)
    rows = software_list.rows(session, row, search)
    page = paging.requested("software", len(rows), overview.SOFTWARE_PER_PAGE)
    return {"buckets": overview.buckets(session, row), "search": search, "software_page": page,
            "software": rows[page.offset:page.offset + page.size]}


@bp.post("/servers/<int:server_id>/scan")
def scan(server_id: int):
    session = db.session()
    row = servers.get(session, access.account(), server_id)
    try:
        jobs.start(session, row, "manual")
    except AlreadyScanning as exc:
        flash(exc.message, "error")
    else:
        session.commit()
        flash(f"A scan of {row.name} started; this page updates when it ends.", "info")
    back = local_path(request.form.get("next"), url_for(".dashboard"))
    return redirect(back)
