from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approval_out import ApprovalOut
from ...models.approve_body import ApproveBody
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    run_id: UUID,
    *,
    body: ApproveBody | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/runs/{run_id}/approve".format(
            run_id=quote(str(run_id), safe=""),
        ),
    }

    if isinstance(body, ApproveBody):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApprovalOut | Problem | None:
    if response.status_code == 200:
        response_200 = ApprovalOut.from_dict(response.json())

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
) -> Response[ApprovalOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApproveBody | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ApprovalOut | Problem]:
    """Approve a run's held plan

     Approve the plan (bound to its SHA-256); the last approval required resumes the run.
    403 `self-approval` for the run's requester; 409 `approval-expired` after the TTL.

    Args:
        run_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (ApproveBody | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalOut | Problem]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApproveBody | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ApprovalOut | Problem | None:
    """Approve a run's held plan

     Approve the plan (bound to its SHA-256); the last approval required resumes the run.
    403 `self-approval` for the run's requester; 409 `approval-expired` after the TTL.

    Args:
        run_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (ApproveBody | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalOut | Problem
    """

    return sync_detailed(
        run_id=run_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApproveBody | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ApprovalOut | Problem]:
    """Approve a run's held plan

     Approve the plan (bound to its SHA-256); the last approval required resumes the run.
    403 `self-approval` for the run's requester; 409 `approval-expired` after the TTL.

    Args:
        run_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (ApproveBody | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalOut | Problem]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApproveBody | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ApprovalOut | Problem | None:
    """Approve a run's held plan

     Approve the plan (bound to its SHA-256); the last approval required resumes the run.
    403 `self-approval` for the run's requester; 409 `approval-expired` after the TTL.

    Args:
        run_id (UUID):
        idempotency_key (str | Unset): Makes the POST safe to retry: the first response is kept
            for 24 h and a retry with the same key and byte-identical body gets it again, with
            `Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID.
        body (ApproveBody | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalOut | Problem
    """

    return (
        await asyncio_detailed(
            run_id=run_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
