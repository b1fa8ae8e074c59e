"""Seeded release histories, written the way each ecosystem writes versions.

A history is oldest first, so a range can be cut from it by position and
the versions it covers are known without comparing any two of them.
Pre-releases, post-releases, epochs and distribution security updates
(Debian `+deb12uN`, Ubuntu `ubuntu1.N`, Alpine `-rN`, RPM `.el9_N`) appear at
roughly the rates they do in real package indexes.
"""
from __future__ import annotations

import random
from collections.abc import Callable

Triple = tuple[int, int, int]


def history(rng: random.Random, ecosystem: str, length: int) -> list[str]:
    """`length` or so releases of one package in `ecosystem` (distributions: one release of theirs)."""
    return _RENDER[ecosystem](rng, _triples(rng, length))


def _triples(rng: random.Random, length: int) -> list[Triple]:
    """major.minor.patch steps: mostly patches, some minors, a few majors."""
    major, minor, patch = rng.randint(0, 4), rng.randint(0, 9), rng.randint(0, 3)
    steps = []
    for _ in range(length):
        steps.append((major, minor, patch))
        roll = rng.random()
        if roll < 0.08:
            major, minor, patch = major + 1, 0, 0
        elif roll < 0.3:
            minor, patch = minor + 1, 0
        else:
            patch += 1
    return steps


def _new_major(triple: Triple) -> bool:
    return triple[0] > 0 and triple[1] == triple[2] == 0


def _with_previews(rng: random.Random, triples: list[Triple], render: Callable[[Triple], str],
                   previews: Callable[[int], list[str]]) -> list[str]:
    """Each release, with pre-releases before half of the new majors."""
    out = []
    for triple in triples:
        if _new_major(triple) and rng.random() < 0.5:
            out.extend(previews(triple[0]))
        out.append(render(triple))
    return out


def _packagist(rng: random.Random, triples: list[Triple]) -> list[str]:
    return _with_previews(rng, triples, lambda t: "%d.%d.%d" % t,
                          lambda major: [f"{major}.0.0-beta1", f"{major}.0.0-RC1"])


def _npm(rng: random.Random, triples: list[Triple]) -> list[str]:
    return _with_previews(rng, triples, lambda t: "%d.%d.%d" % t,
                          lambda major: [f"{major}.0.0-beta.1", f"{major}.0.0-rc.1"])


def _pypi(rng: random.Random, triples: list[Triple]) -> list[str]:
    """PEP 440 spellings: "2.1" for 2.1.0 in half the projects, rc/b previews, a few .post1."""
    short = rng.random() < 0.5

    def render(t: Triple) -> str:
        return f"{t[0]}.{t[1]}" if short and t[2] == 0 else "%d.%d.%d" % t

    out = []
    for text in _with_previews(rng, triples, render, lambda major: [f"{major}.0b1", f"{major}.0rc1"]):
        out.append(text)
        if rng.random() < 0.05 and "b" not in text and "rc" not in text:
            out.append(f"{text}.post1")
    return out


def _rubygems(rng: random.Random, triples: list[Triple]) -> list[str]:
    """Gem versions: "2.0.0.beta1" previews, a few four-part patch releases ("1.2.3.1")."""
    out = []
    for text in _with_previews(rng, triples, lambda t: "%d.%d.%d" % t,
                               lambda major: [f"{major}.0.0.beta1", f"{major}.0.0.rc1"]):
        out.append(text)
        if rng.random() < 0.05 and ".b" not in text and "rc" not in text:
            out.append(f"{text}.1")
    return out


def _semver(first: str, second: str) -> Callable[[random.Random, list[Triple]], list[str]]:
    """A SemVer scheme (Go advisories write no "v"; crates.io, NuGet) with its preview names."""
    def render(rng: random.Random, triples: list[Triple]) -> list[str]:
        return _with_previews(rng, triples, lambda t: "%d.%d.%d" % t,
                              lambda major: [f"{major}.0.0-{first}.1", f"{major}.0.0-{second}.1"])
    return render


def _maven(rng: random.Random, triples: list[Triple]) -> list[str]:
    return _with_previews(rng, triples, lambda t: "%d.%d.%d" % t,
                          lambda major: [f"{major}.0.0-M1", f"{major}.0.0-RC1"])


def _distribution(revision: Callable[[int, int], str], epochs: bool) -> Callable[[random.Random, list[Triple]], list[str]]:
    """One upstream release as a distribution ships it, then its security updates:
    `revision(packaging, k)` spells the k-th update (0: as released)."""
    def render(rng: random.Random, triples: list[Triple]) -> list[str]:
        epoch = "1:" if epochs and rng.random() < 0.15 else ""
        upstream = "%d.%d.%d" % triples[-1]
        packaging = rng.randint(1, 4)
        return [f"{epoch}{upstream}-{revision(packaging, k)}" for k in range(max(2, len(triples) // 3))]
    return render


_RENDER = {
    "Packagist": _packagist, "npm": _npm, "PyPI": _pypi, "RubyGems": _rubygems,
    "Go": _semver("beta", "rc"), "crates.io": _semver("alpha", "rc"), "Maven": _maven,
    "NuGet": _semver("preview", "rc"),
    "Debian": _distribution(lambda n, k: f"{n}+deb12u{k}" if k else f"{n}", epochs=True),
    "Ubuntu": _distribution(lambda n, k: f"{n}ubuntu1.{k}" if k else f"{n}ubuntu1", epochs=True),
    "Alpine": _distribution(lambda _n, k: f"r{k}", epochs=False),
    "AlmaLinux": _distribution(lambda n, k: f"{n}.el9_{k}" if k else f"{n}.el9", epochs=False),
    "Rocky Linux": _distribution(lambda n, k: f"{n}.el9_{k}" if k else f"{n}.el9", epochs=False),
}
