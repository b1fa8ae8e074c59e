"""One severity word per advisory, from the database's rating or a CVSS vector."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.advisories import severity
from patrol.demo import ADVISORIES

V3_CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8
V3_MEDIUM = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"  # 5.4
V3_LOW = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"  # 1.6
V3_NONE = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"  # 0.0
V4_CRITICAL = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"  # 9.3
V2_HIGH = "AV:N/AC:L/Au:N/C:P/I:P/A:P"  # 7.5


def record(*scores: tuple[str, object], rating: object = None) -> dict:
    data: dict = {"id": "TEST-1", "severity": [{"type": kind, "score": score} for kind, score in scores]}
    if rating is not None:
        data["database_specific"] = {"severity": rating}
    return data


@pytest.mark.parametrize(
    ("score", "word"),
    [(10.0, "critical"), (9.0, "critical"), (8.9, "high"), (7.0, "high"), (6.9, "medium"), (4.0, "medium"),
     (3.9, "low"), (0.1, "low"), (0.0, "unknown")],
)
def test_cvss_bands(score, word):
    assert severity.rate(score) == word


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (record(("CVSS_V3", V3_CRITICAL)), "critical"),
        (record(("CVSS_V3", V3_MEDIUM)), "medium"),
        (record(("CVSS_V3", V3_LOW)), "low"),
        (record(("CVSS_V3", V3_NONE)), "unknown"),
        (record(("CVSS_V4", V4_CRITICAL)), "critical"),
        (record(("CVSS_V2", V2_HIGH)), "high"),
        (record(("CVSS_V3", V3_LOW), ("CVSS_V2", V2_HIGH)), "high"),  # the worst vector counts
        (record(), "unknown"),
        ({"id": "TEST-1"}, "unknown"),
    ],
)
def test_vectors(data, word):
    assert severity.of_record(data) == word


@pytest.mark.parametrize(("rating", "word"), [("CRITICAL", "critical"), ("HIGH", "high"), ("MODERATE", "medium"),
                                               ("medium", "medium"), ("LOW", "low")])
def test_the_databases_own_rating_wins_over_the_vector(rating, word):
    assert severity.of_record(record(("CVSS_V3", V3_CRITICAL), rating=rating)) == word


def test_an_unknown_rating_falls_back_to_the_vector():
    assert severity.of_record(record(("CVSS_V3", V3_MEDIUM), rating="SEVERE")) == "medium"


@pytest.mark.parametrize(
    "data",
    [
        record(("CVSS_V3", "not a vector")),
        record(("CVSS_V3", "CVSS:3.1/AV:N")),
        record(("CVSS_V3", 9.8)),
        record(("CVSS_V5", V3_CRITICAL)),
        record((["CVSS_V3"], V3_CRITICAL)),
        {"id": "X", "severity": "CVSS_V3"},
        {"id": "X", "severity": ["CVSS_V3", None, 7]},
        {"id": "X", "database_specific": ["HIGH"]},
        {"id": "X", "database_specific": {"severity": None}},
    ],
)
def test_malformed_severity_data_is_unknown(data):
    assert severity.of_record(data) == "unknown"


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=15,
)


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(["severity", "database_specific", "id"]), json_values))
def test_any_json_gives_one_of_the_levels(data):
    assert severity.of_record(data) in severity.LEVELS


def test_rank_puts_critical_first():
    assert sorted(["low", "unknown", "critical", "medium", "high"], key=severity.rank) == [
        "critical", "high", "medium", "low", "unknown"]
    assert severity.rank("bogus") > severity.rank("unknown")


@pytest.mark.parametrize(
    ("file", "word"),
    [("GHSA-q7rv-6hp3-vh96.json", "high"), ("GHSA-h7vf-5wrv-9fhv.json", "medium"), ("DSA-3029-1.json", "unknown")],
)
def test_real_advisories(file, word):
    assert severity.of_record(json.loads((Path(ADVISORIES) / file).read_text())) == word
