"""Real OSV records of the newer ecosystems (tests/data/ecosystems/osv/),
evaluated at versions on both sides of each of their boundaries."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from patrol.advisories import records
from patrol.advisories.ranges import compile_affected
from patrol.scanning.matcher import alias_groups

RECORDS = Path(__file__).resolve().parents[1] / "data" / "ecosystems" / "osv"

# (record file, package, version, affected) — an ecosystem's own spelling of each side.
BOUNDARIES = [
    ("RubyGems/GHSA-wq4h-7r42-5hrr", "rack", "2.0.9", True),
    ("RubyGems/GHSA-wq4h-7r42-5hrr", "rack", "2.0.9.1", False),
    ("RubyGems/GHSA-wq4h-7r42-5hrr", "rack", "2.1.0", True),  # 2.1 == 2.1.0: introduced
    ("RubyGems/GHSA-wq4h-7r42-5hrr", "rack", "2.1.4", True),
    ("RubyGems/GHSA-wq4h-7r42-5hrr", "rack", "2.1.4.1", False),
    ("RubyGems/GHSA-wq4h-7r42-5hrr", "rack", "2.2.3", True),
    ("RubyGems/GHSA-wq4h-7r42-5hrr", "rack", "2.2.3.1", False),
    ("RubyGems/GHSA-crjr-9rc5-ghw8", "nokogiri", "1.13.3-x86_64-linux", True),
    ("RubyGems/GHSA-crjr-9rc5-ghw8", "nokogiri", "1.13.4-x86_64-linux", False),
    ("RubyGems/GHSA-crjr-9rc5-ghw8", "nokogiri", "1.13.4.rc1", True),
    ("RubyGems/GHSA-cr5j-953j-xw5p", "nokogiri", "1.10.3", True),
    ("RubyGems/GHSA-cr5j-953j-xw5p", "nokogiri", "1.10.4", False),
    ("RubyGems/GHSA-cr5j-953j-xw5p", "rexical", "1.0.6", True),
    ("RubyGems/GHSA-cr5j-953j-xw5p", "rexical", "1.0.7", False),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.12.1", True),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.12.2", False),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.12.4", False),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.13.0", True),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.13.0-rc1", False),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.14.1", True),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.16.0-rc1", True),
    ("Maven/GHSA-7rjr-3q55-vv33", "org.apache.logging.log4j:log4j-core", "2.16.0", False),
    ("Maven/GHSA-57j2-w4cx-62h2", "com.fasterxml.jackson.core:jackson-databind", "2.12.6", True),
    ("Maven/GHSA-57j2-w4cx-62h2", "com.fasterxml.jackson.core:jackson-databind", "2.12.6.1", False),
    ("Maven/GHSA-57j2-w4cx-62h2", "com.fasterxml.jackson.core:jackson-databind", "2.12.7", False),
    ("Maven/GHSA-57j2-w4cx-62h2", "com.fasterxml.jackson.core:jackson-databind", "2.13.2", True),
    ("Maven/GHSA-57j2-w4cx-62h2", "com.fasterxml.jackson.core:jackson-databind", "2.13.2.1", False),
    ("Maven/GHSA-57j2-w4cx-62h2", "com.fasterxml.jackson.core:jackson-databind", "2.9.10", True),
    ("NuGet/GHSA-5crp-9r3c-p9vr", "newtonsoft.json", "12.0.3", True),
    ("NuGet/GHSA-5crp-9r3c-p9vr", "newtonsoft.json", "13.0.1-beta1", True),
    ("NuGet/GHSA-5crp-9r3c-p9vr", "newtonsoft.json", "13.0.1", False),
    ("NuGet/GHSA-5crp-9r3c-p9vr", "newtonsoft.json", "13.0.1.0", False),
    ("Go/GO-2023-1988", "golang.org/x/net", "v0.12.0", True),
    ("Go/GO-2023-1988", "golang.org/x/net", "0.12.0", True),
    ("Go/GO-2023-1988", "golang.org/x/net", "v0.13.0", False),
    ("Go/GO-2023-1988", "golang.org/x/net", "v0.13.0-rc.1", True),
    ("Go/GO-2023-2402", "golang.org/x/crypto", "v0.0.0-20220722155217-630584e8d5aa", True),
    ("Go/GO-2023-2402", "golang.org/x/crypto", "v0.16.0", True),
    ("Go/GO-2023-2402", "golang.org/x/crypto", "v0.17.0", False),
    ("Go/GO-2023-2402", "golang.org/x/crypto", "v0.17.1-0.20240101000000-abcdef123456", False),
    ("Go/GO-2022-1059", "golang.org/x/text", "v0.3.7", True),
    ("Go/GO-2022-1059", "golang.org/x/text", "v0.3.8-0.20220101000000-abcdef123456", True),
    ("Go/GO-2022-1059", "golang.org/x/text", "v0.3.8", False),
    ("Go/GO-2022-1059", "golang.org/x/text", "v0.3.8+incompatible", False),
    ("crates.io/RUSTSEC-2019-0009", "smallvec", "0.6.4", False),
    ("crates.io/RUSTSEC-2019-0009", "smallvec", "0.6.5", True),
    ("crates.io/RUSTSEC-2019-0009", "smallvec", "0.6.9", True),
    ("crates.io/RUSTSEC-2019-0009", "smallvec", "0.6.10", False),
    ("crates.io/RUSTSEC-2018-0003", "smallvec", "0.3.1", False),
    ("crates.io/RUSTSEC-2018-0003", "smallvec", "0.3.2", True),
    ("crates.io/RUSTSEC-2018-0003", "smallvec", "0.3.4", False),
    ("crates.io/RUSTSEC-2018-0003", "smallvec", "0.4.0-alpha", True),
    ("crates.io/RUSTSEC-2018-0003", "smallvec", "0.6.2", True),
    ("crates.io/RUSTSEC-2018-0003", "smallvec", "0.6.3", False),
    ("crates.io/RUSTSEC-2019-0035", "rand_core", "0.0.1", True),
    ("crates.io/RUSTSEC-2019-0035", "rand_core", "0.3.1", False),
    ("crates.io/RUSTSEC-2019-0035", "rand_core", "0.4.0", True),
    ("crates.io/RUSTSEC-2019-0035", "rand_core", "0.4.1", True),
    ("crates.io/RUSTSEC-2019-0035", "rand_core", "0.4.2", False),
    ("Ubuntu/USN-3863-1", "apt", "1.6~rc1", True),
    ("Ubuntu/USN-3863-1", "apt", "1.6.3ubuntu0.1", True),
    ("Ubuntu/USN-3863-1", "apt", "1.6.6ubuntu0.1", False),
    ("Ubuntu/USN-4142-1", "e2fsprogs", "1.44.1-1ubuntu1.1", True),
    ("Ubuntu/USN-4142-1", "e2fsprogs", "1.44.1-1ubuntu1.2", False),
    ("AlmaLinux/ALSA-2023_0340", "bash", "5.1.8-4.el9", True),
    ("AlmaLinux/ALSA-2023_0340", "bash", "5.1.8-6.el9_1", False),
    ("AlmaLinux/ALSA-2023_5453", "glibc", "2.34-60.el9", True),
    ("AlmaLinux/ALSA-2023_5453", "glibc-common", "2.34-28.el9_0", True),
    ("AlmaLinux/ALSA-2023_5453", "glibc", "2.34-60.el9_2.7", False),
    ("AlmaLinux/ALSA-2025_1346", "libgcc", "11.3.1-2.1.el9", True),
    ("AlmaLinux/ALSA-2025_1346", "libgcc", "11.5.0-5.el9_5", True),
    ("AlmaLinux/ALSA-2025_1346", "libgcc", "11.5.0-5.el9_5.alma.1", False),
    ("Alpine/CVE-2022-27449", "mariadb", "10.6.7-r0", True),
    ("Alpine/CVE-2022-27449", "mariadb", "10.6.8_rc1-r0", True),
    ("Alpine/CVE-2022-27449", "mariadb", "10.6.8-r0", False),
    ("Alpine/CVE-2022-27449", "mariadb", "10.4.24-r1", True),
]


def record(stem: str) -> records.Record:
    return records.parse(json.loads((RECORDS / f"{stem}.json").read_text()))


@pytest.mark.parametrize(("stem", "package", "version", "affected"), BOUNDARIES)
def test_record_boundaries(stem, package, version, affected):
    entries = [p for p in record(stem).packages if p.name == package]
    assert entries, f"{stem} names {package}"
    found = any(compile_affected(p.ecosystem_full, p.affected).matches(version) for p in entries)
    assert found is affected


@pytest.mark.parametrize(
    ("stem", "ecosystem_full", "version", "affected"),
    [
        ("Alpine/CVE-2022-27449", "Alpine:v3.16", "10.6.7-r0", True),
        ("Alpine/CVE-2022-27449", "Alpine:v3.12", "10.4.25-r0", False),
        ("Alpine/CVE-2022-27449", "Alpine:v3.12", "10.4.24-r1", True),
        ("Ubuntu/USN-3863-1", "Ubuntu:18.04:LTS", "1.6.5", True),
        ("Ubuntu/USN-3863-1", "Ubuntu:16.04:LTS", "1.2.29ubuntu0.1", False),
    ],
)
def test_each_release_entry_has_its_own_fix(stem, ecosystem_full, version, affected):
    [entry] = [p for p in record(stem).packages if p.ecosystem_full == ecosystem_full]
    assert compile_affected(entry.ecosystem_full, entry.affected).matches(version) is affected


def test_every_record_is_kept_with_its_packages():
    for path in RECORDS.glob("*/*.json"):
        parsed = records.parse(json.loads(path.read_text()))
        assert parsed.packages, path.name


def test_go_rustsec_and_ghsa_ids_of_one_flaw_group_together():
    # GO- and RUSTSEC- records alias the GHSA id; the GHSA record names only its CVE.
    go, ghsa, rustsec = record("Go/GO-2022-1059"), "GHSA-69ch-w2m2-3vjp", record("crates.io/RUSTSEC-2019-0035")
    names = [{go.osv_id, *go.aliases}, {ghsa, "CVE-2022-32149"}, {rustsec.osv_id, *rustsec.aliases},
             {"GHSA-mmc9-pwm7-qj5w"}, {"OTHER-1"}]
    groups = alias_groups(names)
    assert groups[0] == groups[1] and groups[2] == groups[3]
    assert len(set(groups)) == 3


def test_a_chain_of_aliases_is_one_group():
    groups = alias_groups([{"A"}, {"C"}, {"A", "B"}, {"B", "C"}])
    assert len(set(groups)) == 1
