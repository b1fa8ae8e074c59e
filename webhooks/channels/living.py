"""One living message per scan in a channel.

The first of a scan's events posts the message; later ones update it in
place (`chat.update`), so a channel reads one card per scan however many
events it had. New issues go into the card when they are a handful, and
into a thread under it when there are more. An event that arrives after a
later one (a retry, say) never turns the card back.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from patrol import events
from slackkit.messages import server_id as event_server_id
from patrol.db import Database
from webhooks.channels import cards
from webhooks.channels.models import FINISHED, ISSUES, STARTED, ScanMessage
from webhooks.channels.webapi import Answer, WebApi

HANDFUL = 5  # new issues shown in the card itself; more go into its thread
STAGES = {events.SCAN_STARTED: STARTED, events.NEW_SERVER_ISSUES: ISSUES, events.SCAN_FINISHED: FINISHED}


@dataclass(frozen=True)
class Messages:
    """The rendered message for the event, and the scan-started card in case the scan needs one."""

    main: dict
    started: dict | None = None


@dataclass(frozen=True)
class Card:
    ts: str
    stage: int
    issues: list[dict]


class LivingMessages:
    def __init__(self, db: Database) -> None:
        self.db = db

    def deliver(self, api: WebApi, webhook_id: str, channel: str, event: dict, messages: Messages) -> Answer:
        stage, scan_id = STAGES.get(event.get("identifier", "")), (event.get("scan") or {}).get("id")
        if stage is None or scan_id is None:
            return api.call("chat.postMessage", channel=channel, **messages.main)
        key = (webhook_id, scan_id)
        card = self._card(key)
        if stage == ISSUES:
            return self._issues(api, key, channel, card, event.get("issues") or [], messages)
        if card is None:
            return self._post(api, key, channel, messages.main, stage, [])
        if stage < card.stage:
            return api.call("chat.postMessage", channel=channel, thread_ts=card.ts, **messages.main)
        message = cards.with_issues(messages.main, card.issues, event_server_id(event))
        return self._update(api, key, channel, card, message, stage)

    def _issues(self, api: WebApi, key: tuple, channel: str, card: Card | None, issues: list[dict],
                messages: Messages) -> Answer:
        few = len(issues) <= HANDFUL
        if card is None and few:
            return self._post(api, key, channel, messages.main, ISSUES, issues)
        if card is None:
            posted = self._post(api, key, channel, messages.started or messages.main, STARTED, [])
            if not posted.ok or messages.started is None:
                return posted
            card = self._card(key)
            if card is None:  # the webhook, and its card, went meanwhile
                return posted
        if few and card.stage < FINISHED:
            return self._update(api, key, channel, card, messages.main, ISSUES, issues)
        return api.call("chat.postMessage", channel=channel, thread_ts=card.ts, **messages.main)

    def _post(self, api: WebApi, key: tuple, channel: str, message: dict, stage: int,
              issues: list[dict]) -> Answer:
        answer = api.call("chat.postMessage", channel=channel, **message)
        if answer.ok:
            with self.db.session() as session:
                session.merge(ScanMessage(webhook_id=key[0], scan_id=key[1], channel_id=channel,
                                          ts=str(answer.data.get("ts")), stage=stage, issues=issues or None))
        return answer

    def _update(self, api: WebApi, key: tuple, channel: str, card: Card, message: dict, stage: int,
                issues: list[dict] | None = None) -> Answer:
        answer = api.call("chat.update", channel=channel, ts=card.ts, **message)
        if answer.data.get("error") == "message_not_found":  # someone deleted the card: start a new one
            return self._post(api, key, channel, message, stage, issues or card.issues)
        if answer.ok:
            with self.db.session() as session:
                _save(session, key, stage, card.issues if issues is None else issues)
        return answer

    def _card(self, key: tuple) -> Card | None:
        with self.db.session() as session:
            row = session.get(ScanMessage, key)
            return None if row is None else Card(row.ts, row.stage, list(row.issues or []))


def _save(session: Session, key: tuple, stage: int, issues: list[dict]) -> None:
    row = session.get(ScanMessage, key)
    if row is not None:
        row.stage, row.issues = max(row.stage, stage), issues or None
