"""The bare baseline for Stripe webhook ingest: verify, insert, answer — nothing else.

A plain ASGI app under uvicorn (no framework, no middleware): read the body, check the
`Stripe-Signature` with stripe-python's `WebhookSignature.verify_header` (the HMAC the control
plane uses too), parse the event, and insert it into `billing_events` with the same
`ON CONFLICT (stripe_event_id) DO NOTHING`, one autocommitted statement per delivery on a
psycopg pool; answer 200 with a small JSON body. It queues no processing job (the control
plane queues one per event in the same transaction) and keeps no metrics or request ids: the
least work a correct receiver can do, so the ratio against it is a strict one.

Run: `python -m benchmarks.baselines.bare_webhook` with BARE_DATABASE_URL (libpq URL),
BARE_PORT and BARE_WEBHOOK_SECRET.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from typing import Any

import stripe
import uvicorn
from psycopg_pool import AsyncConnectionPool

_INSERT = """
INSERT INTO billing_events (id, stripe_event_id, type, livemode, event_created_at, payload,
                            status, attempts, received_at)
VALUES (%s, %s, %s, %s, %s, %s::jsonb, 'received', 0, now())
ON CONFLICT (stripe_event_id) DO NOTHING
"""


def create_app(conninfo: str, secret: str, pool_size: int = 20) -> Any:
    pool = AsyncConnectionPool(
        conninfo, min_size=pool_size, max_size=pool_size, kwargs={"autocommit": True}, open=False
    )

    async def reply(send: Any, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())],
            }
        )  # fmt: skip
        await send({"type": "http.response.body", "body": body})

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await pool.open(wait=True)
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await pool.close()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["path"] == "/healthz":
            await reply(send, 200, b'{"status":"ok"}')
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks).decode()
        header = dict(scope["headers"]).get(b"stripe-signature", b"").decode()
        try:
            stripe.WebhookSignature.verify_header(body, header, secret, tolerance=300)
            event = json.loads(body)
        except (stripe.SignatureVerificationError, ValueError):
            await reply(send, 400, b'{"error":"invalid"}')
            return
        created = datetime.fromtimestamp(event["created"], tz=UTC)
        params = (uuid.uuid4(), event["id"], event["type"], bool(event.get("livemode")), created)
        async with pool.connection() as conn:
            await conn.execute(_INSERT, (*params, body))
        await reply(send, 200, json.dumps({"received": True, "event_id": event["id"]}).encode())

    return app


def main() -> None:
    app = create_app(os.environ["BARE_DATABASE_URL"], os.environ["BARE_WEBHOOK_SECRET"])
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BARE_PORT"]), log_level="warning")


if __name__ == "__main__":
    main()
