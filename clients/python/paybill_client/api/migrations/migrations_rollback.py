from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.migration_out import MigrationOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    migration_id: UUID,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/migrations/{migration_id}/rollback".format(
            migration_id=quote(str(migration_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MigrationOut | Problem | None:
    if response.status_code == 202:
        response_202 = MigrationOut.from_dict(response.json())

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
) -> Response[MigrationOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[MigrationOut | Problem]:
    """Roll a migration back

     Flip the tenant back to its source and remove the target (any phase before
    decommission). After decommission (`completed`), start the reverse migration, which moves
    the tenant with its current data back to the source's tier and model, and answer that one
    (its `plan.rollback_of` names this migration); 409 if the tenant has moved since.

    Args:
        migration_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationOut | Problem]
    """

    kwargs = _get_kwargs(
        migration_id=migration_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> MigrationOut | Problem | None:
    """Roll a migration back

     Flip the tenant back to its source and remove the target (any phase before
    decommission). After decommission (`completed`), start the reverse migration, which moves
    the tenant with its current data back to the source's tier and model, and answer that one
    (its `plan.rollback_of` names this migration); 409 if the tenant has moved since.

    Args:
        migration_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationOut | Problem
    """

    return sync_detailed(
        migration_id=migration_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[MigrationOut | Problem]:
    """Roll a migration back

     Flip the tenant back to its source and remove the target (any phase before
    decommission). After decommission (`completed`), start the reverse migration, which moves
    the tenant with its current data back to the source's tier and model, and answer that one
    (its `plan.rollback_of` names this migration); 409 if the tenant has moved since.

    Args:
        migration_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationOut | Problem]
    """

    kwargs = _get_kwargs(
        migration_id=migration_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> MigrationOut | Problem | None:
    """Roll a migration back

     Flip the tenant back to its source and remove the target (any phase before
    decommission). After decommission (`completed`), start the reverse migration, which moves
    the tenant with its current data back to the source's tier and model, and answer that one
    (its `plan.rollback_of` names this migration); 409 if the tenant has moved since.

    Args:
        migration_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationOut | Problem
    """

    return (
        await asyncio_detailed(
            migration_id=migration_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
