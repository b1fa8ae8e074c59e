"""Finding the server a person means."""
from __future__ import annotations

import pytest

from bot.matching import AmbiguousServer, NoSuchServer, find

pytestmark = pytest.mark.extensions("bot")

SERVERS = [
    {"id": 1, "name": "web1.example.com"},
    {"id": 2, "name": "web2.example.com"},
    {"id": 3, "name": "db1.example.com"},
    {"id": 4, "name": "db1.example.org"},
    {"id": 12, "name": "1"},
]


@pytest.mark.parametrize(("wanted", "server_id"), [
    ("web1.example.com", 1),
    ("WEB1.Example.COM", 1),
    ("web2", 2),
    ("3", 3),
    ("#4", 4),
    ("1", 12),  # a name beats a number
    ("db1.example.org", 4),
])
def test_finds_by_name_number_or_first_label(wanted, server_id):
    assert find(SERVERS, wanted)["id"] == server_id


def test_a_first_label_shared_by_two_servers_is_ambiguous():
    with pytest.raises(AmbiguousServer) as raised:
        find(SERVERS, "db1")
    assert raised.value.candidates == ["db1.example.com", "db1.example.org"]


def test_no_match_suggests_similar_names():
    with pytest.raises(NoSuchServer) as raised:
        find(SERVERS, "example.org")
    assert raised.value.suggestions == ["db1.example.org"]


def test_no_match_and_nothing_similar():
    with pytest.raises(NoSuchServer) as raised:
        find(SERVERS, "mail")
    assert raised.value.suggestions == []
