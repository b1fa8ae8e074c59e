"""The API page: credentials, webhooks, and "Add to Slack".

Secrets (a new credential's, a new or rotated webhook's) appear only in the
answer to the POST that made them: the page is rendered there and then,
never through a redirect, so a secret never rides in the session cookie.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from patrol import credentials, db, quotas
from patrol.errors import NotFound
from patrol.models import Account, Credential
from web import access, security
from web.webhook_form import WebhookForm, event_choices
from webhooks import service, views

bp = Blueprint("settings", __name__)
bp.before_request(access.require_account)
bp.before_request(security.no_referrer)
MAX_LABEL = 100
SLACK_INSTALL = "slack_install"  # the Slack app's endpoint that starts its OAuth flow


def render(
    account: Account,
    *,
    issued: credentials.IssuedCredential | None = None,
    revealed: dict | None = None,
    form: WebhookForm | None = None,
    status: int = 200,
):  # a Flask answer
    """The whole page; `issued`/`revealed` show a secret once, `form` keeps a refused webhook."""
    if issued is not None or revealed is not None:
        security.reveal_secret()
    hooks = service.listing(db.session(), account)
    last = service.last_deliveries(db.session(), [hook.id for hook in hooks])
    page = render_template(
        "web/api_settings.html",
        keys=sorted(account.credentials, key=lambda c: (c.revoked_at is not None, -c.id)),
        issued=issued,
        revealed=revealed,
        hooks=[views.webhook(hook, last=last.get(hook.id)) for hook in hooks],
        form=form or WebhookForm(),
        choices=event_choices(),
        # The Slack app mounts its install page only when OAuth is fully configured.
        slack_install=SLACK_INSTALL in current_app.view_functions,
    )
    return page, status


@bp.get("/api-settings")
def show():
    return render(access.account())


@bp.post("/api-settings/credentials")
def new_credential():
    label = request.form.get("label", "").strip()
    if len(label) > MAX_LABEL:
        flash(f"A label is at most {MAX_LABEL} characters.", "error")
        return redirect(url_for(".show"))
    session = db.session()
    quotas.require_room(session, access.account(), quotas.CREDENTIALS, credentials.live(access.account()))
    issued = credentials.issue(session, access.account(), label=label or None)
    session.commit()
    return render(access.account(), issued=issued, status=201)


@bp.get("/api-settings/credentials/<key>/revoke")
def confirm_revoke(key: str):
    return render_template("web/revoke.html", credential=_credential(key))


@bp.post("/api-settings/credentials/<key>/revoke")
def revoke(key: str):
    session = db.session()
    credentials.revoke(session, access.account(), key)
    session.commit()
    flash(f"The key {key} is revoked; requests with it are refused from now on.", "info")
    return redirect(url_for(".show"))


def _credential(key: str) -> Credential:
    """The account's live credential `key`, or a 404 (also for another account's key)."""
    found = next((c for c in access.account().credentials if c.key == key and c.revoked_at is None), None)
    if found is None:
        raise NotFound("No such API key on this account.")
    return found
