"""Who is signed in to the web pages: the one fact the web app, the Slack
install flow and anything else with pages share.

The web package owns sign-in (its forms and its server-side sessions) and
registers how to find the signed-in account here; others only ask, so the
core and the other extensions never import it. Without it nobody is signed in.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from patrol.models import Account

EXTENSION = "patrol.signin"


def provide(app: Flask, find: Callable[[], Account | None]) -> None:
    """Called by the extension that keeps sessions: `find` answers for the current request."""
    app.extensions[EXTENSION] = find


def current_account() -> Account | None:
    find = current_app.extensions.get(EXTENSION)
    return find() if find is not None else None
