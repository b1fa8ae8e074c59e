"""The webhook form: what a person typed, turned into the fields the API takes.

Validation is the service's (`webhooks.settings`); this only maps form
controls to fields, and keeps the typed values to show the form again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from webhooks import subscriptions
from webhooks.models import GENERIC, SLACK, WebhookFormat
from webhooks.slack.urls import MASK, is_slack_webhook_url

AUTO = "auto"
# What people read for each event identifier, in the form and in the log.
EVENT_NAMES = {
    "webhook.scan_started": "Scan started",
    "webhook.new_server_issues": "New issues found",
    "webhook.scan_finished": "Scan finished",
    "webhook.test": "Test event",
}


@dataclass
class WebhookForm:
    url: str = ""
    kind: str = AUTO
    format: str = "json"
    events: list[str] = field(default_factory=list)
    min_severity: str = ""
    known_exploited_only: bool = False
    description: str = ""
    enabled: bool = True
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, form: MultiDict) -> WebhookForm:
        return cls(
            url=form.get("url", "").strip(),
            kind=form.get("kind", AUTO),
            format=form.get("format", WebhookFormat.JSON),
            events=[e for e in form.getlist("events") if e],
            min_severity=form.get("min_severity", ""),
            known_exploited_only=form.get("known_exploited_only") == "on",
            description=form.get("description", ""),
            enabled=form.get("enabled") == "on",
        )

    @classmethod
    def from_view(cls, hook: dict) -> WebhookForm:
        """The form for editing, ticking the events the webhook really receives; a masked
        URL is never put back in the field (saving it would replace the real one), the
        field stays empty to keep it."""
        return cls(
            url="" if MASK in hook["url"] else hook["url"],
            kind=AUTO if hook["kind"] == _detected_kind(hook["url"]) else hook["kind"],
            format=hook["format"],
            events=list(hook["events"]),
            min_severity=hook["min_severity"] or "",
            known_exploited_only=hook["known_exploited_only"],
            description=hook["description"] or "",
            enabled=hook["enabled"],
        )

    def creating_fields(self) -> dict:
        fields = {"url": self.url, "format": self.format, "events": self.events or None,
                  "description": self.description, "min_severity": self.min_severity,
                  "known_exploited_only": self.known_exploited_only}
        if self.kind != AUTO:
            fields["kind"] = self.kind
        return fields

    def editing_fields(self, usual_events: tuple[str, ...] | None = None) -> dict:
        """Like creating, but an empty URL keeps the current one (a masked URL is never shown).
        `usual_events` is what a webhook following the usual set receives now: ticking
        exactly those keeps it following the set (and any event added to it later)."""
        fields = self.creating_fields()
        fields["enabled"] = self.enabled
        if usual_events is not None and set(self.events) == set(usual_events):
            fields["events"] = None
        if not self.url:
            del fields["url"]
        return fields


def _detected_kind(url: str) -> str:
    # A masked Slack URL keeps its host and path, so detection still works on it.
    return SLACK if is_slack_webhook_url(url) else GENERIC


def event_choices() -> list[tuple[str, str]]:
    return [(identifier, EVENT_NAMES.get(identifier, identifier)) for identifier in subscriptions.SUBSCRIBABLE]
