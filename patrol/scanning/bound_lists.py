"""`column IN (a list)` with the whole list bound as one parameter.

A plain `IN` with thousands of values is compiled afresh for each list size
and bound value by value, so a scan paid for it in batches of 500. Bound as
one value instead (a PostgreSQL array, `= ANY(:list)`; a JSON array on
SQLite, `IN (SELECT value FROM json_each(:list))`), the statement is the same
for every list, cached once, and any number of values costs one query. Both
forms use the column's index.
"""
from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Select, any_, bindparam, func, literal_column, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute


class BoundList:
    """One list-valued parameter: the condition to put in a statement, and its value."""

    def __init__(self, dialect: Dialect, name: str) -> None:
        self.name = name
        self.is_array = dialect.name == "postgresql"

    def contains(self, column: ColumnElement | InstrumentedAttribute) -> ColumnElement[bool]:
        """`column` is one of the list's values."""
        if self.is_array:
            return column == any_(bindparam(self.name, type_=ARRAY(column.type)))
        values: Select = select(literal_column("value")).select_from(func.json_each(bindparam(self.name)))
        return column.in_(values.scalar_subquery())

    def value(self, values: Collection[Any]) -> Any:
        """What to bind for `values` (strings or integers)."""
        return list(values) if self.is_array else json.dumps(list(values))
