"""Advisory text, written in Markdown by strangers, turned into safe HTML.

markdown-it-py renders CommonMark with raw HTML switched off (a `<script>`
in a record is shown as text); nh3 (the Ammonia sanitizer) then keeps only
the tags and attributes listed here, drops any link that is not http(s) or
mailto, and marks every link `noopener noreferrer`. Both steps, because a
renderer's escaping is not a sanitizer's guarantee.
"""
from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

BLOCK_TAGS = {"p", "br", "pre", "code", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
              "table", "thead", "tbody", "tr", "th", "td"}
INLINE_TAGS = {"a", "em", "strong", "code", "del", "s", "br"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}
HEADING_SHIFT = 3

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")


def _clean(html: str, tags: set[str]) -> Markup:
    return Markup(nh3.clean(html, tags=tags, attributes=ATTRIBUTES, url_schemes=SCHEMES,  # noqa: S704 - nh3 sanitised it
                            link_rel="noopener noreferrer nofollow", strip_comments=True))


def block(text: str | None) -> Markup:
    """Paragraphs, lists, code blocks and links: for an advisory's details.
    Headings move down three levels (an advisory's `#` sits under the page's h2)."""
    tokens = _renderer.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + HEADING_SHIFT)}"
    return _clean(_renderer.renderer.render(tokens, _renderer.options, {}), BLOCK_TAGS | INLINE_TAGS)


def inline(text: str | None) -> Markup:
    """One line's emphasis, code and links, no blocks: for a summary inside a table cell."""
    return _clean(_renderer.renderInline(text or ""), INLINE_TAGS)
