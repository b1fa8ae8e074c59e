"""A server page with very many open issues: what the page and its live refresh cost.

The baseline is the same page for a server with one page of issues (100),
measured in the same run; the figures for a server with `--issues` (50,000)
are printed as ratios of it. Paged, the big server's page should cost about
what the small one's does, and an unchanged refresh should be an empty 304.
"""
from __future__ import annotations

import argparse
import secrets
import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from bench import _common
from patrol import accounts, servers
from patrol.db import get_db
from patrol.models import Advisory, Issue
from web import sessions
from web.models import WebSession

SMALL = 100


def main() -> None:
    options = _arguments()
    _common.setup_logging()
    with _common.temporary_database(options.database_url) as url:
        app = _common.build_app(url, SCAN_WORKERS=0)
        account_id, small, big = _servers(app, options.issues)
        client = _signed_in(app, account_id)
        _report(client, small, big, options.repeat)
        get_db(app).dispose()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="PostgreSQL on loopback (default: a SQLite file)")
    parser.add_argument("--issues", type=int, default=50_000, help="open issues on the big server")
    parser.add_argument("--repeat", type=int, default=5, help="requests timed per figure")
    return parser.parse_args()


def _servers(app: Flask, count: int) -> tuple[int, int, int]:
    """An account with a server of one page of issues and one of `count`, inserted in bulk."""
    with get_db(app).session() as session:
        account, _ = accounts.create(session, "bench@example.com")
        small, big = (servers.create(session, account, name).id for name in ("small.example.com", "big.example.com"))
        advisory = Advisory(osv_id="GHSA-bench-page-size", summary="bench", severity="high")
        session.add(advisory)
        session.flush()
        for server_id, n in ((small, SMALL), (big, count)):
            session.execute(insert(Issue), [{"server_id": server_id, "advisory_id": advisory.id,
                                             "software_name": f"pkg{i}", "severity": "high"} for i in range(n)])
        session.commit()
        return account.id, small, big


def _signed_in(app: Flask, account_id: int) -> FlaskClient:
    token = secrets.token_urlsafe(32)
    with get_db(app).session() as session:
        session.add(WebSession(token_hash=sessions.hash_token(token), account_id=account_id))
        session.commit()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie[sessions.TOKEN_KEY] = token
    return client


def _timed(client: FlaskClient, path: str, repeat: int, headers: dict | None = None) -> tuple[float, int, int]:
    """Seconds per request, bytes and status of `path` (after one warm-up request)."""
    client.get(path, headers=headers)
    started = time.perf_counter()
    for _ in range(repeat):
        answer = client.get(path, headers=headers)
    return (time.perf_counter() - started) / repeat, len(answer.data), answer.status_code


def _report(client: FlaskClient, small: int, big: int, repeat: int) -> None:
    partial = f"/servers/{big}?partial=1&issues=1"
    tag = client.get(partial).headers["ETag"]
    base = _timed(client, f"/servers/{small}", repeat)
    figures = {"whole page": _timed(client, f"/servers/{big}", repeat),
               "live refresh, changed": _timed(client, partial, repeat),
               "live refresh, unchanged": _timed(client, partial, repeat, {"If-None-Match": tag})}
    _common.heading(f"server page: {SMALL} issues (baseline) against the big server")
    rows = [("baseline", f"{base[0] * 1000:.1f} ms, {base[1]:,} bytes")]
    rows += [(name, f"{_common.ratio(seconds, base[0])} of baseline time, {size:,} bytes, HTTP {status}")
             for name, (seconds, size, status) in figures.items()]
    _common.show(rows)


if __name__ == "__main__":
    main()
