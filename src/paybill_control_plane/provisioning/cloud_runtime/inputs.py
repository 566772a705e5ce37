"""Which cloud target a stack uses, and the `target` input its module gets from the target's
account and settings and from the tenant's boundary (only the keys the module reads, so
`local` modules get none and cost no query)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.cloud_targets import repository as targets_repo
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.contract import DB_CLASSES, module_dir

MODEL_OF_KIND = {"silo": "silo", "pool": "pooled", "bridge-data": "bridge"}

#: The module input that receives the target's `account_ref` (gcp: GOOGLE_PROJECT instead).
ACCOUNT_INPUT = {
    "aws": "account_id",
    "azure": "subscription_id",
    "oci": "tenancy_ocid",
    "ibm": "account_id",
}

# `target` keys a tenant stack takes from its boundary, so the module builds inside the
# boundary the adapter made instead of beside it: the AWS member account, the OCI
# compartment (the module's own compartment nests in it), the IBM and Azure resource groups,
# the Google Cloud project (`tenant_project_id`: `project_id` is the pool's project).
_BOUNDARY_INPUTS: Mapping[str, Mapping[str, str]] = {
    "aws_account": {"account_id": "id"},
    "tags": {"account_id": "attr:account_id"},
    "oci_compartment": {"parent_compartment_ocid": "id"},
    "ibm_resource_group": {"resource_group_id": "id"},
    "azure_resource_group": {"resource_group_name": "attr:name"},
    "gcp_project": {"tenant_project_id": "id"},
}

# -- the module's `target` input --------------------------------------------------------------

_LOOKUP = re.compile(r"""lookup\(\s*var\.target\s*,\s*"([^"]+)\"""")
_INDEX = re.compile(r"""var\.target\[\s*"([^"]+)"\s*\]""")
_ATTRIBUTE = re.compile(r"var\.target\.([A-Za-z_][A-Za-z0-9_]*)")
_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")


def _key_pattern(key: str) -> re.Pattern[str]:
    """`db_tier_${var.sizing.db_class}` matches db_tier_small ... db_tier_xlarge."""
    parts: list[str] = []
    last = 0
    for match in _INTERPOLATION.finditer(key):
        parts.append(re.escape(key[last : match.start()]))
        inner = match.group(1).strip()
        parts.append(
            "(?:" + "|".join(DB_CLASSES) + ")"
            if inner == "var.sizing.db_class"
            else "[A-Za-z0-9_-]+"
        )
        last = match.end()
    parts.append(re.escape(key[last:]))
    return re.compile("".join(parts))


def module_target_keys(cloud: str, model: str) -> tuple[str, ...]:
    """The `target` keys the module reads (`lookup(var.target, "k", ...)`, `var.target["k"]`,
    `var.target.k`), as written; sorted."""
    return _module_target_keys(cloud, model)


@lru_cache(maxsize=64)
def _module_target_keys(cloud: str, model: str) -> tuple[str, ...]:
    keys: set[str] = set()
    for path in sorted(module_dir(cloud, model).glob("*.tf")):
        source = path.read_text(encoding="utf-8")
        for pattern in (_LOOKUP, _INDEX, _ATTRIBUTE):
            keys.update(pattern.findall(source))
    return tuple(sorted(keys))


@lru_cache(maxsize=64)
def _key_patterns(cloud: str, model: str) -> tuple[re.Pattern[str], ...]:
    return tuple(_key_pattern(key) for key in _module_target_keys(cloud, model))


def module_reads(cloud: str, model: str, key: str) -> bool:
    return any(p.fullmatch(key) for p in _key_patterns(cloud, model))


def boundary_inputs(boundary: Mapping[str, Any] | None) -> dict[str, str]:
    """The `target` keys a recorded boundary sets (see `_BOUNDARY_INPUTS`)."""
    if not boundary:
        return {}
    attributes = boundary.get("attributes") or {}
    values: dict[str, str] = {}
    for key, source in _BOUNDARY_INPUTS.get(str(boundary.get("kind")), {}).items():
        value = attributes.get(source[5:]) if source.startswith("attr:") else boundary.get(source)
        if value:
            values[key] = str(value)
    return values


def boundary_keys(cloud: str, model: str) -> list[str]:
    """The `target` keys of this module a boundary may set at run time."""
    if model == "pooled":
        return []
    keys = {key for inputs in _BOUNDARY_INPUTS.values() for key in inputs}
    return sorted(k for k in keys if module_reads(cloud, model, k))


def target_inputs(
    cloud: str,
    model: str,
    target: CloudTarget | None,
    boundary: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The module's `target` input: the target's account and settings, then the boundary's
    keys, keeping only keys the module reads; sorted, so the revision is deterministic."""
    if not _key_patterns(cloud, model):
        return {}  # local: nothing to read, no query needed
    values: dict[str, str] = {}
    if target is not None:
        account_key = ACCOUNT_INPUT.get(cloud)
        if account_key:
            values[account_key] = target.account_ref
        values.update(target.settings)
    if model != "pooled":
        values.update(boundary_inputs(boundary))
    return {k: v for k, v in sorted(values.items()) if module_reads(cloud, model, k)}


# -- which target ------------------------------------------------------------------------------


async def effective_target(
    session: AsyncSession, cloud: str, target_id: uuid.UUID | None
) -> CloudTarget | None:
    """The bound target; unbound: the cloud's only target (never one for local)."""
    if target_id is not None:
        return await repo.find_cloud_target(session, target_id)
    if cloud == "local":
        return None
    targets = await targets_repo.of_cloud(session, cloud)
    return targets[0] if len(targets) == 1 else None


async def stack_target_inputs(
    session: AsyncSession, cloud: str, model: str, owner: Tenant | Pool, stack: Stack | None
) -> dict[str, str]:
    """`target_inputs` for a stack of this owner, reading the target only when the module
    reads any key (so `local` costs no query)."""
    if not _key_patterns(cloud, model):
        return {}
    target = await effective_target(session, cloud, owner.cloud_target_id)
    boundary = stack.boundary if stack is not None else None
    return target_inputs(cloud, model, target, boundary)


def no_target_message(cloud: str, count: int) -> str:
    if count == 0:
        return (
            f"no cloud target for {cloud}: register one with POST /v1/cloud-targets, "
            "then retry the run"
        )
    return (
        f"no cloud target for {cloud}: there are {count} {cloud} targets and none is bound "
        "to this stack's tenant or pool"
    )
