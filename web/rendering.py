"""Helpers the page views share: template filters and live-region partials."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from flask import render_template, request
from markupsafe import Markup, escape

from web import markdown

PARTIAL = "partial"
VERSION_HEADER = "X-Live-Version"
UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second"))


def live(template: str, region: str, state: Any, page_only: Callable[[], dict] | None = None,
         page_status: int = 200, **context: Any):
    """The whole page, or only its live region when the page's script asks (`?partial=1`).

    `state` is the data the region shows; its digest (the region's
    `data-live-version`, the partial's `X-Live-Version` header and its ETag)
    tells whether anything changed: the script sends it back in If-None-Match
    and an unchanged region is answered with an empty 304, never re-rendered.
    `page_only` gives what only the whole page needs (read only for it);
    `page_status` is the whole page's (a refused form shown again), never the region's.
    """
    version = digest(state)
    if request.args.get(PARTIAL):
        return _region(region, version, context)
    page = render_template(template, live_version=version, **context, **(page_only() if page_only else {}))
    return page, page_status


def _region(region: str, version: str, context: dict):  # a Flask answer
    headers = {VERSION_HEADER: version, "ETag": f'"{version}"', "Cache-Control": "no-cache"}
    if request.if_none_match.contains(version):
        return "", 304, headers
    return render_template(region, **context), 200, headers


def page_number() -> int:
    """The `?page=` a paged list asks for; anything that is not a page number means the first."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def digest(state: Any) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _moment(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _time_element(value: str | datetime | None, shown: str) -> Markup:
    """`<time>` with the moment in UTC, 24-hour, as `shown` (a strftime format)."""
    moment = _moment(value)
    if moment is None:
        return Markup("")
    moment = moment.astimezone(timezone.utc)
    return Markup('<time datetime="{}">{}</time>').format(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment.strftime(shown))


def exact(value: str | datetime | None) -> Markup:
    """The UTC date and time to the second (logs need the second)."""
    return _time_element(value, "%Y-%m-%d %H:%M:%S UTC")


def utc(value: str | datetime | None) -> Markup:
    """The UTC date and time to the minute: every other time on the pages."""
    return _time_element(value, "%Y-%m-%d %H:%M UTC")


def _words(amount: int, unit: str) -> str:
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


def ago(value: str | datetime | None, now: datetime | None = None) -> str:
    """"5 minutes ago", "in 2 hours": how people read recent times."""
    moment = _moment(value)
    if moment is None:
        return ""
    seconds = int(((now or datetime.now(timezone.utc)) - moment).total_seconds())
    if abs(seconds) < 10:
        return "just now"
    size, unit = next((size, unit) for size, unit in UNITS if abs(seconds) >= size)
    words = _words(abs(seconds) // size, unit)
    return f"{words} ago" if seconds > 0 else f"in {words}"


def days_ago(value: str | datetime | None, now: datetime | None = None) -> str:
    """"4 days ago": how long a server has been silent, in whole days (stale means days)."""
    moment = _moment(value)
    if moment is None:
        return ""
    days = max(0, int(((now or datetime.now(timezone.utc)) - moment).total_seconds() // 86400))
    return f"{_words(days, 'day')} ago"


def duration(seconds: float) -> str:
    """A whole number of the largest unit that fits: "5 seconds", "2 hours", "5 days"."""
    if seconds < 1:
        return f"{seconds:g} seconds"
    whole = int(seconds)
    size, unit = next((size, unit) for size, unit in UNITS if whole >= size)
    return _words(round(whole / size), unit)


def inline_code(text: str | None) -> Markup:
    """Escape `text`, turning `backticked` spans into <code> (OpenAPI descriptions use them)."""
    parts = str(text or "").split("`")
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


FILTERS: dict[str, Callable[..., Any]] = {
    "exact": exact, "utc": utc, "ago": ago, "days_ago": days_ago, "duration": duration, "inline_code": inline_code,
    "markdown": markdown.block, "markdown_inline": markdown.inline}
