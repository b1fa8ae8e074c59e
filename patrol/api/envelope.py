"""The contract's envelopes: `{"data": ...}` and `{"error": {...}}`.

Every error, ours or Werkzeug's, leaves as the error envelope; an
unexpected exception is logged and answered as a bare 500 envelope.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from patrol.errors import Invalid, PatrolError

MAX_PER_PAGE = 200
MAX_DIGITS = 9  # bounds the offset a page number can ask for


def ok(data: Any, status: int = 200, meta: dict | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"data": data}
    if meta is not None:
        body["meta"] = meta
    return jsonify(body), status


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    err: dict[str, Any] = {"code": code, "message": message}
    if fields:
        err["fields"] = fields
    return {"error": err}


def page_args() -> tuple[int, int]:
    """`?page=N&per_page=M` with the contract's defaults and bounds."""
    page, per_page = _whole_number("page", 1), _whole_number("per_page", 50)
    return page, min(per_page, MAX_PER_PAGE)


def _whole_number(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS) or int(raw) < 1:
        raise Invalid(f"{name} must be a whole number from 1.", fields={name: "a whole number from 1"})
    return int(raw)


def page_meta(page: int, per_page: int, total: int) -> dict:
    return {"page": page, "per_page": per_page, "total": total}


def paged(items: list, status: int = 200, everything_unasked: bool = False) -> tuple[Response, int]:
    """One page of a list built in Python, with `meta`. Lists that the contract
    never paged (software, buckets, servers, webhooks) answer whole unless
    `page` or `per_page` is asked for, so existing clients see every item."""
    if everything_unasked and "page" not in request.args and "per_page" not in request.args:
        return ok(items, status, meta=page_meta(1, len(items), len(items)))
    page, per_page = page_args()
    start = (page - 1) * per_page
    return ok(items[start : start + per_page], status, meta=page_meta(page, per_page, len(items)))


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _patrol_error(exc: PatrolError):
    return jsonify(error_body(exc.code, exc.message, exc.fields)), exc.status, exc.headers


def _http_error(exc: HTTPException):
    code = _HTTP_CODES.get(exc.code or 500, "error")
    message = exc.description or exc.name
    if exc.code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        message = f"The request body is larger than the limit of {limit} bytes."
    response = jsonify(error_body(code, message))
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response, exc.code or 500


def _unexpected(_exc: Exception):
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return jsonify(error_body("internal_error", "Something went wrong on our side.")), 500


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """App-level handlers, so unrouted paths (404, 405) under /api get the envelope too.

    Pages outside /api keep Flask's own error handling (the web app adds its pages),
    except that Patrol's own errors always leave as the envelope.
    """

    def handle(exc: Exception):
        if isinstance(exc, PatrolError):  # outside /api too: a route without its own pages (/slack)
            return _patrol_error(exc)
        if not is_api_request():
            return exc if isinstance(exc, HTTPException) else _unexpected(exc)
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        return _unexpected(exc)

    app.register_error_handler(Exception, handle)
