"""OSV records reduced to what Patrol stores; malformed ones are refused, never crash."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.advisories import records
from tests.support.data import OSV, OSV_INVALID



def load(name: str, folder: Path = OSV) -> dict:
    return json.loads((folder / name).read_text())


def test_a_github_advisory():
    record = records.parse(load("GHSA-q7rv-6hp3-vh96.json"))
    assert record.osv_id == "GHSA-q7rv-6hp3-vh96"
    assert record.aliases == ["CVE-2022-24775"]
    assert record.url == "https://github.com/advisories/GHSA-q7rv-6hp3-vh96"
    assert record.summary == "Improper Input Validation in guzzlehttp/psr7"
    assert record.severity == "high"
    assert record.withdrawn is False
    assert record.modified is not None and record.modified.tzinfo is not None
    assert [(p.ecosystem, p.ecosystem_full, p.name) for p in record.packages] == [
        ("Packagist", "Packagist", "guzzlehttp/psr7")] * 2
    assert all(p.affected["package"]["name"] == "guzzlehttp/psr7" for p in record.packages)


def test_a_debian_advisory_keeps_its_release_and_takes_the_first_line_of_details():
    record = records.parse(load("DSA-3029-1.json"))
    assert [(p.ecosystem, p.ecosystem_full, p.name) for p in record.packages] == [("Debian", "Debian:7", "nginx")]
    assert record.summary == "nginx - security update"
    assert record.modified is None
    assert record.url == "https://osv.dev/vulnerability/DSA-3029-1"


def test_pypi_names_are_normalised():
    record = records.parse(load("PYSEC-2023-74.json"))
    assert record.packages and all(p.ecosystem == "PyPI" for p in record.packages)
    assert all(p.name == p.name.lower() and "_" not in p.name for p in record.packages)


def test_a_withdrawn_record_says_so():
    assert records.parse(load("RHSA-2022_0216-withdrawn.json")).withdrawn is True


def test_a_record_without_affected_packages_is_kept():
    record = records.parse(load("DLA-3623-1.json"))
    assert record.packages == []


def test_linter_test_records_keep_only_what_can_be_matched():
    invalid = OSV_INVALID
    # A GIT-only entry without a package names nothing Patrol can look up.
    assert records.parse(load("nointroduced-CVE-2023-41045.json", invalid)).packages == []
    # A package that does not exist is still a PyPI name, normalised.
    [package] = records.parse(load("nopackage-GHSA-9v2f-6vcg-3hgv.json", invalid)).packages
    assert (package.ecosystem, package.name) == ("PyPI", "gradi0")


def test_summary_falls_back_to_the_first_line_of_details_and_is_cut():
    assert records.parse({"id": "X", "details": "\n  First line.\nSecond."}).summary == "First line."
    assert records.parse({"id": "X", "summary": "s" * 600}).summary == "s" * 500
    assert records.parse({"id": "X"}).summary is None


@pytest.mark.parametrize(
    ("modified", "expected"),
    [("2023-06-20T22:43:52Z", datetime(2023, 6, 20, 22, 43, 52, tzinfo=timezone.utc)),
     ("2023-06-20T22:43:52.123456789Z", datetime(2023, 6, 20, 22, 43, 52, 123456, tzinfo=timezone.utc)),
     ("2023-06-20T22:43:52", datetime(2023, 6, 20, 22, 43, 52, tzinfo=timezone.utc)),
     ("2023-06-21T00:43:52+02:00", datetime(2023, 6, 20, 22, 43, 52, tzinfo=timezone.utc)),
     ("yesterday", None), (20230620, None)],
)
def test_modified_is_an_aware_utc_time(modified, expected):
    parsed = records.parse({"id": "X", "modified": modified}).modified
    assert parsed == expected
    assert parsed is None or parsed.utcoffset() is not None


def test_unsupported_or_unusable_packages_are_left_out():
    record = records.parse({"id": "X", "affected": [
        {"package": {"ecosystem": "Hex", "name": "phoenix"}},
        {"package": {"ecosystem": "npm", "name": ""}},
        {"package": {"ecosystem": "npm"}},
        {"package": "npm/lodash"},
        "not an entry",
        {"package": {"ecosystem": "npm", "name": "x" * (records.MAX_NAME + 1)}},
        {"package": {"ecosystem": "Debian:" + "9" * 100, "name": "nginx"}},
        {"package": {"ecosystem": "npm", "name": "lodash"}},
    ]})
    assert [(p.ecosystem, p.name) for p in record.packages] == [("npm", "lodash")]


@pytest.mark.parametrize(
    "data",
    [{"id": "X", "aliases": "CVE-2020-1"}, {"id": "X", "aliases": ["CVE-2020-1", 5, None]},
     {"id": "X", "summary": ["a list"], "details": 5}, {"id": "X", "affected": {"package": "x"}}],
)
def test_fields_of_the_wrong_type_are_ignored(data):
    record = records.parse(data)
    assert record.aliases in ([], ["CVE-2020-1"])
    assert record.summary is None and record.packages == []


@pytest.mark.parametrize(
    "data",
    [None, [], "GHSA", 5, {}, {"id": ""}, {"id": 5}, {"id": None}, {"id": "X" * (records.MAX_ID + 1)},
     {"id": "X", "summary": "nul \x00 byte"}, {"id": "X", "details": "lone \udc80 surrogate"},
     {"id": "X", "affected": [{"package": {"ecosystem": "npm", "name": "a\x00"}}]}],
)
def test_unusable_records_are_invalid(data):
    with pytest.raises(records.InvalidRecord):
        records.parse(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
osv_keys = st.sampled_from(["id", "modified", "withdrawn", "summary", "details", "aliases", "affected",
                            "severity", "database_specific"])


@settings(deadline=None)
@given(st.dictionaries(osv_keys, json_values) | json_values)
def test_any_json_parses_or_is_invalid(data):
    try:
        record = records.parse(data)
    except records.InvalidRecord:
        return
    assert isinstance(record.osv_id, str) and 0 < len(record.osv_id) <= records.MAX_ID
    assert all(isinstance(alias, str) for alias in record.aliases)
    assert record.summary is None or isinstance(record.summary, str)
