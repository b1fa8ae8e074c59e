"""A one-line access log per request, with secrets taken out.

The PHP SDK sends `?secret=...` in the query string and other clients send
HTTP Basic, so the log never shows the query's `secret` nor any
Authorization header: a log file must not be a credential store.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

log = logging.getLogger("patrol.access")
HIDDEN = "[redacted]"
SECRET_PARAMS = frozenset({"secret", "token", "password"})


def redact_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, HIDDEN if k.lower() in SECRET_PARAMS else v) for k, v in pairs], safe="[]")


class AccessLog:
    """WSGI middleware: `METHOD path?query status bytes duration_ms`."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.monotonic()
        seen: dict[str, str] = {}

        def recording_start(status: str, headers: list, exc_info=None):  # noqa: ANN001, ANN202
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start)
        finally:
            query = redact_query(environ.get("QUERY_STRING", ""))
            log.info(
                "%s %s %s%s %s %dms",
                environ.get("REMOTE_ADDR", "-"),
                environ.get("REQUEST_METHOD", "-"),
                environ.get("PATH_INFO", ""),
                "?" + query if query else "",
                seen.get("status", "-"),
                (time.monotonic() - started) * 1000,
            )
