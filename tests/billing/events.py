"""Stripe webhook events for tests: fixtures3.json objects in the event envelope, signed for real.

`fixtures_path()` is the one place that knows where Stripe's fixtures live; if the project vendors
the file later (keep its MIT notice beside it), change only that function.
"""

from __future__ import annotations

import copy
import json
import os
import time
import uuid
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import stripe

FIXTURES_ENV = "PAYBILL_STRIPE_FIXTURES"
API_VERSION = "2025-09-30.clover"


def fixtures_path() -> Path:
    """`$PAYBILL_STRIPE_FIXTURES`, else the vendored copy (MIT, see fixtures/NOTICE.md)."""
    override = os.environ.get(FIXTURES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "fixtures" / "fixtures3.json"


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        resources = json.load(fh)["resources"]
    assert isinstance(resources, dict)
    return resources


def resource(name: str) -> dict[str, Any]:
    """A fresh deep copy of one example object from fixtures3 (`subscription`, `invoice`...)."""
    return copy.deepcopy(_load(fixtures_path())[name])


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


def subscription(
    *,
    id: str | None = None,
    status: str = "active",
    customer: str | None = "cus_QXg1o8vcGmoR32",
    price_id: str | Sequence[str] | None = None,
    quantity: int | None = 1,
    metadata: dict[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The fixture subscription with the usual overrides; extra keyword args replace fields."""
    obj = resource("subscription")
    template = obj["items"]["data"][0]
    obj["id"] = id or obj["id"]
    obj["status"] = status
    obj["customer"] = customer
    obj["metadata"] = dict(metadata or {})
    # The fixture is a schema example (canceled_at/ended_at set on an active subscription);
    # keep them only where Stripe would.
    if status != "canceled":
        obj["canceled_at"] = None
        obj["ended_at"] = None
        obj["cancel_at"] = None
        obj["cancel_at_period_end"] = False
    prices = [price_id] if isinstance(price_id, str) else list(price_id or [])
    if prices:
        items = []
        for index, price in enumerate(prices):
            item = copy.deepcopy(template)
            item["id"] = f"si_test{index}"
            item["price"]["id"] = price
            item["quantity"] = quantity
            item["subscription"] = obj["id"]
            items.append(item)
        obj["items"]["data"] = items
    else:
        for item in obj["items"]["data"]:
            item["quantity"] = quantity
            item["subscription"] = obj["id"]
    obj["items"]["url"] = f"/v1/subscription_items?subscription={obj['id']}"
    obj.update(fields)
    return obj


def invoice(
    *,
    id: str | None = None,
    customer: str | None = "cus_QXg1o8vcGmoR32",
    subscription: str | None = None,
    shape: str = "parent",
    status: str = "paid",
    **fields: Any,
) -> dict[str, Any]:
    """The fixture invoice; `shape` is where the subscription goes: `parent` (API >= 2025-03-31),
    `legacy` (top-level `subscription`) or `lines` (only on the line items)."""
    obj = resource("invoice")
    obj["id"] = id or obj["id"]
    obj["customer"] = customer
    obj["status"] = status
    obj["subscription"] = None
    obj["parent"] = None
    for line in obj["lines"]["data"]:
        line["subscription"] = None
        line["parent"] = None
    if shape == "parent":
        obj["parent"] = {
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": subscription},
            "type": "subscription_details",
        }
    elif shape == "legacy":
        obj["subscription"] = subscription
    elif shape == "lines":
        for line in obj["lines"]["data"]:
            line["parent"] = {
                "invoice_item_details": None,
                "subscription_item_details": {
                    "invoice_item": None,
                    "proration": False,
                    "proration_details": {"credited_items": None},
                    "subscription": subscription,
                    "subscription_item": "si_test0",
                },
                "type": "subscription_item_details",
            }
    else:
        raise ValueError(f"unknown invoice shape {shape!r}")
    obj.update(fields)
    return obj


def checkout_session(
    *,
    id: str | None = None,
    customer: str | None = "cus_QXg1o8vcGmoR32",
    subscription: str | None = "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw",
    client_reference_id: str | None = None,
    metadata: dict[str, str] | None = None,
    payment_status: str = "paid",
    mode: str = "subscription",
    status: str = "complete",
    **fields: Any,
) -> dict[str, Any]:
    obj = resource("checkout.session")
    obj.update(
        id=id or obj["id"],
        customer=customer,
        subscription=subscription,
        client_reference_id=client_reference_id,
        metadata=dict(metadata or {}),
        payment_status=payment_status,
        mode=mode,
        status=status,
        payment_intent=None if mode == "subscription" else obj["payment_intent"],
    )
    obj.update(fields)
    return obj


def make_event(
    type: str,
    obj: dict[str, Any],
    *,
    created: int,
    previous_attributes: dict[str, Any] | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Wrap `obj` in Stripe's event envelope (the fixtures3 `event` object)."""
    event = resource("event")
    data: dict[str, Any] = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    event.update(
        id=event_id or new_id("evt"),
        type=type,
        created=created,
        data=data,
        api_version=API_VERSION,
        livemode=bool(obj.get("livemode", False)),
        pending_webhooks=1,
        request={"id": None, "idempotency_key": None},
    )
    return event


def encode(event: dict[str, Any]) -> bytes:
    """The body as Stripe sends it (pretty-printed JSON)."""
    return json.dumps(event, indent=2).encode("utf-8")


def sign(payload: bytes | str, secret: str | Sequence[str], timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header from stripe's own helper; several secrets give several v1s
    (what Stripe sends while a secret is being rolled)."""
    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not secrets:
        raise ValueError("at least one secret is needed")
    ts = int(time.time()) if timestamp is None else timestamp
    headers = [stripe.WebhookSignature.generate_signature_header(text, s, ts) for s in secrets]
    return ",".join([f"t={ts}", *(h.split(",", 1)[1] for h in headers)])


def entitlement_summary(
    customer: str, lookup_keys: Sequence[str], *, has_more: bool = False
) -> dict[str, Any]:
    """An `entitlements.active_entitlement_summary` (the fixture's shape) for `customer`."""
    obj = resource("entitlements.active_entitlement_summary")
    template = obj["entitlements"]["data"][0]
    rows = []
    for index, key in enumerate(lookup_keys):
        row = copy.deepcopy(template)
        row.update(id=f"ent_{index}", lookup_key=key, livemode=False)
        row["feature"].update(id=f"feat_{key}", lookup_key=key, livemode=False)
        rows.append(row)
    obj.update(customer=customer, livemode=False)
    obj["entitlements"].update(
        data=rows, has_more=has_more, url="/v1/entitlements/active_entitlements"
    )
    return obj
