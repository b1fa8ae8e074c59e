"""Long lists a page at a time: which page was asked for, and links to the others."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from web.rendering import PARTIAL


@dataclass(frozen=True)
class Page:
    """Page `number` (from 1) of `total` items, `size` to a page."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def last_shown(self) -> int:
        return min(self.total, self.offset + self.size)


def requested(param: str, total: int, size: int) -> Page:
    """The page the query string's `param` asks for, kept within the pages there are
    (anything that is not a page number means the first)."""
    raw = request.args.get(param, "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 1
    return Page(number=min(max(number, 1), max(1, math.ceil(total / size))), size=size, total=total)


def page_url(param: str, number: int, anchor: str | None = None) -> str:
    """This page's address with `param` set to `number` (a template global for pager links)."""
    args: dict[str, Any] = {name: value for name, value in request.args.items() if name != PARTIAL}
    args[param] = number
    endpoint = request.endpoint or ""  # pager links are made while a routed request renders
    return url_for(endpoint, **(request.view_args or {}), **args, _anchor=anchor)


def live_url() -> str:
    """This page's address, with its filters and pages, asking for the live region only
    (a template global for `data-live`)."""
    args: dict[str, Any] = {name: value for name, value in request.args.items() if name != PARTIAL}
    args[PARTIAL] = 1
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)
