"""The dashboard (every server at a glance) and one server's page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for

from patrol import db, servers
from patrol.advisories import status
from patrol.advisories.settings import SyncSettings
from patrol.errors import AlreadyScanning
from patrol.scanning import jobs
from web import access, overview, rendering

bp = Blueprint("servers", __name__)
bp.before_request(access.require_account)


@bp.get("/")
def dashboard():
    session = db.session()
    shown = overview.dashboard(session, servers.listing(session, access.account()))
    advisories = [row for row in status.report(db.get_db(), SyncSettings.from_config(current_app.config)) if row.in_use]
    return rendering.live(
        "web/dashboard.html", "web/_server_table.html", shown,
        servers=shown, advisories=advisories, stale=[row for row in advisories if row.stale],
    )


@bp.get("/servers/<int:server_id>")
def server(server_id: int):
    session = db.session()
    row = servers.get(session, access.account(), server_id)
    shown = overview.dashboard(session, [row])[0]
    issues, scans = overview.open_issues(session, row), overview.recent_scans(session, row)
    return rendering.live(
        "web/server.html", "web/_server_live.html", {"server": shown, "issues": issues, "scans": scans},
        server=shown, issues=issues, scans=scans, buckets=overview.buckets(row),
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
