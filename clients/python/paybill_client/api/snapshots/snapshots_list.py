from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.snapshot_page import SnapshotPage
from ...models.snapshot_status import SnapshotStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    tenant_id: UUID,
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: SnapshotStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tenants/{tenant_id}/snapshots".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SnapshotPage | None:
    if response.status_code == 200:
        response_200 = SnapshotPage.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SnapshotPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: SnapshotStatus | Unset = UNSET,
) -> Response[Problem | SnapshotPage]:
    """List the tenant's snapshots

     Newest first; only `completed` ones can be restored.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        tenant_id (UUID):
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        status (SnapshotStatus | Unset): `tenant_snapshots.status`: pending → running → completed
            (→ purged), or failed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SnapshotPage]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        limit=limit,
        cursor=cursor,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: SnapshotStatus | Unset = UNSET,
) -> Problem | SnapshotPage | None:
    """List the tenant's snapshots

     Newest first; only `completed` ones can be restored.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        tenant_id (UUID):
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        status (SnapshotStatus | Unset): `tenant_snapshots.status`: pending → running → completed
            (→ purged), or failed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SnapshotPage
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
        limit=limit,
        cursor=cursor,
        status=status,
    ).parsed


async def asyncio_detailed(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: SnapshotStatus | Unset = UNSET,
) -> Response[Problem | SnapshotPage]:
    """List the tenant's snapshots

     Newest first; only `completed` ones can be restored.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        tenant_id (UUID):
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        status (SnapshotStatus | Unset): `tenant_snapshots.status`: pending → running → completed
            (→ purged), or failed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SnapshotPage]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        limit=limit,
        cursor=cursor,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: SnapshotStatus | Unset = UNSET,
) -> Problem | SnapshotPage | None:
    """List the tenant's snapshots

     Newest first; only `completed` ones can be restored.

    Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is
    null on the last page. A cursor this API did not issue is a 400.

    Args:
        tenant_id (UUID):
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page.
        status (SnapshotStatus | Unset): `tenant_snapshots.status`: pending → running → completed
            (→ purged), or failed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SnapshotPage
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
            limit=limit,
            cursor=cursor,
            status=status,
        )
    ).parsed
