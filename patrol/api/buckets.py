"""Software buckets: what collectors push."""
from __future__ import annotations

from flask import Blueprint, current_app, request
from sqlalchemy import select

from patrol import config, db, quotas, serialize
from patrol.api import body
from patrol.api.auth import authenticate_request, callers_server
from patrol.api.envelope import ok, paged
from patrol.inventory import buckets, sbom_input, software_input
from patrol.models import Bucket

bp = Blueprint("api_buckets", __name__)
bp.before_request(authenticate_request)


@bp.get("/servers/<id:server_id>/software_bucket")
def listing(server_id: int):
    server = callers_server(server_id)
    rows = sorted(server.buckets, key=lambda b: b.key)
    return paged([serialize.bucket(row) for row in rows], everything_unasked=True)


@bp.get("/servers/<id:server_id>/software_bucket/<any_text:key>")
def show(server_id: int, key: str):
    return ok(serialize.bucket(buckets.get(db.session(), callers_server(server_id), key)))


@bp.post("/servers/<id:server_id>/software_bucket/<any_text:key>")
def put(server_id: int, key: str):
    session = db.session()
    server = callers_server(server_id)
    if request.mimetype in sbom_input.CONTENT_TYPES:
        # An SBOM body is the whole request; `expire` comes in the query string.
        items = sbom_input.parse(request.get_data(), request.mimetype, f"SBOM {key}")
        expire = request.args.get("expire")
    else:
        fields = body.fields()
        items, expire = software_input.parse(fields.get("software")), fields.get("expire")
    if not buckets.exists(session, server, key):
        quotas.require_room(session, server, quotas.BUCKETS, select(Bucket.id).where(Bucket.server_id == server.id))
    debounce = config.of(current_app, config.Core).scan_debounce
    bucket: Bucket = buckets.put(session, server, key, items, buckets.parse_expire(expire), scan_after=debounce)
    session.commit()
    return ok(serialize.bucket(bucket))


@bp.post("/servers/<id:server_id>/software_bucket/<any_text:key>/delete")
def remove(server_id: int, key: str):
    session = db.session()
    buckets.remove(session, callers_server(server_id), key)
    session.commit()
    return ok(True)
