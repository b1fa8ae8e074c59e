"""Slack's side of a Slack app, on loopback, for tests.

`SlackApiStandin` answers the Web API methods Patrol's bot calls, as
slack.com/api documents them: `oauth.v2.access` (HTTP Basic client
credentials and a one-time code; the answer carries the team, a bot token
and an incoming webhook whose URL the test chooses), `auth.test`,
`chat.postMessage` (the bot must be a member of the channel; a `thread_ts`
must name a message of it), `chat.update` (only a message the bot posted),
`chat.unfurl`, `views.publish`, `views.open` (a modal for a `trigger_id`
from an interaction, which is good for one use) and `apps.connections.open` (an app-level
`xapp-` token; the answer is the URL a test sets, e.g. a Socket Mode
stand-in's). Errors are `{"ok": false, "error": code}` with status 200, as
Slack answers them, except a rate limit a test asks for: 429 `ratelimited`
with Retry-After. Every call is recorded.

`SlackRequests` plays Slack calling the app: slash commands, button clicks
and modal submissions, form-encoded and signed with the signing secret
(slack-sdk's `SignatureVerifier`), or with the signature or timestamp a test
forges.
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
    """One Web API call: the method, its arguments, the token or client it came with,
    and (once answered) the stand-in's answer."""

    method: str
    args: dict
    token: str | None
    client: tuple[str, str] | None
    answer: dict = field(default_factory=dict)


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
        self._posted: dict[tuple[str, str], dict] = {}  # (channel, ts): the message as it is now
        self._rate_limited: dict[str, int] = {}  # method: how many calls to refuse with 429
        self._used_triggers: set[str] = set()
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self.app_token = "xapp-1-A0PATROL-1-" + secrets.token_hex(16)
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

    def rate_limit(self, method: str, times: int = 1) -> None:
        """Refuse the next `times` calls of `method` with 429 and Retry-After: 1."""
        with self._lock:
            self._rate_limited[method] = times

    def message(self, channel: str, ts: str) -> dict | None:
        """A posted message as it reads now (after any chat.update)."""
        with self._lock:
            return self._posted.get((channel, ts))

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if method in (None, call.method)]

    def _answer(self, call: Call) -> tuple[int, dict]:
        with self._lock:
            self._calls.append(call)
            method = _METHODS.get(call.method)
            if method is None:
                return 404, {"ok": False, "error": "unknown_method"}
            if self._rate_limited.get(call.method):
                self._rate_limited[call.method] -= 1
                status, answer = 429, {"ok": False, "error": "ratelimited"}
            else:
                status, answer = 200, method(self, call)
            call.answer.update(answer)
            return status, answer

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
        workspace, problem = self._member(call)
        if problem:
            return problem
        channel, thread = call.args.get("channel"), call.args.get("thread_ts")
        if thread is not None and (channel, thread) not in self._posted:
            return {"ok": False, "error": "thread_not_found"}
        ts = f"{time.time():.6f}"
        while (channel, ts) in self._posted:  # two posts in one microsecond: Slack's ts are unique
            ts = f"{float(ts) + 0.000001:.6f}"
        self._posted[(channel, ts)] = dict(call.args)
        return {"ok": True, "channel": channel, "ts": ts,
                "message": {"type": "message", "text": call.args.get("text"), "bot_id": workspace.bot_id, "ts": ts}}

    def _chat_update(self, call: Call) -> dict:
        _, problem = self._member(call)
        if problem:
            return problem
        key = (call.args.get("channel"), call.args.get("ts"))
        if key not in self._posted:
            return {"ok": False, "error": "message_not_found"}
        self._posted[key] = {**self._posted[key], **call.args}
        return {"ok": True, "channel": key[0], "ts": key[1], "text": call.args.get("text")}

    def _member(self, call: Call) -> tuple[Workspace | None, dict | None]:
        """The bot's workspace, or the error Slack gives a call that may not post in the channel."""
        workspace = self._tokens.get(call.token or "")
        if workspace is None:
            return None, {"ok": False, "error": "not_authed" if not call.token else "invalid_auth"}
        if call.args.get("channel") not in workspace.member_of:
            return workspace, {"ok": False, "error": "not_in_channel"}
        if not (call.args.get("text") or call.args.get("blocks")):
            return workspace, {"ok": False, "error": "no_text"}
        return workspace, None

    def _chat_unfurl(self, call: Call) -> dict:
        if self._tokens.get(call.token or "") is None:
            return {"ok": False, "error": "invalid_auth"}
        unfurls = call.args.get("unfurls")
        unfurls = json.loads(unfurls) if isinstance(unfurls, str) else unfurls
        if not (call.args.get("channel") and call.args.get("ts") and isinstance(unfurls, dict) and unfurls):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def _views_publish(self, call: Call) -> dict:
        if self._tokens.get(call.token or "") is None:
            return {"ok": False, "error": "invalid_auth"}
        view = call.args.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        if not call.args.get("user_id") or not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0HOME", **view}}

    def _views_open(self, call: Call) -> dict:
        workspace = self._tokens.get(call.token or "")
        if workspace is None:
            return {"ok": False, "error": "not_authed" if not call.token else "invalid_auth"}
        trigger, view = call.args.get("trigger_id"), call.args.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        if not trigger:
            return {"ok": False, "error": "invalid_arguments"}
        if trigger in self._used_triggers:
            return {"ok": False, "error": "exchanged_trigger_id"}
        problems = _modal_problems(view)
        if problems:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        self._used_triggers.add(trigger)
        view_id = "V" + secrets.token_hex(5).upper()
        return {"ok": True, "view": {"id": view_id, "team_id": workspace.team_id, "app_id": self.app_id,
                                     "bot_id": workspace.bot_id, "hash": secrets.token_hex(8),
                                     "state": {"values": {}}, "private_metadata": "", "callback_id": "",
                                     "root_view_id": view_id, "previous_view_id": None, **view}}

    def _apps_connections_open(self, call: Call) -> dict:
        if call.token != self.app_token:
            return {"ok": False, "error": "invalid_auth" if call.token else "not_authed"}
        if self.socket_url is None:
            return {"ok": False, "error": "socket_mode_not_enabled"}
        return {"ok": True, "url": self.socket_url}


_METHODS = {
    "oauth.v2.access": SlackApiStandin._oauth_v2_access,
    "auth.test": SlackApiStandin._auth_test,
    "chat.postMessage": SlackApiStandin._chat_post_message,
    "chat.update": SlackApiStandin._chat_update,
    "chat.unfurl": SlackApiStandin._chat_unfurl,
    "views.publish": SlackApiStandin._views_publish,
    "views.open": SlackApiStandin._views_open,
    "apps.connections.open": SlackApiStandin._apps_connections_open,
}


def _modal_problems(view: object) -> list[str]:
    """What Slack would refuse in a modal view: its documented required fields and limits."""
    if not isinstance(view, dict) or view.get("type") != "modal":
        return ["[ERROR] a view of type modal is required"]
    problems = []
    for name in ("title", "submit", "close"):
        text = view.get(name)
        if name == "title" or text is not None:
            plain = isinstance(text, dict) and text.get("type") == "plain_text"
            if not (plain and 0 < len(text.get("text", "")) <= 24):
                problems.append(f"[ERROR] {name} must be plain_text of 1 to 24 characters")
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or len(blocks) > 100:
        problems.append("[ERROR] blocks must be a list of at most 100 blocks")
    elif any(block.get("type") == "input" for block in blocks) and view.get("submit") is None:
        problems.append("[ERROR] a view with input blocks needs submit")
    if len(view.get("callback_id") or "") > 255 or len(view.get("private_metadata") or "") > 3000:
        problems.append("[ERROR] callback_id is at most 255 characters, private_metadata 3000")
    return problems


def _handler_for(standin: SlackApiStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            method = path[len(PREFIX):] if path.startswith(PREFIX) else path
            status, answer = standin._answer(_call(method, self.headers, body))
            data = json.dumps(answer).encode()
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the test output is for the tests."""

    return Handler


def _call(method: str, headers, body: bytes) -> Call:  # http.server's headers
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
              message: dict | None = None, user_id: str = "U0CLICKER", **signing: object) -> requests.Response:
        """A button on a message in a channel, as Slack's `block_actions` payload;
        `message` is the message the button is on (Slack sends it for a bot's message)."""
        payload = {
            "type": "block_actions", "api_app_id": "A0PATROL", "token": "deprecated-verification-token",
            "team": {"id": team_id, "domain": "acme"}, "user": {"id": user_id, "team_id": team_id},
            "channel": {"id": "C0ALERTS", "name": "alerts"}, "container": {"type": "message"},
            "trigger_id": _trigger_id(), "response_url": response_url,
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                         "action_ts": f"{time.time():.6f}"}],
        }
        if message is not None:
            payload["message"] = message
        return self.post(urlencode({"payload": json.dumps(payload)}), **signing)

    def submit(self, view: dict, values: dict, *, team_id: str, user_id: str = "U0CLICKER",
               **signing: object) -> requests.Response:
        """A modal's `view_submission`: `view` as the app opened it (plus what views.open
        added), with `values` as the state Slack reports, `{block_id: {action_id: {...}}}`."""
        payload = {
            "type": "view_submission", "api_app_id": "A0PATROL", "token": "deprecated-verification-token",
            "team": {"id": team_id, "domain": "acme"},
            "user": {"id": user_id, "username": "ada", "name": "ada", "team_id": team_id},
            "trigger_id": _trigger_id(), "response_urls": [], "is_enterprise_install": False,
            "view": {**view, "team_id": team_id, "state": {"values": values}},
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), **signing)

    def event(self, event: dict, *, team_id: str, **signing: object) -> requests.Response:
        """An Events API callback (`event_callback`) carrying `event`, as JSON."""
        envelope = {
            "token": "deprecated-verification-token", "team_id": team_id, "api_app_id": "A0PATROL",
            "event": {"event_ts": f"{time.time():.6f}", **event}, "type": "event_callback",
            "event_id": "Ev" + secrets.token_hex(5).upper(), "event_time": int(time.time()),
            "authorizations": [{"team_id": team_id, "user_id": "U0PATROL", "is_bot": True}],
        }
        return self.post(json.dumps(envelope), content_type="application/json", **signing)

    def ask(self, text: str, *, team_id: str, answers: Receiver, **options: object) -> dict:
        """A command answered later: its ack must be empty; the answer is what reaches `answers`."""
        return _answered(self.command(text, team_id=team_id, response_url=answers.url("/response"), **options),
                         answers)

    def press(self, action_id: str, value: str, *, team_id: str, answers: Receiver) -> dict:
        """A button click answered later, like `ask`."""
        return _answered(self.click(action_id, value, team_id=team_id, response_url=answers.url("/response")),
                         answers)

    def post(self, body: str, *, timestamp: int | None = None, signature: str | None = None,
             path: str = "/slack/events", content_type: str = "application/x-www-form-urlencoded",
             ) -> requests.Response:
        """POST `body` signed at `timestamp` (now by default), or with the `signature` given."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        return self.http.post(self.base_url + path, data=body.encode(), headers=headers, timeout=10)


def _trigger_id() -> str:
    """A new trigger id, as Slack sends with each interaction (each opens at most one modal)."""
    return f"{int(time.time())}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"


def _answered(acked: requests.Response, answers: Receiver) -> dict:
    assert acked.status_code == 200 and acked.text == "", (acked.status_code, acked.text)
    (answer,) = answers.wait_for(1)
    return answer.json()
