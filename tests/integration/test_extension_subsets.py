"""Every subset of extensions that their declarations allow starts, migrates its
own tables and answers; a subset that leaves out a requirement is refused with
one clear error, by `create_app` and, as one line and exit code 2, by the CLI.

These tests choose their subsets themselves, so they run under any PATROL_EXTENSIONS.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from patrol import accounts, create_app, migrate, resources
from patrol.db import get_db, normalise_url
from patrol.extensions import ExtensionError

PATROL = str(Path(sys.executable).with_name("patrol"))
ALLOWED = [(), ("webhooks",), ("webhooks", "web"), ("webhooks", "bot"), ("webhooks", "bot", "web")]
REFUSED = [
    (("web",), "web requires webhooks"),
    (("bot",), "bot requires webhooks"),
    (("bot", "web"), "bot requires webhooks; web requires webhooks"),
]
OWN_TABLE = {"webhooks": "deliveries", "bot": "slack_workspace_links", "web": "web_sessions"}
CORE_TABLES = {"accounts", "servers", "scans", "issues", "events"}


def named(subset: tuple[str, ...]) -> str:
    """The subset as PATROL_EXTENSIONS says it."""
    return ",".join(subset) or "none"


def patrol(*args: str, database_url: str, extensions: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATROL_DATABASE_URL": database_url, "PATROL_EXTENSIONS": extensions,
           "PATROL_SECRET_KEY": "subset-test-key"}
    return subprocess.run([PATROL, *args], env=env, capture_output=True, text=True, timeout=180)


def tables_of(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture
def empty_database(database_factory):
    url = database_factory.empty()
    yield url
    database_factory.drop(url)


@pytest.fixture
def subset_app(empty_database, app_config):
    """An app of the given subset on a database that subset's migrations built."""
    made = []

    def build(subset: tuple[str, ...]):
        app = create_app({**app_config, "DATABASE_URL": empty_database, "EXTENSIONS": list(subset)})
        made.append(app)
        migrate.upgrade(app)
        return app

    yield build
    for app in made:
        get_db(app).dispose()


@pytest.mark.parametrize("subset", ALLOWED, ids=named)
def test_db_upgrade_builds_the_core_and_the_subsets_tables_and_no_others(empty_database, subset):
    upgraded = patrol("db", "upgrade", database_url=empty_database, extensions=named(subset))

    assert upgraded.returncode == 0, upgraded.stderr
    tables = tables_of(empty_database)
    assert tables >= CORE_TABLES
    assert {name for name, table in OWN_TABLE.items() if table in tables} == set(subset)


@pytest.mark.parametrize("subset", ALLOWED, ids=named)
def test_an_app_of_the_subset_answers_the_api_and_only_its_own_routes(subset_app, subset):
    app = subset_app(subset)
    with get_db(app).session() as session:
        _, issued = accounts.create(session, "ann@example.com")
    client = app.test_client()

    servers = client.get("/api/servers", auth=(issued.key, issued.secret))
    spec = client.get("/api/openapi.json").json

    assert servers.status_code == 200 and servers.json["data"] == []
    assert ("/webhooks" in spec["paths"]) == ("webhooks" in subset)
    assert (client.get("/api/webhooks", auth=(issued.key, issued.secret)).status_code == 200) == ("webhooks" in subset)
    assert (client.get("/api-settings").status_code != 404) == ("web" in subset)
    assert ("slack" in app.cli.commands) == ("bot" in subset)


def test_extensions_load_after_those_they_require(app_config):
    app = create_app({**app_config, "EXTENSIONS": ["web", "bot", "webhooks"]})
    get_db(app).dispose()

    loaded = [Path(folder).parent.name for folder in app.extensions["patrol.migrations"]]
    assert loaded[0] == "webhooks" and sorted(loaded[1:]) == ["bot", "web"]


@pytest.mark.parametrize(("subset", "broken"), REFUSED, ids=[named(subset) for subset, _ in REFUSED])
def test_a_subset_without_what_it_requires_is_refused_by_create_app(app_config, subset, broken):
    with pytest.raises(ExtensionError) as refused:
        create_app({**app_config, "EXTENSIONS": list(subset)})

    assert str(refused.value).startswith(f"PATROL_EXTENSIONS: {broken}; ")


@pytest.mark.parametrize(("subset", "broken"), REFUSED, ids=[named(subset) for subset, _ in REFUSED])
def test_the_cli_refuses_it_in_one_line_and_touches_no_table(empty_database, subset, broken):
    refused = patrol("db", "upgrade", database_url=empty_database, extensions=named(subset))

    assert refused.returncode == 2
    assert refused.stderr.startswith(f"Error: PATROL_EXTENSIONS: {broken}; ")
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert tables_of(empty_database) == set()


@pytest.mark.parametrize("wanted", ["webhoks", "none,web", "web,,sms"])
def test_an_unknown_extension_is_an_error_naming_the_variable(empty_database, wanted):
    refused = patrol("db", "upgrade", database_url=empty_database, extensions=wanted)

    assert refused.returncode == 2
    assert refused.stderr.startswith("Error: PATROL_EXTENSIONS names ")
    assert "not an installed extension (installed: bot, web, webhooks" in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_leaving_out_an_extension_the_database_was_upgraded_with_is_one_clear_line(empty_database):
    assert patrol("db", "upgrade", database_url=empty_database, extensions="webhooks,web").returncode == 0

    refused = patrol("db", "upgrade", database_url=empty_database, extensions="webhooks")

    assert refused.returncode == 2
    assert refused.stderr == ("Error: cannot upgrade the database: Can't locate revision identified by "
                              "'0002_web_sessions' (was it upgraded with an extension that PATROL_EXTENSIONS "
                              "now leaves out?)\n")
    assert patrol("db", "upgrade", database_url=empty_database, extensions="webhooks,web").returncode == 0


@pytest.mark.parametrize("extension", sorted(OWN_TABLE))
def test_each_extensions_migrations_need_only_the_core(empty_database, extension):
    """Its migrations run beside the core's alone: they depend on nothing else."""
    core = create_app({"DATABASE_URL": empty_database, "SECRET_KEY": "x", "TESTING": True, "EXTENSIONS": []})
    try:
        migrate.add_versions(core, resources.path(extension, "migrations"))
        migrate.upgrade(core)
    finally:
        get_db(core).dispose()

    tables = tables_of(empty_database)
    assert CORE_TABLES | {OWN_TABLE[extension]} <= tables
    assert {name for name, table in OWN_TABLE.items() if table in tables} == {extension}
