"""The Slack app manifest (bot/manifest.yml, shipped as package data), with a
deployment's request URLs filled in."""
from __future__ import annotations

from urllib.parse import urlsplit

import yaml

from bot.oauth import REDIRECT_PATH
from bot.routes import EVENTS_PATH
from patrol import resources

MANIFEST = resources.path("bot", "manifest.yml")


class BadUrl(ValueError):
    """Not an http(s) base URL Slack could call."""


def load() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def for_url(base_url: str) -> dict:
    """The manifest with every request URL under `base_url` (Patrol's public address)."""
    base = base_url.strip().rstrip("/")
    if not base.startswith(("https://", "http://")) or len(base) <= len("https://"):
        raise BadUrl(f"{base_url!r} is not an http(s) address, e.g. https://patrol.example.com")
    host = urlsplit(base).hostname
    if not host:
        raise BadUrl(f"{base_url!r} has no host name, e.g. https://patrol.example.com")
    manifest = load()
    for command in manifest["features"]["slash_commands"]:
        command["url"] = base + EVENTS_PATH
    manifest["settings"]["interactivity"]["request_url"] = base + EVENTS_PATH
    manifest["settings"]["event_subscriptions"]["request_url"] = base + EVENTS_PATH
    manifest["oauth_config"]["redirect_urls"] = [base + REDIRECT_PATH]
    manifest["features"]["unfurl_domains"] = [host]
    return manifest


def for_socket_mode(manifest: dict) -> dict:
    """The manifest for Socket Mode: Slack reaches Patrol over its socket, so no request URLs."""
    manifest["settings"]["socket_mode_enabled"] = True
    for command in manifest["features"]["slash_commands"]:
        command.pop("url", None)
    manifest["settings"]["interactivity"].pop("request_url", None)
    manifest["settings"]["event_subscriptions"].pop("request_url", None)
    return manifest


def render(base_url: str, *, socket_mode: bool = False) -> str:
    manifest = for_url(base_url)
    if socket_mode:
        manifest = for_socket_mode(manifest)
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
