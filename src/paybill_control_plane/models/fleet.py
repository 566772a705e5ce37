"""Fleet operations: module releases, rollouts (and their per-stack targets), drift findings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin


class ModuleRelease(IdMixin, TimestampMixin, Base):
    """An immutable snapshot of one module directory: its files, stored here, and their digest."""

    __tablename__ = "module_releases"
    __table_args__ = (UniqueConstraint("module", "version"),)

    module: Mapped[str] = mapped_column(String(100), doc="<cloud>/<model>, e.g. local/silo")
    version: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), index=True, doc="sha256 over name + content")
    notes: Mapped[str] = mapped_column(Text, default="")
    upgradeable_from: Mapped[str | None] = mapped_column(
        String(200), doc="A version constraint (e.g. '>=1.0,<2') the stack's release must meet"
    )
    files: Mapped[dict[str, str]] = mapped_column(JSONB, doc="file name -> UTF-8 text")
    created_by: Mapped[str] = mapped_column(String(200))


class Rollout(IdMixin, TimestampMixin, Base):
    """Moving selected stacks to a release in waves, within an error budget (a workflow)."""

    __tablename__ = "rollouts"
    __table_args__ = (Index("ix_rollouts_created_at_id", "created_at", "id"),)

    kind: Mapped[str] = mapped_column(
        String(16), default="module", server_default="module", doc="module or schema"
    )
    release_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("module_releases.id"), doc="module rollouts: the release"
    )
    schema_version: Mapped[int | None] = mapped_column(
        doc="schema rollouts: the tenant schema version every target reaches"
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    selector: Mapped[dict[str, Any]] = mapped_column(JSONB)
    strategy: Mapped[dict[str, Any]] = mapped_column(JSONB, doc="canary, growth, concurrency...")
    max_failures: Mapped[int] = mapped_column(doc="Failed stacks allowed; one more halts it")
    current_wave: Mapped[int] = mapped_column(default=0)
    wave_done_at: Mapped[datetime | None] = mapped_column(doc="When the current wave finished")
    halted_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    finished_at: Mapped[datetime | None]


class RolloutTarget(IdMixin, TimestampMixin, Base):
    """One stack of a rollout: its wave, its run, its outcome, and the release it came from."""

    __tablename__ = "rollout_targets"
    __table_args__ = (
        UniqueConstraint("rollout_id", "stack_id"),
        Index("ix_rollout_targets_rollout_id_status", "rollout_id", "status"),
    )

    rollout_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rollouts.id", ondelete="CASCADE"))
    stack_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stacks.id"), index=True)
    tenant_database_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tenant_databases.id"), index=True, doc="schema rollouts: the database"
    )
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(doc="The owning tenant (None: a pool)")
    position: Mapped[int]
    wave: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    from_release_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("module_releases.id"))
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("runs.id"))
    rollback_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("runs.id"))
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class DriftFinding(IdMixin, TimestampMixin, Base):
    """One distinct drift of one stack (a fingerprint), seen by one or more checks."""

    __tablename__ = "drift_findings"
    __table_args__ = (
        UniqueConstraint("stack_id", "fingerprint"),
        Index("ix_drift_findings_created_at_id", "created_at", "id"),
    )

    stack_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stacks.id"), index=True)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    module: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    addresses: Mapped[list[str]] = mapped_column(JSONB)
    attributes: Mapped[dict[str, list[str]]] = mapped_column(
        JSONB, doc="resource address -> attribute paths that differ"
    )
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    ignored_reason: Mapped[str | None] = mapped_column(Text)
    remediation_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("runs.id"))


class SchemaMigration(TimestampMixin, Base):
    """One released SQL migration of the tenants' application schema; never changes."""

    __tablename__ = "schema_migrations"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    sql: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64), doc="sha256 of the SQL text")
    created_by: Mapped[str] = mapped_column(String(200))
