"""The webhook routes of the contract, and the event API."""
from __future__ import annotations

from flask import Blueprint, current_app

from patrol import config, db
from patrol.api import body
from patrol.api.auth import authenticate_request, current_account
from patrol.api.envelope import ok, page_args, page_meta, paged
from webhooks import addresses, service, views
from webhooks.config import Webhooks
from webhooks.documents import event_page
from webhooks.models import Webhook

bp = Blueprint("api_webhooks", __name__)
# Attached here, once: the blueprint is shared by every app built in the process.
bp.before_request(authenticate_request)


def _policy() -> addresses.AddressPolicy:
    return config.of(current_app, Webhooks).address_policy


def _hook(webhook_id: str) -> Webhook:
    return service.get(db.session(), current_account(), webhook_id)


def _shown(hook: Webhook) -> dict:
    """One webhook as GET shows it (and PATCH answers it), with its newest delivery."""
    return views.webhook(hook, last=service.last_deliveries(db.session(), [hook.id]).get(hook.id))


@bp.get("/webhooks")
def listing():
    hooks = service.listing(db.session(), current_account())
    last = service.last_deliveries(db.session(), [h.id for h in hooks])
    return paged([views.webhook(h, last=last.get(h.id)) for h in hooks], everything_unasked=True)


@bp.post("/webhooks")
def create():
    session = db.session()
    hook = service.create(session, current_account(), body.fields(), _policy())
    session.commit()
    return ok(views.webhook(hook, secret=True), 201)


@bp.get("/webhooks/<webhook_id>")
def show(webhook_id: str):
    return ok(_shown(_hook(webhook_id)))


@bp.patch("/webhooks/<webhook_id>")
def update(webhook_id: str):
    session = db.session()
    hook = service.update(session, _hook(webhook_id), body.fields(), _policy())
    session.commit()
    return ok(_shown(hook))


@bp.delete("/webhooks/<webhook_id>")
def remove(webhook_id: str):
    session = db.session()
    session.delete(_hook(webhook_id))
    session.commit()
    return ok(True)


@bp.post("/webhooks/<webhook_id>/test")
def test(webhook_id: str):
    session = db.session()
    delivery = service.send_test(session, current_account(), _hook(webhook_id))
    session.commit()
    return ok(views.delivery(delivery, identifier="webhook.test", with_log=False), 202)


@bp.post("/webhooks/<webhook_id>/rotate_secret")
def rotate_secret(webhook_id: str):
    session = db.session()
    hook = service.rotate_secret(_hook(webhook_id))
    session.commit()
    return ok(views.webhook(hook, secret=True))


@bp.get("/webhooks/<webhook_id>/deliveries")
def deliveries(webhook_id: str):
    session, hook = db.session(), _hook(webhook_id)
    page, per_page = page_args()
    data, total = service.delivery_page(session, hook, page, per_page)
    return ok(data, meta=page_meta(page, per_page, total))


@bp.post("/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver")
def redeliver(webhook_id: str, delivery_id: str):
    session, hook = db.session(), _hook(webhook_id)
    delivery = service.redeliver(session, hook, service.get_delivery(session, hook, delivery_id))
    session.commit()
    return ok(views.delivery(delivery, with_log=False), 202)


@bp.get("/webhooks/<webhook_id>/events/<event_id>")
def event(webhook_id: str, event_id: str):
    hook = _hook(webhook_id)
    page, per_page = page_args()
    document, total = event_page(service.event_for(db.session(), hook, event_id), hook.id, page, per_page)
    return ok(document, meta=page_meta(page, per_page, total))
