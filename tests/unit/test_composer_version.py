"""Composer version order: osv.dev's PHP and Composer cases, Composer's
normalisation, and the properties of a total order."""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.advisories.versioning.composer import ComposerVersion, InvalidComposerVersion, compare
from tests.support.data import PACKAGIST_CASES as CASES

SIGN = {"<": -1, "=": 0, ">": 1}


def read_cases() -> list:
    cases = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("//"):
            left, operator, right = line.split()
            cases.append(pytest.param(left, SIGN[operator], right, id=line))
    return cases


def test_every_line_of_the_case_file_is_a_case():
    lines = CASES.read_text(encoding="utf-8").splitlines()
    assert len(read_cases()) == sum(1 for line in lines if line.strip() and not line.startswith("//")) > 60


@pytest.mark.parametrize(("left", "expected", "right"), read_cases())
def test_osv_dev_case(left, expected, right):
    assert compare(left, right) == expected
    assert compare(right, left) == -expected


def test_stabilities_sort_dev_alpha_beta_rc_release_patch():
    ordered = [
        "dev-main",
        "1.0.0-dev",
        "1.0.0-alpha1",
        "1.0.0-beta1",
        "1.0.0-beta2",
        "1.0.0-beta10",
        "1.0.0-RC1",
        "1.0.0-RC2",
        "1.0.0",
        "1.0.0-patch1",
        "1.0.0-pl2",
        "1.0.1-dev",
        "1.0.1",
        "1.10.0",
        "2.x-dev",
        "3.0.0",
    ]
    shuffled = random.Random(7).sample(ordered, len(ordered))
    assert [v.text for v in sorted(map(ComposerVersion, shuffled))] == ordered


@pytest.mark.parametrize(
    "spelling",
    ["1.0.0-beta2", "1.0.0beta2", "1.0.0-beta.2", "1.0.0-b2", "1.0.0_b.2", "v1.0.0-BETA2", "1.0-beta2"],
)
def test_spellings_of_one_version_are_equal(spelling):
    assert compare(spelling, "1.0.0.0-beta2") == 0


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("v1.2.3", "1.2.3"),
        ("1.2", "1.2.0"),
        ("1", "1.0.0.0"),
        ("1.0.0+build.7", "1.0.0"),
        ("1.0.0-a1", "1.0.0-alpha1"),
    ],
)
def test_composer_normalisation_makes_these_equal(left, right):
    assert compare(left, right) == 0


def test_padding_puts_a_patch_release_below_a_fourth_number():
    # Unpadded PHP would rank "pl" above the number 0 of 1.0.0.5.
    assert compare("1.0-pl1", "1.0.0.5") == -1


def test_branches_sort_below_every_numbered_version_and_apart_by_name():
    assert compare("dev-zzz", "0.0.0.1-dev") == -1
    assert compare("dev-master", "master") == 0
    assert compare("dev-feature-a", "dev-feature-b") == -1
    assert compare("dev-1.x", "dev-2.x") == -1


def test_a_numeric_branch_sorts_above_its_releases():
    assert compare("1.x-dev", "1.99.99") == 1
    assert compare("1.x-dev", "2.0.0-alpha1") == -1


@pytest.mark.parametrize("text", ["", "   ", "latest", "*", "dev-", "v", "1.0 beta", "^1.2", "1.0/2"])
def test_non_versions_are_rejected(text):
    with pytest.raises(InvalidComposerVersion):
        ComposerVersion(text)
    assert issubclass(InvalidComposerVersion, ValueError)


NUMBER = st.sampled_from(["0", "1", "2", "10", "01"])
RELEASE = st.lists(NUMBER, min_size=1, max_size=5).map(".".join)
SEPARATOR = st.sampled_from(["", ".", "-", "_"])
STABILITY = st.sampled_from(["", "alpha", "a", "beta", "b", "RC", "rc", "patch", "pl", "p", "dev"])
STABILITY_NUMBER = st.sampled_from(["", "1", "2", "10", ".2", "-2.1"])
NUMBERED = st.tuples(
    st.sampled_from(["", "v"]), RELEASE, SEPARATOR, STABILITY, STABILITY_NUMBER, st.sampled_from(["", "-dev"])
).map("".join)
BRANCH = st.tuples(
    st.sampled_from(["dev-", "dev-1.", "dev-feature-"]), st.sampled_from(["a", "b", "x", "2", "main"])
).map("".join)
VERSION = st.one_of(NUMBERED, BRANCH, st.sampled_from(["1.x-dev", "2.0.x-dev", "master"]))


@settings(max_examples=500)
@given(VERSION, VERSION, VERSION)
def test_compare_is_a_total_order(a, b, c):
    ab, bc, ac = compare(a, b), compare(b, c), compare(a, c)
    assert compare(b, a) == -ab
    assert compare(a, a) == 0
    if ab <= 0 and bc <= 0:
        assert ac <= 0
    if ab == 0 and bc == 0:
        assert ac == 0


@given(st.lists(VERSION, max_size=12))
def test_sorting_with_the_key_orders_every_pair(texts):
    ordered = sorted(texts, key=ComposerVersion)
    assert all(compare(x, y) <= 0 for i, x in enumerate(ordered) for y in ordered[i + 1 :])
