"""API models of module releases, rollouts and drift findings."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from paybill_control_plane.fleet import versions
from paybill_control_plane.kit.schemas import (
    InputModel,
    LabelKey,
    LabelValue,
    NonNegativeInt32,
    OutputModel,
    PositiveInt32,
)
from paybill_control_plane.models.enums import Cloud, IsolationModel

Module = Annotated[str, StringConstraints(pattern=r"^[a-z]+/(silo|pooled|bridge)$")]
Version = Annotated[str, StringConstraints(pattern=versions.VERSION.pattern)]
_FILE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\.tf(\.json)?$")
MAX_FILES_BYTES = 1_000_000

RolloutStatus = Literal[
    "running", "paused", "completed", "halted", "cancelled", "rolling_back", "rolled_back"
]
TargetStatus = Literal[
    "pending",
    "running",
    "succeeded",
    "failed",
    "skipped",
    "cancelled",
    "rolling_back",
    "rolled_back",
    "rollback_failed",
]
FindingStatus = Literal["open", "resolved", "ignored"]


class ModuleReleaseCreate(InputModel):
    module: Module = Field(description="`<cloud>/<model>`, e.g. `local/silo`.")
    version: Version = Field(description="Dotted numbers, e.g. `1.4.0`; unique per module.")
    notes: str = Field(default="", max_length=10_000)
    upgradeable_from: str | None = Field(
        default=None,
        max_length=200,
        description="Versions a stack may upgrade from, e.g. `>=1.2,<2` (null: any release).",
    )
    files: dict[str, str] | None = Field(
        default=None,
        description="The module's `*.tf` files (name → text). Null: snapshot "
        "`terraform-modules/<cloud>/<model>` as it is on disk now.",
    )

    @field_validator("upgradeable_from")
    @classmethod
    def _constraint(cls, value: str | None) -> str | None:
        if value is not None:
            versions.check_constraint(value)
        return value

    @field_validator("files")
    @classmethod
    def _files(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        if not value:
            raise ValueError("a release needs at least one file")
        for name in value:
            if not _FILE_NAME.match(name):
                raise ValueError(f"'{name}' is not a module file name (*.tf or *.tf.json)")
        if sum(len(text.encode()) for text in value.values()) > MAX_FILES_BYTES:
            raise ValueError(f"the files exceed {MAX_FILES_BYTES} bytes")
        if any("\x00" in text for text in value.values()):
            raise ValueError("a module file cannot hold NUL characters")
        return value


class ModuleReleaseOut(OutputModel):
    id: uuid.UUID
    module: str
    version: str
    digest: str = Field(description="sha256 over every file's name and content, in name order.")
    notes: str
    upgradeable_from: str | None
    file_names: list[str]
    created_by: str
    created_at: datetime


class RolloutSelector(InputModel):
    cloud: Cloud | None = None
    region: str | None = Field(default=None, max_length=64)
    tier: str | None = Field(default=None, max_length=63)
    model: IsolationModel | None = None
    labels: dict[LabelKey, LabelValue] = Field(
        default_factory=dict, description="Every label must match (a pool: any member)."
    )
    tenant_ids: list[uuid.UUID] | None = Field(
        default=None, description="Only these tenants' stacks (a pool: any member)."
    )


class RolloutStrategy(InputModel):
    canary: PositiveInt32 = Field(default=1, description="Stacks in the first wave.")
    growth: PositiveInt32 = Field(default=2, description="Each wave is this many times the last.")
    max_concurrency: PositiveInt32 = Field(default=4, description="Stacks upgrading at once.")
    soak_seconds: NonNegativeInt32 = Field(default=0, description="Wait between waves.")
    respect_maintenance_windows: bool = True


class RolloutCreate(InputModel):
    release_id: uuid.UUID
    selector: RolloutSelector = Field(default_factory=RolloutSelector)
    strategy: RolloutStrategy = Field(default_factory=RolloutStrategy)
    max_failures: Annotated[str, StringConstraints(pattern=r"^\d{1,6}%?$")] | int = Field(
        default=0,
        description="Error budget: failed stacks tolerated, a count (`3`) or a percentage of "
        "the targets (`'5%'`). One more failure halts the rollout.",
    )

    @model_validator(mode="after")
    def _budget(self) -> RolloutCreate:
        if isinstance(self.max_failures, int) and not 0 <= self.max_failures <= 1_000_000:
            raise ValueError("max_failures must be between 0 and 1000000")
        percent = isinstance(self.max_failures, str) and self.max_failures.endswith("%")
        if percent and int(str(self.max_failures)[:-1]) > 100:
            raise ValueError("a percentage max_failures is at most 100%")
        return self


class RolloutTargetOut(OutputModel):
    stack_id: uuid.UUID | None = Field(description="Module rollouts: the stack.")
    tenant_database_id: uuid.UUID | None = Field(
        default=None, description="Schema rollouts: the tenant database."
    )
    tenant_id: uuid.UUID | None
    wave: int
    status: TargetStatus
    from_release_id: uuid.UUID | None
    run_id: uuid.UUID | None
    rollback_run_id: uuid.UUID | None
    error: str | None
    started_at: datetime | None
    finished_at: datetime | None


class WaveOut(OutputModel):
    wave: int
    size: int
    counts: dict[str, int]


class RolloutOut(OutputModel):
    id: uuid.UUID
    kind: Literal["module", "schema"]
    release_id: uuid.UUID | None = Field(description="Module rollouts: the release.")
    schema_version: int | None = Field(description="Schema rollouts: the version reached.")
    status: RolloutStatus
    selector: dict[str, object]
    strategy: dict[str, object]
    max_failures: int
    current_wave: int
    halted_reason: str | None
    counts: dict[str, int] = Field(description="Targets per status.")
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class RolloutDetail(RolloutOut):
    waves: list[WaveOut]
    targets: list[RolloutTargetOut]
    failures: list[RolloutTargetOut]


class DriftCheckQueued(OutputModel):
    stack_id: uuid.UUID
    queued: bool = Field(description="False: a check of this stack was already waiting.")


class DriftFindingOut(OutputModel):
    id: uuid.UUID
    stack_id: uuid.UUID
    tenant_id: uuid.UUID | None
    module: str
    fingerprint: str
    status: FindingStatus
    addresses: list[str]
    attributes: dict[str, list[str]]
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None
    ignored_reason: str | None
    remediation_run_id: uuid.UUID | None


class DriftIgnore(InputModel):
    reason: str = Field(min_length=1, max_length=2000)


class SchemaMigrationIn(InputModel):
    version: PositiveInt32
    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")
    sql: str = Field(min_length=1, max_length=1_000_000, pattern=r"^[^\x00]*$")


class SchemaReleaseCreate(InputModel):
    migrations: list[SchemaMigrationIn] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _unique(self) -> SchemaReleaseCreate:
        versions_ = [m.version for m in self.migrations]
        if len(set(versions_)) != len(versions_):
            raise ValueError("each migration needs its own version")
        return self


class SchemaMigrationOut(OutputModel):
    version: int
    name: str
    checksum: str = Field(description="sha256 of the SQL text, recorded at release.")
    created_at: datetime


class SchemaRolloutCreate(InputModel):
    schema_version: PositiveInt32 | None = Field(
        default=None, description="The version to reach (default: the latest released)."
    )
    selector: RolloutSelector = Field(default_factory=RolloutSelector)
    strategy: RolloutStrategy = Field(default_factory=RolloutStrategy)
    max_failures: Annotated[str, StringConstraints(pattern=r"^\d{1,6}%?$")] | int = 0
