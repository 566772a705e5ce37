from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.restore_create import RestoreCreate
from ...models.restore_out import RestoreOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    tenant_id: UUID,
    snapshot_id: UUID,
    *,
    body: None | RestoreCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tenants/{tenant_id}/snapshots/{snapshot_id}/restore".format(
            tenant_id=quote(str(tenant_id), safe=""),
            snapshot_id=quote(str(snapshot_id), safe=""),
        ),
    }

    if isinstance(body, RestoreCreate):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RestoreOut | None:
    if response.status_code == 202:
        response_202 = RestoreOut.from_dict(response.json())

        return response_202

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | RestoreOut]:
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
    body: None | RestoreCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RestoreOut]:
    """Restore a snapshot into a new database or in place

     Queue a restore; it answers `pending`, then follow GET …/restores/{restore_id}.

    409 `snapshot-not-completed` for a snapshot that is not completed, 409 `restore-in-progress`
    while another restore of the tenant runs, 409 `instance-snapshot-not-in-place` for an
    `in_place` restore of a cloud's instance snapshot (those restore into a new server); another
    tenant's snapshot is a 404.

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (None | RestoreCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RestoreOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        snapshot_id=snapshot_id,
        body=body,
        idempotency_key=idempotency_key,
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
    body: None | RestoreCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RestoreOut | None:
    """Restore a snapshot into a new database or in place

     Queue a restore; it answers `pending`, then follow GET …/restores/{restore_id}.

    409 `snapshot-not-completed` for a snapshot that is not completed, 409 `restore-in-progress`
    while another restore of the tenant runs, 409 `instance-snapshot-not-in-place` for an
    `in_place` restore of a cloud's instance snapshot (those restore into a new server); another
    tenant's snapshot is a 404.

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (None | RestoreCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RestoreOut
    """

    return sync_detailed(
        tenant_id=tenant_id,
        snapshot_id=snapshot_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    tenant_id: UUID,
    snapshot_id: UUID,
    *,
    client: AuthenticatedClient,
    body: None | RestoreCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RestoreOut]:
    """Restore a snapshot into a new database or in place

     Queue a restore; it answers `pending`, then follow GET …/restores/{restore_id}.

    409 `snapshot-not-completed` for a snapshot that is not completed, 409 `restore-in-progress`
    while another restore of the tenant runs, 409 `instance-snapshot-not-in-place` for an
    `in_place` restore of a cloud's instance snapshot (those restore into a new server); another
    tenant's snapshot is a 404.

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (None | RestoreCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RestoreOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        snapshot_id=snapshot_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: UUID,
    snapshot_id: UUID,
    *,
    client: AuthenticatedClient,
    body: None | RestoreCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RestoreOut | None:
    """Restore a snapshot into a new database or in place

     Queue a restore; it answers `pending`, then follow GET …/restores/{restore_id}.

    409 `snapshot-not-completed` for a snapshot that is not completed, 409 `restore-in-progress`
    while another restore of the tenant runs, 409 `instance-snapshot-not-in-place` for an
    `in_place` restore of a cloud's instance snapshot (those restore into a new server); another
    tenant's snapshot is a 404.

    Args:
        tenant_id (UUID):
        snapshot_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (None | RestoreCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RestoreOut
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            snapshot_id=snapshot_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
