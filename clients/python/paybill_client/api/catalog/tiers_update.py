from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.tier_out import TierOut
from ...models.tier_update import TierUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    key: str,
    *,
    body: TierUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/tiers/{key}".format(
            key=quote(str(key), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TierOut | None:
    if response.status_code == 200:
        response_200 = TierOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TierOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: TierUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | TierOut]:
    """Update a licence tier

     Change the given fields; send `If-Match` to fail (412) if someone changed it since.

    Args:
        key (str): The tier's key.
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (TierUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TierOut]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient,
    body: TierUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | TierOut | None:
    """Update a licence tier

     Change the given fields; send `If-Match` to fail (412) if someone changed it since.

    Args:
        key (str): The tier's key.
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (TierUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TierOut
    """

    return sync_detailed(
        key=key,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: TierUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | TierOut]:
    """Update a licence tier

     Change the given fields; send `If-Match` to fail (412) if someone changed it since.

    Args:
        key (str): The tier's key.
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (TierUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TierOut]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient,
    body: TierUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | TierOut | None:
    """Update a licence tier

     Change the given fields; send `If-Match` to fail (412) if someone changed it since.

    Args:
        key (str): The tier's key.
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (TierUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TierOut
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
