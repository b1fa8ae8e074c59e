"""Every comparator against its case table (tests/unit/data/versions/), and
hypothesis checks that each order is total, antisymmetric and transitive."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.advisories.versioning import InvalidVersion, sort_key

TABLES = Path(__file__).parent / "data" / "versions"
# Which table each ecosystem is checked against (Ubuntu is dpkg, as Debian).
ECOSYSTEM_TABLES = {
    "Maven": "maven", "RubyGems": "rubygems", "Go": "go", "crates.io": "crates.io",
    "npm": "npm", "NuGet": "nuget", "Alpine:v3.18": "alpine", "Red Hat": "rpm",
    "Rocky Linux:9": "rpm", "AlmaLinux:9": "rpm", "Debian:12": "debian",
    "Ubuntu:22.04:LTS": "debian", "PyPI": "pypi",
}


def chains(table: str) -> list[list[str]]:
    lines = (line.split("#", 1)[0].strip() for line in (TABLES / f"{table}.txt").read_text().splitlines())
    return [re.split(r"\s+", line) for line in lines if line]


def pairs(table: str) -> list[tuple[str, str, str]]:
    """(a, relation, b) for every ordered pair of each chain: "a < b < c" gives a<b, a<c, b<c."""
    found = []
    for chain in chains(table):
        versions, relations = chain[::2], chain[1::2]
        for i, j in itertools.combinations(range(len(versions)), 2):
            relation = "==" if all(r == "==" for r in relations[i:j]) else "<"
            found.append((versions[i], relation, versions[j]))
    return found


CASES = [(eco, *pair) for eco, table in ECOSYSTEM_TABLES.items() for pair in pairs(table)]


@pytest.mark.parametrize(("ecosystem", "a", "relation", "b"), CASES)
def test_table(ecosystem, a, relation, b):
    ka, kb = sort_key(ecosystem, a), sort_key(ecosystem, b)
    if relation == "==":
        assert ka == kb and not ka < kb and not kb < ka
    else:
        assert ka < kb and kb > ka and not ka == kb and not kb <= ka  # noqa: SIM201 - each operator on its own


@pytest.mark.parametrize("table", sorted(set(ECOSYSTEM_TABLES.values())))
def test_every_table_holds_hundreds_of_cases(table):
    assert len(pairs(table)) >= 100


def test_each_comparator_has_a_table():
    from patrol.advisories.versioning import SUPPORTED
    covered = {eco.partition(":")[0] for eco in ECOSYSTEM_TABLES} | {"Packagist"}  # Packagist: test_composer_version
    assert covered == set(SUPPORTED)


@pytest.mark.parametrize(
    ("ecosystem", "text"),
    [
        ("Maven", ""), ("Maven", "1.0 beta"), ("RubyGems", "1..2"), ("RubyGems", "abc"),
        ("RubyGems", "1.0-"), ("Go", "v1.2"), ("Go", "1.02.3"), ("crates.io", "v1.0.0"),
        ("crates.io", "1.0.0-01"), ("NuGet", "1"), ("NuGet", "1.0.0.0.0"), ("NuGet", "v1.0.0"),
        ("Alpine", "1.0-r"), ("Alpine", "1.0_foo"), ("Alpine", "1.0bc"), ("Alpine", "r1"),
        ("Red Hat", "1:2:3"), ("Red Hat", "1.0-1-1"), ("Red Hat", ""), ("Ubuntu:22.04:LTS", "abc"),
        ("PyPI", ""), ("PyPI", "not a version"), ("PyPI", "latest"),
    ],
)
def test_unreadable_versions(ecosystem, text):
    with pytest.raises(InvalidVersion):
        sort_key(ecosystem, text)


def _table_versions(table: str) -> list[str]:
    return sorted({version for chain in chains(table) for version in chain[::2]})


# Versions from the tables plus generated ones, so the properties see both.
_WORDS = st.sampled_from(["alpha", "beta", "rc", "a", "b", "pre", "p", "sp", "ga", "final", "x", "SNAPSHOT"])
_NUMBER = st.integers(0, 12).map(str)
_PIECES = st.lists(st.one_of(_NUMBER, _WORDS), min_size=1, max_size=5)
GENERATED = {
    "Maven": st.tuples(_NUMBER, _PIECES, st.lists(st.sampled_from(".-"), min_size=5, max_size=5)).map(
        lambda t: t[0] + "".join(sep + piece for sep, piece in zip(t[2], t[1]))),
    "RubyGems": st.tuples(_NUMBER, _PIECES).map(lambda t: ".".join([t[0], *t[1]])),
    "Red Hat": st.text(alphabet="019ab.~^-_", min_size=1, max_size=8).map(lambda s: "1" + s),
    "Alpine": st.from_regex(r"[0-9]{1,2}(\.0?[0-9]){0,2}[a-c]?(_(alpha|rc|p)[0-9]?){0,2}(-r[0-9])?", fullmatch=True),
    "NuGet": st.from_regex(r"[0-9](\.[0-9]{1,2}){1,3}(-(A|a|b|B|1|10)(\.(A|1|b)){0,2})?", fullmatch=True),
    "Go": st.from_regex(r"v?[0-9]\.[0-9]\.[0-9](-(0\.2021[0-9]{10}-abc|pre|1))?(\+incompatible)?", fullmatch=True),
    "PyPI": st.one_of(st.from_regex(r"[0-9](\.[0-9]){0,2}((a|b|rc)[0-9])?(\.post[0-9])?", fullmatch=True),
                      st.from_regex(r"[0-9](\.[0-9]){0,2}-(dev|rc|x|git|final)(-[0-9a-z]{1,3})?", fullmatch=True)),
}
PROPERTY_CASES = {eco: st.one_of(st.sampled_from(_table_versions(table)), GENERATED.get(eco.partition(":")[0], st.nothing()))
                  for eco, table in ECOSYSTEM_TABLES.items()}


def _key(ecosystem: str, text: str):
    try:
        return sort_key(ecosystem, text)
    except InvalidVersion:
        return None


@pytest.mark.parametrize("ecosystem", sorted(PROPERTY_CASES))
def test_order_is_total_antisymmetric_and_transitive(ecosystem):
    @settings(max_examples=300, deadline=None)
    @given(st.lists(PROPERTY_CASES[ecosystem], min_size=3, max_size=3))
    def check(texts):
        keys = [k for text in texts if (k := _key(ecosystem, text)) is not None]
        for a, b in itertools.product(keys, repeat=2):
            assert [a < b, a == b, a > b].count(True) == 1  # total, and one relation only
            assert (a <= b) == (a < b or a == b)
        for a, b, c in itertools.permutations(keys, 3):
            if a <= b and b <= c:
                assert a <= c
            if a == b and b == c:
                assert a == c

    check()
