"""Turn a Patrol event into a Slack Incoming Webhook payload.

`render(event, ctx)` returns `{"text": fallback, "blocks": [...]}`: the
blocks tell the event in words, because Slack cannot call the event API, and
the one-line `text` says the same for notifications and screen readers.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from slackkit import issues, limits, messages
from slackkit.context import MessageContext
from slackkit.messages import Message
from slackkit.wording import Wording

__all__ = ["MessageContext", "UnknownEvent", "render"]

_DESIGNS: dict[str, Callable[[Mapping, MessageContext, Wording], Message]] = {
    "webhook.test": messages.test,
    "webhook.scan_started": messages.scan_started,
    "webhook.new_server_issues": issues.new_server_issues,
    "webhook.scan_finished": messages.scan_finished,
}


class UnknownEvent(ValueError):
    """An event identifier that has no Slack message."""


def render(event: Mapping, ctx: MessageContext) -> dict:
    """The Slack payload for `event`, checked against Slack's limits.

    Raises UnknownEvent for an identifier without a design; SlackLimitError
    (or slack_sdk's SlackObjectFormationError) would mean a bug here.
    """
    design = _DESIGNS.get(event.get("identifier", ""))
    if design is None:
        raise UnknownEvent(f"no Slack message for event {event.get('identifier')!r}")
    message = design(event, ctx, _wording())
    payload = {"text": message.fallback, "blocks": [block.to_dict() for block in message.blocks]}
    limits.assert_within_limits(payload)
    return payload


@cache
def _wording() -> Wording:
    return Wording()
