"""Clouds in provisioning: which target a stack uses, the `target` input its module gets, the
tenant's boundary, and the credentials handed to the adapter and to Terraform at run time.

Where credentials flow: the encrypted blob is read with the stack's row in the run's claim
transaction; it is decrypted only in the worker, just before the boundary step, and the clear
values go to the adapter (in a thread) and to the Terraform subprocess's environment (which
the runner scrubs from every log line). They are never written to a stack directory, a run
step, a log line, an error message or the database in clear.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.cloud_targets import repository as targets_repo
from paybill_control_plane.cloud_targets._egress import check_target_urls
from paybill_control_plane.cloud_targets.service import read_credentials, target_config
from paybill_control_plane.clouds import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudAdapter,
    CloudConfigError,
    CloudTargetConfig,
    MissingCredentialError,
    MissingExtraError,
    get_adapter,
)
from paybill_control_plane.config import Settings
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning.module_contract import DB_CLASSES, module_dir
from paybill_control_plane.provisioning.planner import BACKEND_FILE, StackSpec, render

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

# Errors a retry cannot fix: the run fails at once instead of backing off.
PERMANENT_ERRORS = (MissingExtraError, MissingCredentialError, CloudConfigError)


class CloudTargetUnusable(Exception):
    """The stack's cloud target is missing or cannot be used; retrying will not help."""


def is_permanent(exc: BaseException) -> bool:
    return isinstance(exc, (CloudTargetUnusable, BoundaryConflictError, *PERMANENT_ERRORS))


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
        return await session.get(CloudTarget, target_id)
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


# -- the run's view of its cloud ----------------------------------------------------------------


@dataclass
class CloudRun:
    """What a run needs of its cloud, read in the claim transaction."""

    cloud: str
    adapter: CloudAdapter
    config: CloudTargetConfig
    target: CloudTarget | None = field(default=None, repr=False)
    state_backend: dict[str, Any] = field(default_factory=lambda: {"kind": "pg", "config": {}})
    boundary_request: BoundaryRequest | None = None  # tenant stacks only
    boundary: dict[str, Any] | None = None  # recorded on the stack
    problem: str | None = None  # why the run cannot proceed
    bound_tenant: uuid.UUID | None = None  # bound to the target by this claim

    @property
    def local(self) -> bool:
        return self.cloud == "local"

    def credentials(self, settings: Settings) -> dict[str, str]:
        """Decrypted here, in the worker, at the last moment."""
        if self.problem:
            raise CloudTargetUnusable(self.problem)
        if self.target is None:
            return {}
        try:
            # Again at run time: DNS may answer differently than when the target was saved, and
            # Terraform's own HTTP clients cannot be pinned (kit/net_guard.py).
            check_target_urls(self.target.endpoint_url, self.target.settings, settings)
            creds = read_credentials(self.target, settings)
        except ControlPlaneError as exc:
            raise CloudTargetUnusable(f"cloud target '{self.target.name}': {exc.detail}") from None
        if not creds and not self.local:
            raise CloudTargetUnusable(
                f"cloud target '{self.target.name}' ({self.cloud}) has no credentials: store "
                f"them with PATCH /v1/cloud-targets/{self.target.id}, then retry the run"
            )
        return creds


async def prepare(session: AsyncSession, stack: Stack, owner: Tenant | Pool) -> CloudRun:
    """Resolve (and bind, the first time) the stack's target; never raises for a bad target:
    the problem is reported by the run, in its own words."""
    target = await effective_target(session, stack.cloud, owner.cloud_target_id)
    problem: str | None = None
    if target is None and stack.cloud != "local":
        count = len(await targets_repo.of_cloud(session, stack.cloud))
        problem = no_target_message(stack.cloud, count)
    bound_tenant = None
    if target is not None and owner.cloud_target_id is None:
        # Bound on first use, so a target registered later cannot move live infrastructure.
        owner.cloud_target_id = target.id
        if isinstance(owner, Tenant):
            bound_tenant = owner.id
    region = owner.region
    if target is not None:
        config = target_config(target)
        backend = dict(target.state_backend) or {"kind": "pg", "config": {}}
    else:
        config = CloudTargetConfig(
            cloud=stack.cloud, name="local", default_region=region, account_ref="local"
        )
        backend = {"kind": "pg", "config": {}}
    request = None
    if isinstance(owner, Tenant):
        request = BoundaryRequest(
            tenant_id=str(owner.id),
            tenant_slug=owner.slug,
            isolation_model=owner.isolation_model,
            region=owner.region,
            labels=dict(owner.labels),
        )
    return CloudRun(
        cloud=stack.cloud,
        adapter=get_adapter(stack.cloud),
        config=config,
        target=target,
        state_backend=backend,
        boundary_request=request,
        boundary=dict(stack.boundary) if stack.boundary else None,
        problem=problem,
        bound_tenant=bound_tenant,
    )


async def record_binding(session: AsyncSession, run: CloudRun) -> None:
    """Audit a tenant's binding to its target (outside the claim, which holds row locks)."""
    if run.bound_tenant is None or run.target is None:
        return
    await audit.record(
        session, actor="worker", action="tenant.cloud_target_bound", target_type="tenant",
        target_id=run.bound_tenant, tenant_id=run.bound_tenant,
        before={"cloud_target_id": None}, after={"cloud_target_id": str(run.target.id)},
    )  # fmt: skip
    run.bound_tenant = None


def boundary_json(boundary: Boundary, target: CloudTarget | None) -> dict[str, Any]:
    return {
        "kind": boundary.kind,
        "id": boundary.id,
        "attributes": dict(boundary.attributes),
        "cloud_target_id": str(target.id) if target else None,
    }


def boundary_of(recorded: Mapping[str, Any]) -> Boundary:
    return Boundary(
        kind=str(recorded["kind"]),
        id=str(recorded["id"]),
        attributes={str(k): str(v) for k, v in (recorded.get("attributes") or {}).items()},
    )


def with_boundary(spec: StackSpec, boundary: Mapping[str, Any] | None) -> StackSpec:
    """The spec re-rendered with the boundary's `target` keys (itself when they change nothing)."""
    if spec.kind == "pool":
        return spec
    model = MODEL_OF_KIND[spec.kind]
    extra = {
        k: v for k, v in boundary_inputs(boundary).items() if module_reads(spec.cloud, model, k)
    }
    current = dict(spec.variables.get("target") or {})
    if all(current.get(k) == v for k, v in extra.items()):
        return spec
    variables = {**spec.variables, "target": dict(sorted({**current, **extra}.items()))}
    return render(spec.cloud, model, spec.kind, variables)


def terraform_env(run: CloudRun, creds: Mapping[str, str]) -> dict[str, str]:
    """The provider's environment. Runs in a thread: AWS may call STS."""
    creds = dict(creds)
    boundary = run.boundary or {}
    if boundary.get("kind") == "aws_account":
        # Terraform works inside the tenant's member account, through the role Organizations
        # created there: first (if the target itself assumes a role) the target's session,
        # then the member account's role.
        role = (boundary.get("attributes") or {}).get("role_arn")
        if role:
            if creds.get("role_arn"):
                hop = run.adapter.terraform_env(run.config, creds)
                creds = {
                    "access_key_id": hop["AWS_ACCESS_KEY_ID"],
                    "secret_access_key": hop["AWS_SECRET_ACCESS_KEY"],
                    "session_token": hop.get("AWS_SESSION_TOKEN", ""),
                }
            creds = {k: v for k, v in creds.items() if k != "external_id"} | {"role_arn": role}
    return run.adapter.terraform_env(run.config, creds)


# -- keeping secrets out of messages ----------------------------------------------------------

# Credential keys that identify rather than authenticate (kept readable in error messages).
_IDENTIFIER_KEYS = frozenset(
    {"region", "tenant_id", "client_id", "user_ocid", "fingerprint", "role_arn"}
)
_SECRET_ENV = re.compile(r"KEY|SECRET|TOKEN|CREDENTIALS|PASSWORD")
_MIN_SCRUB_LEN = 6


def secret_values(creds: Mapping[str, str], env: Mapping[str, str] | None = None) -> list[str]:
    """The values to scrub from any message: secret credentials and the env derived from them."""
    values = {v for k, v in creds.items() if k not in _IDENTIFIER_KEYS}
    values |= {v for k, v in (env or {}).items() if _SECRET_ENV.search(k)}
    for value in list(values):  # a PEM or a key file is also scrubbed line by line
        values |= {line.strip() for line in value.splitlines()}
    return sorted((v for v in values if len(v) >= _MIN_SCRUB_LEN), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


# -- state backend ------------------------------------------------------------------------------

_BACKEND_DEFAULTS: Mapping[str, Mapping[str, str]] = {
    "s3": {"key": "paybill/terraform.tfstate", "workspace_key_prefix": "paybill"},
    "azurerm": {"key": "paybill.tfstate"},
    "gcs": {"prefix": "paybill"},
}


def backend(run: CloudRun, spec: StackSpec) -> tuple[StackSpec, dict[str, str] | None]:
    """The spec with the target's backend block, and its `-backend-config` (None: pg).

    The backend is where state lives, not an input, so the revision does not change.
    """
    kind = str(run.state_backend.get("kind") or "pg")
    if kind == "pg":
        return spec, None
    config = {**_BACKEND_DEFAULTS.get(kind, {}), **(run.state_backend.get("config") or {})}
    block = f'{{"terraform":{{"backend":{{"{kind}":{{}}}}}}}}\n'.encode()
    files = {**spec.files, BACKEND_FILE: block}
    return StackSpec(
        kind=spec.kind,
        cloud=spec.cloud,
        module=spec.module,
        variables=spec.variables,
        files=files,
        revision=spec.revision,
    ), dict(sorted(config.items()))
