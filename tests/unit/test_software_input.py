"""The `software` field of a bucket push: one meaning in all three encodings."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.api import body
from patrol.errors import Invalid
from patrol.inventory.software_input import LIMITS, MAX_ITEMS, SoftwareInput, parse

# A bare Flask app: only the request parsing is under test, not the database.
APP = Flask(__name__)


def _fields(**request) -> dict:
    with APP.test_request_context("/", method="POST", **request):
        return body.fields()


def as_json_list(items: list[dict]) -> dict:
    return _fields(json={"software": items})


def as_json_string(items: list[dict]) -> dict:
    return _fields(data={"software": json.dumps(items)})


def as_php_form(items: list[dict]) -> dict:
    pairs = [(f"software[{i}][{key}]", value) for i, item in enumerate(items) for key, value in item.items()]
    return _fields(data=urlencode(pairs), content_type="application/x-www-form-urlencoded")


def outcome(fields: dict) -> list[SoftwareInput] | tuple[str, dict]:
    """The parsed items, or the validation error's fields."""
    try:
        return parse(fields.get("software"))
    except Invalid as exc:
        return ("invalid", exc.fields)


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
nameish = st.sampled_from(["php", "npm/lodash", "laravel/framework", "nginx", "requests", " padded ", ""])
items = st.fixed_dictionaries(
    {"n": nameish | text},
    optional={
        "v": st.sampled_from(["8.1.2", "1.0.0-rc.1", ""]) | text,
        "l": st.sampled_from(["/", "/var/www/composer.lock", "/srv/package-lock.json", "/srv/requirements.txt"]) | text,
        "p": text,
        "e": st.sampled_from(["npm", "Packagist", "pypi", "debian:12", "crates.io", ""]),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(items, min_size=1, max_size=8))
def test_the_three_encodings_mean_the_same(pushed):
    # An empty list cannot be written as PHP brackets at all (http_build_query
    # leaves the field out), hence min_size=1.
    expected = outcome(as_json_list(pushed))
    assert outcome(as_json_string(pushed)) == expected
    assert outcome(as_php_form(pushed)) == expected


@settings(deadline=None)
@given(st.lists(items, min_size=1, max_size=8))
def test_parsed_items_are_clean(pushed):
    result = outcome(as_json_list(pushed))
    if isinstance(result, tuple):
        return
    assert len(result) == len(pushed)
    for item in result:
        assert item.name and item.name == item.name.strip()
        for value in (item.version, item.location, item.parent):
            assert value is None or (value and value == value.strip())


def test_fields_are_named_and_trimmed():
    [item] = parse([{"n": " php ", "v": " 8.1.2 ", "l": "/usr/bin/php", "p": "", "x": "ignored"}])
    assert item == SoftwareInput(name="php", version="8.1.2", location="/usr/bin/php", parent=None,
                                 ecosystem=None, source_name=None, source_version=None)


def test_debian_source_package_fields():
    [item] = parse([{"n": "libssl3", "v": "3.0.11-1~deb12u2", "l": "/", "s": "openssl", "sv": "3.0.11-1~deb12u2"}])
    assert (item.ecosystem, item.source_name, item.source_version) == ("Debian", "openssl", "3.0.11-1~deb12u2")


def test_numbers_are_read_as_text():
    [item] = parse([{"n": "php", "v": 8}])
    assert item.version == "8"


def test_php_indexes_are_ordered_as_numbers():
    parsed = parse({"10": {"n": "ten"}, "9": {"n": "nine"}, "0": {"n": "zero"}})
    assert [item.name for item in parsed] == ["zero", "nine", "ten"]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (None, "is required"),
        ("[", "is not valid JSON"),
        ("[" * 5000, "is not valid JSON"),
        ({"a": {"n": "php"}}, "indexed 0, 1, 2"),
        (42, "must be a list"),
        (["php"], "item 0 must be an object"),
        ([{"n": "php"}, {"v": "1"}], "item 1 has no name"),
        ([{"n": {"nested": "x"}}], "n must be text"),
        ([{"n": False}], "n must be text"),
        ([{"n": "x" * (LIMITS["n"] + 1)}], "longer than"),
        ([{"n": "php", "l": "/tmp/\x00"}], "NUL"),
        ([{"n": "php\udc80"}], "surrogate"),
    ],
)
def test_invalid_software_names_the_problem(value, why):
    with pytest.raises(Invalid) as raised:
        parse(value)
    assert set(raised.value.fields) == {"software"}
    assert why in raised.value.fields["software"]


def test_item_count_is_bounded():
    with pytest.raises(Invalid, match="at most"):
        parse([{"n": "x"}] * (MAX_ITEMS + 1))
