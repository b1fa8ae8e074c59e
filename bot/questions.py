"""Each question the bot answers, asked of Patrol's API with the workspace's credential.

Functions here return an answer for the good path and for what a person can
fix (a scan already running); `bot.replying` turns the rest into answers.
"""
from __future__ import annotations

from bot import matching
from bot.answers import Message, notes
from bot.answers.detail import server_detail
from bot.answers.issues import issue_list
from bot.answers.listing import status_list
from bot.patrol_api import PatrolApi, PatrolApiError
from slackkit import severity
from webhooks.models import SLACK_KINDS


def status_all(api: PatrolApi) -> Message:
    """Every server with its open issues by severity, as the server objects count them."""
    return status_list([(server, counts(server)) for server in api.servers()])


def status_one(api: PatrolApi, name: str, public_url: str | None) -> Message:
    server = _named(api, name)
    return server_detail(server, api.open_issues(server["id"]), api.upgrades(server["id"]), public_url)


def issues(api: PatrolApi, server: dict, minimum: str | None, public_url: str | None) -> Message:
    return issue_list(server, api.open_issues(server["id"]), api.upgrades(server["id"]), minimum, public_url)


def issues_named(api: PatrolApi, name: str, minimum: str | None, public_url: str | None) -> Message:
    return issues(api, _named(api, name), minimum, public_url)


def scan(api: PatrolApi, server: dict) -> Message:
    """Start a scan; the account's Slack webhooks report its end, so say whether there are any."""
    try:
        api.scan(server["id"])
    except PatrolApiError as exc:
        if exc.code == "already_scanning":
            return notes.already_scanning(server["name"])
        raise
    return notes.scan_started(server["name"], _has_slack_webhook(api))


def scan_named(api: PatrolApi, name: str) -> Message:
    return scan(api, _named(api, name))


def _named(api: PatrolApi, name: str) -> dict:
    return matching.find(api.servers(), name)


def counts(server: dict) -> dict[str, int]:
    """The server's open, undismissed issues by severity (no extra call: the server object has them)."""
    return severity.ordered(server.get("open_by_severity") or {})


def _has_slack_webhook(api: PatrolApi) -> bool:
    try:
        hooks = api.webhooks()
    except PatrolApiError:  # webhooks are an extension; without them nothing is posted
        return False
    return any(hook.get("kind") in SLACK_KINDS and hook.get("enabled") for hook in hooks)
