"""`get_or_404`: a row by its primary key, or the domain's not-found problem (`one_or_404`: by a
statement)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound

M = TypeVar("M")


async def get_or_404(
    session: AsyncSession,
    model: type[M],
    key: Any,
    not_found: type[NotFound],
    detail: str,
    *,
    lock: bool = False,
) -> M:
    """The `model` row with primary key `key` (`SELECT … FOR UPDATE` with `lock`); raises
    `not_found(detail)`, a subclass of `errors.NotFound` with its own stable problem type."""
    row = await session.get(model, key, with_for_update=True if lock else None)
    if row is None:
        raise not_found(detail)
    return row


async def one_or_404(
    session: AsyncSession,
    stmt: Select[M],
    not_found: type[NotFound],
    detail: str,
    *,
    lock: bool = False,
) -> M:
    """`get_or_404` for a row found by a statement rather than by its primary key (another
    unique column, or a tenant scope in the WHERE clause)."""
    row = await session.scalar(stmt.with_for_update() if lock else stmt)
    if row is None:
        raise not_found(detail)
    return row
