"""Lines that `patrol serve` and `patrol worker` print at start-up, added by
extensions (say, which way the Slack app talks to Slack) without the core
knowing them."""
from __future__ import annotations

from flask import Flask

KEY = "patrol.banners"


def add(app: Flask, line: str) -> None:
    app.extensions.setdefault(KEY, []).append(line)


def lines(app: Flask) -> list[str]:
    return list(app.extensions.get(KEY, []))
