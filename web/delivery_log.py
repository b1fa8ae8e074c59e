"""A webhook's delivery log: every attempt, kept current by the page's script."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from patrol import db
from patrol.errors import Conflict
from web import access, rendering, security
from web.webhook_pages import wake_deliveries
from webhooks import service, views

bp = Blueprint("deliveries", __name__, url_prefix="/api-settings/webhooks/<webhook_id>/deliveries")
bp.before_request(access.require_account)
bp.before_request(security.no_referrer)
PER_PAGE = 25


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


@bp.get("")
def log(webhook_id: str):
    session = db.session()
    hook = service.get(session, access.account(), webhook_id)
    page = _page_number()
    deliveries, total = service.delivery_page(session, hook, page, PER_PAGE)
    shown = views.webhook(hook)
    state = {"webhook": shown, "deliveries": deliveries, "total": total}
    return rendering.live(
        "web/deliveries.html", "web/_delivery_list.html", state,
        hook=shown, deliveries=deliveries, page=page, pages=max(1, -(-total // PER_PAGE)), total=total,
    )


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
        wake_deliveries()
        flash("The event is being sent again; the new attempt appears below.", "info")
    return redirect(url_for(".log", webhook_id=hook.id))
