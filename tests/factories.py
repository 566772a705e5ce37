"""Small factories that create catalog entries and tenants through the API."""

from __future__ import annotations

from typing import Any

from tests.conftest import unique
from tests.live import Api

SIZING = {
    "compute_units": 1,
    "memory_gb": 2,
    "storage_gb": 20,
    "db_class": "small",
    "replicas": 1,
    "backup_retention_days": 7,
}


def tier_body(key: str | None = None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": key or unique("tier"),
        "name": "Test tier",
        "rank": 10,
        "default_isolation": "pooled",
        "allowed_isolation": ["pooled", "silo", "bridge"],
        "features": [
            {"key": "seats", "type": "numeric", "value": 10, "unit": "seat"},
            {"key": "sso", "type": "boolean", "enabled": False},
            {"key": "regions", "type": "set", "values": ["eu"]},
        ],
        "sizing": SIZING,
        "allowed_clouds": ["local", "aws", "azure", "gcp", "oci", "ibm"],
    }
    body.update(overrides)
    return body


def make_tier(api: Api, **overrides: Any) -> dict[str, Any]:
    return api.ok("POST", "/v1/tiers", 201, json=tier_body(**overrides))  # type: ignore[no-any-return]


def make_plan(api: Api, tier: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": unique("plan"),
        "name": "Test plan",
        "tier": tier,
        "stripe_product_id": unique("prod"),
        "stripe_price_ids": [unique("price")],
        "interval": "month",
    }
    body.update(overrides)
    return api.ok("POST", "/v1/plans", 201, json=body)  # type: ignore[no-any-return]


def make_tenant(api: Api, tier: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "slug": unique("t"),
        "name": "Test tenant",
        "tier": tier,
        "cloud": "local",
        "region": "local-1",
    }
    body.update(overrides)
    return api.ok("POST", "/v1/tenants", 201, json=body)  # type: ignore[no-any-return]
