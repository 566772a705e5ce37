"""The planner: a pure function from (tenant, tier, pool, cloud target) to rendered stack files.

Nothing here touches the database, the clock or the environment, so the same facts give
byte-identical files and the same revision hash in any process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from paybill_control_plane.kit.canonical import canonical_json
from paybill_control_plane.provisioning.contract import module_dir

TFVARS_FILE = "paybill.auto.tfvars.json"
BACKEND_FILE = "backend.tf.json"
# State lives in the control plane's Postgres; the connection comes from PG_CONN_STR at run time,
# so no credential is ever written into a stack directory.
_BACKEND: dict[str, Any] = {"terraform": {"backend": {"pg": {}}}}


@dataclass(frozen=True)
class TenantFacts:
    id: str
    slug: str
    tier: str
    cloud: str
    region: str
    isolation_model: str
    labels: Mapping[str, str]
    suspended: bool


@dataclass(frozen=True)
class PoolFacts:
    id: str
    cloud: str
    region: str
    tier_group: str


@dataclass(frozen=True)
class StackSpec:
    """What a stack should be: its module, inputs, rendered files and their revision hash."""

    kind: str  # silo | pool | bridge-data
    cloud: str
    module: str  # "<cloud>/<model>"
    variables: dict[str, Any]
    files: dict[str, bytes] = field(repr=False)
    revision: str


def backend_file() -> bytes:
    return (canonical_json(_BACKEND) + "\n").encode()


@lru_cache(maxsize=64)
def _module_files(path: Path) -> tuple[tuple[str, bytes], ...]:
    files = sorted(p for p in path.glob("*.tf") if p.is_file())
    if not files:
        raise FileNotFoundError(f"no Terraform module at {path}")
    return tuple((p.name, p.read_bytes()) for p in files)


def render(
    cloud: str,
    model: str,
    kind: str,
    variables: dict[str, Any],
    module_files: Mapping[str, bytes] | None = None,
) -> StackSpec:
    """Module files + tfvars + backend, and sha256 over every (name, content) pair in order.

    `module_files`: a module release's files; None renders the module on disk."""
    if module_files is None:
        files = dict(_module_files(module_dir(cloud, model)))
    else:
        files = dict(module_files)
    files[TFVARS_FILE] = (canonical_json(variables) + "\n").encode()
    files[BACKEND_FILE] = backend_file()
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return StackSpec(
        kind=kind,
        cloud=cloud,
        module=f"{cloud}/{model}",
        variables=variables,
        files=files,
        revision=digest.hexdigest(),
    )


def _common(
    cloud: str,
    region: str,
    labels: Mapping[str, str],
    sizing: Mapping[str, Any],
    target: Mapping[str, str],
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    variables: dict[str, Any] = {
        "region": region,
        "labels": dict(sorted(labels.items())),
        "sizing": dict(sizing),
        "target": dict(sorted(target.items())),
    }
    variables.update(extra)
    return variables


def _tenant_inputs(
    tenant: TenantFacts,
    sizing: Mapping[str, Any],
    target: Mapping[str, str] | None,
    extra: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The inputs every tenant-owned stack (silo, bridge data) takes."""
    variables = _common(
        tenant.cloud, tenant.region, tenant.labels, sizing, target or {}, extra or {}
    )
    variables.update(
        tenant_id=tenant.id, tenant_slug=tenant.slug, tier=tenant.tier, suspended=tenant.suspended
    )
    return variables


def plan_silo(
    tenant: TenantFacts,
    sizing: Mapping[str, Any],
    *,
    target: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    module_files: Mapping[str, bytes] | None = None,
) -> StackSpec:
    """A dedicated stack for one tenant."""
    inputs = _tenant_inputs(tenant, sizing, target, extra)
    return render(tenant.cloud, "silo", "silo", inputs, module_files)


def plan_pool(
    pool: PoolFacts,
    members: list[TenantFacts],
    sizing: Mapping[str, Any],
    *,
    target: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    module_files: Mapping[str, bytes] | None = None,
) -> StackSpec:
    """The shared stack of a pool; its member list is an input, sorted by tenant id."""
    labels = {"paybill-pool-id": pool.id}
    variables = _common(pool.cloud, pool.region, labels, sizing, target or {}, extra or {})
    variables.update(
        pool_id=pool.id,
        tier=pool.tier_group,
        tenants=[
            {"tenant_id": m.id, "tenant_slug": m.slug, "tier": m.tier, "suspended": m.suspended}
            for m in sorted(members, key=lambda m: m.id)
        ],
    )
    return render(pool.cloud, "pooled", "pool", variables, module_files)


def plan_bridge_data(
    tenant: TenantFacts,
    sizing: Mapping[str, Any],
    pool_id: str,
    pool_network_id: str,
    *,
    target: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    module_files: Mapping[str, bytes] | None = None,
) -> StackSpec:
    """A bridge tenant's dedicated data tier, attached to its pool's network."""
    variables = _tenant_inputs(tenant, sizing, target, extra)
    variables.update(pool_id=pool_id, pool_network_id=pool_network_id)
    return render(tenant.cloud, "bridge", "bridge-data", variables, module_files)


def pool_sizing(tier_sizings: list[tuple[int, str, Mapping[str, Any]]]) -> dict[str, Any]:
    """A pool is sized for its most demanding member tier: highest rank, then key."""
    _, _, sizing = max(tier_sizings, key=lambda item: (item[0], item[1]))
    return dict(sizing)
