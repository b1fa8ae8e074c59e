"""Finding the server a person means among the account's servers.

People type `web1` for `web1.example.com`, or the number Patrol shows. An
exact name wins, then the number, then the first label of the name; a
word that fits several servers is a question back, never a guess.
"""
from __future__ import annotations

from collections.abc import Sequence

MAX_SUGGESTIONS = 5


class NoSuchServer(LookupError):
    def __init__(self, wanted: str, suggestions: list[str]) -> None:
        super().__init__(wanted)
        self.wanted, self.suggestions = wanted, suggestions


class AmbiguousServer(LookupError):
    def __init__(self, wanted: str, candidates: list[str]) -> None:
        super().__init__(wanted)
        self.wanted, self.candidates = wanted, candidates


def find(servers: Sequence[dict], wanted: str) -> dict:
    """The one server `wanted` names; NoSuchServer or AmbiguousServer otherwise."""
    key = wanted.strip().lower()
    for fits in (_by_name, _by_number, _by_first_label):
        found = [server for server in servers if fits(server, key)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise AmbiguousServer(wanted, sorted(s["name"] for s in found)[:MAX_SUGGESTIONS])
    similar = sorted(s["name"] for s in servers if key and key in s["name"].lower())
    raise NoSuchServer(wanted, similar[:MAX_SUGGESTIONS])


def _by_name(server: dict, key: str) -> bool:
    return server["name"].lower() == key


def _by_number(server: dict, key: str) -> bool:
    return key.lstrip("#").isdigit() and str(server["id"]) == key.lstrip("#")


def _by_first_label(server: dict, key: str) -> bool:
    return "." not in key and server["name"].lower().split(".")[0] == key
