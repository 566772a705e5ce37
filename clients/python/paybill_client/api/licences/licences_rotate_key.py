from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.licence_key_rotated import LicenceKeyRotated
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/licences/rotate-key",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LicenceKeyRotated | Problem | None:
    if response.status_code == 200:
        response_200 = LicenceKeyRotated.from_dict(response.json())

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
) -> Response[LicenceKeyRotated | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[LicenceKeyRotated | Problem]:
    """Rotate the licence signing key

     A new key signs from now on; the previous one stays in the JWKS until its licences
    expire.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LicenceKeyRotated | Problem]
    """

    kwargs = _get_kwargs(
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> LicenceKeyRotated | Problem | None:
    """Rotate the licence signing key

     A new key signs from now on; the previous one stays in the JWKS until its licences
    expire.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LicenceKeyRotated | Problem
    """

    return sync_detailed(
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[LicenceKeyRotated | Problem]:
    """Rotate the licence signing key

     A new key signs from now on; the previous one stays in the JWKS until its licences
    expire.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LicenceKeyRotated | Problem]
    """

    kwargs = _get_kwargs(
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> LicenceKeyRotated | Problem | None:
    """Rotate the licence signing key

     A new key signs from now on; the previous one stays in the JWKS until its licences
    expire.

    Args:
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LicenceKeyRotated | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
