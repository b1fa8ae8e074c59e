"""Slack's side of a Slack app, on loopback, for tests.

`SlackApiStandin` answers the Web API methods Patrol's bot calls, as
slack.com/api documents them: `oauth.v2.access` (HTTP Basic client
credentials and a one-time code; the answer carries the team, a bot token
and an incoming webhook whose URL the test chooses), `auth.test` and
`chat.postMessage` (the bot must be a member of the channel). Errors are
`{"ok": false, "error": code}` with status 200, as Slack answers them. Every
call is recorded.

`SlackRequests` plays Slack calling the app: slash commands and button
clicks, form-encoded and signed with the signing secret (slack-sdk's
`SignatureVerifier`), or with the signature or timestamp a test forges.
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from slack_sdk.signature import SignatureVerifier

from tests.support.background_http import BackgroundHTTPServer
from tests.support.receivers import Receiver

PREFIX = "/api/"


@dataclass(frozen=True)
class Call:
    """One Web API call: the method, its arguments and the token or client it came with."""

    method: str
    args: dict
    token: str | None
    client: tuple[str, str] | None


@dataclass
class Workspace:
    """What an install of the app into one workspace gives."""

    team_id: str = "T0STANDIN1"
    team_name: str = "Acme"
    enterprise_id: str | None = None
    bot_token: str = field(default_factory=lambda: "xoxb-" + secrets.token_hex(20))
    bot_user_id: str = "U0PATROL"
    bot_id: str = "B0PATROL"
    installer: str = "U0INSTALLER"
    channel: str = "#alerts"
    channel_id: str = "C0ALERTS"
    incoming_webhook_url: str | None = None
    member_of: set[str] = field(default_factory=lambda: {"C0ALERTS"})


class SlackApiStandin(BackgroundHTTPServer):
    """`with SlackApiStandin(...) as slack_api:`; the bot's `SLACK_API_URL` is `slack_api.base_url`."""

    def __init__(self, client_id: str = "1111.2222", client_secret: str = "standin-client-secret",
                 app_id: str = "A0PATROL") -> None:
        self.client_id, self.client_secret, self.app_id = client_id, client_secret, app_id
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._codes: dict[str, Workspace] = {}
        self._tokens: dict[str, Workspace] = {}
        super().__init__(_handler_for(self))


    @property
    def base_url(self) -> str:
        return self.origin + PREFIX

    def install(self, workspace: Workspace) -> str:
        """A one-time OAuth code that `oauth.v2.access` exchanges for `workspace`'s install."""
        code = secrets.token_hex(8)
        with self._lock:
            self._codes[code] = workspace
            self._tokens[workspace.bot_token] = workspace
        return code

    def add_bot(self, workspace: Workspace) -> None:
        """Make `workspace.bot_token` valid without an OAuth install (single-workspace mode)."""
        with self._lock:
            self._tokens[workspace.bot_token] = workspace

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if method in (None, call.method)]

    def _answer(self, call: Call) -> tuple[int, dict]:
        with self._lock:
            self._calls.append(call)
            method = _METHODS.get(call.method)
            if method is None:
                return 404, {"ok": False, "error": "unknown_method"}
            return 200, method(self, call)

    def _oauth_v2_access(self, call: Call) -> dict:
        if call.client != (self.client_id, self.client_secret):
            return {"ok": False, "error": "invalid_client_id"}
        workspace = self._codes.pop(call.args.get("code", ""), None)
        if workspace is None:
            return {"ok": False, "error": "invalid_code"}
        return {
            "ok": True, "app_id": self.app_id, "access_token": workspace.bot_token, "token_type": "bot",
            "scope": "commands,chat:write,incoming-webhook", "bot_user_id": workspace.bot_user_id,
            "authed_user": {"id": workspace.installer},
            "team": {"id": workspace.team_id, "name": workspace.team_name},
            "enterprise": {"id": workspace.enterprise_id} if workspace.enterprise_id else None,
            "is_enterprise_install": False,
            "incoming_webhook": {
                "channel": workspace.channel, "channel_id": workspace.channel_id,
                "configuration_url": f"https://{workspace.team_name.lower()}.slack.com/services/{workspace.bot_id}",
                "url": workspace.incoming_webhook_url,
            },
        }

    def _auth_test(self, call: Call) -> dict:
        workspace = self._tokens.get(call.token or "")
        if workspace is None:
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, "url": f"https://{workspace.team_name.lower()}.slack.com/",
                "team": workspace.team_name, "user": "patrol", "team_id": workspace.team_id,
                "user_id": workspace.bot_user_id, "bot_id": workspace.bot_id, "is_enterprise_install": False}

    def _chat_post_message(self, call: Call) -> dict:
        workspace = self._tokens.get(call.token or "")
        if workspace is None:
            return {"ok": False, "error": "not_authed" if not call.token else "invalid_auth"}
        channel = call.args.get("channel")
        if channel not in workspace.member_of:
            return {"ok": False, "error": "not_in_channel"}
        if not (call.args.get("text") or call.args.get("blocks")):
            return {"ok": False, "error": "no_text"}
        ts = f"{time.time():.6f}"
        return {"ok": True, "channel": channel, "ts": ts,
                "message": {"type": "message", "text": call.args.get("text"), "bot_id": workspace.bot_id, "ts": ts}}


_METHODS = {
    "oauth.v2.access": SlackApiStandin._oauth_v2_access,
    "auth.test": SlackApiStandin._auth_test,
    "chat.postMessage": SlackApiStandin._chat_post_message,
}


def _handler_for(standin: SlackApiStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            method = path[len(PREFIX):] if path.startswith(PREFIX) else path
            status, answer = standin._answer(_call(method, self.headers, body))  # noqa: SLF001
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the test output is for the tests."""

    return Handler


def _call(method: str, headers, body: bytes) -> Call:  # noqa: ANN001 - http.server's headers
    if (headers.get("Content-Type") or "").startswith("application/json"):
        args = json.loads(body or b"{}")
    else:
        args = dict(parse_qsl(body.decode(), keep_blank_values=True))
    token, client = args.pop("token", None), None
    kind, _, credentials = (headers.get("Authorization") or "").partition(" ")
    if kind == "Bearer":
        token = credentials
    elif kind == "Basic":
        user, _, password = base64.b64decode(credentials).decode().partition(":")
        client = (user, password)
    return Call(method, args, token, client)


@pytest.fixture
def slack_api() -> Iterator[SlackApiStandin]:
    with SlackApiStandin() as standin:
        yield standin


class SlackRequests:
    """Slack's requests to the app at `base_url`, signed with `signing_secret`."""

    def __init__(self, base_url: str, signing_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.verifier = SignatureVerifier(signing_secret)
        self.http = requests.Session()
        self.http.trust_env = False  # straight to loopback, whatever the environment says

    def command(self, text: str, *, team_id: str, response_url: str, channel_id: str = "C0ALERTS",
                **signing: object) -> requests.Response:
        form = {
            "token": "deprecated-verification-token", "team_id": team_id, "team_domain": "acme",
            "channel_id": channel_id, "channel_name": "alerts", "user_id": "U0ASKER", "user_name": "ada",
            "command": "/patrol", "text": text, "api_app_id": "A0PATROL", "response_url": response_url,
            "trigger_id": "1.2.3",
        }
        return self.post(urlencode(form), **signing)

    def click(self, action_id: str, value: str, *, team_id: str, response_url: str,
              **signing: object) -> requests.Response:
        """A button on a message in a channel, as Slack's `block_actions` payload."""
        payload = {
            "type": "block_actions", "api_app_id": "A0PATROL", "token": "deprecated-verification-token",
            "team": {"id": team_id, "domain": "acme"}, "user": {"id": "U0CLICKER", "team_id": team_id},
            "channel": {"id": "C0ALERTS", "name": "alerts"}, "container": {"type": "message"},
            "trigger_id": "1.2.3", "response_url": response_url,
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                         "action_ts": f"{time.time():.6f}"}],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), **signing)

    def ask(self, text: str, *, team_id: str, answers: Receiver, **options: object) -> dict:
        """A command answered later: its ack must be empty; the answer is what reaches `answers`."""
        return _answered(self.command(text, team_id=team_id, response_url=answers.url("/response"), **options),
                         answers)

    def press(self, action_id: str, value: str, *, team_id: str, answers: Receiver) -> dict:
        """A button click answered later, like `ask`."""
        return _answered(self.click(action_id, value, team_id=team_id, response_url=answers.url("/response")),
                         answers)

    def post(self, body: str, *, timestamp: int | None = None, signature: str | None = None,
             path: str = "/slack/events") -> requests.Response:
        """POST `body` signed at `timestamp` (now by default), or with the `signature` given."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        return self.http.post(self.base_url + path, data=body.encode(), headers=headers, timeout=10)


def _answered(acked: requests.Response, answers: Receiver) -> dict:
    assert acked.status_code == 200 and acked.text == "", (acked.status_code, acked.text)
    (answer,) = answers.wait_for(1)
    return answer.json()
