"""`Idempotency-Key` on POST: the first response is kept and replayed byte for byte.

How it holds together (see docs/idempotency-and-rate-limits.md):

* The dependency (`begin`) runs after authentication, inside the request's transaction. It
  claims `(API key, Idempotency-Key)` with an upsert on the primary key: a concurrent duplicate
  blocks on the uncommitted row until the first request commits (then replays it) or rolls back
  (then runs itself); after `idempotency_wait_seconds` it gets a 409 instead. It then opens a
  savepoint, so the endpoint's changes can be undone without losing the claim.
* The route handler wrapper (`wrap_handler`) sees the finished `Response` before the request's
  session commits (FastAPI closes function-scoped dependencies after the handler returns), and
  writes status, headers and body into the claimed row: the change and its record commit
  together or not at all.
* A 4xx the endpoint raised is rendered here with the app's own exception handler, the savepoint
  is rolled back, and the problem is stored (except 409 and 429, which are about the moment, not
  the request). 5xx and unexpected errors roll everything back, claim included.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Header, Request, Response
from psycopg import errors as pg_errors
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction

from paybill_control_plane.config import Settings
from paybill_control_plane.errors import Conflict, Unprocessable
from paybill_control_plane.kit import idempotency_store as store

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
STATE_KEY = "idempotency"
_MARK_ATTR = "__paybill_returns_secret__"
# Not part of what the endpoint answered: the length is recomputed, the rest is per hop.
_UNSTORED_HEADERS = {"content-length", "set-cookie", "date", "server", "x-request-id"}

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
F = TypeVar("F", bound=Callable[..., Any])

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        description=(
            "Makes the POST safe to retry: the first response is kept for 24 h and a retry "
            "with the same key and byte-identical body gets it again, with "
            "`Idempotent-Replayed: true`. A unique value per operation, e.g. a UUID."
        ),
    ),
]


class IdempotencyKeyReuse(Unprocessable):
    type_slug = "idempotency-key-reuse"
    title = "Idempotency-Key reused for a different request"


class IdempotencyKeyInFlight(Conflict):
    type_slug = "idempotency-key-in-flight"
    title = "A request with this Idempotency-Key is still in progress"


class IdempotentResponseWithheld(Conflict):
    type_slug = "idempotency-response-withheld"
    title = "The first response with this Idempotency-Key cannot be replayed"


def returns_secret(endpoint: F) -> F:
    """Mark an endpoint whose response carries a secret: stored only sealed (encrypted)."""
    setattr(endpoint, _MARK_ATTR, True)
    return endpoint


def marked_secret(endpoint: Callable[..., Any]) -> bool:
    return bool(getattr(endpoint, _MARK_ATTR, False))


@dataclass
class _Claim:
    session: AsyncSession
    key_id: uuid.UUID
    idem_key: str
    savepoint: AsyncSessionTransaction
    secret_key: str | None


class _Replay(Exception):  # control flow: carries the stored response out of the dependency
    def __init__(self, response: Response) -> None:
        super().__init__("idempotent replay")
        self.response = response


def storable(status: int) -> bool:
    """2xx and 4xx are what the request deserved; 409/429 and 5xx depend on the moment."""
    return 200 <= status < 300 or (400 <= status < 500 and status not in (409, 429))


def request_hash(method: str, path: str, query: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def begin(
    request: Request,
    session: AsyncSession,
    key_id: uuid.UUID,
    idem_key: str,
    settings: Settings,
) -> None:
    """Claim the key for this request, or replay / refuse when it was used already."""
    body = await request.body()
    wanted = request_hash(request.method, request.url.path, request.url.query, body)
    path = request.url.path
    wait_ms = max(1, int(settings.idempotency_wait_seconds * 1000))
    for _ in range(3):  # a record purged between claim and read: claim again
        await session.execute(text(f"SET LOCAL lock_timeout = {wait_ms}"))
        try:
            claimed = await store.claim(
                session,
                key_id,
                idem_key,
                request_hash=wanted,
                method=request.method,
                path=path,
                ttl_seconds=settings.idempotency_ttl_hours * 3600,
            )
        except DBAPIError as exc:
            if isinstance(exc.orig, pg_errors.LockNotAvailable):
                raise _in_flight(request, settings) from exc
            raise
        await session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
        if claimed:
            raw_key = settings.secret_key.get_secret_value() if settings.secret_key else None
            request.state.idempotency = _Claim(
                session=session,
                key_id=key_id,
                idem_key=idem_key,
                savepoint=await session.begin_nested(),
                secret_key=store.usable_secret_key(raw_key),
            )
            return
        stored = await store.get(session, key_id, idem_key)
        if stored is not None:
            raise _Replay(_replayed(stored, key_id, idem_key, wanted, settings))
    raise _in_flight(request, settings)


def _in_flight(request: Request, settings: Settings) -> IdempotencyKeyInFlight:
    retry_after = max(1, round(settings.idempotency_wait_seconds))
    # Sent as Retry-After by the route's header wrapper (the problem handler adds no headers).
    request.state.retry_after = retry_after
    return IdempotencyKeyInFlight(
        "Another request with this Idempotency-Key has not finished yet; retry shortly.",
        extra={"retry_after_seconds": retry_after},
    )


def _replayed(
    stored: store.StoredResponse,
    key_id: uuid.UUID,
    idem_key: str,
    wanted: str,
    settings: Settings,
) -> Response:
    if stored.request_hash != wanted:
        raise IdempotencyKeyReuse(
            f"This Idempotency-Key was first used for {stored.method} {stored.path} with a "
            "different body; use a new key for a different request.",
            extra={"original_method": stored.method, "original_path": stored.path},
        )
    if stored.status_code is None:  # only a bug could commit an unfinished claim
        raise IdempotentResponseWithheld("The first request left no response to replay.")
    body = stored.body or b""
    if stored.body_format == "withheld":
        raise IdempotentResponseWithheld(
            "The first request with this key succeeded, but its response carried a secret and "
            "PAYBILL_SECRET_KEY is not set, so it was not kept. The request was not run again.",
            extra={"original_status": stored.status_code},
        )
    if stored.body_format == "sealed":
        raw_key = settings.secret_key.get_secret_value() if settings.secret_key else None
        secret_key = store.usable_secret_key(raw_key)
        try:
            if secret_key is None:
                raise store.UnsealError("no PAYBILL_SECRET_KEY")
            body = store.unseal(secret_key, key_id, idem_key, body)
        except store.UnsealError as exc:
            raise IdempotentResponseWithheld(
                "The first request with this key succeeded, but its stored response does not "
                "decrypt under the current PAYBILL_SECRET_KEY. The request was not run again.",
                extra={"original_status": stored.status_code},
            ) from exc
    response = Response(content=body, status_code=stored.status_code)
    response.raw_headers = [
        *((name.encode("latin-1"), value.encode("latin-1")) for name, value in stored.headers),
        (b"content-length", str(len(body)).encode()),
        (REPLAYED_HEADER.lower().encode(), b"true"),
    ]
    return response


async def _complete(claim: _Claim, response: Response, *, secret: bool) -> None:
    headers = [
        [name.decode("latin-1"), value.decode("latin-1")]
        for name, value in response.raw_headers
        if name.decode("latin-1").lower() not in _UNSTORED_HEADERS
    ]
    body: bytes | None = bytes(response.body)
    if claim.secret_key is not None:
        body_format = "sealed"
        body = store.seal(claim.secret_key, claim.key_id, claim.idem_key, bytes(response.body))
    elif secret:
        body_format, body = "withheld", None
    else:
        body_format = "plain"
    await store.complete(
        claim.session,
        claim.key_id,
        claim.idem_key,
        status=response.status_code,
        headers_json=json.dumps(headers),
        body_format=body_format,
        body=body,
    )


async def _render_handled(request: Request, exc: Exception) -> Response | None:
    """The response the app's exception handler gives `exc`; None for unexpected errors."""
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        handler = handlers.get(cls)
        if handler is not None:
            rendered = handler(request, exc)
            response: Response = await rendered if inspect.isawaitable(rendered) else rendered
            return response
    return None


def wrap_handler(handler: Handler, *, secret: bool) -> Handler:
    """The route handler, with the claimed key completed in the request's transaction."""

    async def idempotent(request: Request) -> Response:
        try:
            response = await handler(request)
        except _Replay as replay:
            return replay.response
        except Exception as exc:
            claim: _Claim | None = getattr(request.state, STATE_KEY, None)
            if claim is None:
                raise
            rendered = await _render_handled(request, exc)
            if rendered is None or not storable(rendered.status_code):
                raise  # the whole transaction rolls back, claim included
            await claim.savepoint.rollback()
            await _complete(claim, rendered, secret=secret)
            return rendered
        claim = getattr(request.state, STATE_KEY, None)
        if claim is not None:
            if storable(response.status_code) and hasattr(response, "body"):
                await _complete(claim, response, secret=secret)
            else:
                await store.release(claim.session, claim.key_id, claim.idem_key)
        return response

    return idempotent
