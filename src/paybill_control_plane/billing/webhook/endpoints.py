"""`POST /v1/webhooks/stripe` as a documented FastAPI route (no API key: the signature
authenticates). `StripeWebhookFastPath` (`asgi.py`) answers it ahead of the framework when the
app installs it; this route describes the exchange in OpenAPI and serves it otherwise."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from paybill_control_plane.billing.schemas import WebhookAck
from paybill_control_plane.billing.webhook import ingest
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.problems import PROBLEM_MEDIA_TYPE

router = APIRouter(route_class=ControlledRoute)

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_WEBHOOK_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "Signature missing, malformed, not matching any secret, or its timestamp "
        "more than the tolerance away from the server clock; nothing is stored",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM}},
    },
    413: {
        "description": "The body is larger than 1 MiB",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM}},
    },
    503: {
        "description": "No signing secret is configured: every delivery is refused (fail "
        "closed), and Stripe keeps retrying until one is",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM}},
    },
}
_SIGNATURE_FORMAT = "`t=<unix time>,v1=<hex HMAC>[,v1=…]`"
# What the handler reads by hand (the raw body must reach the HMAC unparsed), documented as
# strictly as it is enforced: a delivery without the header, or with a body that is not an
# event with a string `id` and `type`, is a 400 (read from the request, not declared as a
# FastAPI parameter, so that a missing header is that documented 400, not FastAPI's 422).
_WEBHOOK_OPENAPI: dict[str, Any] = {
    "parameters": [
        {
            "name": "Stripe-Signature",
            "in": "header",
            "required": True,
            "description": _SIGNATURE_FORMAT,
            "schema": {
                "type": "string",
                "pattern": r"^t=[0-9]+(,[a-z0-9]+=[0-9A-Za-z]+)*,v1=[0-9a-f]+(,[a-z0-9]+=[0-9A-Za-z]+)*$",
                "maxLength": 2048,
            },
        }
    ],
    "requestBody": {
        "required": True,
        "description": "A Stripe Event, verified over these exact bytes.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["id", "type"],
                    "properties": {
                        "id": {"type": "string", "minLength": 1},
                        "type": {"type": "string", "minLength": 1},
                    },
                }
            }
        },
    },
}


@router.post(
    "/v1/webhooks/stripe",
    tags=["billing"],
    summary="Receive a Stripe webhook event",
    response_model=WebhookAck,
    responses=_WEBHOOK_RESPONSES,
    openapi_extra=_WEBHOOK_OPENAPI,
)
async def billing_webhooks_stripe(request: Request) -> Response:
    """Verify the event over the raw body, store it once, acknowledge; a worker applies it.

    (Served by `StripeWebhookFastPath` ahead of the framework when the app installs it; this
    route documents the exchange and serves it otherwise.)
    """
    body = await request.body()
    signature = request.headers.get("Stripe-Signature")
    reply = await ingest.respond(request.app.state, body, signature, request.url.path)
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type)
