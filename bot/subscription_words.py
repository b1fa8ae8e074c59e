"""`/patrol subscribe SERVER|all [--events new_issues,scan_finished] [--min-severity high] [--known-exploited]`,
`/patrol unsubscribe SERVER|all` and `/patrol subscriptions`, read into a `Subscription`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.command_errors import BadOption, MissingServer, UnexpectedWords
from patrol import events
from patrol.advisories.severity import LEVELS

ACTIONS = ("subscribe", "unsubscribe", "subscriptions")
ALL = "all"
# The names people type, and the events they stand for.
EVENT_NAMES = {
    "new_issues": events.NEW_SERVER_ISSUES,
    "scan_finished": events.SCAN_FINISHED,
    "scan_started": events.SCAN_STARTED,
}
SEVERITIES = tuple(LEVELS[:-1])  # "unknown" is no threshold
_OPTIONS = {"--events": "events", "--min-severity": "min_severity"}
_FLAGS = {"--known-exploited": "known_exploited_only"}  # options without a value


@dataclass(frozen=True)
class Subscription:
    action: str
    server: str | None = None  # None: every server
    events: tuple[str, ...] | None = None  # None: the Slack default
    min_severity: str | None = None
    known_exploited_only: bool = False  # new issues only when CISA lists them as exploited


def parse(action: str, words: list[str]) -> Subscription:
    if action == "subscriptions":
        if words:
            raise UnexpectedWords(" ".join(words))
        return Subscription(action)
    options, rest = _options(words, allowed=action == "subscribe")
    if not rest:
        raise MissingServer(action)
    if len(rest) > 1:
        raise UnexpectedWords(" ".join(rest[1:]))
    server = None if rest[0].lower() == ALL else rest[0]
    return Subscription(action, server, options.get("events"), options.get("min_severity"),
                        options.get("known_exploited_only", False))


def _options(words: list[str], *, allowed: bool) -> tuple[dict, list[str]]:
    """`--events a,b` / `--events=a,b`, `--min-severity high` and `--known-exploited`; the other words."""
    found: dict[str, Any] = {}
    rest: list[str] = []
    pending: str | None = None
    for word in words:
        name, equals, value = word.partition("=")
        if pending:
            found[pending], pending = _value(pending, word), None
        elif word.lower() in _FLAGS and allowed:
            found[_FLAGS[word.lower()]] = True
        elif name.lower() in _OPTIONS and allowed:
            option = _OPTIONS[name.lower()]
            if equals:
                found[option] = _value(option, value)
            else:
                pending = option
        elif word.startswith("--"):
            raise BadOption(word)
        else:
            rest.append(word)
    if pending:
        raise BadOption(f"--{pending.replace('_', '-')}")
    return found, rest


def _value(option: str, value: str) -> object:
    if option == "min_severity":
        if value.lower() not in SEVERITIES:
            raise BadOption(value)
        return value.lower()
    names = [part.strip().lower() for part in value.split(",") if part.strip()]
    if not names or any(name not in EVENT_NAMES for name in names):
        raise BadOption(value)
    return tuple(dict.fromkeys(EVENT_NAMES[name] for name in names))
