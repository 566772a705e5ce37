from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.stack_page import StackPage
from ...models.stacks_list_kind import StacksListKind
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    pool_id: UUID | Unset = UNSET,
    kind: StacksListKind | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_tenant_id: str | Unset = UNSET
    if not isinstance(tenant_id, Unset):
        json_tenant_id = str(tenant_id)
    params["tenant_id"] = json_tenant_id

    json_pool_id: str | Unset = UNSET
    if not isinstance(pool_id, Unset):
        json_pool_id = str(pool_id)
    params["pool_id"] = json_pool_id

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind

    params["kind"] = json_kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/stacks",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | StackPage | None:
    if response.status_code == 200:
        response_200 = StackPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | StackPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    pool_id: UUID | Unset = UNSET,
    kind: StacksListKind | Unset = UNSET,
) -> Response[Problem | StackPage]:
    """List stacks

     Terraform stacks (one workspace each), oldest first, optionally filtered.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        tenant_id (UUID | Unset):
        pool_id (UUID | Unset):
        kind (StacksListKind | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StackPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        tenant_id=tenant_id,
        pool_id=pool_id,
        kind=kind,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    pool_id: UUID | Unset = UNSET,
    kind: StacksListKind | Unset = UNSET,
) -> Problem | StackPage | None:
    """List stacks

     Terraform stacks (one workspace each), oldest first, optionally filtered.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        tenant_id (UUID | Unset):
        pool_id (UUID | Unset):
        kind (StacksListKind | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StackPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        tenant_id=tenant_id,
        pool_id=pool_id,
        kind=kind,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    pool_id: UUID | Unset = UNSET,
    kind: StacksListKind | Unset = UNSET,
) -> Response[Problem | StackPage]:
    """List stacks

     Terraform stacks (one workspace each), oldest first, optionally filtered.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        tenant_id (UUID | Unset):
        pool_id (UUID | Unset):
        kind (StacksListKind | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StackPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        tenant_id=tenant_id,
        pool_id=pool_id,
        kind=kind,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    pool_id: UUID | Unset = UNSET,
    kind: StacksListKind | Unset = UNSET,
) -> Problem | StackPage | None:
    """List stacks

     Terraform stacks (one workspace each), oldest first, optionally filtered.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        tenant_id (UUID | Unset):
        pool_id (UUID | Unset):
        kind (StacksListKind | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StackPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            tenant_id=tenant_id,
            pool_id=pool_id,
            kind=kind,
        )
    ).parsed
