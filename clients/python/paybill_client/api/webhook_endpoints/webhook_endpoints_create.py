from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_endpoint_create import WebhookEndpointCreate
from ...models.webhook_endpoint_with_secret import WebhookEndpointWithSecret
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook-endpoints",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookEndpointWithSecret | None:
    if response.status_code == 201:
        response_201 = WebhookEndpointWithSecret.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | WebhookEndpointWithSecret]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookEndpointWithSecret]:
    """Register a webhook endpoint (its signing secret is shown once)

     Deliver the listed event types (optionally one tenant's only) to `url`, signed per
    Standard Webhooks with the returned `secret` (`whsec_…`), which is never shown again.

    `url` follows the cloud targets' egress rules: https to public addresses only (422
    `invalid-webhook-url`), unless the host is in PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (WebhookEndpointCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpointWithSecret]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookEndpointWithSecret | None:
    """Register a webhook endpoint (its signing secret is shown once)

     Deliver the listed event types (optionally one tenant's only) to `url`, signed per
    Standard Webhooks with the returned `secret` (`whsec_…`), which is never shown again.

    `url` follows the cloud targets' egress rules: https to public addresses only (422
    `invalid-webhook-url`), unless the host is in PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (WebhookEndpointCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpointWithSecret
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookEndpointWithSecret]:
    """Register a webhook endpoint (its signing secret is shown once)

     Deliver the listed event types (optionally one tenant's only) to `url`, signed per
    Standard Webhooks with the returned `secret` (`whsec_…`), which is never shown again.

    `url` follows the cloud targets' egress rules: https to public addresses only (422
    `invalid-webhook-url`), unless the host is in PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (WebhookEndpointCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpointWithSecret]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookEndpointWithSecret | None:
    """Register a webhook endpoint (its signing secret is shown once)

     Deliver the listed event types (optionally one tenant's only) to `url`, signed per
    Standard Webhooks with the returned `secret` (`whsec_…`), which is never shown again.

    `url` follows the cloud targets' egress rules: https to public addresses only (422
    `invalid-webhook-url`), unless the host is in PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (WebhookEndpointCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpointWithSecret
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
