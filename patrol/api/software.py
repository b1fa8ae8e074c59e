"""A server's installed software and the known issues of each item."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, request
from sqlalchemy import select

from patrol import db, serialize
from patrol.api.auth import authenticate_request, callers_server
from patrol.api.envelope import ok
from patrol.clock import now
from patrol.errors import NotFound
from patrol.inventory.buckets import is_live, live_software
from patrol.models import Issue, Software

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
    return ok(shaped)


@bp.get("/servers/<id:server_id>/software/<id:software_id>")
def show(server_id: int, software_id: int):
    return ok(serialize.software(_item(server_id, software_id)))


@bp.get("/servers/<id:server_id>/software/<id:software_id>/exploits")
def exploits(server_id: int, software_id: int):
    item = _item(server_id, software_id)
    by_item = _open_issues_by_item(db.session(), item.server_id)
    return ok(by_item.get((item.name, item.location or ""), []))


def _item(server_id: int, software_id: int) -> Software:
    server = callers_server(server_id)
    item = db.session().get(Software, software_id)
    # An item of an expired bucket is no longer installed, as the listing says.
    if item is None or item.server_id != server.id or not is_live(item.bucket, now()):
        raise NotFound("Software does not exist")
    return item


def _open_issues_by_item(session, server_id: int) -> dict[tuple[str, str], list[dict]]:  # noqa: ANN001
    rows = session.scalars(
        select(Issue).where(Issue.server_id == server_id, Issue.resolved_at.is_(None))
    ).unique()
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row.software_name, row.software_location)].append(serialize.issue(row))
    return grouped
