"""Adding a server from the dashboard, and removing one (after asking)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from patrol import config, db, servers
from patrol.errors import AlreadyExists, Invalid
from web import access
from web.dashboard import render_dashboard

bp = Blueprint("server_pages", __name__, url_prefix="/servers")
bp.before_request(access.require_account)


@bp.post("")
def add():
    name, session = request.form.get("domain", "").strip(), db.session()
    try:
        server = servers.create(session, access.account(), name, config.of(current_app, config.Core).scan_interval)
    except Invalid as exc:
        return render_dashboard(name, exc.fields or {"domain": exc.message}, http_status=422)
    except AlreadyExists as exc:
        return render_dashboard(name, {"domain": exc.message}, http_status=409)
    session.commit()
    flash(f"{server.name} is added. Push its software to scan it.", "info")
    return redirect(url_for("web.servers.server", server_id=server.id))


@bp.route("/<int:server_id>/delete", methods=["GET", "POST"])
def delete(server_id: int):
    session = db.session()
    server = servers.get(session, access.account(), server_id)
    if request.method == "GET":
        return render_template("web/server_delete.html", server=server)
    name = server.name
    servers.remove(session, server)
    session.commit()
    flash(f"{name} is deleted, with its software, issues and scans.", "info")
    return redirect(url_for("web.servers.dashboard"))
