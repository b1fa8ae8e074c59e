"""Software buckets: what collectors push."""
from __future__ import annotations

from flask import Blueprint, current_app

from patrol import db, serialize
from patrol.api import body
from patrol.api.auth import authenticate_request, callers_server
from patrol.api.envelope import ok
from patrol.inventory import buckets, software_input
from patrol.models import Bucket

bp = Blueprint("api_buckets", __name__)
bp.before_request(authenticate_request)


@bp.get("/servers/<id:server_id>/software_bucket")
def listing(server_id: int):
    server = callers_server(server_id)
    rows = sorted(server.buckets, key=lambda b: b.key)
    return ok([serialize.bucket(row) for row in rows])


@bp.get("/servers/<id:server_id>/software_bucket/<key>")
def show(server_id: int, key: str):
    return ok(serialize.bucket(buckets.get(db.session(), callers_server(server_id), key)))


@bp.post("/servers/<id:server_id>/software_bucket/<key>")
def put(server_id: int, key: str):
    session, fields = db.session(), body.fields()
    server = callers_server(server_id)
    items = software_input.parse(fields.get("software"))
    expire, debounce = buckets.parse_expire(fields.get("expire")), current_app.config["SCAN_DEBOUNCE"]
    bucket: Bucket = buckets.put(session, server, key, items, expire, scan_after=debounce)
    session.commit()
    return ok(serialize.bucket(bucket))


@bp.post("/servers/<id:server_id>/software_bucket/<key>/delete")
def remove(server_id: int, key: str):
    session = db.session()
    buckets.remove(session, callers_server(server_id), key)
    session.commit()
    return ok(True)
