"""Opaque keyset cursors over (created_at, id) and the page envelope."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from paybill_control_plane.errors import InvalidCursor

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# The two query parameters of every list route, declared once: the OpenAPI document shows them
# with these constraints and descriptions. A `limit` out of range is a 422 `validation-error`; a
# `cursor` this API did not return is a 400 `invalid-cursor` (raised by `decode_cursor`).
PageLimit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
PageCursor = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]


@dataclass(frozen=True)
class PageQuery:
    """The page a list route was asked for: pass `limit` and `cursor` on to the repository."""

    limit: int
    cursor: str | None


def page_query(limit: PageLimit = DEFAULT_LIMIT, cursor: PageCursor = None) -> PageQuery:
    return PageQuery(limit=limit, cursor=cursor)


# A route's `page: PageParams` adds `limit` and `cursor` after the route's own query parameters.
PageParams = Annotated[PageQuery, Depends(page_query)]


class Page(BaseModel, Generic[T]):
    """One page of results; pass `next_cursor` as `cursor` to get the next one (null: last page)."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None,
        description="Opaque cursor for the next page; null when this is the last page.",
    )

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        # `TenantPage` rather than `Page_TenantOut_`: the name generated clients expose.
        names = (getattr(p, "__name__", str(p)).removesuffix("Out") for p in params)
        return "".join(names) + "Page"


def encode_cursor(created_at: datetime, row_id: Any) -> str:
    raw = json.dumps({"c": created_at.isoformat(), "i": str(row_id)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return datetime.fromisoformat(data["c"]), str(data["i"])
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise InvalidCursor("The cursor is not one this API returned.") from exc


def cursor_position(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The (created_at, id) a cursor over a UUID-keyed table points after; 400 if it is not ours."""
    created, raw_id = decode_cursor(cursor)
    try:
        return created, uuid.UUID(raw_id)
    except ValueError as exc:
        raise InvalidCursor("The cursor is not one this API returned.") from exc


def apply_keyset(
    stmt: Select[Any],
    created_col: InstrumentedAttribute[Any],
    id_col: InstrumentedAttribute[Any],
    cursor: str | None,
    limit: int,
    *,
    id_is_uuid: bool = True,
    descending: bool = False,
) -> Select[Any]:
    """Order by (created_at, id) and continue after `cursor`; fetch one extra row to detect more."""
    if cursor:
        created, cursor_id = cursor_position(cursor) if id_is_uuid else decode_cursor(cursor)
        # A row comparison, not `a > c OR (a = c AND id > i)`: Postgres uses it as a bound of
        # the (…, created_at, id) index, so a deep page starts where the cursor points instead
        # of walking every earlier row.
        position = tuple_(created_col, id_col)
        # A plain tuple: each value is bound with its column's type.
        after = (created, cursor_id)
        stmt = stmt.where(position < after if descending else position > after)
    if descending:
        return stmt.order_by(created_col.desc(), id_col.desc()).limit(limit + 1)
    return stmt.order_by(created_col, id_col).limit(limit + 1)


def split_page(rows: list[T], limit: int) -> tuple[list[T], bool]:
    return rows[:limit], len(rows) > limit


async def fetch_page(
    session: AsyncSession,
    stmt: Select[Any],
    created_col: InstrumentedAttribute[Any],
    id_col: InstrumentedAttribute[Any],
    cursor: str | None,
    limit: int,
    *,
    id_is_uuid: bool = True,
    descending: bool = False,
) -> tuple[list[Any], bool]:
    """A repository's page: `stmt`'s rows after `cursor` (`apply_keyset`), and whether more follow."""
    keyset = apply_keyset(
        stmt, created_col, id_col, cursor, limit, id_is_uuid=id_is_uuid, descending=descending
    )
    return split_page(list(await session.scalars(keyset)), limit)


def next_cursor_of(
    rows: Sequence[Any], more: bool, *, created: str = "created_at", key: str = "id"
) -> str | None:
    """The cursor after the last row of a page that has more rows; None on the last page.
    `key` names the row's unique tiebreaker (the catalog's rows have a `key` or `name`)."""
    if not more or not rows:
        return None
    last = rows[-1]
    return encode_cursor(getattr(last, created), getattr(last, key))
