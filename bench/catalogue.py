"""Seeded package catalogues: names spelled as each ecosystem spells them,
each with a release history and a popularity weight.

Advisories cluster on popular packages (a few have dozens, most have one or
two), so packages get Zipf-like weights; the same weights decide which
packages a server has installed.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from bench import releases
from patrol.inventory.ecosystems import package_name

ECOSYSTEMS = (
    "Packagist", "npm", "PyPI", "RubyGems", "Go", "crates.io", "Maven", "NuGet",
    "Debian", "Ubuntu", "Alpine", "AlmaLinux", "Rocky Linux",
)
_SYLLABLES = (
    "ba", "co", "da", "fe", "gi", "ho", "ju", "ka", "lo", "mi", "nu", "pa", "qui", "ro", "sa",
    "te", "vi", "wo", "xa", "ze", "ly", "tor", "ment", "ix", "on", "ar", "el", "um",
)
# Zipf-Mandelbrot: weight 1 / (rank + offset); the offset keeps the head from
# taking a tenth of an ecosystem's advisories, as no real package does.
_ZIPF_OFFSET = 10


@dataclass(frozen=True)
class Package:
    ecosystem: str  # base: "Debian", not "Debian:12"
    name: str  # as an advisory spells it
    releases: tuple[str, ...]  # oldest first


@dataclass(frozen=True)
class Catalogue:
    """The packages of one ecosystem, most popular first."""

    ecosystem: str
    packages: list[Package]
    cum_weights: list[float]

    def pick(self, rng: random.Random) -> Package:
        return rng.choices(self.packages, cum_weights=self.cum_weights)[0]


def build(rng: random.Random, ecosystem: str, count: int, taken: set[str]) -> Catalogue:
    """`count` packages whose normalised names are not in `taken` (which grows)."""
    packages = [
        Package(ecosystem, name, tuple(releases.history(rng, ecosystem, rng.randint(4, 30))))
        for name in _names(rng, ecosystem, count, taken)
    ]
    weights = [1.0 / (rank + _ZIPF_OFFSET) for rank in range(count)]
    return Catalogue(ecosystem, packages, list(itertools.accumulate(weights)))


def _names(rng: random.Random, ecosystem: str, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = _SPELL[ecosystem](rng)
        key = package_name(name, ecosystem)
        if key not in taken:
            taken.add(key)
            names.append(name)
    return names


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _packagist(rng: random.Random) -> str:
    return f"{_word(rng)}/{_word(rng)}-{_word(rng)}" if rng.random() < 0.4 else f"{_word(rng)}/{_word(rng)}"


def _npm(rng: random.Random) -> str:
    name = f"{_word(rng)}-{_word(rng)}" if rng.random() < 0.3 else _word(rng)
    return f"@{_word(rng)}/{name}" if rng.random() < 0.15 else name


def _pypi(rng: random.Random) -> str:
    """Display names as PyPI shows them: "Flask-Login", "zope.interface", "py_ecc"."""
    first, second = _word(rng), _word(rng)
    if rng.random() < 0.5:
        return first.capitalize() if rng.random() < 0.3 else first
    return f"{first.capitalize()}{rng.choice('-_.')}{second.capitalize()}"


def _debian(rng: random.Random) -> str:
    """Source package names: "openssl", "libxml2", "python3.11", "gst-plugins-base1.0"."""
    name = _word(rng)
    roll = rng.random()
    if roll < 0.3:
        return f"lib{name}{rng.randint(1, 9)}"
    if roll < 0.4:
        return f"{name}{rng.randint(1, 3)}.{rng.randint(0, 12)}"
    return name


def _rubygems(rng: random.Random) -> str:
    return f"{_word(rng)}-{_word(rng)}" if rng.random() < 0.3 else _word(rng)


def _go(rng: random.Random) -> str:
    """Module paths: "github.com/owner/repo", sometimes with a major version suffix."""
    path = f"github.com/{_word(rng)}/{_word(rng)}"
    return f"{path}/v{rng.randint(2, 5)}" if rng.random() < 0.15 else path


def _crates(rng: random.Random) -> str:
    return f"{_word(rng)}{rng.choice('-_')}{_word(rng)}" if rng.random() < 0.4 else _word(rng)


def _maven(rng: random.Random) -> str:
    return f"org.{_word(rng)}:{_word(rng)}-{rng.choice(('core', 'api', 'web', 'client'))}"


def _nuget(rng: random.Random) -> str:
    return f"{_word(rng).capitalize()}.{_word(rng).capitalize()}"


def _rpm(rng: random.Random) -> str:
    """Binary RPM names, which the Red Hat family's records name: "openssl-libs"."""
    name = _debian(rng)
    return f"{name}-{rng.choice(('libs', 'devel', 'common'))}" if rng.random() < 0.3 else name


_SPELL = {
    "Packagist": _packagist, "npm": _npm, "PyPI": _pypi, "RubyGems": _rubygems, "Go": _go,
    "crates.io": _crates, "Maven": _maven, "NuGet": _nuget,
    "Debian": _debian, "Ubuntu": _debian, "Alpine": _debian, "AlmaLinux": _rpm, "Rocky Linux": _rpm,
}
