"""URL converters for the API's routes."""
from __future__ import annotations

from werkzeug.routing import BaseConverter

from patrol.servers import MAX_ID


def up_to(limit: int) -> str:
    """A regex for the decimal numbers 1 to `limit`, without leading zeros."""
    digits = str(limit)
    shorter = [rf"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = [_below_at(digits, place) for place in range(len(digits)) if _below_at(digits, place)]
    return "|".join([*shorter, *same_length, digits])


def _below_at(digits: str, place: int) -> str:
    """Numbers as long as `digits` that equal it up to `place` and are smaller there."""
    low, high = (1 if place == 0 else 0), int(digits[place]) - 1
    if high < low:
        return ""
    rest = len(digits) - place - 1
    return f"{digits[:place]}[{low}-{high}]" + (f"[0-9]{{{rest}}}" if rest else "")


class RowId(BaseConverter):
    """`<id:name>`: an integer row id the database can hold.

    Werkzeug's `int` takes any number of digits, and a number past the
    column's range fails in the database (a 500); here it matches no route,
    so the answer is a plain 404. The range is in the regex, not in
    `to_python`: a rule refused there after another method's rule matched
    the path made Werkzeug answer 405 instead.
    """

    regex = up_to(MAX_ID)

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))
