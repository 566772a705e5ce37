"""`where_given`: a list's optional equality filters, each applied only when it is given."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

T = TypeVar("T")


def where_given(stmt: Select[T], *filters: tuple[InstrumentedAttribute[Any], Any]) -> Select[T]:
    """`stmt` narrowed to `column == value` for each `(column, value)` whose value is given:
    not None and not an empty string (an empty query parameter filters nothing)."""
    for column, value in filters:
        if value is not None and value != "":
            stmt = stmt.where(column == value)
    return stmt
