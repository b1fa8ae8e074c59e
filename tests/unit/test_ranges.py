"""OSV `affected[]` evaluation against real records and random ranges."""
import json
from itertools import zip_longest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.advisories.ranges import compile_affected, fixed_in, is_affected
from patrol.advisories.versioning import UnsupportedEcosystem, sort_key
from tests.support.data import OSV



def entries(record: str, package: str) -> list[dict]:
    data = json.loads((OSV / record).read_text(encoding="utf-8"))
    return [a for a in data["affected"] if a["package"]["name"] == package]


def affected_by(record: str, package: str, ecosystem: str, version: str) -> bool:
    return any(is_affected(ecosystem, version, entry) for entry in entries(record, package))


def fixes(record: str, package: str, ecosystem: str, version: str) -> set[str | None]:
    return {fixed_in(ecosystem, version, entry) for entry in entries(record, package)} - {None}


def ecosystem_range(*events: dict, kind: str = "ECOSYSTEM") -> dict:
    return {"type": kind, "events": list(events)}


@pytest.mark.parametrize(
    ("record", "package", "ecosystem", "version", "expected"),
    [
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "1.8.3", True),
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "v1.8.3", True),
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "1.8.4", False),
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "1.9.0", False),
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "2.0.0-beta1", False),
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "2.1.0", True),
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "2.1.1", False),
        ("GHSA-h7vf-5wrv-9fhv.json", "symfony/http-kernel", "Packagist", "v6.1.11", True),
        ("GHSA-h7vf-5wrv-9fhv.json", "symfony/http-kernel", "Packagist", "v6.1.12", False),
        ("GHSA-p6mc-m468-83gw.json", "lodash.pick", "npm", "3.9.9", False),
        ("GHSA-p6mc-m468-83gw.json", "lodash.pick", "npm", "4.0.0", True),
        ("GHSA-p6mc-m468-83gw.json", "lodash.pick", "npm", "4.4.0", True),
        ("GHSA-p6mc-m468-83gw.json", "lodash.pick", "npm", "4.4.1", False),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "0.0.1", True),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "0.2.4", False),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "0.9.0", False),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "1.0.0", True),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "1.2.6-beta.1", True),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "1.2.6", False),
        ("GHSA-h5c8-rqwp-cp95.json", "jinja2", "PyPI", "3.1.3rc1", True),
        ("GHSA-h5c8-rqwp-cp95.json", "jinja2", "PyPI", "3.1.3", False),
        ("DSA-3029-1.json", "nginx", "Debian:7", "1.2.1-2.2", True),
        ("DSA-3029-1.json", "nginx", "Debian:7", "1.2.1-2.2+wheezy2", True),
        ("DSA-3029-1.json", "nginx", "Debian:7", "1.2.1-2.2+wheezy3", False),
        ("DSA-3029-1.json", "nginx", "Debian:7", "1.2.1-2.2+wheezy3+deb7u1", False),
        ("DSA-3029-1.json", "nginx", "Debian:7", "1:1.0", False),
    ],
)
def test_real_records(record, package, ecosystem, version, expected):
    assert affected_by(record, package, ecosystem, version) is expected


@pytest.mark.parametrize(
    ("record", "package", "ecosystem", "version", "expected"),
    [
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "1.8.3", {"1.8.4"}),
        ("GHSA-q7rv-6hp3-vh96.json", "guzzlehttp/psr7", "Packagist", "2.0.0", {"2.1.1"}),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "0.1.0", {"0.2.4"}),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "1.2.5", {"1.2.6"}),
        ("GHSA-xvch-5gv4-984h.json", "minimist", "npm", "1.2.6", set()),
        ("GHSA-p6mc-m468-83gw.json", "lodash.pick", "npm", "4.4.0", set()),
        ("DSA-3029-1.json", "nginx", "Debian:7", "1.2.1-2.2", {"1.2.1-2.2+wheezy3"}),
    ],
)
def test_fixed_in_real_records(record, package, ecosystem, version, expected):
    assert fixes(record, package, ecosystem, version) == expected


def test_pysec_versions_list_matches_and_git_range_is_ignored():
    (entry,) = entries("PYSEC-2023-74.json", "requests")
    assert is_affected("PyPI", "2.30.0", entry)
    assert not is_affected("PyPI", "2.31.0", entry)
    assert not is_affected("PyPI", "2.2.1", entry)  # the GIT range starts at "0"
    assert fixed_in("PyPI", "2.30.0", entry) == "2.31.0"
    git_only = {"ranges": [r for r in entry["ranges"] if r["type"] == "GIT"]}
    assert not is_affected("PyPI", "2.30.0", git_only)


def test_versions_list_matches_the_exact_string_only():
    listed = {"versions": ["2.3.0", "weird-build"]}
    assert is_affected("PyPI", "2.3.0", listed)
    assert not is_affected("PyPI", "2.3", listed)
    assert is_affected("PyPI", "weird-build", listed)  # unreadable, yet listed
    assert fixed_in("PyPI", "2.3.0", listed) is None


def test_an_unreadable_installed_version_matches_no_range():
    everything = {"ranges": [ecosystem_range({"introduced": "0"})]}
    assert is_affected("npm", "1.0.0", everything)
    assert not is_affected("npm", "not-a-version", everything)
    assert fixed_in("npm", "not-a-version", everything) is None


def test_an_unreadable_advisory_version_disables_only_its_range():
    entry = {
        "ranges": [
            ecosystem_range({"introduced": "0"}, {"fixed": "not-a-version"}),
            ecosystem_range({"introduced": "2.0.0"}, {"fixed": "2.1.0"}),
            ecosystem_range({"introduced": 3}, {"fixed": "4.0.0"}),
        ]
    }
    assert not is_affected("npm", "1.0.0", entry)
    assert not is_affected("npm", "3.5.0", entry)
    assert is_affected("npm", "2.0.5", entry)


def test_events_are_sorted_before_the_walk():
    shuffled = ({"fixed": "2.0.0"}, {"introduced": "1.0.0"}, {"introduced": "0"}, {"fixed": "0.5.0"})
    entry = {"ranges": [ecosystem_range(*shuffled)]}
    expected = {"0.1.0": True, "0.5.0": False, "1.0.0": True, "1.9.9": True, "2.0.0": False}
    assert {version: is_affected("npm", version, entry) for version in expected} == expected
    assert fixed_in("npm", "0.1.0", entry) == "0.5.0"
    assert fixed_in("npm", "1.5.0", entry) == "2.0.0"


def test_introduced_and_fixed_at_one_version_is_empty():
    entry = {"ranges": [ecosystem_range({"introduced": "1.0.0"}, {"fixed": "1.0.0"})]}
    assert not is_affected("npm", "1.0.0", entry)


@pytest.mark.parametrize(
    ("limit", "version", "expected"),
    [("2.0.0", "1.9.9", True), ("2.0.0", "2.0.0", False), ("*", "9.0.0", True), ("garbage", "1.0.0", False)],
)
def test_limit_events(limit, version, expected):
    entry = {"ranges": [ecosystem_range({"introduced": "1.0.0"}, {"limit": limit})]}
    assert is_affected("npm", version, entry) is expected


def test_semver_ranges_use_semver_order_in_any_ecosystem():
    # PEP 440 reads "1.0.0-beta" as 1.0.0b0; SemVer ranks it below "1.0.0-rc.1" as well.
    semver_range = ecosystem_range({"introduced": "1.0.0-alpha"}, {"fixed": "1.0.0-rc.1"}, kind="SEMVER")
    entry = {"ranges": [semver_range]}
    assert is_affected("PyPI", "1.0.0-beta", entry)
    assert not is_affected("PyPI", "1.0.0", entry)
    assert fixed_in("PyPI", "1.0.0-beta", entry) == "1.0.0-rc.1"


def test_unsupported_ecosystem_raises():
    with pytest.raises(UnsupportedEcosystem):
        compile_affected("Hex", {"versions": ["v1.0.0"]})


def test_a_compiled_entry_is_reused_for_the_same_dict():
    entry = {"ranges": [ecosystem_range({"introduced": "0"}, {"fixed": "1.0.0"})]}
    twin = json.loads(json.dumps(entry))
    matcher = compile_affected("npm", entry)
    assert compile_affected("npm", entry) is matcher
    assert compile_affected("npm", twin) is not matcher
    assert compile_affected("npm", twin).matches("0.9.0") and matcher.matches("0.9.0")


NUMBER = st.sampled_from(["0", "1", "2", "10"])
VERSIONS = {
    "npm": st.tuples(NUMBER, NUMBER, NUMBER, st.sampled_from(["", "-alpha", "-beta.2", "-rc.1"])).map(
        lambda p: f"{p[0]}.{p[1]}.{p[2]}{p[3]}"
    ),
    "PyPI": st.tuples(NUMBER, NUMBER, st.sampled_from(["", "a1", "b2", "rc1", ".post1", ".dev0"])).map(
        lambda p: f"{p[0]}.{p[1]}{p[2]}"
    ),
    "Packagist": st.tuples(
        st.sampled_from(["", "v"]), NUMBER, NUMBER, st.sampled_from(["", "-beta2", "-RC1", "-p1", "-dev"])
    ).map("{0[0]}{0[1]}.{0[2]}{0[3]}".format),
    "Debian:12": st.tuples(
        st.sampled_from(["", "1:"]), NUMBER, NUMBER, st.sampled_from(["", "~rc1", "-1", "-1+deb12u1", "-2"])
    ).map("".join),
}


def distinct_sorted(texts: list[str], key) -> list[str]:
    """Sorted, keeping one string per version (1.0 and 1.0.0 are one PyPI version)."""
    kept: list[str] = []
    for text in sorted(texts, key=key):
        if not kept or key(kept[-1]) < key(text):
            kept.append(text)
    return kept


@settings(max_examples=400)
@given(st.data(), st.sampled_from(sorted(VERSIONS)))
def test_ranges_agree_with_an_interval_check(data, ecosystem):
    strategy = VERSIONS[ecosystem]
    key = lambda text: sort_key(ecosystem, text)  # noqa: E731
    pool = distinct_sorted(data.draw(st.lists(strategy, max_size=7)), key)
    chosen = data.draw(st.sets(st.integers(0, max(len(pool) - 1, 0)), max_size=len(pool)), label="edges")
    edges = [pool[i] for i in sorted(chosen)]
    if data.draw(st.booleans(), label="from the start"):
        edges = [None, *edges]
    intervals = list(zip_longest(edges[0::2], edges[1::2]))
    closer = data.draw(st.sampled_from(["fixed", "last_affected"]))
    per_interval = [
        [{"introduced": low or "0"}, *([{closer: high}] if high else [])] for low, high in intervals
    ]
    if data.draw(st.booleans(), label="one range per interval"):
        groups = per_interval
    else:
        groups = [[event for events in per_interval for event in events]]
    entry = {"ranges": [ecosystem_range(*data.draw(st.permutations(events))) for events in groups]}
    probe = data.draw(strategy, label="installed version")

    def inside(low, high) -> bool:
        above = low is None or key(probe) >= key(low)
        below = high is None or (key(probe) < key(high) if closer == "fixed" else key(probe) <= key(high))
        return above and below

    containing = [(low, high) for low, high in intervals if inside(low, high)]
    assert is_affected(ecosystem, probe, entry) is bool(containing)
    expected_fix = containing[0][1] if containing and closer == "fixed" else None
    assert fixed_in(ecosystem, probe, entry) == expected_fix



def test_a_matcher_remembers_its_verdicts_and_stays_right_past_what_it_remembers():
    """A scan asks the same entry about the same versions at every rescan; the
    remembered answer must be the computed one, also once the memory was cleared."""
    from patrol.advisories.ranges import compile_fresh

    matcher = compile_fresh("npm", {"versions": ["0.9.9-listed"], "ranges": [ecosystem_range(
        {"introduced": "1.0.0"}, {"fixed": "1.5.0"}, {"introduced": "2.0.0"}, {"fixed": "2.3.1"})]})
    versions = [f"{major}.{minor}.{patch}" for major in range(4) for minor in range(10) for patch in range(10)]
    for _ in range(2):  # 400 versions: more than a matcher remembers, so the second round recomputes some
        for version in [*versions, "0.9.9-listed", "not a version"]:
            assert matcher.verdict(version) == (matcher.matches(version), matcher.fixed_in(version))
    assert matcher.verdict("1.2.0") == (True, "1.5.0")
    assert matcher.verdict("2.3.1") == (False, None)
    assert matcher.verdict("0.9.9-listed") == (True, None)
