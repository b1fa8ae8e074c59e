"""Where the tests' copied data lives (tests/data; sources and licences in its README)."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
OSV = DATA / "osv"
OSV_INVALID = DATA / "osv-invalid"
PACKAGIST_CASES = DATA / "packagist_test_cases.txt"
SLACK_MANIFEST_SCHEMA = DATA / "slack" / "manifest.schema.1.0.0.json"
