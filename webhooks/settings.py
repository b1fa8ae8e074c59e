"""Validating what a person sets on a webhook: url, kind, format, events, ..."""
from __future__ import annotations

from typing import Any

from patrol.advisories.severity import LEVELS
from patrol.errors import Invalid
from webhooks import addresses, subscriptions
from webhooks.models import GENERIC, SLACK, WebhookFormat
from webhooks.slack.urls import is_slack_webhook_url

KINDS = (GENERIC, SLACK)  # a slack_channel webhook is made from Slack only
FORMATS = tuple(WebhookFormat)
EDITABLE = ("url", "kind", "format", "events", "description", "enabled", "min_severity", "known_exploited_only")


def clean(fields: dict[str, Any], policy: addresses.AddressPolicy, *, creating: bool) -> dict[str, Any]:
    """The validated subset of `fields`; raises Invalid naming every bad field."""
    cleaned, problems = {}, {}
    if creating and not fields.get("url"):
        problems["url"] = "is required"
    for name in EDITABLE:
        if name not in fields:
            continue
        try:
            cleaned[name] = _CHECKS[name](fields[name], policy)
        except ValueError as exc:
            problems[name] = str(exc)
    if problems:
        raise Invalid("The webhook settings are not valid.", fields=problems)
    if "url" in cleaned and "kind" not in fields:
        cleaned["kind"] = SLACK if is_slack_webhook_url(cleaned["url"]) else GENERIC
    return cleaned


def refuse_for_channel(cleaned: dict[str, Any]) -> None:
    """A Slack channel subscription keeps its channel: it is changed from Slack, not here."""
    fixed: dict[str, str] = {name: "cannot be changed on a Slack channel subscription; use /patrol subscribe in Slack"
             for name in ("url", "kind", "format") if name in cleaned}
    if fixed:
        raise Invalid("The webhook settings are not valid.", fields=fixed)


def _url(value: Any, policy: addresses.AddressPolicy) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be an http or https URL")
    try:
        policy.validate_url(value.strip())
    except addresses.InvalidWebhookUrl as exc:
        raise ValueError(str(exc)) from exc
    return value.strip()


def _choice(options: tuple[str, ...]):  # noqa: ANN202
    def check(value: Any, _policy: addresses.AddressPolicy) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value

    return check


def _events(value: Any, _policy: addresses.AddressPolicy) -> list[str] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, dict):  # PHP bracket arrays: events[]=a&events[]=b
        value = list(value.values())
    if not isinstance(value, list) or not value:
        raise ValueError("must be a list of event identifiers")
    unknown = [v for v in value if v not in subscriptions.SUBSCRIBABLE]
    if unknown:
        raise ValueError(f"unknown events: {', '.join(map(str, unknown))}")
    return list(dict.fromkeys(value))


def _description(value: Any, _policy: addresses.AddressPolicy) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 500:
        raise ValueError("must be text of at most 500 characters")
    return value.strip() or None


def _enabled(value: Any, _policy: addresses.AddressPolicy) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no"):
        return False
    raise ValueError("must be true or false")


def _min_severity(value: Any, _policy: addresses.AddressPolicy) -> str | None:
    if value in (None, ""):
        return None
    if value not in LEVELS[:-1]:
        raise ValueError(f"must be one of {', '.join(LEVELS[:-1])}")
    return value


_CHECKS = {
    "url": _url,
    "kind": _choice(KINDS),
    "format": _choice(FORMATS),
    "events": _events,
    "description": _description,
    "enabled": _enabled,
    "min_severity": _min_severity,
    "known_exploited_only": _enabled,
}
