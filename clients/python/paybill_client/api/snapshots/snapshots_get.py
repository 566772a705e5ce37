from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.snapshot_out import SnapshotOut
from ...types import Response


def _get_kwargs(
    tenant_id: UUID,
    snapshot_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tenants/{tenant_id}/snapshots/{snapshot_id}".format(
            tenant_id=quote(str(tenant_id), safe=""),
            snapshot_id=quote(str(snapshot_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SnapshotOut | None:
    if response.status_code == 200:
        response_200 = SnapshotOut.from_dict(response.json())

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
) -> Response[Problem | SnapshotOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: UUID,
    snapshot_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SnapshotOut]:
    """Get a snapshot: status, steps, size, checksum, table fingerprints

     One snapshot of the tenant (another tenant's is a 404).

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SnapshotOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        snapshot_id=snapshot_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: UUID,
    snapshot_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | SnapshotOut | None:
    """Get a snapshot: status, steps, size, checksum, table fingerprints

     One snapshot of the tenant (another tenant's is a 404).

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SnapshotOut
    """

    return sync_detailed(
        tenant_id=tenant_id,
        snapshot_id=snapshot_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    tenant_id: UUID,
    snapshot_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SnapshotOut]:
    """Get a snapshot: status, steps, size, checksum, table fingerprints

     One snapshot of the tenant (another tenant's is a 404).

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SnapshotOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        snapshot_id=snapshot_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: UUID,
    snapshot_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | SnapshotOut | None:
    """Get a snapshot: status, steps, size, checksum, table fingerprints

     One snapshot of the tenant (another tenant's is a 404).

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SnapshotOut
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            snapshot_id=snapshot_id,
            client=client,
        )
    ).parsed
