"""A run's environment in its cloud: the target and boundary it works in, the credentials
handed to the adapter and to Terraform at run time, and the state backend.

Where credentials flow: the encrypted blob is read with the stack's row in the run's claim
transaction; it is decrypted only in the worker, just before the boundary step, and the clear
values go to the adapter (in a thread) and to the Terraform subprocess's environment (which
the runner scrubs from every log line). They are never written to a stack directory, a run
step, a log line, an error message or the database in clear.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.cloud_targets import repository as targets_repo
from paybill_control_plane.cloud_targets._egress import check_target_urls
from paybill_control_plane.cloud_targets.access import read_credentials, target_config
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
from paybill_control_plane.provisioning.cloud_runtime.inputs import (
    MODEL_OF_KIND,
    boundary_inputs,
    effective_target,
    module_reads,
    no_target_message,
)
from paybill_control_plane.provisioning.planner import BACKEND_FILE, StackSpec, render

# Errors a retry cannot fix: the run fails at once instead of backing off.
PERMANENT_ERRORS = (MissingExtraError, MissingCredentialError, CloudConfigError)


class CloudTargetUnusable(Exception):
    """The stack's cloud target is missing or cannot be used; retrying will not help."""


def is_permanent(exc: BaseException) -> bool:
    return isinstance(exc, (CloudTargetUnusable, BoundaryConflictError, *PERMANENT_ERRORS))


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
