"""Fixtures after Flask's tutorial: app, client, runner, plus factories.

Every test gets a fresh database: a SQLite file by default, or a PostgreSQL
database when PATROL_DATABASE_URL points at one (.ci/run does both).
Apps load the extensions PATROL_EXTENSIONS chooses (all by default); a test
marked `extensions(...)` runs only when every extension it names is loaded.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from patrol import accounts, create_app, extensions, servers
from patrol import config as settings
from patrol.db import get_db
from tests.support import databases


# Every process a test starts (`patrol serve`, `patrol worker`, the CLI) inherits
# this environment: nothing it does by default may reach past loopback. The
# scheduled syncs are off, and each outside service's address is the discard
# port on 127.0.0.1, where a connection is refused, unless a test sets its own.
LOOPBACK_ONLY = {
    "PATROL_ADVISORY_SYNC_INTERVAL": "0",
    "PATROL_ADVISORY_URL": "http://127.0.0.1:9/osv",
    "PATROL_KEV_URL": "http://127.0.0.1:9/kev.json",
    "PATROL_EPSS_URL": "http://127.0.0.1:9/epss.csv.gz",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",
}


def pytest_configure(config: pytest.Config) -> None:
    for variable, value in LOOPBACK_ONLY.items():
        os.environ.setdefault(variable, value)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the tests that need an extension this run leaves out."""
    loaded = loaded_extensions()
    left_out = [item for item in items if not needs(item) <= loaded]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if needs(item) <= loaded]


def loaded_extensions() -> set[str]:
    """The extensions every app of this run loads, as PATROL_EXTENSIONS chooses them."""
    try:
        return {extension.name for extension in extensions.choose(settings.read(settings.Core).extensions)}
    except extensions.ExtensionError as exc:
        raise pytest.UsageError(str(exc)) from exc


def needs(item: pytest.Item) -> set[str]:
    return {name for mark in item.iter_markers("extensions") for name in mark.args}


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory):
    made = databases.factory(settings.read(settings.Core).database_url, tmp_path_factory.mktemp("db"))
    yield made
    made.close()


@pytest.fixture
def database_url(database_factory):
    url = database_factory.new()
    yield url
    database_factory.drop(url)


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """What each test's app runs with; a test may change it before `app` is built."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "TESTING": True,
        "SCAN_WORKERS": 1,
        "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8", "::1/128"],
        "WEBHOOK_RETRY_SCHEDULE": [0.2, 0.4, 0.8],
        # Tests never reach osv.dev: a test that syncs points this at a loopback mirror.
        "ADVISORY_SYNC_INTERVAL": 0,
    }


@pytest.fixture
def app(app_config):
    made = create_app(app_config)
    yield made
    from patrol import background

    background.get(made).stop()
    get_db(made).dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    return get_db(app)


@dataclass
class Caller:
    """An account and the credentials to call the API as it."""

    account_id: int
    email: str
    key: str
    secret: str

    @property
    def auth(self) -> tuple[str, str]:
        return (self.key, self.secret)

    @property
    def query(self) -> dict[str, str]:
        return {"key": self.key, "secret": self.secret}


@pytest.fixture
def make_account(db):
    counter = iter(range(1, 10_000))

    def make(email: str | None = None, password: str | None = None) -> Caller:
        with db.session() as session:
            account, issued = accounts.create(session, email or f"user{next(counter)}@example.com", password)
            return Caller(account.id, account.email, issued.key, issued.secret)

    return make


@pytest.fixture
def make_server(db):
    def make(owner: Caller, name: str = "web1.example.com") -> int:
        from patrol.models import Account

        with db.session() as session:
            return servers.create(session, session.get(Account, owner.account_id), name).id

    return make
