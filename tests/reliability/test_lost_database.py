"""A lost database connection, for real: the app talks to PostgreSQL through a
loopback proxy that the test cuts and restores (the shared server keeps running).

While it is cut, requests answer 503 with `Retry-After` in the envelope (not
500); a scan that was running when it went is given back as soon as the
database answers again, not after its 5-minute lease.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from patrol import background, create_app
from patrol.db import get_db, normalise_url
from patrol.models import Scan
from patrol.scanning import jobs
from patrol.scanning.workers import ScanWorker
from tests.support.tcp_proxy import TcpProxy
from tests.support.web_pages import PASSWORD, sign_in


@pytest.fixture
def proxy(database_url):
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() != "postgresql":
        pytest.skip("a lost connection needs a database server; SQLite is a file in the process")
    with TcpProxy(url.port or 5432) as running:
        yield running


@pytest.fixture
def proxied(app_config, database_url, proxy):
    """An app whose every connection goes through the proxy."""
    url = make_url(normalise_url(database_url)).set(host="127.0.0.1", port=proxy.port)
    made = create_app({**app_config, "DATABASE_URL": url.render_as_string(hide_password=False)})
    yield made
    background.get(made).stop()
    get_db(made).dispose()


def scan_row(db, scan_id):
    with db.session() as session:
        return session.scalar(select(Scan).where(Scan.id == scan_id))


@pytest.mark.extensions("web")
def test_requests_answer_503_with_retry_after_while_the_database_is_gone(proxied, proxy, make_account,
                                                                          make_server):
    caller = make_account(password=PASSWORD)
    server_id = make_server(caller)
    client = proxied.test_client()
    assert client.get("/api/user", auth=caller.auth).status_code == 200
    sign_in(client, caller.email)

    proxy.cut()
    api = client.get("/api/user", auth=caller.auth)
    push = client.post(f"/api/servers/{server_id}/software_bucket/os", json={"software": []}, auth=caller.auth)
    page = client.get("/api-settings")
    proxy.restore()

    for answer in (api, push):
        assert answer.status_code == 503 and int(answer.headers["Retry-After"]) > 0
        assert answer.json["error"]["code"] == "database_unavailable"
    assert page.status_code == 503 and "Retry-After" in page.headers
    assert client.get("/api/user", auth=caller.auth).status_code == 200


def test_a_scan_orphaned_by_a_lost_connection_runs_again_once_it_returns(proxied, proxy, db, make_account,
                                                                        make_server):
    caller = make_account()
    server_id = make_server(caller)
    client = proxied.test_client()
    scan_id = client.post(f"/api/servers/{server_id}/scan", auth=caller.auth).json["data"]["id"]
    worker = ScanWorker(get_db(proxied))
    claimed = jobs.claim(worker.db, limit=1)

    proxy.cut()
    with pytest.raises(jobs.ScanOrphaned):
        worker.run(claimed)
    orphaned = scan_row(db, scan_id)
    proxy.restore()
    worker.tick()

    assert claimed == [scan_id]
    assert orphaned.status == "running" and orphaned.lease_until is not None
    assert scan_row(db, scan_id).status == "finished"
