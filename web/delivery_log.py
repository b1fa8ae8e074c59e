"""A webhook's delivery log: every attempt, kept current by the page's script."""
from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, flash, redirect, url_for
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from patrol import db
from patrol.errors import Conflict
from patrol.models import Account, Event, Server
from web import access, rendering, security
from webhooks import service, views

bp = Blueprint("deliveries", __name__, url_prefix="/api-settings/webhooks/<webhook_id>/deliveries")
bp.before_request(access.require_account)
bp.before_request(security.no_referrer)
PER_PAGE = 25


@bp.get("")
def log(webhook_id: str):
    session = db.session()
    hook = service.get(session, access.account(), webhook_id)
    page = rendering.page_number()
    deliveries, total = service.delivery_page(session, hook, page, PER_PAGE)
    subjects = _subjects(session, access.account(), [delivery["event_id"] for delivery in deliveries])
    for delivery in deliveries:
        delivery["subject"] = subjects.get(delivery["event_id"])
    shown = views.webhook(hook)
    state = {"webhook": shown, "deliveries": deliveries, "total": total}
    return rendering.live(
        "web/deliveries.html", "web/_delivery_list.html", state,
        hook=shown, deliveries=deliveries, page=page, pages=max(1, -(-total // PER_PAGE)), total=total,
    )


def _subjects(session: Session, account: Account, event_ids: list[str]) -> dict[str, dict]:
    """What each event was about: its server (linked while it is still the account's,
    by the name it had then otherwise) and how many issues it reported."""
    rows: Iterable[Row] = session.execute(
        select(Event.id, Event.payload, Server.id, Server.name)
        .outerjoin(Server, (Server.id == Event.server_id) & (Server.account_id == account.id))
        .where(Event.id.in_(event_ids))
    ) if event_ids else []
    subjects = {}
    for event_id, payload, server_id, name in rows:
        server = (payload or {}).get("server") or {}
        issues = (payload or {}).get("issues")
        subjects[event_id] = {"server_id": server_id, "server": name or server.get("name"),
                              "issues": len(issues) if issues is not None else None}
    return subjects


@bp.post("/<delivery_id>/redeliver")
def redeliver(webhook_id: str, delivery_id: str):
    session = db.session()
    hook = service.get(session, access.account(), webhook_id)
    delivery = service.get_delivery(session, hook, delivery_id)
    try:
        service.redeliver(session, hook, delivery)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        session.commit()
        flash("The event is being sent again; the new attempt appears below.", "info")
    return redirect(url_for(".log", webhook_id=hook.id))
