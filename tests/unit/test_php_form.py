"""`parse_php_form`: PHP bracket keys into nested dicts, as PHP's own parser does."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patrol.api.body import MAX_DEPTH, parse_php_form
from patrol.errors import BadRequest


def parse(query: str) -> dict:
    return parse_php_form(parse_qsl(query, keep_blank_values=True))


def test_plain_fields_stay_flat():
    assert parse("domain=web1.example.com&expire=60") == {"domain": "web1.example.com", "expire": "60"}


def test_what_the_php_sdk_sends():
    query = urlencode({"software[0][n]": "php", "software[0][v]": "8.1.2", "software[1][n]": "nginx"})
    assert parse(query) == {"software": {"0": {"n": "php", "v": "8.1.2"}, "1": {"n": "nginx"}}}


def test_empty_brackets_append():
    assert parse("a[]=x&a[]=y") == {"a": {"0": "x", "1": "y"}}
    assert parse("s[][n]=php&s[][n]=nginx") == {"s": {"0": {"n": "php"}, "1": {"n": "nginx"}}}


def test_empty_brackets_follow_the_highest_number_like_php():
    assert parse("a[5]=x&a[]=y") == {"a": {"5": "x", "6": "y"}}
    assert parse("a[1]=x&a[]=y&a[]=z") == {"a": {"1": "x", "2": "y", "3": "z"}}
    assert parse("a[]=x&a[name]=y&a[]=z") == {"a": {"0": "x", "name": "y", "1": "z"}}


def test_fields_without_a_name_are_dropped_like_php_does():
    assert parse("=x&[a]=y&[]=z&ok=1") == {"ok": "1"}


def test_a_later_value_replaces_an_earlier_one():
    assert parse("a[0]=x&a[0]=y") == {"a": {"0": "y"}}


def test_a_key_without_a_closing_bracket_keeps_its_base():
    assert parse("a[b=1") == {"a": "1"}


@pytest.mark.parametrize("query", ["a=1&a[0]=2", "a[0]=1&a=2", "a[0][b]=1&a[0]=2"])
def test_a_value_and_a_list_under_one_name_is_a_bad_request(query):
    with pytest.raises(BadRequest, match="mixes"):
        parse(query)


def test_depth_is_bounded():
    deepest = "a" + "[x]" * MAX_DEPTH
    assert parse(f"{deepest}=1")["a"]["x"]["x"]["x"]["x"]["x"] == "1"
    with pytest.raises(BadRequest, match="nested too deeply"):
        parse(f"{deepest}[x]=1")


def test_huge_indexes_are_kept_as_text():
    huge = "9" * 5000
    assert parse(f"a[{huge}]=1&a[]=2") == {"a": {huge: "1", "0": "2"}}


# Keys made of what matters to the parser, so examples hit brackets often.
keys = st.text(alphabet=st.sampled_from("[]ab0 1-9é\x00"), max_size=30) | st.text(max_size=30)


@settings(deadline=None)
@given(st.lists(st.tuples(keys, st.text(max_size=10)), max_size=20))
def test_arbitrary_keys_parse_or_are_a_bad_request(pairs):
    try:
        parsed = parse_php_form(pairs)
    except BadRequest:
        return
    assert isinstance(parsed, dict)
    for key, _value in pairs:
        if key and "[" not in key:  # a plain key is a top-level value
            assert key in parsed


names = st.text(alphabet=st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)), min_size=1,
                max_size=8)
leaves = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
trees = st.recursive(leaves, lambda inner: st.dictionaries(names, inner, min_size=1, max_size=4), max_leaves=12)


def _flatten(tree: dict, prefix: str = "") -> list[tuple[str, str]]:
    pairs = []
    for name, value in tree.items():
        key = f"{prefix}[{name}]" if prefix else name
        pairs += _flatten(value, key) if isinstance(value, dict) else [(key, value)]
    return pairs


def _depth(tree) -> int:
    return 1 + max(map(_depth, tree.values())) if isinstance(tree, dict) and tree else 0


@settings(deadline=None)
@given(st.dictionaries(names, trees, max_size=4))
def test_flattened_trees_parse_back_through_urlencoding(tree):
    if _depth(tree) > MAX_DEPTH + 1:
        return
    assert parse(urlencode(_flatten(tree))) == tree
