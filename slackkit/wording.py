"""Message wording from the Jinja templates in templates/slack (package data).

Code hands templates plain data; every word a person reads is in a template.
Autoescape is off because Slack is not HTML: templates escape user and
advisory data with the `mrkdwn` filter, which encodes only Slack's three
control characters and can clip a value to a length without splitting an
entity.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from patrol import resources

TEMPLATE_DIR = resources.templates("slack")
ELLIPSIS = "…"
MAX_LINK_URL = 1_000  # longer links are shown as plain labels, to keep sections in budget

_CONTROL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def mrkdwn(value: object, limit: int | None = None) -> str:
    """`value` escaped for mrkdwn text, at most `limit` characters once escaped."""
    return _clip([_CONTROL.get(char, char) for char in str(value)], limit)


def plain(value: object, limit: int | None = None) -> str:
    """`value` for plain_text, which Slack does not parse: clipped, not escaped."""
    return _clip(list(str(value)), limit)


def link_url(url: object) -> str:
    """`url` ready for `<url|label>`, or "" when it should not become a link.

    Only http(s) links are made, so advisory data cannot smuggle another
    scheme into a message; `|` would end the URL early, so it is encoded.
    """
    text = str(url or "")
    if len(text) > MAX_LINK_URL or urlsplit(text).scheme not in ("http", "https"):
        return ""
    return mrkdwn(text).replace("|", "%7C")


def _clip(pieces: list[str], limit: int | None) -> str:
    # Each piece is one source character (an entity after escaping), so a cut
    # never falls inside "&amp;".
    if limit is None or sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    kept: list[str] = []
    used = len(ELLIPSIS)
    for piece in pieces:
        if used + len(piece) > limit:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept).rstrip() + ELLIPSIS


class Wording:
    """Calls the macros of the templates: `wording("scan_started", "header")`."""

    def __init__(self, template_dir: Path = TEMPLATE_DIR) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(template_dir),
            autoescape=False,  # noqa: S701 - Slack mrkdwn, escaped by its own filter
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters.update(mrkdwn=mrkdwn, plain=plain, link_url=link_url)

    def __call__(self, template: str, piece: str, **values: object) -> str:
        macro = getattr(self._env.get_template(f"{template}.j2").module, piece)
        return str(macro(**values)).strip()
