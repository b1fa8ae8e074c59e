"""Files shipped inside Patrol's packages (templates, migrations, demo data, ...).

They are found with importlib.resources, so an installed wheel works with no
source tree around, as an editable install does.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

TEMPLATES_PACKAGE = "patrol_templates"  # the top-level templates/ folder, as installed


def path(package: str, *parts: str) -> Path:
    """A file or folder inside `package`, as a path on disk.

    pip installs packages unpacked, so resources are plain files; Jinja's
    and Alembic's loaders need real paths.
    """
    found = files(package).joinpath(*parts)
    if not isinstance(found, Path):
        raise RuntimeError(f"{package} is not installed as plain files ({found!r})")
    return found


def templates(*parts: str) -> Path:
    """The Jinja templates folder, or a subfolder of it."""
    return path(TEMPLATES_PACKAGE, *parts)
