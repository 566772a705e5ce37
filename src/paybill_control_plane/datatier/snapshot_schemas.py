"""Snapshot and restore API models, and their presenters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from paybill_control_plane.kit.schemas import InputModel, OutputModel
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot
from paybill_control_plane.provisioning.schemas import RunStep

# Literals, not the enums of models/enums.py: openapi.json spells these inline (tests/datatier
# keeps the two in step).
SnapshotKind = Literal["on_demand", "scheduled", "final", "pre_restore"]
SnapshotStatus = Literal["pending", "running", "completed", "failed", "purged"]
RestoreMode = Literal["new_database", "in_place"]
RestoreStatus = Literal["pending", "running", "completed", "failed", "switching", "switched"]


class TableFingerprintOut(OutputModel):
    rows: int
    checksum: str = Field(
        description="md5 of the sum of the rows' 64-bit hashes: equal for equal rows in any order"
    )


class SnapshotOut(OutputModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: SnapshotKind
    status: SnapshotStatus
    database: str | None = Field(description="The database dumped")
    schema_name: str | None = Field(description="pooled: the schema dumped")
    size_bytes: int | None
    checksum: str | None = Field(description="sha256 of the dump file (pg_dump custom format)")
    tables: dict[str, TableFingerprintOut] | None = Field(
        description="Row count and checksum of each table, as dumped ('schema.table')"
    )
    error: str | None
    steps: list[RunStep]
    progress: str | None = Field(description="The latest pg_dump line while it runs")
    attempt: int
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="When it is purged (null: kept)")


class RestoreCreate(InputModel):
    mode: RestoreMode = Field(
        default="new_database",
        description="new_database (default): restore into a new database beside the tenant's; "
        "in_place: replace the tenant's data (destructive; a pre_restore snapshot is taken first).",
    )


class RestoreOut(OutputModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    snapshot_id: uuid.UUID
    mode: RestoreMode
    status: RestoreStatus
    target_database: str | None = Field(description="The database restored into")
    target_schema: str | None
    pre_restore_snapshot_id: uuid.UUID | None
    error: str | None
    steps: list[RunStep]
    progress: str | None
    attempt: int
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def snapshot_out(row: TenantSnapshot) -> SnapshotOut:
    return SnapshotOut.model_validate(
        {
            **{name: getattr(row, name) for name in SnapshotOut.model_fields if name != "tables"},
            "tables": row.fingerprints,
        }
    )


def restore_out(row: SnapshotRestore) -> RestoreOut:
    return RestoreOut.model_validate(row)
