"""From a Slack request to an answer: the workspace's credential, the question
asked of the API, and every way that can fail turned into words.

Bolt runs listeners on its own threads, outside any Flask request, so this
holds the app itself and opens its own database session.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import Flask

from bot import links, matching, sealing
from bot.answers import Message, notes
from bot.patrol_api import ApiUnavailable, PatrolApi, PatrolApiError
from patrol import config
from patrol.db import get_db

log = logging.getLogger(__name__)
Ask = Callable[[PatrolApi], Message]
A = TypeVar("A", Message, Message | None)  # what an `ask` answers
AskAs = Callable[[PatrolApi, int], A]  # also given the id of the account the workspace acts for


class Answerer:
    def __init__(self, app: Flask) -> None:
        self._app = app

    @property
    def public_url(self) -> str | None:
        return config.of(self._app, config.Core).public_url

    @property
    def app(self) -> Flask:
        return self._app

    def answer(self, team_id: str | None, ask: Ask) -> Message:
        """`ask` the API as the account `team_id` is linked to; a problem answer otherwise."""
        return self.answer_as(team_id, lambda api, _account_id: ask(api))

    def answer_as(self, team_id: str | None, ask: AskAs[A]) -> A | Message:
        """Like `answer`, for questions that also need the account's id (its subscriptions)."""
        api_url = config.of(self._app, config.Core).api_url
        try:
            credential = self._credential(team_id)
        except (sealing.BrokenSeal, sealing.MissingSecretKey) as exc:
            log.warning("Slack workspace %s: %s", team_id, exc)
            return notes.problem("relink", team=team_id)
        if credential is None:
            return notes.problem("not_linked", team=team_id or "TEAM_ID")
        if not api_url:
            return notes.problem("not_configured")
        api = PatrolApi(api_url, credential.key, credential.secret)
        try:
            return ask(api, credential.account_id)
        except (matching.NoSuchServer, matching.AmbiguousServer, PatrolApiError, ApiUnavailable) as exc:
            return explain(exc, team_id)
        finally:
            api.close()

    def _credential(self, team_id: str | None) -> links.ApiCredential | None:
        with get_db(self._app).session() as session:
            return links.credential_for(session, sealing.for_app(self._app), team_id)


def explain(exc: Exception, team_id: str | None) -> Message:
    """The answer for a question that could not be answered."""
    if isinstance(exc, matching.NoSuchServer):
        return notes.problem("unknown_server", name=exc.wanted, suggestions=exc.suggestions)
    if isinstance(exc, matching.AmbiguousServer):
        return notes.problem("ambiguous", name=exc.wanted, candidates=exc.candidates)
    if isinstance(exc, PatrolApiError) and exc.status == 401:
        return notes.problem("relink", team=team_id)
    if isinstance(exc, PatrolApiError) and exc.code == "not_found":
        return notes.problem("gone")
    if isinstance(exc, PatrolApiError):
        return notes.problem("refused", message=exc.message)
    log.warning("Patrol's API did not answer the Slack bot: %s", exc)
    return notes.problem("unavailable")
