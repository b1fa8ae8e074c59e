"""Socket Mode: Slack's events, commands and clicks over a WebSocket that
Patrol opens, so a Patrol behind a firewall needs no inbound HTTPS.

Bolt's Socket Mode adapter with slack-sdk's built-in WebSocket client does
the protocol (`apps.connections.open` with the app-level token, acks,
refreshes); this runs it as a background service of the app, and keeps
trying to connect while Slack cannot be reached.
"""
from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from patrol import background

log = logging.getLogger(__name__)
RECONNECT_INTERVAL = 30.0  # seconds between tries while no connection could be opened


class SocketMode:
    def __init__(self, bolt: App, app_token: str) -> None:
        self.handler = SocketModeHandler(bolt, app_token)
        self.loop = background.Loop("slack-socket-mode", self._ensure_connected, RECONNECT_INTERVAL)

    @property
    def connected(self) -> bool:
        return self.handler.client.is_connected()

    def start(self) -> None:
        self.loop.start()

    def stop(self) -> None:
        self.loop.stop()
        self.handler.close()

    def _ensure_connected(self) -> bool:
        """Connect when not connected; once connected, the client reconnects by itself."""
        if not self.connected:
            try:
                self.handler.connect()
            except (SlackApiError, OSError) as exc:
                log.warning("Slack Socket Mode could not connect (trying again in %.0fs): %s",
                            RECONNECT_INTERVAL, exc)
        return False
