"""Socket Mode against a local stand-in of Slack's socket: with only an
app-level token (no signing secret, no public request URL), the app opens
its connection through `apps.connections.open`, and the same slash command
is answered over it; a refresh moves it to a new connection."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from patrol import background
from tests.support.slack_api_standin import Workspace
from tests.support.slack_steps import TEAM
from tests.support.serving import running
from tests.support.socket_mode_standin import SocketModeStandin

pytestmark = pytest.mark.extensions("bot")

BOT = Workspace(team_id=TEAM, bot_token="xoxb-socket-token")


@pytest.fixture
def socket():
    with SocketModeStandin() as standin:
        yield standin


@pytest.fixture
def app_config(app_config, slack_api, socket):
    slack_api.add_bot(BOT)
    slack_api.socket_url = socket.url
    app_config.update(SLACK_APP_TOKEN=slack_api.app_token, SLACK_BOT_TOKEN=BOT.bot_token,
                      SLACK_API_URL=slack_api.base_url)
    return app_config


@pytest.fixture
def connected(app, live_server, socket, owner):
    app.config["API_URL"] = live_server.base_url + "/api"
    background.get(app).start()
    socket.wait_connected()
    return owner


def slash_command(text, response_url):
    return {"token": "deprecated", "team_id": TEAM, "team_domain": "acme", "channel_id": "C0ALERTS",
            "channel_name": "alerts", "user_id": "U0ANN", "user_name": "ann", "command": "/patrol", "text": text,
            "api_app_id": "A0PATROL", "response_url": response_url, "trigger_id": "1.2.3"}


def test_a_slash_command_is_answered_over_socket_mode(client, slack_api, socket, receivers, connected, make_server):
    make_server(connected, "web1.example.com")
    answers = receivers()

    envelope = socket.send("slash_commands", slash_command("status", answers.url("/response")),
                           accepts_response_payload=True)

    assert socket.ack(envelope) == {"envelope_id": envelope}  # acknowledged at once, answered later
    (answer,) = answers.wait_for(1)
    assert answer.json()["text"] == "1 server, 0 open issues." and "web1.example.com" in str(answer.json()["blocks"])
    opened = slack_api.calls("apps.connections.open")
    assert opened and opened[0].token == slack_api.app_token
    assert client.post("/slack/events").status_code == 404  # no public request URL at all


def test_help_comes_back_in_the_ack_and_a_refresh_reconnects(socket, receivers, connected):
    socket.refresh()
    socket.wait_connected(hellos=2)

    envelope = socket.send("slash_commands", slash_command("help", receivers().url("/response")),
                           accepts_response_payload=True)

    ack = socket.ack(envelope)
    assert ack["payload"]["response_type"] == "ephemeral"
    assert ack["payload"]["text"].startswith("Patrol commands:")


def _started(command: list[str], env: dict[str, str], cwd: Path) -> str:
    """What the command printed up to its `Slack:` line; then it is stopped."""
    with running(command, env, cwd, "Slack:") as (_, printed):
        return printed


def test_serve_and_worker_say_which_way_slack_is_reached(database_url, slack_api, socket, tmp_path):
    env = {**os.environ, "PATROL_DATABASE_URL": database_url, "PATROL_SECRET_KEY": "k" * 32,
           "SLACK_API_URL": slack_api.base_url, "SLACK_APP_TOKEN": slack_api.app_token}
    env.pop("SLACK_SIGNING_SECRET", None)

    worker = _started(["worker"], env, tmp_path)
    served = _started(["serve", "--port", "0"], {**env, "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "s" * 32},
                      tmp_path)

    assert "Slack: Socket Mode" in worker
    assert "Slack: HTTP mode" in served and "/slack/events" in served
