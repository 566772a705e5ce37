from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.tenant_out import TenantOut
from ...models.tenant_update import TenantUpdate
from ...types import Response


def _get_kwargs(
    tenant_id: UUID,
    *,
    body: TenantUpdate,
    if_match: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/tenants/{tenant_id}".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TenantOut | None:
    if response.status_code == 200:
        response_200 = TenantOut.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TenantOut]:
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
    body: TenantUpdate,
    if_match: str,
) -> Response[Problem | TenantOut]:
    """Update a tenant (If-Match required)

     Change the given fields. `If-Match` is required: 428 without it, 412 if stale.

    A tier change re-plans the tenant's stacks and queues runs (409 if the tenant's status
    does not allow it, or a migration of it is in flight). A tier whose isolation model differs
    is a migration, not an update: 409 `isolation-change-needs-migration` naming
    `POST /v1/tenants/{tenant_id}/migrations`.

    Args:
        tenant_id (UUID):
        if_match (str): ETag of the version you read, e.g. `"3"` (`*`: any version). Missing: 428.
        body (TenantUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TenantOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TenantUpdate,
    if_match: str,
) -> Problem | TenantOut | None:
    """Update a tenant (If-Match required)

     Change the given fields. `If-Match` is required: 428 without it, 412 if stale.

    A tier change re-plans the tenant's stacks and queues runs (409 if the tenant's status
    does not allow it, or a migration of it is in flight). A tier whose isolation model differs
    is a migration, not an update: 409 `isolation-change-needs-migration` naming
    `POST /v1/tenants/{tenant_id}/migrations`.

    Args:
        tenant_id (UUID):
        if_match (str): ETag of the version you read, e.g. `"3"` (`*`: any version). Missing: 428.
        body (TenantUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TenantOut
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TenantUpdate,
    if_match: str,
) -> Response[Problem | TenantOut]:
    """Update a tenant (If-Match required)

     Change the given fields. `If-Match` is required: 428 without it, 412 if stale.

    A tier change re-plans the tenant's stacks and queues runs (409 if the tenant's status
    does not allow it, or a migration of it is in flight). A tier whose isolation model differs
    is a migration, not an update: 409 `isolation-change-needs-migration` naming
    `POST /v1/tenants/{tenant_id}/migrations`.

    Args:
        tenant_id (UUID):
        if_match (str): ETag of the version you read, e.g. `"3"` (`*`: any version). Missing: 428.
        body (TenantUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TenantOut]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TenantUpdate,
    if_match: str,
) -> Problem | TenantOut | None:
    """Update a tenant (If-Match required)

     Change the given fields. `If-Match` is required: 428 without it, 412 if stale.

    A tier change re-plans the tenant's stacks and queues runs (409 if the tenant's status
    does not allow it, or a migration of it is in flight). A tier whose isolation model differs
    is a migration, not an update: 409 `isolation-change-needs-migration` naming
    `POST /v1/tenants/{tenant_id}/migrations`.

    Args:
        tenant_id (UUID):
        if_match (str): ETag of the version you read, e.g. `"3"` (`*`: any version). Missing: 428.
        body (TenantUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TenantOut
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
