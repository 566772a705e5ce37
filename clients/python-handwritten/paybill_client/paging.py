"""Every item of a cursor-paginated list, across pages (hand-written, not generated).

Kept in clients/python-handwritten/ and copied into the package by `make clients` after
openapi-python-client has regenerated it, so regeneration never removes it.

    from paybill_client.api.tenants import tenants_list
    from paybill_client.paging import iterate

    for tenant in iterate(tenants_list.sync, client=client, tier="pro", limit=100):
        print(tenant.slug)

`iterate` calls the operation with `cursor` set to the previous page's `next_cursor` until a
page has none; `aiterate` does the same with an operation's `asyncio` function. A problem
answer (4xx) raises `ProblemError`; an undocumented status, or none parsed, raises
`UnexpectedResponse`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from .models.problem import Problem
from .types import UNSET, Unset

__all__ = ["ProblemError", "UnexpectedResponse", "aiterate", "iterate"]

T_co = TypeVar("T_co", covariant=True)


class Page(Protocol[T_co]):
    """What every generated `*Page` model has: its items and the next page's cursor."""

    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def next_cursor(self) -> None | str | Unset: ...


class ProblemError(Exception):
    """The API answered with an RFC 9457 problem (`problem.type_`, `.status`, `.detail`)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.title}: {problem.detail}")
        self.problem = problem


class UnexpectedResponse(Exception):
    """The operation parsed no page: a status the API does not document."""


def _items(page: Page[T_co] | Problem | None) -> Page[T_co]:
    if isinstance(page, Problem):
        raise ProblemError(page)
    if page is None:
        raise UnexpectedResponse("no page parsed: the API answered an undocumented status")
    return page


def _next(page: Page[Any]) -> str | None:
    cursor = page.next_cursor
    return cursor if isinstance(cursor, str) and cursor else None


def iterate(
    operation: Callable[..., Page[T_co] | Problem | None], /, **kwargs: Any
) -> Iterator[T_co]:
    """Yield every item of `operation` (a list operation's `sync`), following `next_cursor`.

    `kwargs` go to every call (`client=`, filters, `limit=` as page size); pages are fetched
    lazily, one when the previous one's items are used up.
    """
    cursor: str | Unset = kwargs.pop("cursor", UNSET)
    while True:
        page = _items(operation(cursor=cursor, **kwargs))
        yield from page.items
        following = _next(page)
        if following is None:
            return
        cursor = following


async def aiterate(
    operation: Callable[..., Awaitable[Page[T_co] | Problem | None]], /, **kwargs: Any
) -> AsyncIterator[T_co]:
    """`iterate` for a list operation's `asyncio` function: `async for item in aiterate(...)`."""
    cursor: str | Unset = kwargs.pop("cursor", UNSET)
    while True:
        page = _items(await operation(cursor=cursor, **kwargs))
        for item in page.items:
            yield item
        following = _next(page)
        if following is None:
            return
        cursor = following
