"""A seeded server inventory in the bucket push format, one bucket per collector.

Most installed packages have no advisory at all; those that do are picked by
popularity, and some of them run an old release, which is what makes a share
of the items vulnerable. Items look like the collectors' (`e` set, Debian,
Ubuntu and Alpine binaries carrying their source package, Go modules with
their `v`), so the scan reads them as it would read a real push. One server
carries every ecosystem so that one scan exercises every version order; a
real host runs one distribution.
"""
from __future__ import annotations

import random

from bench.catalogue import Catalogue, Package

# Shares of the items: OS packages and the application stacks beside them.
SHARES = {
    "Debian": 0.2, "Ubuntu": 0.1, "Alpine": 0.05, "AlmaLinux": 0.05, "Rocky Linux": 0.05,
    "npm": 0.15, "PyPI": 0.08, "Packagist": 0.07, "RubyGems": 0.06, "Go": 0.05, "crates.io": 0.04,
    "Maven": 0.05, "NuGet": 0.05,
}
BUCKETS = {
    "Packagist": ("composer", "/srv/app/composer.lock", "packagist"),
    "npm": ("npm", "/srv/app/package-lock.json", "npm"),
    "PyPI": ("pip", "/srv/app/requirements.txt", "pypi"),
    "RubyGems": ("gems", "/srv/rails/Gemfile.lock", "rubygems"),
    "Go": ("go", "/srv/api/go.mod", "go"),
    "crates.io": ("cargo", "/srv/proxy/Cargo.lock", "crates.io"),
    "Maven": ("maven", "/srv/java/pom.xml", "maven"),
    "NuGet": ("nuget", "/srv/dotnet/packages.lock.json", "nuget"),
    "Debian": ("dpkg", "/", "debian:12"),
    "Ubuntu": ("dpkg-ubuntu", "/", "ubuntu:22.04:LTS"),
    "Alpine": ("apk", "/", "alpine:v3.19"),
    "AlmaLinux": ("rpm-alma", "/", "almalinux:9"),
    "Rocky Linux": ("rpm-rocky", "/", "rocky linux:9"),
}
# Their records name source packages, so items carry theirs (dpkg `Source:`, apk origin).
_SOURCE_PACKAGED = frozenset({"Debian", "Ubuntu", "Alpine"})


def buckets(
    rng: random.Random,
    advised: dict[str, Catalogue],
    clean: dict[str, Catalogue],
    total: int,
    covered: float,
    old: float,
) -> dict[str, list[dict]]:
    """Bucket key -> items; `covered` of the items have advisories, `old` of those run an old release."""
    made = {}
    for ecosystem, share in SHARES.items():
        count = round(total * share)
        with_advisories = _distinct(rng, advised[ecosystem], round(count * covered))
        without = clean[ecosystem].packages[: count - len(with_advisories)]
        installed = [(p, _installed(rng, p, old)) for p in with_advisories]
        installed += [(p, p.releases[-1]) for p in without]
        rng.shuffle(installed)  # a Debian source makes several items: cut evenly below
        key, location, ecosystem_tag = BUCKETS[ecosystem]
        items = [item for p, version in installed for item in _items(rng, p, version, location, ecosystem_tag)]
        made[key] = items[:count]
    return made


def _distinct(rng: random.Random, catalogue: Catalogue, count: int) -> list[Package]:
    """`count` different packages, the popular ones more likely."""
    count = min(count, len(catalogue.packages))
    chosen: dict[str, Package] = {}
    while len(chosen) < count:
        package = catalogue.pick(rng)
        chosen.setdefault(package.name, package)
    return list(chosen.values())


def _installed(rng: random.Random, package: Package, old: float) -> str:
    if rng.random() < old:
        return rng.choice(package.releases[:-1])
    return package.releases[-1]


def _items(rng: random.Random, package: Package, version: str, location: str, ecosystem: str) -> list[dict]:
    item = {"n": package.name, "v": version, "l": location, "e": ecosystem}
    if package.ecosystem == "Packagist" and rng.random() < 0.3:
        item["v"] = f"v{version}"  # many projects tag v1.2.3, and composer.lock keeps the tag
    elif package.ecosystem == "PyPI" and rng.random() < 0.5:
        item["n"] = package.name.lower().replace("-", "_")  # pip freeze spells names its own way
    elif package.ecosystem == "Go":
        item["v"] = f"v{version}"  # go.mod writes the v that Go advisories leave out
    elif package.ecosystem in _SOURCE_PACKAGED:
        return [{**item, "n": binary, "s": package.name, "sv": version} for binary in _binaries(rng, package.name)]
    return [item]


def _binaries(rng: random.Random, source: str) -> list[str]:
    """The binary packages one source builds, as dpkg lists them."""
    stem = source.removeprefix("lib")
    return [source, f"lib{stem}-dev", f"{stem}-common"][: rng.randint(1, 3)]
