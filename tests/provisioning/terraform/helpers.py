"""Input builders for the local modules (valid inputs; tests override what they need)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

SIZING = {
    "compute_units": 2,
    "memory_gb": 4,
    "storage_gb": 20,
    "db_class": "medium",
    "replicas": 2,
    "backup_retention_days": 7,
}


def write_inputs(stack: Path, inputs: dict[str, Any]) -> None:
    (stack / "paybill.auto.tfvars.json").write_text(json.dumps(inputs, indent=2, sort_keys=True))


def new_uuid() -> str:
    return str(uuid.uuid4())


def silo_inputs(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "tenant_id": new_uuid(),
        "tenant_slug": "acme-corp",
        "tier": "pro",
        "region": "eu-local-1",
        "labels": {"env": "test"},
        "sizing": dict(SIZING),
    }
    inputs.update(overrides)
    return inputs


def pooled_inputs(tenant_count: int = 2, **overrides: Any) -> dict[str, Any]:
    tenants = sorted(
        (
            {
                "tenant_id": new_uuid(),
                "tenant_slug": f"tenant-{i}",
                "tier": "basic",
                "suspended": False,
            }
            for i in range(tenant_count)
        ),
        key=lambda t: str(t["tenant_id"]),
    )
    inputs: dict[str, Any] = {
        "pool_id": new_uuid(),
        "tier": "basic",
        "region": "eu-local-1",
        "labels": {"env": "test"},
        "sizing": dict(SIZING),
        "tenants": tenants,
    }
    inputs.update(overrides)
    return inputs


def bridge_inputs(**overrides: Any) -> dict[str, Any]:
    inputs = silo_inputs(pool_id=new_uuid(), pool_network_id="local-net-0123456789ab")
    inputs.update(overrides)
    return inputs
