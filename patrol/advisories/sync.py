"""Downloading osv.dev's per-ecosystem `all.zip` files and importing them."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import requests

from patrol.advisories import importer, sources
from patrol.db import Database

# osv.dev's names of the ecosystems Patrol matches; each name's all.zip holds
# every release of it (Alpine:v3.18, Ubuntu:22.04:LTS ...).
DEFAULT_ECOSYSTEMS = (
    "Packagist", "npm", "PyPI", "Debian", "RubyGems", "Go", "crates.io", "Maven", "NuGet",
    "Alpine", "Ubuntu", "Rocky Linux", "AlmaLinux", "Red Hat",
)
CHUNK = 1 << 16


class SyncError(RuntimeError):
    """A download that failed; says which and why."""


def download(base_url: str, ecosystem: str, folder: Path, timeout: float = 60) -> Path:
    url = f"{base_url}/{ecosystem}/all.zip"
    target = folder / f"{ecosystem}.zip"
    try:
        with requests.get(url, stream=True, timeout=timeout) as answer:
            answer.raise_for_status()
            with target.open("wb") as out:
                for chunk in answer.iter_content(CHUNK):
                    out.write(chunk)
    except requests.RequestException as exc:
        raise SyncError(f"could not download {url}: {exc}") from exc
    return target


def sync(
    db: Database,
    base_url: str,
    ecosystems: list[str],
    progress_factory: Callable[[str, int], Callable[[int], None]] | None = None,
) -> dict[str, importer.Report]:
    """Download and import each ecosystem; returns a report per ecosystem."""
    reports = {}
    with tempfile.TemporaryDirectory(prefix="patrol-osv-") as tmp:
        for ecosystem in ecosystems:
            archive = download(base_url, ecosystem, Path(tmp))
            progress = progress_factory(ecosystem, sources.count([archive])) if progress_factory else None
            reports[ecosystem] = importer.import_records(db, sources.read([archive]), progress)
    return reports
