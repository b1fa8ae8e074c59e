"""`patrol push` as a real process, over real HTTP to a live Patrol, for every
input format; SBOM bodies through the bucket API; and the fixtures' expected
findings end to end."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from patrol.advisories import importer, sources
from patrol.scanning import workers
from tests.support.live_server import live_server  # noqa: F401 - a fixture

PATROL = str(Path(sys.executable).with_name("patrol"))
DATA = Path(__file__).parents[1] / "data" / "ecosystems"
INV, OWN, SBOMS = DATA / "inventories", DATA / "own", DATA / "sbom"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
UBUNTU_18 = OWN / "os-release-ubuntu-18.04"


@pytest.fixture
def patrol(live_server, make_account, make_server):  # the fixture above
    owner = make_account()
    server_id = make_server(owner, "web1.example.com")
    env = {**os.environ, "PATROL_URL": live_server.base_url + "/api", "PATROL_KEY": owner.key,
           "PATROL_SECRET": owner.secret}
    return Patrol(live_server.base_url + "/api", owner.auth, server_id, env)


class Patrol:
    def __init__(self, api: str, auth: tuple[str, str], server_id: int, env: dict) -> None:
        self.api, self.auth, self.server_id, self.env = api, auth, server_id, env

    def push(self, bucket: str, *args: str, exit_code: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([PATROL, "push", "--server", "web1.example.com", "--bucket", bucket, *args],
                              env=self.env, capture_output=True, text=True, timeout=60)
        assert done.returncode == exit_code, done.stderr
        assert "Traceback" not in done.stderr
        return done

    def bucket(self, key: str) -> requests.Response:
        return requests.get(f"{self.api}/servers/{self.server_id}/software_bucket/{key}", auth=self.auth,
                            timeout=10)

    def software(self) -> list[dict]:
        """The server's software, with the ecosystem each item was stored with."""
        answer = requests.get(f"{self.api}/servers/{self.server_id}/software", auth=self.auth, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]


FORMATS = [
    # (file, extra arguments, format reported, packages, ecosystems stored)
    (INV / "rubygems" / "Gemfile.lock", (), "gemfile-lock", 140, {"RubyGems"}),
    (INV / "go" / "go.mod", (), "go-mod", 43, {"Go"}),
    (INV / "cargo" / "Cargo.lock", (), "cargo-lock", 73, {"crates.io"}),
    (INV / "maven" / "pom.xml", (), "pom", 5, {"Maven"}),
    (INV / "nuget" / "packages.lock.json", (), "nuget-lock", 8, {"NuGet"}),
    (INV / "ubuntu" / "status", ("--os-release", str(UBUNTU_18)), "dpkg-status", 90, {"Ubuntu:18.04:LTS"}),
    (INV / "alpine" / "installed", ("--os-release", str(INV / "alpine" / "os-release")), "apk-installed", 15,
     {"Alpine:v3.18"}),
    (INV / "almalinux" / "rpm-qa.txt", ("--os-release", str(INV / "almalinux" / "os-release")), "rpm-qa", 22,
     {"AlmaLinux:9"}),
    (OWN / "dpkg-ubuntu.txt", ("--os-release", str(OWN / "os-release-ubuntu-22.04")), "dpkg-query", 3,
     {"Ubuntu:22.04:LTS"}),
    (OWN / "yarn-v1.lock", (), "yarn-lock", 3, {"npm"}),
    (OWN / "pnpm-lock.yaml", (), "pnpm-lock", 3, {"npm"}),
    (OWN / "Pipfile.lock", (), "pipfile-lock", 3, {"PyPI"}),
    (OWN / "gradle.lockfile", (), "gradle-lockfile", 3, {"Maven"}),
    (OWN / "mvn-dependency-list.txt", (), "maven-dependency-list", 4, {"Maven"}),
    (OWN / "go-version-m.txt", (), "go-version-m", 4, {"Go"}),
    (SBOMS / "dropwizard-1.3.15.cdx.json", (), "cyclonedx", 167, {"Maven"}),
]


@pytest.mark.parametrize(("path", "extra", "format_name", "count", "ecosystems"), FORMATS,
                         ids=[row[2] for row in FORMATS])
def test_push_reads_each_format_and_the_server_stores_its_ecosystems(patrol, path, extra, format_name, count,
                                                                     ecosystems):
    done = patrol.push("b", *extra, str(path))
    assert f"{path}: {format_name}, {count} packages" in done.stdout
    software = patrol.software()
    assert len(software) == count
    assert {entry["ecosystem"] for entry in software} == ecosystems


def test_push_sbom_option_and_format_option(patrol, tmp_path):
    odd = tmp_path / "inventory.out"
    odd.write_text((OWN / "rpm-rocky.txt").read_text())
    done = patrol.push("b", "--format", "rpm-qa", "--os-release", str(OWN / "os-release-rocky-9"), str(odd),
                       "--sbom", str(SBOMS / "golang-1.17.13-9.el8.spdx.json"))
    assert f"{odd}: rpm-qa, 2 packages" in done.stdout
    assert "spdx, 12 packages" in done.stdout
    assert "skipped pkg:generic/go@1.17.13: no advisory ecosystem for purl type 'generic'" in done.stderr
    assert {entry["ecosystem"] for entry in patrol.software()} == {"Rocky Linux:9", "Go"}
    refused = patrol.push("c", "--sbom", str(OWN / "Pipfile.lock"), exit_code=1)
    assert "not a CycloneDX or SPDX JSON document" in refused.stderr


def test_strict_turns_a_skip_into_one_line_and_exit_code_2(patrol, tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("requests==2.28.1\nflask>=3\n")
    relaxed = patrol.push("b", str(lock))
    assert "skipped flask>=3: not pinned to one version" in relaxed.stderr
    assert [entry["name"] for entry in patrol.software()] == ["requests"]
    strict = patrol.push("c", "--strict", str(lock), exit_code=2)
    assert strict.stderr.splitlines()[-1].startswith("Error: 1 entries skipped (--strict); the first: ")
    assert patrol.bucket("c").status_code == 404


def test_unknown_content_and_rpm_without_a_distribution_are_clear_errors(patrol, tmp_path):
    notes = tmp_path / "notes.data"
    notes.write_text("nothing to see\n")
    assert "--format" in patrol.push("b", str(notes), exit_code=1).stderr
    fedora = tmp_path / "os-release"
    fedora.write_text("ID=fedora\nVERSION_ID=39\n")
    failed = patrol.push("b", "--os-release", str(fedora), str(OWN / "rpm-rocky.txt"), exit_code=1)
    assert "not an RPM distribution Patrol knows" in failed.stderr


@pytest.mark.parametrize(("content_type", "path", "count", "ecosystems"), [
    ("application/vnd.cyclonedx+json", OWN / "cyclonedx-1.5.json", 8,
     {"npm", "PyPI", "Go", "NuGet", "RubyGems", "crates.io", "Packagist"}),
    ("application/spdx+json", SBOMS / "golang-1.17.13-9.el8.spdx.json", 12, {"Go"}),
])
def test_the_bucket_api_takes_an_sbom_body(patrol, content_type, path, count, ecosystems):
    url = f"{patrol.api}/servers/{patrol.server_id}/software_bucket/sbom"
    answer = requests.post(url, data=path.read_bytes(), headers={"Content-Type": content_type},
                           params={"expire": "3600"}, auth=patrol.auth, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["expire"] == 3600
    software = patrol.software()
    assert len(software) == count and {entry["ecosystem"] for entry in software} == ecosystems


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/vnd.cyclonedx+json", b"{not json"),
    ("application/vnd.cyclonedx+json", b'{"spdxVersion": "SPDX-2.3", "packages": []}'),
    ("application/spdx+json", b"\xff\xfe"),
    ("application/spdx+json", b'{"spdxVersion": "SPDX-2.3", "packages": [{"versionInfo": "1"}]}'),
])
def test_a_bad_sbom_body_is_a_422_in_the_envelope(patrol, content_type, body):
    url = f"{patrol.api}/servers/{patrol.server_id}/software_bucket/sbom"
    answer = requests.post(url, data=body, headers={"Content-Type": content_type}, auth=patrol.auth, timeout=10)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["message"].startswith("The SBOM is not valid") and "body" in error["fields"]


# End to end: the fixtures' records, each inventory pushed, exactly the expected issues.

PUSH_ARGS = {
    "inventories/ubuntu/status": ("--os-release", str(UBUNTU_18)),
    "inventories/alpine/installed": ("--os-release", str(INV / "alpine" / "os-release")),
    "inventories/almalinux/rpm-qa.txt": ("--os-release", str(INV / "almalinux" / "os-release")),
}


INVENTORIES = [pytest.param(row, id=row["file"]) for row in EXPECTED["inventories"]]


def _expected_pairs(inventory: dict) -> set[tuple[str, str]]:
    return {(name, row["advisory_id"]) for row in inventory["must_report"]
            for name in row.get("binary_packages", [row["package"]])}


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_each_fixture_inventory_gets_exactly_the_issues_its_records_say(patrol, db, inventory):
    importer.import_records(db, sources.read([DATA / "osv"]))
    path = DATA / inventory["file"]
    option = ("--sbom",) if inventory["file"].startswith("sbom/") else ()
    patrol.push("fixture", *PUSH_ARGS.get(inventory["file"], ()), *option, str(path))
    started = requests.post(f"{patrol.api}/servers/{patrol.server_id}/scan", auth=patrol.auth, timeout=10)
    assert started.status_code == 202, started.text
    assert workers.run_one(db)
    issues = requests.get(f"{patrol.api}/servers/{patrol.server_id}/issues", params={"per_page": 200},
                          auth=patrol.auth, timeout=10).json()["data"]
    assert {(issue["software"]["name"], issue["advisory"]["id"]) for issue in issues} == _expected_pairs(inventory)


def test_an_sbom_body_with_a_nul_is_refused_before_it_is_stored(patrol):
    url = f"{patrol.api}/servers/{patrol.server_id}/software_bucket/sbom"
    body = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"type": "library", "name": "lodash\u0000", "version": "4.17.20", "purl": "pkg:npm/lodash\u0000@4.17.20"}]})
    answer = requests.post(url, data=body, headers={"Content-Type": "application/vnd.cyclonedx+json"},
                           auth=patrol.auth, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_failed"
