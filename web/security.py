"""What every page response carries: CSRF checks on the way in, security
headers on the way out. Attached to the web blueprint only, so the API and
Slack routes (which authenticate each request differently) stay untouched."""
from __future__ import annotations

from flask import Response, current_app, g

from patrol import config

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
])
# A year, and only this host: other hosts of the domain may not speak https.
HSTS = "max-age=31536000"


def check_csrf() -> None:
    """`before_request`: refuse a POST without this session's CSRF token (a 400)."""
    current_app.extensions["csrf"].protect()


def no_referrer() -> None:
    """Mark this page as one whose address or content must not leak through a Referer
    (the API page lists webhook URLs, which often carry a token)."""
    g.no_referrer = True


def reveal_secret() -> None:
    """Mark this response as one that shows a secret: no Referer leaves it, nothing caches it."""
    g.no_referrer = g.no_store = True


def add_headers(response: Response) -> Response:
    """`after_request` for every page and asset of the web blueprint."""
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer" if g.get("no_referrer") else "strict-origin"
    if g.get("no_store"):
        headers["Cache-Control"] = "no-store"
    if _served_over_https():
        headers["Strict-Transport-Security"] = HSTS
    return response


def _served_over_https() -> bool:
    """Whether the configured public address is https (the app itself may sit behind a TLS proxy)."""
    return (config.of(current_app, config.Core).public_url or "").startswith("https://")
