from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_endpoint_out import WebhookEndpointOut
from ...models.webhook_endpoint_update import WebhookEndpointUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: UUID,
    *,
    body: WebhookEndpointUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/webhook-endpoints/{endpoint_id}".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookEndpointOut | None:
    if response.status_code == 200:
        response_200 = WebhookEndpointOut.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
) -> Response[Problem | WebhookEndpointOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | WebhookEndpointOut]:
    """Update a webhook endpoint

     Change the given fields; `enabled: true` re-enables an endpoint disabled after failures.

    Args:
        endpoint_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (WebhookEndpointUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpointOut]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | WebhookEndpointOut | None:
    """Update a webhook endpoint

     Change the given fields; `enabled: true` re-enables an endpoint disabled after failures.

    Args:
        endpoint_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (WebhookEndpointUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpointOut
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | WebhookEndpointOut]:
    """Update a webhook endpoint

     Change the given fields; `enabled: true` re-enables an endpoint disabled after failures.

    Args:
        endpoint_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (WebhookEndpointUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpointOut]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | WebhookEndpointOut | None:
    """Update a webhook endpoint

     Change the given fields; `enabled: true` re-enables an endpoint disabled after failures.

    Args:
        endpoint_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (WebhookEndpointUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpointOut
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
