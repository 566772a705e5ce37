"""`StripeWebhookFastPath`: POST /v1/webhooks/stripe answered ahead of the framework.

The webhook is the one route that must take bursts of thousands of deliveries a second. Routing
through every FastAPI route and the `http` middleware (anyio task groups and streams per request)
costs more than verifying the signature and storing the event together, so this pure ASGI
middleware, installed outermost, answers that one path itself with the same `ingest.respond`
the documented FastAPI route uses — and keeps what the framework would have added: the request
id header, the access metrics, problem+json errors, a body size limit. Every other request passes
through untouched.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from paybill_control_plane.billing.webhook import ingest
from paybill_control_plane.errors import problem
from paybill_control_plane.kit.problems import PROBLEM_MEDIA_TYPE
from paybill_control_plane.observability import HTTP_LATENCY, HTTP_REQUESTS, request_id_for

log = logging.getLogger(__name__)

PATH = "/v1/webhooks/stripe"
# Stripe's largest events (invoices with many lines) stay far below this.
MAX_BODY_BYTES = 1024 * 1024


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class StripeWebhookFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            body = await _read_body(receive)
        except _Disconnected:
            return
        except _TooLarge:
            reply = _problem(413, "payload-too-large", "Payload too large",
                             f"A webhook body is at most {MAX_BODY_BYTES} bytes.")  # fmt: skip
        else:
            state: Any = scope["app"].state
            try:
                reply = await ingest.respond(state, body, headers.get("stripe-signature"), PATH)
            except Exception:
                # Answered here rather than raised: past a sent response, uvicorn would drop the
                # keep-alive connection, and with it the deliveries queued behind this one.
                log.exception("storing a Stripe webhook event failed")
                reply = _problem(
                    500,
                    "internal-error",
                    "Internal error",
                    "The event could not be stored; Stripe will deliver it again.",
                )
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [
                    (b"content-type", reply.media_type.encode()),
                    (b"content-length", str(len(reply.body)).encode()),
                    (b"x-request-id", request_id_for(headers.get("x-request-id", "")).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": reply.body})
        _requests(reply.status).inc()
        _latency().observe(time.perf_counter() - started)


# The metric children, looked up once (a `labels()` call per delivery was ~1% of its CPU); made
# on first use, so no series appears before a delivery has been answered.
@functools.cache
def _requests(status: int) -> Any:
    return HTTP_REQUESTS.labels("POST", PATH, str(status))


@functools.cache
def _latency() -> Any:
    return HTTP_LATENCY.labels("POST", PATH)


def _problem(status: int, slug: str, title: str, detail: str) -> ingest.Reply:
    body = json.dumps(problem(status, slug, title, detail, PATH)).encode()
    return ingest.Reply(status, body, PROBLEM_MEDIA_TYPE)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
