"""A one-line access log per request, with secrets taken out.

The PHP SDK sends `?secret=...` in the query string and other clients send
HTTP Basic, so the log never shows the query's `secret` nor any
Authorization header: a log file must not be a credential store.

Each request gets an id: a sane incoming `X-Request-ID` (a proxy's) is kept,
anything else replaced by a fresh one; the response echoes it, the WSGI
environ carries it (`patrol.request_id`) and the log line names it.
"""
from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

log = logging.getLogger("patrol.access")
HIDDEN = "[redacted]"
SECRET_PARAMS = frozenset({"secret", "token", "password"})
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_ENVIRON = "patrol.request_id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=+/-]{1,128}")


def redact_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, HIDDEN if k.lower() in SECRET_PARAMS else v) for k, v in pairs], safe="[]")


def request_id(environ: dict) -> str:
    """The incoming id when it is short and plain (it goes into logs and headers), else a new one."""
    given = environ.get("HTTP_X_REQUEST_ID", "")
    return given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class AccessLog:
    """WSGI middleware: `METHOD path?query status bytes duration_ms`."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.monotonic()
        rid = environ[REQUEST_ID_ENVIRON] = request_id(environ)
        seen: dict[str, str] = {}

        def recording_start(status: str, headers: list, exc_info=None):  # noqa: ANN001, ANN202
            seen["status"] = status.split(" ", 1)[0]
            headers = [(k, v) for k, v in headers if k.lower() != REQUEST_ID_HEADER.lower()]
            return start_response(status, [*headers, (REQUEST_ID_HEADER, rid)], exc_info)

        try:
            return self.app(environ, recording_start)
        finally:
            _log_request(environ, seen.get("status", "-"), (time.monotonic() - started) * 1000)


def _log_request(environ: dict, status: str, duration_ms: float) -> None:
    query = redact_query(environ.get("QUERY_STRING", ""))
    fields = {
        "event": "request",
        "request_id": environ[REQUEST_ID_ENVIRON],
        "remote_addr": environ.get("REMOTE_ADDR", "-"),
        "method": environ.get("REQUEST_METHOD", "-"),
        "path": environ.get("PATH_INFO", ""),
        "query": query,
        "status": int(status) if status.isdigit() else None,
        "duration_ms": round(duration_ms, 1),
    }
    log.info(
        "%s %s %s%s %s %dms",
        fields["remote_addr"], fields["method"], fields["path"], "?" + query if query else "", status, duration_ms,
        extra={"fields": fields},
    )
