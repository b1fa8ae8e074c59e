"""Calling Slack's Web API for a delivery, with the answer kept as the delivery log shows it."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from webhooks.transport import Result

MAX_LOGGED = 2000  # characters of Slack's answer kept in the delivery log


@dataclass(frozen=True)
class Answer:
    result: Result
    data: dict

    @property
    def ok(self) -> bool:
        return self.result.error_kind is None


class WebApi:
    """One workspace's bot, as the delivery sees it: `call("chat.postMessage", channel=..., ...)`."""

    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self._client = WebClient(token=token, base_url=base_url, timeout=int(max(1, timeout)))

    def call(self, method: str, **args: object) -> Answer:
        started = time.monotonic()
        try:
            response = self._client.api_call(method, json=args)
        except SlackApiError as exc:
            response = exc.response
        except (URLError, OSError) as exc:  # also socket timeouts
            kind = "timeout" if isinstance(exc, TimeoutError) else "connection"
            return Answer(Result(None, "", {}, _ms(started), kind, f"{method}: {exc}"), {})
        data = response.data if isinstance(response.data, dict) else {}
        return Answer(_result(method, response.status_code, data, response.headers, started), data)


def not_installed(team_id: str | None) -> Answer:
    """The answer when Patrol holds no bot token for the workspace: as good as Slack saying so."""
    data = {"ok": False, "error": "not_installed"}
    return Answer(Result(200, json.dumps(data), {}, 0, "slack_error",
                         f"no bot token for Slack workspace {team_id}"), data)


def _result(method: str, status: int, data: dict, headers: dict, started: float) -> Result:
    ok = status == 200 and data.get("ok") is True
    kept = {name.title(): value for name, value in headers.items() if name.lower() == "retry-after"}
    kept = {name: value[0] if isinstance(value, list) else value for name, value in kept.items()}
    error = None if ok else f"{method}: {data.get('error') or f'HTTP {status}'}"
    return Result(status, json.dumps(data)[:MAX_LOGGED], kept, _ms(started),
                  None if ok else "slack_error", error)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
