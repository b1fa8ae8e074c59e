"""Seeded release histories, written the way each ecosystem writes versions.

A history is oldest first, so a range can be cut from it by position and
the versions it covers are known without comparing any two of them.
Pre-releases, post-releases, epochs and Debian security updates appear at
roughly the rates they do in real package indexes.
"""
from __future__ import annotations

import random
from collections.abc import Callable

Triple = tuple[int, int, int]


def history(rng: random.Random, ecosystem: str, length: int) -> list[str]:
    """`length` or so releases of one package in `ecosystem` ("Debian" means Debian 12)."""
    return _RENDER[ecosystem](rng, _triples(rng, length))


def debian_11_fix(rng: random.Random, debian_12_release: str) -> str:
    """A bullseye security update of an older upstream than bookworm's, for a Debian:11 entry."""
    upstream, _, revision = debian_12_release.partition("+")[0].rpartition("-")
    epoch, _, numbers = upstream.rpartition(":")
    major, minor, patch = (int(part) for part in numbers.split("."))
    older = f"{major}.{max(minor - 1, 0)}.{patch}"
    return f"{epoch + ':' if epoch else ''}{older}-{revision}+deb11u{rng.randint(1, 6)}"


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


def _debian(rng: random.Random, triples: list[Triple]) -> list[str]:
    """Bookworm's upstream with its security updates; sometimes a newer upstream via ~deb12u1."""
    epoch = "1:" if rng.random() < 0.15 else ""
    major, minor, patch = triples[-1]
    base = f"{epoch}{major}.{minor}.{patch}-{rng.randint(1, 4)}"
    out = [base, *(f"{base}+deb12u{k}" for k in range(1, max(2, len(triples) // 3)))]
    if rng.random() < 0.2:
        out.append(f"{epoch}{major}.{minor + 1}.0-1~deb12u1")
    return out


_RENDER = {"Packagist": _packagist, "npm": _npm, "PyPI": _pypi, "Debian": _debian}
