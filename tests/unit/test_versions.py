"""Version order per OSV ecosystem."""
import random

import pytest
import semver
from hypothesis import example, given, settings
from hypothesis import strategies as st
from univers import debian

from patrol.advisories import versioning
from patrol.advisories.versioning import (
    InvalidVersion,
    UnsupportedEcosystem,
    base_ecosystem,
    semver_key,
    sort_key,
)


def sorted_in(ecosystem: str, texts: list[str]) -> list[str]:
    shuffled = random.Random(3).sample(texts, len(texts))
    return sorted(shuffled, key=lambda text: sort_key(ecosystem, text))


@pytest.mark.parametrize(
    ("ecosystem", "base"),
    [
        ("Debian:12", "Debian"),
        ("Debian", "Debian"),
        ("npm", "npm"),
        ("Packagist:https://packages.drupal.org/8", "Packagist"),
    ],
)
def test_base_ecosystem(ecosystem, base):
    assert base_ecosystem(ecosystem) == base


@pytest.mark.parametrize(
    ("ecosystem", "ordered"),
    [
        # SemVer 2.0 section 11's own example, plus numeric minor order.
        (
            "npm",
            [
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.9.0",
                "1.10.0",
            ],
        ),
        ("PyPI", ["1.0.dev0", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.post1", "1.1", "1!0.1"]),
        ("Debian", ["1.0~rc1", "1.0-0~", "1.0", "1.0-1", "1.0-1+deb7u1", "1.0-2", "1.0.1", "1:0.1"]),
        (
            "Debian:7",
            ["1.2.1-2.2", "1.2.1-2.2+wheezy2", "1.2.1-2.2+wheezy3", "1.2.1-2.2+wheezy10", "1.2.1-3"],
        ),
        ("Packagist", ["dev-master", "v1.8.3", "1.8.4-RC1", "1.8.4", "1.8.4-p1", "2.0.0"]),
    ],
)
def test_versions_sort_in_ecosystem_order(ecosystem, ordered):
    assert sorted_in(ecosystem, ordered) == ordered


@pytest.mark.parametrize(
    ("ecosystem", "left", "right"),
    [
        ("npm", "1.0.0+build.1", "1.0.0"),
        ("npm", "v1.2.3", "1.2.3"),
        ("PyPI", "1.0", "1.0.0"),
        ("Debian", "1.0", "1.0-0"),
        ("Debian", "0:1.0", "1.0"),
        ("Packagist", "v2.1", "2.1.0"),
    ],
)
def test_equal_versions_have_equal_keys(ecosystem, left, right):
    assert sort_key(ecosystem, left) == sort_key(ecosystem, right)


@pytest.mark.parametrize(
    ("ecosystem", "text"),
    [
        ("npm", "1.2"),
        ("npm", "1.2.3-beta.02"),
        ("npm", "latest"),
        ("PyPI", "not a version"),
        ("PyPI", "no-digits"),
        ("Debian", "abc"),
        ("Debian", ""),
        ("Packagist", "latest"),
    ],
)
def test_unreadable_versions_raise_invalid_version(ecosystem, text):
    with pytest.raises(InvalidVersion):
        sort_key(ecosystem, text)


def test_invalid_version_is_a_value_error():
    with pytest.raises(ValueError):
        semver_key("1")


@pytest.mark.parametrize("ecosystem", ["Hex", "Pub", "debian", "go", ""])
def test_unknown_ecosystems_raise(ecosystem):
    with pytest.raises(UnsupportedEcosystem):
        sort_key(ecosystem, "1.0.0")


def test_keys_are_cached_per_string():
    assert sort_key("PyPI", "3.1.2") is sort_key("PyPI", "3.1.2")
    assert versioning.key_function("Debian:12") is versioning.key_function("Debian")


IDENTIFIER = st.sampled_from(["0", "1", "2", "10", "alpha", "beta", "rc", "a1", "0a", "-", "A"])
SEMVER = st.tuples(
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 12),
    st.one_of(st.none(), st.lists(IDENTIFIER, min_size=1, max_size=3).map(".".join)),
    st.one_of(st.none(), st.sampled_from(["build.1", "x", "001"])),
).map(lambda p: f"{p[0]}.{p[1]}.{p[2]}" + (f"-{p[3]}" if p[3] else "") + (f"+{p[4]}" if p[4] else ""))


@settings(max_examples=300)
@given(SEMVER, SEMVER)
def test_semver_key_orders_as_the_semver_library(a, b):
    expected = semver.Version.parse(a).compare(b)
    ka, kb = semver_key(a), semver_key(b)
    assert (ka > kb) - (ka < kb) == expected


DEBIAN_TEXT = st.text(alphabet="0129.+~ab", max_size=6)
DEBIAN = st.tuples(
    st.sampled_from(["", "1:", "2:"]),
    st.sampled_from(["0", "1", "2", "10"]),
    DEBIAN_TEXT,
    st.one_of(st.just(""), DEBIAN_TEXT.map(lambda revision: "-" + revision)),
).map("".join).filter(debian.Version.is_valid)


@settings(max_examples=500)
@given(DEBIAN, DEBIAN)
@example("0", "0-0~")
@example("0.5", "0-.5")
def test_debian_key_orders_as_univers(a, b):
    ka, kb = sort_key("Debian", a), sort_key("Debian", b)
    assert (ka > kb) - (ka < kb) == debian.compare_versions(a, b)
