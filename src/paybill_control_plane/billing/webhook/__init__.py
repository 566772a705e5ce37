"""The Stripe webhook: `POST /v1/webhooks/stripe`, from raw bytes to a stored, queued event.

- `ingest`: verify the signature over the raw body, store the event once and queue its
  processing, in group-committed batches (`EventInbox`); `respond` is the whole exchange.
- `asgi`: `StripeWebhookFastPath`, the pure ASGI middleware that answers the path ahead of
  the framework under bursts.
- `endpoints`: the documented FastAPI route (the OpenAPI description; it serves the exchange
  when the fast path is not installed).

Processing a stored event (the worker's side) lives in `billing.tasks` and `billing.service`.
"""
