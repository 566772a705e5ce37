from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.migration_create import MigrationCreate
from ...models.migration_out import MigrationOut
from ...models.migration_plan_out import MigrationPlanOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    tenant_id: UUID,
    *,
    body: MigrationCreate,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tenants/{tenant_id}/migrations".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MigrationOut | MigrationPlanOut | Problem | None:
    if response.status_code == 200:
        response_200 = MigrationPlanOut.from_dict(response.json())

        return response_200

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
) -> Response[MigrationOut | MigrationPlanOut | Problem]:
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
    body: MigrationCreate,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[MigrationOut | MigrationPlanOut | Problem]:
    """Migrate a tenant to another isolation model

     Start the workflow plan → provision target → copy → cutover → hold → decommission.

    409 when the tenant is not active or a migration of it is in flight (the problem names it);
    422 when the target is its current model or the move is not supported.

    Args:
        tenant_id (UUID):
        dry_run (bool | Unset): Return the plan without starting the migration. Default: False.
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (MigrationCreate): Where to move the tenant: a tier (its isolation model follows)
            and/or a model the tier
            allows. At least one; the resulting model must differ from the tenant's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationOut | MigrationPlanOut | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MigrationCreate,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> MigrationOut | MigrationPlanOut | Problem | None:
    """Migrate a tenant to another isolation model

     Start the workflow plan → provision target → copy → cutover → hold → decommission.

    409 when the tenant is not active or a migration of it is in flight (the problem names it);
    422 when the target is its current model or the move is not supported.

    Args:
        tenant_id (UUID):
        dry_run (bool | Unset): Return the plan without starting the migration. Default: False.
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (MigrationCreate): Where to move the tenant: a tier (its isolation model follows)
            and/or a model the tier
            allows. At least one; the resulting model must differ from the tenant's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationOut | MigrationPlanOut | Problem
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MigrationCreate,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[MigrationOut | MigrationPlanOut | Problem]:
    """Migrate a tenant to another isolation model

     Start the workflow plan → provision target → copy → cutover → hold → decommission.

    409 when the tenant is not active or a migration of it is in flight (the problem names it);
    422 when the target is its current model or the move is not supported.

    Args:
        tenant_id (UUID):
        dry_run (bool | Unset): Return the plan without starting the migration. Default: False.
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (MigrationCreate): Where to move the tenant: a tier (its isolation model follows)
            and/or a model the tier
            allows. At least one; the resulting model must differ from the tenant's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationOut | MigrationPlanOut | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MigrationCreate,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> MigrationOut | MigrationPlanOut | Problem | None:
    """Migrate a tenant to another isolation model

     Start the workflow plan → provision target → copy → cutover → hold → decommission.

    409 when the tenant is not active or a migration of it is in flight (the problem names it);
    422 when the target is its current model or the move is not supported.

    Args:
        tenant_id (UUID):
        dry_run (bool | Unset): Return the plan without starting the migration. Default: False.
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (MigrationCreate): Where to move the tenant: a tier (its isolation model follows)
            and/or a model the tier
            allows. At least one; the resulting model must differ from the tenant's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationOut | MigrationPlanOut | Problem
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
            body=body,
            dry_run=dry_run,
            idempotency_key=idempotency_key,
        )
    ).parsed
