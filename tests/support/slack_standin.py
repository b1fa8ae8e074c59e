"""A local stand-in for Slack's Incoming Webhooks, for tests.

It answers POST /services/T.../B.../SECRET as hooks.slack.com does: `200 ok`,
`400 no_text` or `400 invalid_payload` for a payload Slack would refuse, and
per webhook the failures a test asks for (dead channels, 500, a rate limit
with `429 rate_limited` and Retry-After). It records every request.

Its payload rules are written here from Slack's documentation, on purpose
apart from `slackkit.limits`, so that a mistake in one is caught by the
other. It is stricter than Slack in one place: a `text` over 40,000
characters is refused, where Slack would cut it.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from tests.support.background_http import BackgroundHTTPServer

WEBHOOK_PATH = re.compile(r"/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+")

# Slack's answers for a webhook that cannot post, and for Slack's own trouble.
FAILURES = {
    "channel_not_found": 404,
    "channel_is_archived": 410,
    "action_prohibited": 403,
    "no_service": 404,
    "invalid_token": 403,
    "rollup_error": 500,
}

MESSAGE_BLOCK_TYPES = frozenset({
    "actions", "context", "divider", "file", "header", "image", "input",
    "markdown", "rich_text", "section", "video",
})


@dataclass(frozen=True)
class Received:
    """One request as the stand-in saw it, and what it answered."""

    path: str
    headers: dict[str, str]  # names in lower case
    payload: object  # the parsed JSON, or None when the body was not JSON
    received_at: float  # the stand-in's clock
    status: int
    answer: str
    problems: tuple[str, ...]  # why a payload was refused


@dataclass(frozen=True)
class _RateLimit:
    per_second: int
    retry_after: int


class SlackStandin(BackgroundHTTPServer):
    """`with SlackStandin() as slack:` serves on 127.0.0.1 at a free port.

    `clock` lets a test drive the rate limit without waiting.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._failures: dict[str, str] = {}
        self._rate_limits: dict[str, _RateLimit] = {}
        self._accepted_at: dict[str, deque[float]] = defaultdict(deque)
        super().__init__(_handler_for(self))


    @property
    def base_url(self) -> str:
        return self.origin

    def webhook_url(self, team: str = "T0001", bot: str = "B0001", secret: str = "Secret0001") -> str:
        return f"{self.base_url}/services/{team}/{bot}/{secret}"

    def fail(self, webhook: str, code: str) -> None:
        """Answer every POST to `webhook` (a URL or path) with a failure of FAILURES."""
        if code not in FAILURES:
            raise ValueError(f"unknown failure {code!r}; known: {sorted(FAILURES)}")
        with self._lock:
            self._failures[_path(webhook)] = code

    def rate_limit(self, webhook: str, per_second: int, retry_after: int = 1) -> None:
        """Accept at most `per_second` messages in any second, then answer 429."""
        with self._lock:
            self._rate_limits[_path(webhook)] = _RateLimit(per_second, retry_after)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def _answer(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, dict[str, str]]:
        payload = _parse(body)
        with self._lock:
            now = self._clock()
            status, answer, extra, problems = self._decide(path, payload, now)
            self._received.append(Received(path, headers, payload, now, status, answer, tuple(problems)))
        return status, answer, extra

    def _decide(self, path: str, payload: object, now: float) -> tuple[int, str, dict[str, str], list[str]]:
        if not WEBHOOK_PATH.fullmatch(path):
            return 404, "no_service", {}, []
        if path in self._failures:
            code = self._failures[path]
            return FAILURES[code], code, {}, []
        limit = self._rate_limits.get(path)
        if limit and self._over_limit(path, limit, now):
            return 429, "rate_limited", {"Retry-After": str(limit.retry_after)}, []
        if not _has_content(payload):
            return 400, "no_text", {}, ["payload has no text, blocks or attachments"]
        problems = _payload_problems(payload)
        if problems:
            return 400, "invalid_payload", {}, problems
        self._accepted_at[path].append(now)
        return 200, "ok", {}, []

    def _over_limit(self, path: str, limit: _RateLimit, now: float) -> bool:
        recent = self._accepted_at[path]
        while recent and recent[0] <= now - 1.0:
            recent.popleft()
        return len(recent) >= limit.per_second


def _handler_for(standin: SlackStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, answer, extra = standin._answer(urlsplit(self.path).path, headers, body)
            data = answer.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the test output is for the tests."""

    return Handler


def _path(webhook: str) -> str:
    return urlsplit(webhook).path


def _parse(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:  # also bad UTF-8
        return None


def _has_content(payload: object) -> bool:
    return isinstance(payload, dict) and any(payload.get(key) for key in ("text", "blocks", "attachments"))


def _payload_problems(payload: dict) -> list[str]:
    """What Slack would refuse in a message payload, after its Block Kit reference."""
    problems = []
    text = payload.get("text")
    if text is not None and not isinstance(text, str):
        problems.append("text is not a string")
    elif text and len(text) > 40_000:
        problems.append(f"text is {len(text)} characters, over 40000")
    blocks = payload.get("blocks") or []
    if not isinstance(blocks, list):
        return [*problems, "blocks is not a list"]
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks, over 50")
    for index, block in enumerate(blocks):
        problems += [f"blocks[{index}]: {problem}" for problem in _block_problems(block)]
    return problems


def _block_problems(block: object) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in MESSAGE_BLOCK_TYPES:
        return [f"not a message block: {block!r:.80}"]
    problems = _longer("block_id", block.get("block_id"), 255)
    kind = block["type"]
    if kind == "section":
        problems += _section_problems(block)
    elif kind == "header":
        problems += _text_problems("text", block.get("text"), 150, plain_only=True)
    elif kind == "context":
        problems += _elements_problems(block.get("elements"), 10, _context_element_problems)
    elif kind == "actions":
        problems += _elements_problems(block.get("elements"), 25, _action_element_problems)
        problems += _duplicate_action_ids(block.get("elements"))
    return problems


def _section_problems(block: dict) -> list[str]:
    if "text" not in block and "fields" not in block:
        return ["section has neither text nor fields"]
    problems = _text_problems("text", block["text"], 3_000) if "text" in block else []
    fields = block.get("fields", [])
    if not isinstance(fields, list) or len(fields) > 10:
        return [*problems, "fields must be a list of at most 10"]
    for index, field in enumerate(fields):
        problems += _text_problems(f"fields[{index}]", field, 2_000)
    if "accessory" in block:
        problems += _action_element_problems(block["accessory"])
    return problems


def _elements_problems(elements: object, most: int, check: Callable[[object], list[str]]) -> list[str]:
    if not isinstance(elements, list) or not 1 <= len(elements) <= most:
        return [f"elements must be a list of 1 to {most}"]
    return [problem for element in elements for problem in check(element)]


def _context_element_problems(element: object) -> list[str]:
    if isinstance(element, dict) and element.get("type") == "image":
        return []
    return _text_problems("context element", element, None)


def _action_element_problems(element: object) -> list[str]:
    if not isinstance(element, dict) or element.get("type") != "button":
        return []  # only buttons are checked: Patrol sends no other elements
    return (_text_problems("button text", element.get("text"), 75, plain_only=True)
            + _longer("action_id", element.get("action_id"), 255)
            + _longer("url", element.get("url"), 3_000)
            + _longer("value", element.get("value"), 2_000))


def _text_problems(where: str, obj: object, most: int | None, *, plain_only: bool = False) -> list[str]:
    kinds = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return [f"{where} is not a {' or '.join(kinds)} text object"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where} has no text"]
    return _longer(where, text, most) if most else []


def _longer(where: str, value: object, most: int) -> list[str]:
    if value is not None and len(str(value)) > most:
        return [f"{where} is {len(str(value))} characters, over {most}"]
    return []


def _duplicate_action_ids(elements: object) -> list[str]:
    """Slack wants each action_id once in its block, to tell the buttons apart."""
    action_ids = [element.get("action_id") for element in elements or []
                  if isinstance(element, dict) and element.get("action_id")]
    return [f"action_id {action_id!r} is used twice" for action_id in sorted(set(action_ids))
            if action_ids.count(action_id) > 1]
