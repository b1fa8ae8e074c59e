"""Wake-ups after commit: callbacks in this process, and NOTIFY to others on PostgreSQL.

The cross-process tests run two apps on one PostgreSQL database: app B's
background (its LISTEN thread and scan loops) runs, app A only writes. Their
sessions, callbacks and connections are separate, so the only way from A to
B is the database, as between two processes. Poll intervals are a minute:
anything that happens within seconds was woken.
"""
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from patrol import background, create_app, wakeups
from patrol.db import get_db, normalise_url
from patrol.models import Scan
from patrol.scanning import workers
from tests.support.receivers import wait_until

LONG_POLL = 60.0


class Heard:
    """Records the channels whose callbacks ran, in order."""

    def __init__(self, app, *channels: str) -> None:
        self.channels: list[str] = []
        self._lock = threading.Lock()
        for channel in channels:
            wakeups.get(app).on(channel, lambda channel=channel: self._add(channel))

    def _add(self, channel: str) -> None:
        with self._lock:
            self.channels.append(channel)

    def clear(self) -> None:
        with self._lock:
            self.channels.clear()

    def __contains__(self, channel: str) -> bool:
        with self._lock:
            return channel in self.channels


@pytest.fixture
def app_config(app_config, monkeypatch):
    monkeypatch.setattr(workers, "POLL", LONG_POLL)
    app_config.update(SCHEDULER_TICK=LONG_POLL, WEBHOOK_POLL_INTERVAL=LONG_POLL)
    return app_config


@pytest.fixture
def postgres(database_url):
    if make_url(normalise_url(database_url)).get_backend_name() != "postgresql":
        pytest.skip("across processes, wake-ups travel by NOTIFY; SQLite serves one process")


@pytest.fixture
def app_b(app_config, postgres):
    """A second app on the test's database: the other process."""
    made = create_app(app_config)
    yield made
    background.get(made).stop()
    get_db(made).dispose()


def listening(app, *channels: str) -> Heard:
    """Start `app`'s background; once its LISTEN connection is up (it wakes every channel
    as it starts listening), return what hears `channels` from then on."""
    heard = Heard(app, *channels)
    background.get(app).start()
    wait_until(lambda: all(channel in heard for channel in channels), timeout=15,
               what="the LISTEN connection to be up")
    heard.clear()
    return heard


def scan_status(db, scan_id: int) -> str:
    with db.session() as session:
        return session.scalar(select(Scan.status).where(Scan.id == scan_id))


def request_scan(client, caller, server_id: int) -> int:
    started = client.post(f"/api/servers/{server_id}/scan", auth=caller.auth)
    assert started.status_code == 202, started.json
    return started.json["data"]["id"]


def test_a_commit_runs_the_callbacks_of_the_channels_it_notified(app, db):
    heard = Heard(app, wakeups.SCANS, wakeups.EVENTS)
    with db.session() as session:
        wakeups.notify(session, wakeups.SCANS)
        wakeups.notify(session, wakeups.SCANS)
        assert heard.channels == []  # nothing before the commit
    assert heard.channels == [wakeups.SCANS]


def test_a_rolled_back_notify_wakes_nobody_not_even_at_the_sessions_next_commit(app, db):
    heard = Heard(app, wakeups.SCANS, wakeups.EVENTS)
    with db.sessionmaker() as session:  # one session, two transactions, as a request may have
        with pytest.raises(RuntimeError), session.begin():
            wakeups.notify(session, wakeups.SCANS)
            raise RuntimeError("the work failed")
        with session.begin():
            wakeups.notify(session, wakeups.EVENTS)
    assert heard.channels == [wakeups.EVENTS]


def test_a_failed_savepoint_keeps_what_its_transaction_notified(app, db):
    """As when the scheduler starts one server's scan and finds the next one already scanning."""
    heard = Heard(app, wakeups.SCANS)
    with db.session() as session:
        wakeups.notify(session, wakeups.SCANS)
        with pytest.raises(RuntimeError), session.begin_nested():
            raise RuntimeError("this part failed")
    assert heard.channels == [wakeups.SCANS]


def test_a_scan_queued_through_the_api_wakes_this_apps_scan_loop(app, client, db, make_account, make_server):
    owner = make_account()
    server_id = make_server(owner)
    background.get(app).start()
    scan_id = request_scan(client, owner, server_id)
    wait_until(lambda: scan_status(db, scan_id) == "finished", timeout=10,
               what=f"the scan to finish well within the {LONG_POLL:g} s poll")


def test_a_scan_queued_through_app_a_is_run_by_app_bs_scan_loop(app, app_b, client, db, make_account, make_server):
    owner = make_account()
    server_id = make_server(owner)
    heard = listening(app_b, wakeups.SCANS)
    scan_id = request_scan(client, owner, server_id)
    wait_until(lambda: scan_status(db, scan_id) == "finished", timeout=10,
               what=f"app B to run the scan well within the {LONG_POLL:g} s poll")
    assert wakeups.SCANS in heard
    assert not background.get(app).started  # no loop of app A ran it


def test_a_rolled_back_notify_reaches_no_other_process(app, app_b, db):
    heard = listening(app_b, wakeups.SCANS, wakeups.EVENTS)
    with pytest.raises(RuntimeError), db.session() as session:
        wakeups.notify(session, wakeups.SCANS)
        raise RuntimeError("the work failed")
    with db.session() as session:
        wakeups.notify(session, wakeups.EVENTS)
    # PostgreSQL delivers notifications in commit order: once EVENTS arrived, SCANS would have.
    wait_until(lambda: wakeups.EVENTS in heard, timeout=10, what="the committed notification")
    assert heard.channels == [wakeups.EVENTS]
