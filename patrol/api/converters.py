"""URL converters for the API's routes."""
from __future__ import annotations

from werkzeug.routing import BaseConverter, ValidationError

from patrol.servers import MAX_ID


class RowId(BaseConverter):
    """`<id:name>`: an integer row id the database can hold.

    Werkzeug's `int` takes any number of digits, and a number past the
    column's range fails in the database (a 500); here it matches no route,
    so the answer is a plain 404.
    """

    regex = r"[1-9][0-9]{0,9}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
