"""The input formats of `patrol push`: names, file names, and how each is read.

Format names are what `--format` takes and what detection reports.
Inventories (OS package lists) take their ecosystem from os-release and
locate their items at "/"; lock files locate theirs at the file's path.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from patrol.collectors import (
    apk,
    cargo,
    composer,
    dpkg,
    dpkg_status,
    golang,
    gradle,
    maven,
    npm,
    nuget,
    pipfile,
    pnpm,
    poetry,
    requirements,
    rpm,
    rubygems,
    sbom,
    uv,
    yarn,
)
from patrol.collectors.items import Item, Skips


@dataclass
class Source:
    """One input: its text, where it is, the host's os-release, and what was skipped."""

    text: str
    location: str
    os_release: str = ""
    skipped: Skips = field(default_factory=list)


Reader = Callable[[Source], list[Item]]


@dataclass(frozen=True)
class Format:
    name: str
    file_names: tuple[str, ...]  # fnmatch patterns, matched case-sensitively
    read: Reader


def _lock(parse: Callable[[str, str], list[Item]]) -> Reader:
    return lambda source: parse(source.text, source.location)


def _skipping(parse: Callable[[str, str, Skips], list[Item]]) -> Reader:
    return lambda source: parse(source.text, source.location, source.skipped)


def _inventory(parse: Callable[..., list[Item]]) -> Reader:
    return lambda source: parse(source.text, source.os_release, origin=source.location)


FORMATS: tuple[Format, ...] = (
    Format("composer-lock", ("composer.lock",), _lock(composer.parse)),
    Format("package-lock", ("package-lock.json", "npm-shrinkwrap.json"), _lock(npm.parse)),
    Format("yarn-lock", ("yarn.lock",), _skipping(yarn.parse)),
    Format("pnpm-lock", ("pnpm-lock.yaml",), _skipping(pnpm.parse)),
    Format("requirements", ("requirements*.txt",), _skipping(requirements.parse)),
    Format("poetry-lock", ("poetry.lock",), _lock(poetry.parse)),
    Format("uv-lock", ("uv.lock",), _lock(uv.parse)),
    Format("pipfile-lock", ("Pipfile.lock",), _skipping(pipfile.parse)),
    Format("gemfile-lock", ("Gemfile.lock", "gems.locked"), _skipping(rubygems.parse)),
    Format("go-mod", ("go.mod",), _skipping(golang.parse_mod)),
    Format("go-sum", ("go.sum",), _skipping(golang.parse_sum)),
    Format("go-version-m", (), _skipping(golang.parse_build_info)),
    Format("cargo-lock", ("Cargo.lock",), _skipping(cargo.parse)),
    Format("pom", ("pom.xml",), _skipping(maven.parse_pom)),
    Format("gradle-lockfile", ("gradle.lockfile", "*-gradle.lockfile"), _lock(gradle.parse)),
    Format("maven-dependency-list", (), _lock(maven.parse_dependency_list)),
    Format("nuget-lock", ("packages.lock.json",), _lock(nuget.parse)),
    Format("dpkg-status", ("status",), _inventory(dpkg_status.parse)),
    Format("dpkg-query", ("dpkg*.txt",), _inventory(dpkg.parse)),
    Format("apk-installed", ("installed",), _inventory(apk.parse)),
    Format("rpm-qa", ("rpm*.txt",), _inventory(rpm.parse)),
    Format("cyclonedx", ("*.cdx.json", "bom.json", "*.cyclonedx.json"), _skipping(sbom.parse_cyclonedx)),
    Format("spdx", ("*.spdx.json",), _skipping(sbom.parse_spdx)),
)
BY_NAME = {fmt.name: fmt for fmt in FORMATS}
NAMES = tuple(BY_NAME)
SBOM_FORMATS = ("cyclonedx", "spdx")
