"""Schema migrations through Alembic, for the core and every extension."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from flask import Flask

from patrol import resources
from patrol.db import get_db

SCRIPTS = resources.path("patrol", "migrations")


class MigrationError(Exception):
    """Alembic cannot upgrade this database, e.g. one upgraded with an extension now left out."""


def add_versions(app: Flask, folder: Path) -> None:
    """Extensions call this so that `upgrade` runs their migrations too."""
    app.extensions.setdefault("patrol.migrations", []).append(folder)


def _config(app: Flask) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    folders = [SCRIPTS / "versions", *app.extensions.get("patrol.migrations", [])]
    config.set_main_option("version_locations", " ".join(str(f) for f in folders))
    config.set_main_option("path_separator", "space")
    return config


def upgrade(app: Flask) -> None:
    config = _config(app)
    with get_db(app).engine.begin() as connection:
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "heads")
        except CommandError as exc:
            raise MigrationError(f"cannot upgrade the database: {exc} (was it upgraded with an extension "
                                 "that PATROL_EXTENSIONS now leaves out?)") from exc


def revision(app: Flask, message: str, folder: Path | None = None, head: str = "heads") -> None:
    """Autogenerate a migration (a developer's tool)."""
    config = _config(app)
    with get_db(app).engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(
            config, message=message, autogenerate=True, head=head,
            version_path=str(folder) if folder else None,
        )
