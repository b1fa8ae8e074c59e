"""What `/patrol ...` asks for: the words after the command, read into a `Question`.

Slack may send a server name that looks like a domain as a link
(`<http://web1.example.com|web1.example.com>`) and escapes `&`, `<` and `>`;
both are undone before reading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot import subscription_words
from bot.command_errors import BadOption, CommandError, MissingServer, UnexpectedWords, UnknownWord
from slackkit.severity import ORDER as SEVERITIES

__all__ = ["BadOption", "CommandError", "MissingServer", "Question", "UnexpectedWords", "UnknownWord", "parse"]

ACTIONS = ("status", "issues", "scan", "help")
NEEDS_SERVER = ("issues", "scan")
PUBLIC = "--public"
SEVERITY = "--severity"
_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}


@dataclass(frozen=True)
class Question:
    action: str
    server: str | None = None
    severity: str | None = None
    public: bool = False


def parse(text: str) -> Question | subscription_words.Subscription:
    """Read `text` into a Question (or a Subscription command); raises a CommandError subclass
    when it is not one."""
    words = _words(text)
    public = PUBLIC in words
    words = [word for word in words if word != PUBLIC]
    action = words[0].lower() if words else "help"
    if action in subscription_words.ACTIONS:
        return subscription_words.parse(action, words[1:])
    if action not in ACTIONS:
        raise UnknownWord(words[0])
    if action == "help":
        return Question("help", public=public)
    severity, rest = _options(words[1:], severity_allowed=action == "issues")
    if action in NEEDS_SERVER and not rest:
        raise MissingServer(action)
    if len(rest) > 1:
        raise UnexpectedWords(" ".join(rest[1:]))
    return Question(action, rest[0] if rest else None, severity, public)


def _words(text: str) -> list[str]:
    unlinked = _LINK.sub(lambda m: m.group(2) or _without_scheme(m.group(1)), text or "")
    for entity, char in _ENTITIES.items():
        unlinked = unlinked.replace(entity, char)
    return unlinked.split()


def _without_scheme(url: str) -> str:
    return re.sub(r"^[a-z]+://", "", url).rstrip("/")


def _options(words: list[str], *, severity_allowed: bool) -> tuple[str | None, list[str]]:
    """`--severity high` or `--severity=high` anywhere after the command; the other words."""
    severity, rest, pending = None, [], False
    for word in words:
        name, equals, value = word.partition("=")
        if pending:
            severity, pending = _level(word), False
        elif name.lower() == SEVERITY and severity_allowed:
            severity, pending = (_level(value) if equals else None), not equals
        elif word.startswith("--"):
            raise BadOption(word)
        else:
            rest.append(word)
    if pending:
        raise BadOption(SEVERITY)
    return severity, rest


def _level(value: str) -> str:
    if value.lower() not in SEVERITIES:
        raise BadOption(value)
    return value.lower()
