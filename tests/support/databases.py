"""Fresh databases for tests: one migrated template per run, a copy per test.

SQLite copies the template file; PostgreSQL clones a template database,
which is far quicker than running the migrations for every test.
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from patrol import create_app, migrate
from patrol.db import normalise_url

_counter = itertools.count()


def _migrate(url: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "TESTING": True})
    migrate.upgrade(app)
    app.extensions["patrol.db"].dispose()


class SqliteFactory:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite3"
        _migrate(f"sqlite:///{self.template}")

    def new(self) -> str:
        target = self.folder / f"test-{next(_counter)}.sqlite3"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def empty(self) -> str:
        """A database without a table, for tests of the migrations themselves."""
        return f"sqlite:///{self.folder / f'empty-{next(_counter)}.sqlite3'}"

    def drop(self, url: str) -> None:
        Path(make_url(url).database).unlink(missing_ok=True)

    def close(self) -> None:
        return None


class PostgresFactory:
    def __init__(self, url: str) -> None:
        self.base = make_url(normalise_url(url))
        self.prefix = f"patrol_test_{os.getpid()}"
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT", poolclass=None, hide_parameters=True)
        self.template = f"{self.prefix}_template"
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}"')
        self._execute(f'CREATE DATABASE "{self.template}"')
        _migrate(self.base.set(database=self.template).render_as_string(hide_password=False))

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def new(self) -> str:
        name = f"{self.prefix}_{next(_counter)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.base.set(database=name).render_as_string(hide_password=False)

    def empty(self) -> str:
        """A database without a table, for tests of the migrations themselves."""
        name = f"{self.prefix}_{next(_counter)}"
        self._execute(f'CREATE DATABASE "{name}"')
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()


def factory(url: str | None, folder: Path) -> SqliteFactory | PostgresFactory:
    if url and url.startswith("postgresql"):
        return PostgresFactory(url)
    return SqliteFactory(folder)
