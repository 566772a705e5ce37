"""API models of tenant migrations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from paybill_control_plane.kit.schemas import KEY_PATTERN, InputModel
from paybill_control_plane.models.enums import IsolationModel, MigrationPhase, MigrationStatus
from paybill_control_plane.models.tenant_migration import TenantMigration


class MigrationCreate(InputModel):
    """Where to move the tenant: a tier (its isolation model follows) and/or a model the tier
    allows. At least one; the resulting model must differ from the tenant's."""

    tier: str | None = Field(default=None, pattern=KEY_PATTERN, description="Target tier key.")
    isolation_model: IsolationModel | None = Field(
        default=None, description="Target isolation model (default: the tier's)."
    )


class MigrationSide(BaseModel):
    tier: str
    isolation_model: IsolationModel
    pool_id: uuid.UUID | None = None


class MigrationPhaseOut(BaseModel):
    name: MigrationPhase
    status: str = Field(description="running, succeeded, skipped, failed or interrupted")
    started_at: datetime
    finished_at: datetime | None = None
    duration_ms: int | None = None
    detail: Any = None


class MigrationPlanOut(BaseModel):
    """What a migration would do (`?dry_run=true`), and what a started one planned."""

    tenant_id: uuid.UUID
    source: MigrationSide
    target: MigrationSide
    phases: list[MigrationPhase]
    target_stacks: list[dict[str, Any]] = Field(
        description="The stacks the target needs: kind, module, and whether it exists already."
    )
    source_stacks: list[dict[str, Any]] = Field(
        description="The stacks decommissioned after the hold."
    )
    hold_hours: float
    data: dict[str, Any] = Field(description="Data size estimate and copy method.")
    rollback_of: uuid.UUID | None = Field(
        default=None,
        description="Set when this migration rolls back a completed (decommissioned) one: it "
        "moves the tenant, with its current data, back to that migration's source.",
    )


class MigrationOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    status: MigrationStatus
    phase: MigrationPhase
    source: MigrationSide
    target: MigrationSide
    plan: MigrationPlanOut
    phases: list[MigrationPhaseOut]
    endpoint: str | None = Field(default=None, description="The target's endpoint, after cutover.")
    hold_until: datetime | None = None
    error: str | None = None
    requested_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None

    @classmethod
    def of(cls, m: TenantMigration) -> MigrationOut:
        return cls(
            id=m.id,
            tenant_id=m.tenant_id,
            status=MigrationStatus(m.status),
            phase=MigrationPhase(m.phase),
            source=MigrationSide(
                tier=m.source_tier,
                isolation_model=IsolationModel(m.source_isolation),
                pool_id=m.source_pool_id,
            ),
            target=MigrationSide(
                tier=m.target_tier,
                isolation_model=IsolationModel(m.target_isolation),
                pool_id=m.target_pool_id,
            ),
            plan=MigrationPlanOut.model_validate(m.plan),
            phases=[MigrationPhaseOut.model_validate(p) for p in m.phases],
            endpoint=m.endpoint,
            hold_until=m.hold_until,
            error=m.error,
            requested_by=m.requested_by,
            created_at=m.created_at,
            updated_at=m.updated_at,
            finished_at=m.finished_at,
        )
