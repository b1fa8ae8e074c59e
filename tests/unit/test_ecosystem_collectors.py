"""Collectors of the ecosystems beyond PHP, npm, PyPI and Debian: every field decision,
detection by name and content, --format, size refusal and skipped reasons."""

import json
import shutil
from pathlib import Path

import pytest

from patrol.collectors import (
    FileTooLarge,
    MalformedFile,
    UnknownDistribution,
    UnsupportedFile,
    apk,
    cargo,
    collect,
    dpkg,
    dpkg_status,
    golang,
    gradle,
    host,
    maven,
    nuget,
    os_release,
    pipfile,
    pnpm,
    reading,
    requirements,
    rpm,
    rubygems,
    sbom,
    yarn,
)

DATA = Path(__file__).parents[1] / "data" / "ecosystems"
INV, OWN, SBOMS = DATA / "inventories", DATA / "own", DATA / "sbom"
LOC = "/srv/app/lockfile"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def pairs(items: list[dict]) -> list[tuple[str, str]]:
    return [(item["n"], item.get("v")) for item in items]


def whys(skipped) -> list[str]:
    return [skip.why for skip in skipped]


# RubyGems


def test_gemfile_lock_reads_four_space_specs_of_gem_sections_only():
    items = rubygems.parse(text(INV / "rubygems" / "Gemfile.lock"), LOC)
    assert len(items) == 140
    assert ("nokogiri", "1.10.5") in pairs(items) and ("rack", "2.2.3") in pairs(items)
    assert {item["e"] for item in items} == {"RubyGems"}
    assert "actionpack" in {item["n"] for item in items}  # also a six-space requirement: read once


def test_gemfile_lock_keeps_platform_suffix_and_four_parts_and_skips_git_gems():
    lock = (
        "GIT\n  remote: https://github.com/acme/tool.git\n  revision: abc\n  specs:\n    tool (0.1.0)\n\n"
        "PATH\n  remote: .\n  specs:\n    myapp (1.0.0)\n\n"
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.16.5-x86_64-linux)\n"
        "      racc (~> 1.4)\n    rack (2.2.3.1)\n\nPLATFORMS\n  x86_64-linux\n"
    )
    skipped = []
    assert pairs(rubygems.parse(lock, LOC, skipped)) == [("nokogiri", "1.16.5-x86_64-linux"), ("rack", "2.2.3.1")]
    assert [(s.what, s.why) for s in skipped] == [("tool (0.1.0)", "a gem from a git repository, not a RubyGems release")]


# Go


def test_go_mod_keeps_the_v_and_reads_both_require_blocks():
    items = golang.parse_mod(text(INV / "go" / "go.mod"), LOC)
    assert len(items) == 43
    assert ("golang.org/x/net", "v0.9.0") in pairs(items) and ("golang.org/x/crypto", "v0.6.0") in pairs(items)
    assert {item["e"] for item in items} == {"Go"}


def test_go_mod_applies_replace_directives_and_skips_local_replacements():
    mod = (
        "module example.com/app\n\ngo 1.21\n\nrequire golang.org/x/net v0.9.0 // indirect\n"
        "require (\n\texample.com/lib v1.0.0\n\tgithub.com/a/b v1.2.3+incompatible\n)\n"
        "replace golang.org/x/net => golang.org/x/net v0.17.0\nreplace example.com/lib => ../lib\n"
    )
    skipped = []
    assert pairs(golang.parse_mod(mod, LOC, skipped)) == [
        ("golang.org/x/net", "v0.17.0"), ("github.com/a/b", "v1.2.3+incompatible")]
    assert whys(skipped) == ["replaced by the local folder ../lib"]


def test_go_sum_reads_modules_whose_code_is_hashed():
    items = golang.parse_sum(text(INV / "go" / "go.sum"), LOC)
    assert ("golang.org/x/net", "v0.9.0") in pairs(items)
    assert all(not item["v"].endswith("/go.mod") for item in items)
    with pytest.raises(MalformedFile, match="line 1"):
        golang.parse_sum("not a go.sum line\n", LOC)


def test_go_version_m_reads_deps_replacements_and_the_go_release_per_binary():
    skipped = []
    items = golang.parse_build_info(text(OWN / "go-version-m.txt"), LOC, skipped)
    assert [(i["n"], i["v"], i["l"]) for i in items] == [
        ("stdlib", "v1.21.4", "/usr/local/bin/shop"),
        ("golang.org/x/crypto", "v0.6.0", "/usr/local/bin/shop"),
        ("golang.org/x/net", "v0.10.0", "/usr/local/bin/shop"),
        ("golang.org/x/text", "v0.3.7", "/usr/local/bin/tool"),
    ]
    assert [(s.what, s.why) for s in skipped] == [
        ("example.com/internal", "replaced by the local folder ../internal"),
        ("the Go toolchain devel go1.22-abcdef", "not a released Go version"),
    ]


# crates.io


def test_cargo_lock_reads_registry_crates_twice_versioned_and_skips_the_workspace():
    items = cargo.parse(text(INV / "cargo" / "Cargo.lock"), LOC)
    assert len(items) == 73
    assert {("rand_core", "0.3.1"), ("rand_core", "0.4.0"), ("smallvec", "0.6.9")} <= set(pairs(items))
    assert {item["e"] for item in items} == {"crates.io"}


def test_cargo_lock_reports_git_crates_as_skipped():
    lock = (
        '[[package]]\nname = "app"\nversion = "0.1.0"\n\n'
        '[[package]]\nname = "serde"\nversion = "1.0.0"\nsource = "sparse+https://index.crates.io/"\n\n'
        '[[package]]\nname = "fork"\nversion = "0.2.0"\nsource = "git+https://github.com/a/fork#abc"\n'
    )
    skipped = []
    assert pairs(cargo.parse(lock, LOC, skipped)) == [("serde", "1.0.0")]
    assert [(s.what, s.why) for s in skipped] == [("fork 0.2.0", "not from crates.io (git+https://github.com/a/fork)")]


# Maven


def test_pom_resolves_property_versions_and_names_group_colon_artifact():
    items = maven.parse_pom(text(INV / "maven" / "pom.xml"), LOC)
    assert pairs(items) == [
        ("javax.servlet:javax.servlet-api", "4.0.1"),
        ("org.junit.jupiter:junit-jupiter-api", "5.7.1"),
        ("org.junit.jupiter:junit-jupiter-engine", "5.7.1"),
        ("org.apache.logging.log4j:log4j-core", "2.14.1"),
        ("org.apache.logging.log4j:log4j-api", "2.14.1"),
    ]


def test_pom_skips_what_it_cannot_tell_with_a_reason():
    pom = """<project><version>2.0</version><properties><a>${b}</a><b>1.5</b></properties>
      <dependencies>
        <dependency><groupId>g</groupId><artifactId>chained</artifactId><version>${a}</version></dependency>
        <dependency><groupId>g</groupId><artifactId>own</artifactId><version>${project.version}</version></dependency>
        <dependency><groupId>g</groupId><artifactId>unknown</artifactId><version>${nope}</version></dependency>
        <dependency><groupId>g</groupId><artifactId>managed</artifactId></dependency>
        <dependency><groupId>g</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version></dependency>
      </dependencies>
      <dependencyManagement><dependencies>
        <dependency><groupId>g</groupId><artifactId>bom</artifactId><version>5.2.20.RELEASE</version></dependency>
      </dependencies></dependencyManagement></project>"""
    skipped = []
    assert pairs(maven.parse_pom(pom, LOC, skipped)) == [("g:chained", "1.5"), ("g:own", "2.0"), ("g:bom", "5.2.20.RELEASE")]
    assert [(s.what, s.why) for s in skipped] == [
        ("g:unknown", "the version ${nope} refers to a property this pom does not define"),
        ("g:managed", "no version in this pom (it comes from a parent pom or a BOM)"),
        ("g:ranged", "the version [1.0,2.0) is a range, not one release"),
    ]


@pytest.mark.parametrize("pom", ["<project><dependencies>", "<settings/>"])
def test_pom_refuses_what_is_not_a_pom(pom):
    with pytest.raises(MalformedFile, match=LOC):
        maven.parse_pom(pom, LOC)


def test_gradle_lockfile_reads_locked_artifacts_not_empty_configurations():
    assert pairs(gradle.parse(text(OWN / "gradle.lockfile"), LOC)) == [
        ("com.fasterxml.jackson.core:jackson-databind", "2.12.6"),
        ("org.apache.logging.log4j:log4j-core", "2.14.1"),
        ("org.springframework:spring-core", "5.2.20.RELEASE"),
    ]
    with pytest.raises(MalformedFile, match="line 1"):
        gradle.parse("just-a-name=runtimeClasspath\n", LOC)


def test_mvn_dependency_list_reads_artifacts_with_and_without_classifier():
    assert pairs(maven.parse_dependency_list(text(OWN / "mvn-dependency-list.txt"), LOC)) == [
        ("org.apache.logging.log4j:log4j-core", "2.14.1"),
        ("org.apache.logging.log4j:log4j-api", "2.14.1"),
        ("com.fasterxml.jackson.core:jackson-databind", "2.13.2"),
        ("org.junit.jupiter:junit-jupiter-api", "5.7.1"),
    ]


# NuGet


def test_nuget_lock_reads_each_release_once_across_frameworks_and_cases():
    lock = json.loads(text(INV / "nuget" / "packages.lock.json"))
    frameworks = lock["dependencies"]
    first = next(iter(frameworks.values()))
    frameworks["net6.0"] = {name.upper(): entry for name, entry in first.items()}
    frameworks["net6.0"]["MyLib"] = {"type": "Project"}
    items = nuget.parse(json.dumps(lock), LOC)
    assert len(items) == 8 and ("Newtonsoft.Json", "12.0.3") in pairs(items)
    assert {item["e"] for item in items} == {"NuGet"}


# npm: yarn and pnpm


def test_yarn_v1_names_packages_by_their_first_specifier_and_real_alias_name():
    assert pairs(yarn.parse(text(OWN / "yarn-v1.lock"), LOC)) == [
        ("@babel/code-frame", "7.18.6"), ("lodash", "4.17.15"), ("lodash", "4.17.4")]


def test_yarn_berry_reads_npm_and_patched_releases_and_skips_git():
    skipped = []
    items = yarn.parse(text(OWN / "yarn-berry.lock"), LOC, skipped)
    assert pairs(items) == [("@types/node", "18.11.9"), ("lodash", "4.17.15"), ("resolve", "1.22.1")]
    assert [(s.what, s.why) for s in skipped] == [("left-pad 1.3.0", "installed from https:, not the npm registry")]


@pytest.mark.parametrize("name", ["pnpm-lock.yaml", "pnpm-lock-v5.yaml"])
def test_pnpm_reads_package_keys_of_v5_and_v9_without_peer_suffixes(name):
    skipped = []
    items = pnpm.parse(text(OWN / name), LOC, skipped)
    assert {"lodash": "4.17.15"}.items() <= {i["n"]: i["v"] for i in items}.items()
    assert all("(" not in i["v"] and "_" not in i["v"] for i in items)
    assert {item["e"] for item in items} == {"npm"}


def test_pnpm_v9_skips_a_tarball_package():
    skipped = []
    assert pairs(pnpm.parse(text(OWN / "pnpm-lock.yaml"), LOC, skipped)) == [
        ("@babel/code-frame", "7.18.6"), ("lodash", "4.17.15"), ("react-dom", "18.2.0")]
    assert whys(skipped) == ["not an npm registry release"]


# PyPI: Pipfile.lock and requirements skips


def test_pipfile_lock_reads_default_and_develop_pins_and_skips_git():
    skipped = []
    items = pipfile.parse(text(OWN / "Pipfile.lock"), LOC, skipped)
    assert pairs(items) == [("jinja2", "3.1.2"), ("requests", "2.28.1"), ("pytest", "7.4.0")]
    assert [(s.what, s.why) for s in skipped] == [("acme-tools", "installed from a git, not a PyPI release")]


def test_requirements_report_unpinned_lines_and_missing_includes(tmp_path):
    (tmp_path / "base.txt").write_text("idna==3.4\n-r requirements.txt\n")
    main = tmp_path / "requirements.txt"
    main.write_text("-r base.txt\n-r missing.txt\nflask>=3\nrequests==2.28.1\n./local/pkg\n"
                    "-e git+https://github.com/a/b.git#egg=b\n--index-url https://pypi.org/simple\n")
    skipped = []
    items = requirements.parse(main.read_text(), str(main), skipped)
    assert [(i["n"], i["l"]) for i in items] == [("idna", str(tmp_path / "base.txt")), ("requests", str(main))]
    assert [s.what for s in skipped] == ["-r missing.txt", "flask>=3", "./local/pkg",
                                         "-e git+https://github.com/a/b.git#egg=b"]
    assert "cannot be read" in skipped[0].why and "not pinned" in skipped[1].why


# OS inventories


def test_dpkg_status_reads_installed_stanzas_with_their_source_packages():
    items = dpkg_status.parse(text(INV / "ubuntu" / "status"), text(OWN / "os-release-ubuntu-18.04"))
    assert len(items) == 90
    by_name = {item["n"]: item for item in items}
    assert "git" not in by_name  # deinstall ok config-files
    assert by_name["libext2fs2"] == {"n": "libext2fs2", "v": "1.44.1-1", "l": "/", "e": "Ubuntu:18.04:LTS",
                                     "s": "e2fsprogs", "sv": "1.44.1-1"}
    assert (by_name["liblzma5"]["s"], by_name["liblzma5"]["sv"]) == ("xz-utils", "5.1.1alpha+20120614-2")
    assert by_name["apt"]["s"] == "apt"


def test_dpkg_status_refuses_lines_that_are_not_fields():
    with pytest.raises(MalformedFile, match="line 2"):
        dpkg_status.parse("Package: a\nthis is not a field\n")


def test_dpkg_query_on_ubuntu_gives_the_ubuntu_release():
    items = dpkg.parse(text(OWN / "dpkg-ubuntu.txt"), text(OWN / "os-release-ubuntu-22.04"))
    assert [(i["n"], i["e"], i["s"], i["sv"]) for i in items] == [
        ("libssl3", "Ubuntu:22.04:LTS", "openssl", "3.0.2-0ubuntu1.10"),
        ("libc6", "Ubuntu:22.04:LTS", "glibc", "2.35-0ubuntu3.1"),
        ("libfoo1", "Ubuntu:22.04:LTS", "foo", "1.2-1"),
    ]


def test_apk_reads_packages_with_their_origin_and_the_alpine_release():
    items = apk.parse(text(INV / "alpine" / "installed"), text(INV / "alpine" / "os-release"))
    assert len(items) == 15
    libcrypto = next(item for item in items if item["n"] == "libcrypto3")
    assert libcrypto == {"n": "libcrypto3", "v": "3.1.0-r4", "l": "/", "e": "Alpine:v3.18",
                         "s": "openssl", "sv": "3.1.0-r4"}


def test_apk_without_version_gives_nothing_and_bad_lines_are_refused():
    assert apk.parse("P:virtual\no:virtual\n") == []
    with pytest.raises(MalformedFile, match="line 2"):
        apk.parse("P:a\nnot a key value line\n")


def test_rpm_reads_binary_names_epoch_release_and_source_rpm():
    items = rpm.parse(text(INV / "almalinux" / "rpm-qa.txt"), text(INV / "almalinux" / "os-release"))
    assert len(items) == 22
    libgcc = next(item for item in items if item["n"] == "libgcc")
    assert libgcc == {"n": "libgcc", "v": "11.2.1-9.4.el9.alma", "l": "/", "e": "AlmaLinux:9",
                      "s": "gcc", "sv": "11.2.1-9.4.el9.alma"}


def test_rpm_keeps_the_epoch_and_skips_gpg_pubkey_on_rocky():
    items = rpm.parse(text(OWN / "rpm-rocky.txt"), text(OWN / "os-release-rocky-9"))
    assert [(i["n"], i["v"], i["e"], i["sv"]) for i in items] == [
        ("openssl-libs", "1:3.0.7-24.el9", "Rocky Linux:9", "1:3.0.7-24.el9"),
        ("bash", "5.1.8-6.el9_1", "Rocky Linux:9", "5.1.8-6.el9_1"),
    ]
    with pytest.raises(MalformedFile, match="line 1"):
        rpm.parse("bash\t5.1.8\n", text(OWN / "os-release-rocky-9"))


@pytest.mark.parametrize(
    ("release", "manager", "ecosystem"),
    [
        ("os-release-rhel-9", "rpm", "Red Hat:enterprise_linux:9"),
        ("os-release-rocky-9", "rpm", "Rocky Linux:9"),
        ("os-release-ubuntu-22.04", "dpkg", "Ubuntu:22.04:LTS"),
        ("os-release-ubuntu-22.04", "apk", "Alpine"),
    ],
)
def test_os_release_names_the_ecosystem_as_osv_does(release, manager, ecosystem):
    assert os_release.ecosystem(text(OWN / release), manager) == ecosystem


def test_rpm_on_an_unknown_distribution_is_a_clear_error():
    with pytest.raises(UnknownDistribution, match="--os-release"):
        rpm.parse(text(OWN / "rpm-rocky.txt"), 'ID=fedora\nVERSION_ID=39\nPRETTY_NAME="Fedora Linux 39"\n')


def test_host_rpm_and_apk_read_the_hosts_lists(tmp_path):
    script = tmp_path / "rpm"
    script.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path / 'args'}\ncat {OWN / 'rpm-rocky.txt'}\n")
    script.chmod(0o755)
    collected = host.rpm_packages(text(OWN / "os-release-rocky-9"), str(script))
    assert (collected.format, len(collected.items)) == ("rpm-qa", 2)
    assert (tmp_path / "args").read_text().split()[:2] == ["-qa", "--queryformat"]
    apk_db = host.apk_packages(text(INV / "alpine" / "os-release"), INV / "alpine" / "installed")
    assert (apk_db.format, len(apk_db.items)) == ("apk-installed", 15)


# SBOMs


def test_cyclonedx_reads_components_through_purls_including_nested_ones():
    skipped = []
    items = sbom.parse_cyclonedx(text(OWN / "cyclonedx-1.5.json"), LOC, skipped)
    assert [(i["n"], i["v"], i["e"]) for i in items] == [
        ("lodash", "4.17.15", "npm"), ("minimist", "1.2.5", "npm"), ("jinja2", "3.1.2", "PyPI"),
        ("golang.org/x/net", "v0.9.0", "Go"), ("Newtonsoft.Json", "12.0.3", "NuGet"),
        ("nokogiri", "1.10.5", "RubyGems"), ("smallvec", "0.6.9", "crates.io"),
        ("guzzlehttp/psr7", "1.8.3", "Packagist"),
    ]
    assert [(s.what, s.why.split(" (")[0]) for s in skipped] == [
        ("pkg:npm/unversioned", "the purl gives no version"),
        ("pkg:generic/openssl@3.0.2", "no advisory ecosystem for purl type 'generic'"),
        ("vendored-thing 2.0", "the component has no purl"),
        ("not-a-purl", "not a readable purl"),
    ]


def test_cyclonedx_fixture_names_maven_packages_group_colon_artifact():
    items = sbom.parse_cyclonedx(text(SBOMS / "dropwizard-1.3.15.cdx.json"), LOC)
    assert len(items) == 167
    assert ("com.fasterxml.jackson.core:jackson-databind", "2.9.10") in pairs(items)


def test_spdx_reads_go_purls_and_skips_rpm_generic_and_purl_less_packages():
    skipped = []
    items = sbom.parse_spdx(text(SBOMS / "golang-1.17.13-9.el8.spdx.json"), LOC, skipped)
    assert {item["e"] for item in items} == {"Go"}
    assert ("golang.org/x/text", "v0.3.7-0.20210503195748-5c7c50ebbd4f") in pairs(items)
    reasons = whys(skipped)
    assert "no advisory ecosystem for purl type 'generic'" in reasons
    assert "no advisory ecosystem for purl type 'rpm'" in reasons
    assert "the component has no purl" in reasons


@pytest.mark.parametrize(("parse", "document"), [(sbom.parse_cyclonedx, {"components": []}),
                                                 (sbom.parse_spdx, {"packages": []}),
                                                 (sbom.parse_cyclonedx, {"bomFormat": "CycloneDX", "components": {}})])
def test_sboms_of_the_wrong_kind_are_refused(parse, document):
    with pytest.raises(MalformedFile, match=LOC):
        parse(json.dumps(document), LOC)


# Detection, --format, size


DETECTED_BY_CONTENT = {
    "inventories/rubygems/Gemfile.lock": "gemfile-lock",
    "inventories/go/go.mod": "go-mod",
    "inventories/go/go.sum": "go-sum",
    "inventories/cargo/Cargo.lock": "cargo-lock",
    "inventories/maven/pom.xml": "pom",
    "inventories/nuget/packages.lock.json": "nuget-lock",
    "inventories/ubuntu/status": "dpkg-status",
    "inventories/alpine/installed": "apk-installed",
    "inventories/almalinux/rpm-qa.txt": "rpm-qa",
    "sbom/dropwizard-1.3.15.cdx.json": "cyclonedx",
    "sbom/golang-1.17.13-9.el8.spdx.json": "spdx",
    "own/yarn-v1.lock": "yarn-lock",
    "own/yarn-berry.lock": "yarn-lock",
    "own/pnpm-lock.yaml": "pnpm-lock",
    "own/pnpm-lock-v5.yaml": "pnpm-lock",
    "own/Pipfile.lock": "pipfile-lock",
    "own/gradle.lockfile": "gradle-lockfile",
    "own/mvn-dependency-list.txt": "maven-dependency-list",
    "own/go-version-m.txt": "go-version-m",
    "own/dpkg-ubuntu.txt": "dpkg-query",
}


@pytest.mark.parametrize(("relative", "format_name"), DETECTED_BY_CONTENT.items())
def test_content_tells_the_format_whatever_the_file_is_called(tmp_path, relative, format_name):
    renamed = tmp_path / "inventory.data"
    shutil.copy(DATA / relative, renamed)
    assert collect(renamed, os_release=text(INV / "almalinux" / "os-release")).format == format_name


@pytest.mark.parametrize(
    ("relative", "format_name"),
    [("inventories/rubygems/Gemfile.lock", "gemfile-lock"), ("inventories/nuget/packages.lock.json", "nuget-lock"),
     ("inventories/ubuntu/status", "dpkg-status"), ("inventories/alpine/installed", "apk-installed"),
     ("sbom/dropwizard-1.3.15.cdx.json", "cyclonedx"), ("sbom/golang-1.17.13-9.el8.spdx.json", "spdx"),
     ("own/Pipfile.lock", "pipfile-lock"), ("own/gradle.lockfile", "gradle-lockfile")],
)
def test_the_file_name_tells_the_format(relative, format_name):
    assert collect(DATA / relative, os_release=text(OWN / "os-release-ubuntu-18.04")).format == format_name


def test_format_names_the_input_outright(tmp_path):
    odd = tmp_path / "requirements-shop.txt"  # named like a requirements file, holds rpm output
    shutil.copy(OWN / "rpm-rocky.txt", odd)
    collected = collect(odd, format="rpm-qa", os_release=text(OWN / "os-release-rocky-9"))
    assert (collected.format, len(collected.items)) == ("rpm-qa", 2)
    with pytest.raises(UnsupportedFile, match="not a format"):
        collect(odd, format="gemspec")


def test_files_over_the_size_limit_are_refused_unread(tmp_path, monkeypatch):
    big = tmp_path / "Gemfile.lock"
    big.write_bytes(b"GEM\n" + b" " * 200)
    assert reading.read_text(big, limit=1000)
    with pytest.raises(FileTooLarge, match="more than the 100 bytes"):
        reading.read_text(big, limit=100)
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    with pytest.raises(FileTooLarge, match=str(big)):
        collect(big)
