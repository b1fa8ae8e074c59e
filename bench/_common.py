"""What the benchmarks share: a throwaway database, the app on it, and figures.

Figures are printed as rates and as ratios against a baseline measured in the
same run, because a single rate on a shared machine says little.
"""
from __future__ import annotations

import ipaddress
import logging
import math
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from patrol import create_app, migrate
from patrol.db import Database, normalise_url

LOCAL_NAMES = ("localhost",)


class NotLoopback(ValueError):
    """The benchmarks talk to this machine only."""


def setup_logging() -> None:
    """Warnings and errors from Patrol's background loops show; chatter does not."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def check_loopback(url: str) -> None:
    """Refuse a database URL whose host is not this machine (no host means a Unix socket)."""
    host = make_url(url).host
    if not host or host in LOCAL_NAMES:
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass  # a name other than localhost: never resolved, refused as it is
    raise NotLoopback(f"the database must be on loopback, not {host}")


@contextmanager
def temporary_database(url: str | None) -> Iterator[str]:
    """A fresh database for one run: a SQLite file in a temporary folder, or, given a
    PostgreSQL URL, a database `patrol_bench_<pid>` created on that server and dropped after."""
    if not url:
        with tempfile.TemporaryDirectory(prefix="patrol-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    check_loopback(url)
    base = make_url(normalise_url(url))
    name = f"patrol_bench_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    _admin_execute(admin, f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _admin_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _admin_execute(engine: sqlalchemy.Engine, sql: str) -> None:
    with engine.connect() as connection:
        connection.execute(text(sql))


# The feeds' background syncs would reach the internet; a closed loopback port keeps them home.
OFFLINE_FEEDS = {"ADVISORY_SOURCE_URL": "http://127.0.0.1:9", "KEV_URL": "http://127.0.0.1:9/kev.json",
                 "EPSS_URL": "http://127.0.0.1:9/epss.csv.gz"}
# The same for `patrol worker` processes, which read their settings from the environment.
OFFLINE_FEEDS_ENV = {"PATROL_ADVISORY_URL": OFFLINE_FEEDS["ADVISORY_SOURCE_URL"],
                     "PATROL_KEV_URL": OFFLINE_FEEDS["KEV_URL"], "PATROL_EPSS_URL": OFFLINE_FEEDS["EPSS_URL"]}


def build_app(url: str, **config: Any) -> Flask:
    """Patrol on `url`, migrated; `config` overrides the defaults (feeds point at a closed loopback port)."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", **OFFLINE_FEEDS, **config})
    migrate.upgrade(app)
    return app


def machine_facts(db: Database) -> list[tuple[str, str]]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("cpus (nproc)", str(cpus)),
        ("python", f"{platform.python_implementation()} {sys.version.split()[0]}"),
        ("platform", platform.platform()),
        ("sqlalchemy", sqlalchemy.__version__),
        ("database", _server_version(db)),
    ]


def _server_version(db: Database) -> str:
    with db.engine.connect() as connection:
        if db.is_postgres:
            return "PostgreSQL " + connection.execute(text("SHOW server_version")).scalar_one().split()[0]
        return "SQLite " + connection.execute(text("SELECT sqlite_version()")).scalar_one()


def heading(title: str) -> None:
    print(f"\n== {title}")


def show(rows: Sequence[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank: a value that was actually seen."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "n/a"
