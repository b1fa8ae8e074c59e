"""Adding, changing, testing and removing webhooks from the API page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from patrol import config, db
from patrol.errors import Conflict, Invalid
from web import access, api_page, security
from web.webhook_form import WebhookForm, event_choices
from webhooks import addresses, service, subscriptions, views
from webhooks.config import Webhooks
from webhooks.models import Webhook

bp = Blueprint("webhooks", __name__, url_prefix="/api-settings/webhooks")
bp.before_request(access.require_account)
bp.before_request(security.no_referrer)


def _policy() -> addresses.AddressPolicy:
    return config.of(current_app, Webhooks).address_policy


def _hook(webhook_id: str) -> Webhook:
    return service.get(db.session(), access.account(), webhook_id)


def _revealed(hook: Webhook, rotated: bool) -> dict:
    return {"webhook": views.webhook(hook, secret=True), "rotated": rotated}


@bp.post("")
def add():
    form, session = WebhookForm.from_request(request.form), db.session()
    try:
        hook = service.create(session, access.account(), form.creating_fields(), _policy())
    except Invalid as exc:
        form.errors = exc.fields or {}
        return api_page.render(access.account(), form=form, status=422)
    session.commit()
    return api_page.render(access.account(), revealed=_revealed(hook, rotated=False), status=201)


@bp.route("/<webhook_id>/edit", methods=["GET", "POST"])
def edit(webhook_id: str):
    hook = _hook(webhook_id)
    if request.method == "GET":
        form = WebhookForm.from_view(views.webhook(hook))
        return _edit_page(hook, form)
    form = WebhookForm.from_request(request.form)
    try:
        usual = subscriptions.effective_events(hook) if hook.events is None else None
        service.update(db.session(), hook, form.editing_fields(usual), _policy())
    except Invalid as exc:
        form.errors = exc.fields or {}
        return _edit_page(hook, form, 422)
    db.session().commit()
    flash("The webhook is saved.", "info")
    return redirect(url_for("web.settings.show", _anchor=f"webhook-{hook.id}"))


def _edit_page(hook: Webhook, form: WebhookForm, status: int = 200):
    return render_template("web/webhook_edit.html", hook=views.webhook(hook), form=form,
                           choices=event_choices()), status


@bp.route("/<webhook_id>/delete", methods=["GET", "POST"])
def delete(webhook_id: str):
    hook = _hook(webhook_id)
    if request.method == "GET":
        return render_template("web/webhook_delete.html", hook=views.webhook(hook))
    db.session().delete(hook)
    db.session().commit()
    flash("The webhook is deleted; its delivery log went with it.", "info")
    return redirect(url_for("web.settings.show"))


@bp.post("/<webhook_id>/enable")
def enable(webhook_id: str):
    hook = service.update(db.session(), _hook(webhook_id), {"enabled": True}, _policy())
    db.session().commit()
    flash("The webhook is enabled again.", "info")
    return redirect(url_for("web.settings.show", _anchor=f"webhook-{hook.id}"))


@bp.post("/<webhook_id>/rotate")
def rotate(webhook_id: str):
    hook = service.rotate_secret(_hook(webhook_id))
    db.session().commit()
    return api_page.render(access.account(), revealed=_revealed(hook, rotated=True))


@bp.post("/<webhook_id>/test")
def test(webhook_id: str):
    session, hook = db.session(), _hook(webhook_id)
    try:
        service.send_test(session, access.account(), hook)
    except Conflict as exc:
        flash(exc.message, "error")
        return redirect(url_for("web.settings.show", _anchor=f"webhook-{hook.id}"))
    session.commit()
    flash("A test event is on its way; its delivery appears below.", "info")
    return redirect(url_for("web.deliveries.log", webhook_id=hook.id))
