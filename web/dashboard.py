"""The dashboard (every server at a glance) and one server's page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for

from patrol import db, servers
from patrol.advisories import status
from patrol.advisories.settings import SyncSettings
from patrol.errors import AlreadyScanning
from patrol.scanning import jobs
from web import access, overview, rendering, software_list

bp = Blueprint("servers", __name__)
bp.before_request(access.require_account)


@bp.get("/")
def dashboard():
    return render_dashboard()


def render_dashboard(name: str = "", errors: dict | None = None, http_status: int = 200):  # noqa: ANN201
    """The dashboard; `name` and `errors` show a refused "Add a server" form again."""
    session = db.session()
    shown = overview.dashboard(session, servers.listing(session, access.account()))
    advisories = [row for row in status.report(db.get_db(), SyncSettings.from_config(current_app.config)) if row.in_use]
    page = rendering.live(
        "web/dashboard.html", "web/_server_table.html", shown, servers=shown, advisories=advisories,
        stale=[row for row in advisories if row.stale], new_server=name, errors=errors or {},
    )
    return page if http_status == 200 else (page, http_status)


@bp.get("/servers/<int:server_id>")
def server(server_id: int):
    session = db.session()
    row = servers.get(session, access.account(), server_id)
    shown = overview.dashboard(session, [row])[0]
    issues, scans = overview.open_issues(session, row), overview.recent_scans(session, row)
    search = software_list.Search.from_args(request.args)
    return rendering.live(
        "web/server.html", "web/_server_live.html", {"server": shown, "issues": issues, "scans": scans},
        server=shown, issues=issues, scans=scans, search=search, buckets=software_list.sections(session, row, search),
    )


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
    back = access.local_path(request.form.get("next"), url_for(".dashboard"))
    return redirect(back)
