from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.billing_webhooks_stripe_body import BillingWebhooksStripeBody
from ...models.problem import Problem
from ...models.webhook_ack import WebhookAck
from ...types import Response


def _get_kwargs(
    *,
    body: BillingWebhooksStripeBody,
    stripe_signature: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Stripe-Signature"] = stripe_signature

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/stripe",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookAck | None:
    if response.status_code == 200:
        response_200 = WebhookAck.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookAck]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BillingWebhooksStripeBody,
    stripe_signature: str,
) -> Response[Problem | WebhookAck]:
    """Receive a Stripe webhook event

     Verify the event over the raw body, store it once, acknowledge; a worker applies it.

    (Served by `StripeWebhookFastPath` ahead of the framework when the app installs it; this
    route documents the exchange and serves it otherwise.)

    Args:
        stripe_signature (str):
        body (BillingWebhooksStripeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookAck]
    """

    kwargs = _get_kwargs(
        body=body,
        stripe_signature=stripe_signature,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: BillingWebhooksStripeBody,
    stripe_signature: str,
) -> Problem | WebhookAck | None:
    """Receive a Stripe webhook event

     Verify the event over the raw body, store it once, acknowledge; a worker applies it.

    (Served by `StripeWebhookFastPath` ahead of the framework when the app installs it; this
    route documents the exchange and serves it otherwise.)

    Args:
        stripe_signature (str):
        body (BillingWebhooksStripeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookAck
    """

    return sync_detailed(
        client=client,
        body=body,
        stripe_signature=stripe_signature,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BillingWebhooksStripeBody,
    stripe_signature: str,
) -> Response[Problem | WebhookAck]:
    """Receive a Stripe webhook event

     Verify the event over the raw body, store it once, acknowledge; a worker applies it.

    (Served by `StripeWebhookFastPath` ahead of the framework when the app installs it; this
    route documents the exchange and serves it otherwise.)

    Args:
        stripe_signature (str):
        body (BillingWebhooksStripeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookAck]
    """

    kwargs = _get_kwargs(
        body=body,
        stripe_signature=stripe_signature,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BillingWebhooksStripeBody,
    stripe_signature: str,
) -> Problem | WebhookAck | None:
    """Receive a Stripe webhook event

     Verify the event over the raw body, store it once, acknowledge; a worker applies it.

    (Served by `StripeWebhookFastPath` ahead of the framework when the app installs it; this
    route documents the exchange and serves it otherwise.)

    Args:
        stripe_signature (str):
        body (BillingWebhooksStripeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookAck
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            stripe_signature=stripe_signature,
        )
    ).parsed
