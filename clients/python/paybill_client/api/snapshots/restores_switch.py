from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.restore_out import RestoreOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    tenant_id: UUID,
    restore_id: UUID,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tenants/{tenant_id}/restores/{restore_id}/switch".format(
            tenant_id=quote(str(tenant_id), safe=""),
            restore_id=quote(str(restore_id), safe=""),
        ),
    }

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
    restore_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RestoreOut]:
    """Switch the tenant to a restored database or schema

     Queue the switch to a completed `new_database` restore; it answers `switching`, then
    follow GET …/restores/{restore_id} until `switched`. Bridge and silo: the restored database
    takes the tenant database's name; pooled: the restored schema takes the tenant schema's name
    in the pool's database. Connection details and credentials stay, the tenant's sessions are
    ended, and the replaced database or schema is kept as `…_o<restore id>` (named in the
    `switch` step), closed to the tenant's roles. Audited `snapshot.restore_switched`.

    409 `restore-not-switchable` for a restore not completed or in place; 409
    `restore-already-switched` once it was switched; 409 `restore-in-progress` while another
    restore of the tenant runs. Asked again while switching, it answers the restore as it is.

    Args:
        tenant_id (UUID):
        restore_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RestoreOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        restore_id=restore_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: UUID,
    restore_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RestoreOut | None:
    """Switch the tenant to a restored database or schema

     Queue the switch to a completed `new_database` restore; it answers `switching`, then
    follow GET …/restores/{restore_id} until `switched`. Bridge and silo: the restored database
    takes the tenant database's name; pooled: the restored schema takes the tenant schema's name
    in the pool's database. Connection details and credentials stay, the tenant's sessions are
    ended, and the replaced database or schema is kept as `…_o<restore id>` (named in the
    `switch` step), closed to the tenant's roles. Audited `snapshot.restore_switched`.

    409 `restore-not-switchable` for a restore not completed or in place; 409
    `restore-already-switched` once it was switched; 409 `restore-in-progress` while another
    restore of the tenant runs. Asked again while switching, it answers the restore as it is.

    Args:
        tenant_id (UUID):
        restore_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RestoreOut
    """

    return sync_detailed(
        tenant_id=tenant_id,
        restore_id=restore_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    tenant_id: UUID,
    restore_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RestoreOut]:
    """Switch the tenant to a restored database or schema

     Queue the switch to a completed `new_database` restore; it answers `switching`, then
    follow GET …/restores/{restore_id} until `switched`. Bridge and silo: the restored database
    takes the tenant database's name; pooled: the restored schema takes the tenant schema's name
    in the pool's database. Connection details and credentials stay, the tenant's sessions are
    ended, and the replaced database or schema is kept as `…_o<restore id>` (named in the
    `switch` step), closed to the tenant's roles. Audited `snapshot.restore_switched`.

    409 `restore-not-switchable` for a restore not completed or in place; 409
    `restore-already-switched` once it was switched; 409 `restore-in-progress` while another
    restore of the tenant runs. Asked again while switching, it answers the restore as it is.

    Args:
        tenant_id (UUID):
        restore_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RestoreOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        restore_id=restore_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: UUID,
    restore_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RestoreOut | None:
    """Switch the tenant to a restored database or schema

     Queue the switch to a completed `new_database` restore; it answers `switching`, then
    follow GET …/restores/{restore_id} until `switched`. Bridge and silo: the restored database
    takes the tenant database's name; pooled: the restored schema takes the tenant schema's name
    in the pool's database. Connection details and credentials stay, the tenant's sessions are
    ended, and the replaced database or schema is kept as `…_o<restore id>` (named in the
    `switch` step), closed to the tenant's roles. Audited `snapshot.restore_switched`.

    409 `restore-not-switchable` for a restore not completed or in place; 409
    `restore-already-switched` once it was switched; 409 `restore-in-progress` while another
    restore of the tenant runs. Asked again while switching, it answers the restore as it is.

    Args:
        tenant_id (UUID):
        restore_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RestoreOut
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            restore_id=restore_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
