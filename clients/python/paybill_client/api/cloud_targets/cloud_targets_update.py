from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cloud_target_out import CloudTargetOut
from ...models.cloud_target_update import CloudTargetUpdate
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    target_id: UUID,
    *,
    body: CloudTargetUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/cloud-targets/{target_id}".format(
            target_id=quote(str(target_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CloudTargetOut | Problem | None:
    if response.status_code == 200:
        response_200 = CloudTargetOut.from_dict(response.json())

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
) -> Response[CloudTargetOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    target_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloudTargetUpdate,
    if_match: str | Unset = UNSET,
) -> Response[CloudTargetOut | Problem]:
    """Update a cloud target

     Change the given fields; `credentials` replaces the stored set (send every key).

    Send `If-Match` to fail (412) if someone changed the target since you read it.

    Args:
        target_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (CloudTargetUpdate): Partial update. `credentials` replaces the stored set as a
            whole; null removes it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CloudTargetOut | Problem]
    """

    kwargs = _get_kwargs(
        target_id=target_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    target_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloudTargetUpdate,
    if_match: str | Unset = UNSET,
) -> CloudTargetOut | Problem | None:
    """Update a cloud target

     Change the given fields; `credentials` replaces the stored set (send every key).

    Send `If-Match` to fail (412) if someone changed the target since you read it.

    Args:
        target_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (CloudTargetUpdate): Partial update. `credentials` replaces the stored set as a
            whole; null removes it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CloudTargetOut | Problem
    """

    return sync_detailed(
        target_id=target_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    target_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloudTargetUpdate,
    if_match: str | Unset = UNSET,
) -> Response[CloudTargetOut | Problem]:
    """Update a cloud target

     Change the given fields; `credentials` replaces the stored set (send every key).

    Send `If-Match` to fail (412) if someone changed the target since you read it.

    Args:
        target_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (CloudTargetUpdate): Partial update. `credentials` replaces the stored set as a
            whole; null removes it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CloudTargetOut | Problem]
    """

    kwargs = _get_kwargs(
        target_id=target_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    target_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloudTargetUpdate,
    if_match: str | Unset = UNSET,
) -> CloudTargetOut | Problem | None:
    """Update a cloud target

     Change the given fields; `credentials` replaces the stored set (send every key).

    Send `If-Match` to fail (412) if someone changed the target since you read it.

    Args:
        target_id (UUID):
        if_match (str | Unset): ETag of the version you read, e.g. `"3"`; `*` or absent: any
            version.
        body (CloudTargetUpdate): Partial update. `credentials` replaces the stored set as a
            whole; null removes it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CloudTargetOut | Problem
    """

    return (
        await asyncio_detailed(
            target_id=target_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
