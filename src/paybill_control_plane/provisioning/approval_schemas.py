"""API models of saved plans and approvals."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from paybill_control_plane.kit.schemas import InputModel, OutputModel
from paybill_control_plane.models.enums import ApprovalStatus


class PlanAddresses(OutputModel):
    add: list[str]
    change: list[str]
    replace: list[str]
    destroy: list[str]


class SavedPlanSummary(OutputModel):
    add: int
    change: int
    replace: int
    destroy: int
    addresses: PlanAddresses


class RunPlanOut(OutputModel):
    run_id: uuid.UUID
    plan_id: uuid.UUID
    sha256: str = Field(description="SHA-256 of the binary plan file that is (or was) applied.")
    operation: str
    revision: str | None
    attempt: int
    created_at: datetime
    superseded: bool = Field(description="A re-plan of the run replaced this plan.")
    summary: SavedPlanSummary
    plan: dict[str, Any] = Field(
        description="`terraform show -json` of the plan: resource and output changes, "
        "sensitive values masked."
    )


class PolicyHit(OutputModel):
    name: str
    message: str


class Approver(OutputModel):
    actor: str
    at: datetime


class ApprovalOut(OutputModel):
    id: uuid.UUID
    run_id: uuid.UUID
    status: ApprovalStatus
    plan_sha256: str
    required: int = Field(description="Distinct approvers needed (the tier's approvals_required).")
    approvers: list[Approver]
    requested_by: str
    policies: list[PolicyHit]
    decided_by: str | None
    reason: str | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None


class ApproveBody(InputModel):
    comment: str | None = Field(default=None, max_length=2000)


class RejectBody(InputModel):
    reason: str = Field(min_length=1, max_length=2000)
