"""The dashboard (every server at a glance, riskiest first) and one server's page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from sqlalchemy.orm import Session

from patrol import config, db, serialize, servers
from patrol.advisories import status
from patrol.advisories.settings import SyncSettings
from patrol.errors import AlreadyScanning
from patrol.models import Server
from patrol.scanning import jobs
from patrol.scanning.states import ScanTrigger
from patrol.triage import upgrades
from patrol.triage.state import STATES, risk_key
from web import access, overview, paging, rendering, software_list
from web.redirects import local_path

bp = Blueprint("servers", __name__)
bp.before_request(access.require_account)
UPGRADES_PER_PAGE = 20


@bp.get("/")
def dashboard():
    return render_dashboard()


def render_dashboard(name: str = "", errors: dict | None = None, http_status: int = 200):
    """The dashboard; `name` and `errors` show a refused "Add a server" form again.
    `?state=` keeps the servers in that state (an unknown one is said beside the filter)."""
    session, wanted, state_error = db.session(), request.args.get("state", ""), None
    if wanted and wanted not in STATES:
        state_error, wanted, http_status = f"one of {', '.join(STATES)}", "", 422
    everything = serialize.servers(session, servers.listing(session, access.account()), _stale_after())
    shown = sorted((row for row in everything if not wanted or row["state"] == wanted), key=_risk)
    return rendering.live("web/dashboard.html", "web/_server_table.html", shown, _advisory_age, http_status,
                          servers=shown, new_server=name, errors=errors or {}, wanted_state=wanted,
                          state_error=state_error, server_total=len(everything))


def _risk(row: dict) -> tuple:
    """The API's order: critical first, then stale, then the rest."""
    return risk_key(row["open_by_severity"], row["state"], row["name"])


def _stale_after() -> int:
    return config.of(current_app, config.Core).stale_after


def _advisory_age() -> dict:
    """How fresh the advisories of the ecosystems in use are: shown on the whole page, not in its live part."""
    advisories = [row for row in status.report(db.get_db(), SyncSettings.of(current_app)) if row.in_use]
    return {"advisories": advisories, "stale": [row for row in advisories if row.stale]}


@bp.get("/servers/<int:server_id>")
def server(server_id: int):
    session = db.session()
    row = servers.get(session, access.account(), server_id)
    shown = serialize.server(session, row, _stale_after())
    live = {"server": shown, "scans": overview.recent_scans(session, row), **_issues(session, row, shown)}
    return rendering.live("web/server.html", "web/_server_live.html", live, lambda: _software(session, row), **live)


def _issues(session: Session, row: Server, shown: dict) -> dict:
    """A page each of the upgrade groups, the open issues and the dismissed ones."""
    groups = upgrades.for_server(session, row)
    upgrade_page = paging.requested("upgrades", len(groups), UPGRADES_PER_PAGE)
    issue_page = paging.requested("issues", shown["issue_count"], overview.ISSUES_PER_PAGE)
    dismissed_page = paging.requested("dismissed", shown["dismissed_issue_count"], overview.ISSUES_PER_PAGE)
    return {
        "upgrades": [group.as_dict() for group in groups[upgrade_page.offset:upgrade_page.last_shown]],
        "upgrade_page": upgrade_page,
        "issues": overview.issue_page(session, row, issue_page),
        "issue_page": issue_page,
        "dismissed": overview.issue_page(session, row, dismissed_page, dismissed=True),
        "dismissed_page": dismissed_page,
    }


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
        jobs.start(session, row, ScanTrigger.MANUAL)
    except AlreadyScanning as exc:
        flash(exc.message, "error")
    else:
        session.commit()
        flash(f"A scan of {row.name} started; this page updates when it ends.", "info")
    back = local_path(request.form.get("next"), url_for(".dashboard"))
    return redirect(back)
