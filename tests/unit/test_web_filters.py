"""The web pages' pure helpers: time words, inline code, and the OpenAPI summary."""
from datetime import datetime, timedelta, timezone

import pytest

from web import apiref
from web.rendering import ago, days_ago, duration, exact, inline_code, utc

pytestmark = pytest.mark.extensions("web")

NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (timedelta(seconds=3), "just now"),
        (timedelta(seconds=42), "42 seconds ago"),
        (timedelta(minutes=1, seconds=30), "1 minute ago"),
        (timedelta(hours=5, minutes=59), "5 hours ago"),
        (timedelta(days=2), "2 days ago"),
        (-timedelta(minutes=14, seconds=10), "in 14 minutes"),
    ],
)
def test_ago_says_how_long_ago_in_the_largest_unit(offset, words):
    assert ago((NOW - offset).strftime("%Y-%m-%dT%H:%M:%SZ"), now=NOW) == words


@pytest.mark.parametrize(
    ("offset", "words"),
    [(timedelta(days=3, hours=23), "3 days ago"), (timedelta(days=1), "1 day ago"), (timedelta(hours=5), "0 days ago"),
     (-timedelta(hours=1), "0 days ago")],
)
def test_days_ago_counts_whole_days_as_stale_servers_are_told(offset, words):
    assert days_ago((NOW - offset).strftime("%Y-%m-%dT%H:%M:%SZ"), now=NOW) == words
    assert days_ago(None) == ""


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0.2, "0.2 seconds"), (1, "1 second"), (5, "5 seconds"), (300, "5 minutes"), (7200, "2 hours"), (432000, "5 days")],
)
def test_duration_reads_like_a_person_would_say_it(seconds, words):
    assert duration(seconds) == words


def test_exact_is_a_utc_time_element():
    assert exact("2026-11-30T03:55:29Z") == '<time datetime="2026-11-30T03:55:29Z">2026-11-30 03:55:29 UTC</time>'
    assert exact(None) == ""


def test_utc_is_24_hour_utc_to_the_minute_whatever_the_offset():
    assert utc("2026-11-30T15:55:29-08:00") == '<time datetime="2026-11-30T23:55:29Z">2026-11-30 23:55 UTC</time>'
    assert utc(NOW) == '<time datetime="2026-11-30T12:00:00Z">2026-11-30 12:00 UTC</time>'
    assert utc(None) == ""


def test_inline_code_escapes_and_marks_backticks():
    assert inline_code("`already_scanning` <b>") == "<code>already_scanning</code> &lt;b&gt;"
    assert inline_code("`<script>`") == "<code>&lt;script&gt;</code>"


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        ({"$ref": "#/components/schemas/Scan"}, "Scan"),
        ({"type": "array", "items": {"$ref": "#/components/schemas/Issue"}}, "list of Issue"),
        ({"type": ["string", "null"]}, "string or null"),
        ({"oneOf": [{"$ref": "#/components/schemas/Scan"}, {"type": "null"}]}, "Scan or null"),
        ({"type": "object", "properties": {"data": {"const": True}}}, "{data: true}"),
        ({"type": "string", "enum": ["exploits"]}, "one of exploits"),
        ({}, "any"),
    ],
)
def test_shape_says_a_schema_in_a_few_words(schema, words):
    assert apiref.shape(schema) == words


def test_operations_resolve_shared_parameters_and_referenced_responses():
    doc = {
        "paths": {"/things/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "get": {"summary": "One thing", "responses": {
                "200": {"$ref": "#/components/responses/Thing"},
                "409": {"description": "`busy`", "$ref": "#/components/responses/Thing"},
            }},
            "delete": {"summary": "Remove it", "security": [], "responses": {}},
        }},
        "components": {
            "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}},
            "responses": {"Thing": {"description": "A thing", "content": {
                "application/json": {"schema": {"type": "object", "properties": {"data": {"type": "string"}}}}}}},
        },
    }
    get, delete = apiref.operations(doc)
    assert (get.method, get.path, get.summary, get.public) == ("GET", "/things/{id}", "One thing", False)
    assert [(p.name, p.where, p.required, p.shape) for p in get.parameters] == [("id", "path", True, "integer")]
    assert [(r.status, r.description, r.shape) for r in get.responses] == [
        ("200", "A thing", "{data: string}"), ("409", "`busy`", "{data: string}")]
    assert delete.public and delete.anchor == "delete--things-id"
