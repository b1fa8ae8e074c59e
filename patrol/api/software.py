"""A server's installed software and the known issues of each item."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, request
from patrol import db, serialize
from patrol.api.auth import authenticate_request, callers_server
from patrol.api.envelope import ok, paged
from patrol.clock import now
from patrol.errors import NotFound
from patrol.inventory.buckets import is_live, live_software
from patrol.models import Server, Software
from patrol.triage import issues as triage_issues

bp = Blueprint("api_software", __name__)
bp.before_request(authenticate_request)


@bp.get("/servers/<id:server_id>/software")
def listing(server_id: int):
    session, server = db.session(), callers_server(server_id)
    items = live_software(session, server.id)
    shaped = [serialize.software(item) for item in items]
    if request.args.get("scope") == "exploits":
        by_item = _open_issues_by_item(session, server.id)
        for entry, item in zip(shaped, items, strict=True):
            entry["exploits"] = by_item.get((item.name, item.location or ""), [])
    return paged(shaped, everything_unasked=True)


@bp.get("/servers/<id:server_id>/software/<id:software_id>")
def show(server_id: int, software_id: int):
    return ok(serialize.software(_item(server_id, software_id)))


@bp.get("/servers/<id:server_id>/software/<id:software_id>/exploits")
def exploits(server_id: int, software_id: int):
    item = _item(server_id, software_id)
    by_item = _open_issues_by_item(db.session(), item.server_id)
    return paged(by_item.get((item.name, item.location or ""), []), everything_unasked=True)


def _item(server_id: int, software_id: int) -> Software:
    server = callers_server(server_id)
    item = db.session().get(Software, software_id)
    # An item of an expired bucket is no longer installed, as the listing says.
    if item is None or item.server_id != server.id or not is_live(item.bucket, now()):
        raise NotFound("Software does not exist")
    return item


def _open_issues_by_item(session, server_id: int) -> dict[tuple[str, str], list[dict]]:  # noqa: ANN001
    """Each item's open, undismissed issues, as the issue list shows them."""
    server = session.get(Server, server_id)
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for shaped in triage_issues.open_shaped(session, server.account_id, server_id):
        if shaped["dismissal"] is None:
            grouped[(shaped["software"]["name"], shaped["software"]["location"] or "")].append(shaped)
    return grouped
