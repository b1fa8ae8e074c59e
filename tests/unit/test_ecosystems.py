"""Which OSV ecosystem a pushed item belongs to, and how its name is looked up."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.inventory import ecosystems

COMPOSER = "/var/www/shop/composer.lock"
# Composer's own name rule (ValidatingArrayLoader), as PHP writes it: the
# reference our backtracking-safe pattern must agree with.
COMPOSER_RULE = re.compile(r"^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("explicit", "expected"),
    [("npm", "npm"), ("NPM", "npm"), ("packagist", "Packagist"), ("Packagist", "Packagist"), ("pypi", "PyPI"),
     ("PyPI", "PyPI"), ("debian", "Debian"), ("Debian:12", "Debian:12"), ("debian:11", "Debian:11"),
     (" npm ", "npm"), ("npm:1", "npm"), ("crates.io", "crates.io"), ("go", "Go"), ("nuget", "NuGet"),
     ("ubuntu:22.04:LTS", "Ubuntu:22.04:LTS"), ("Alpine:v3.18", "Alpine:v3.18"), ("rocky linux:9", "Rocky Linux:9"),
     ("AlmaLinux:9", "AlmaLinux:9"), ("Maven:x", "Maven"), ("conan", None), ("", None),
     ("Go", "Go"), ("go:1", "Go"), ("RubyGems", "RubyGems"), ("Maven", "Maven"),
     ("Ubuntu:22.04:LTS", "Ubuntu:22.04:LTS"), ("Rocky Linux:9", "Rocky Linux:9"),
     ("Red Hat:enterprise_linux:9", "Red Hat:enterprise_linux:9"), ("Hex", None)],
)
def test_normalise_explicit_names(explicit, expected):
    assert ecosystems.normalise(explicit) == expected


@pytest.mark.parametrize(
    ("name", "location", "explicit", "expected"),
    [
        ("npm/lodash", None, None, "npm"),
        ("npm/@babel/core", "/", None, "npm"),
        ("lodash", "/srv/app/package-lock.json", None, "npm"),
        ("lodash", "/srv/app/PACKAGE.JSON", None, "npm"),
        ("guzzlehttp/psr7", COMPOSER, None, "Packagist"),
        ("Symfony/Http-Kernel", "/srv/composer.json", None, "Packagist"),
        ("php", COMPOSER, None, None),  # the platform package, not a vendor/package name
        ("ext-json", COMPOSER, None, None),
        ("requests", "/srv/api/requirements.txt", None, "PyPI"),
        ("requests", "/srv/api/requirements-prod.txt", None, "PyPI"),
        ("Django", "/srv/poetry.lock", None, "PyPI"),
        ("flask", "/usr/lib/python3/dist-packages/../site-packages", None, "PyPI"),
        ("nginx", "/", None, "Debian"),
        ("nginx", None, None, None),
        ("php", "/usr/bin/php", None, None),
        ("lodash", COMPOSER, "npm", "npm"),  # explicit wins over the location
        ("lodash", "/", "cocoapods", None),  # an explicit unknown stays unknown
        ("lodash", "/", "hex", None),  # an explicit unknown stays unknown
    ],
)
def test_infer(name, location, explicit, expected):
    assert ecosystems.infer(name, location, explicit) == expected


@pytest.mark.parametrize(
    ("name", "ecosystem", "expected"),
    [("npm/lodash", "npm", "lodash"), ("npm/@babel/core", "npm", "@babel/core"), ("lodash", "npm", "lodash"),
     ("Flask_SQLAlchemy", "PyPI", "flask-sqlalchemy"), ("zope.interface", "PyPI", "zope-interface"),
     ("Guzzlehttp/PSR7", "Packagist", "guzzlehttp/psr7"), ("nginx", "Debian", "nginx"),
     ("npm/lodash", None, "npm/lodash")],
)
def test_package_name(name, ecosystem, expected):
    assert ecosystems.package_name(name, ecosystem) == expected


@settings(deadline=None)
@given(st.text(alphabet="ab0_.-/", max_size=14))
def test_vendor_package_rule_agrees_with_composer(name):
    inferred = ecosystems.infer(name, COMPOSER) == "Packagist"
    assert inferred == bool(COMPOSER_RULE.match(name))


def test_a_long_near_miss_is_answered_at_once():
    """Composer's rule backtracks exponentially on this (2**60 paths): a push
    of one such name used to hold a request thread for good."""
    assert ecosystems.infer("a" * 60 + "!/x", COMPOSER) is None
    assert ecosystems.infer("vendor/" + "a" * 240 + "--", COMPOSER) is None
