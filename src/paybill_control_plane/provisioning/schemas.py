"""Run, stack and pool schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from paybill_control_plane.kit.schemas import OutputModel

# Literals, not the enums of models/enums.py: openapi.json spells these inline, and a test
# (tests/test_enums.py) keeps the two in step.
RunStatus = Literal["queued", "running", "retrying", "succeeded", "failed", "awaiting_approval"]
StackStatus = Literal["pending", "applying", "applied", "destroying", "destroyed", "failed"]


class RunStep(OutputModel):
    name: str = Field(
        description="boundary, render, init, workspace, plan, apply, destroy, output or wait"
    )
    status: str
    attempt: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_ms: int | None = None
    detail: str | None = None


class PlanCounts(OutputModel):
    add: int
    change: int
    destroy: int


class RunOut(OutputModel):
    id: uuid.UUID
    stack_id: uuid.UUID
    kind: str = Field(
        description="Why it ran: provision, change-tier, suspend, resume, deprovision…"
    )
    trigger: str = Field(description="api, a Stripe event id, retry…")
    status: RunStatus
    operation: Literal["apply", "destroy", "noop"] | None
    tenant_ids: list[uuid.UUID]
    attempt: int
    max_attempts: int
    steps: list[RunStep]
    plan_summary: PlanCounts | None
    revision: str | None
    error: str | None
    log_excerpt: str | None
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    next_attempt_at: datetime | None


class RunLogLineOut(OutputModel):
    id: int
    attempt: int
    line: str
    created_at: datetime


class RunLogs(OutputModel):
    run_id: uuid.UUID
    run_status: RunStatus
    lines: list[RunLogLineOut]
    next_after: int | None = Field(description="Pass as `after` to get the lines that follow.")
    redacted: bool = Field(
        default=False, description="True when a tenant key reads a shared pool run's log."
    )


class StackOut(OutputModel):
    id: uuid.UUID
    kind: Literal["silo", "pool", "bridge-data"]
    tenant_id: uuid.UUID | None
    pool_id: uuid.UUID | None
    cloud: str
    module: str
    workspace: str
    status: StackStatus
    variables: dict[str, Any] = Field(description="The inputs of the last render (no secrets).")
    desired_revision: str | None
    applied_revision: str | None
    outputs: dict[str, Any] = Field(description="Non-sensitive Terraform outputs.")
    drift_status: str
    last_run_id: uuid.UUID | None
    boundary: dict[str, Any] | None = Field(
        default=None,
        description="A tenant stack's cloud boundary (account, resource group, project, "
        "compartment; `local` on the local cloud), created before its first apply and removed "
        "after its destroy. Non-secret.",
    )
    release_id: uuid.UUID | None = Field(
        default=None, description="The module release the stack runs; null: the module on disk."
    )
    drift_checked_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class PoolOut(OutputModel):
    id: uuid.UUID
    cloud: str
    region: str
    tier_group: str
    ordinal: int
    capacity: int
    members: int
    stack_id: uuid.UUID | None
    created_at: datetime


class PlannedStackOut(OutputModel):
    kind: Literal["silo", "pool", "bridge-data"]
    module: str = Field(description="`<cloud>/<model>` under terraform-modules/.")
    stack_id: uuid.UUID | None = Field(description="The existing stack, if any.")
    workspace: str | None
    revision: str = Field(description="Hash of the rendered files: what a run would apply.")
    applied_revision: str | None
    up_to_date: bool = Field(description="The stack already has this revision applied.")
    variables: dict[str, Any] = Field(description="The module's inputs (no secrets).")
    files: list[str] = Field(description="Files of the stack's working directory.")
    tfvars_json: str = Field(description="`paybill.auto.tfvars.json` exactly as written.")
    placeholders: list[str] = Field(
        description="Inputs not known yet, shown with a placeholder (`pool_id` of a pool not "
        "created yet, `pool_network_id` before the pool is applied)."
    )
    boundary_inputs: list[str] = Field(
        description="`target` keys set from the tenant's cloud boundary (account, "
        "compartment, resource group) when a run creates it."
    )
    boundary: dict[str, Any] | None = Field(description="The boundary recorded on the stack.")


class TenantPlanOut(OutputModel):
    tenant_id: uuid.UUID
    cloud: str
    region: str
    isolation_model: str
    tier: str
    desired_state: str
    cloud_target_id: uuid.UUID | None = Field(
        description="The target used (the bound one, else the cloud's only one)."
    )
    cloud_target_name: str | None
    state_backend: str = Field(description="Where Terraform state would live: pg, s3, ...")
    notes: list[str] = Field(description="What keeps this plan from running, and defaults used.")
    stacks: list[PlannedStackOut]
