"""fleet: module releases, rollouts and their targets, drift findings; stack release columns;
schema migrations and tenant databases' schema version

Revision ID: 0013_fleet
Revises: 0014_migrations
Create Date: 2026-11-30 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_fleet"
down_revision: str | None = "0014_migrations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", _TS, server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", _TS, server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "module_releases",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("module", sa.String(100), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("upgradeable_from", sa.String(200), nullable=True),
        sa.Column("files", postgresql.JSONB(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("module", "version", name=op.f("uq_module_releases_module")),
    )
    op.create_index(op.f("ix_module_releases_digest"), "module_releases", ["digest"])
    op.create_table(
        "rollouts",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(16), server_default="module", nullable=False),
        sa.Column(
            "release_id",
            sa.Uuid(),
            sa.ForeignKey(
                "module_releases.id", name=op.f("fk_rollouts_release_id_module_releases")
            ),
            nullable=True,
        ),
        sa.Column("schema_version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("selector", postgresql.JSONB(), nullable=False),
        sa.Column("strategy", postgresql.JSONB(), nullable=False),
        sa.Column("max_failures", sa.Integer(), nullable=False),
        sa.Column("current_wave", sa.Integer(), nullable=False),
        sa.Column("wave_done_at", _TS, nullable=True),
        sa.Column("halted_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("finished_at", _TS, nullable=True),
        *_timestamps(),
    )
    op.create_index(op.f("ix_rollouts_status"), "rollouts", ["status"])
    op.create_index("ix_rollouts_created_at_id", "rollouts", ["created_at", "id"])
    op.create_table(
        "rollout_targets",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "rollout_id",
            sa.Uuid(),
            sa.ForeignKey(
                "rollouts.id",
                ondelete="CASCADE",
                name=op.f("fk_rollout_targets_rollout_id_rollouts"),
            ),
            nullable=False,
        ),
        sa.Column(
            "stack_id",
            sa.Uuid(),
            sa.ForeignKey("stacks.id", name=op.f("fk_rollout_targets_stack_id_stacks")),
            nullable=True,
        ),
        sa.Column(
            "tenant_database_id",
            sa.Uuid(),
            sa.ForeignKey(
                "tenant_databases.id",
                name=op.f("fk_rollout_targets_tenant_database_id_tenant_databases"),
            ),
            nullable=True,
        ),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column(
            "from_release_id",
            sa.Uuid(),
            sa.ForeignKey(
                "module_releases.id",
                name=op.f("fk_rollout_targets_from_release_id_module_releases"),
            ),
            nullable=True,
        ),
        sa.Column(
            "run_id",
            sa.Uuid(),
            sa.ForeignKey("runs.id", name=op.f("fk_rollout_targets_run_id_runs")),
            nullable=True,
        ),
        sa.Column(
            "rollback_run_id",
            sa.Uuid(),
            sa.ForeignKey("runs.id", name=op.f("fk_rollout_targets_rollback_run_id_runs")),
            nullable=True,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", _TS, nullable=True),
        sa.Column("finished_at", _TS, nullable=True),
        *_timestamps(),
        sa.UniqueConstraint("rollout_id", "stack_id", name=op.f("uq_rollout_targets_rollout_id")),
    )
    op.create_index(op.f("ix_rollout_targets_stack_id"), "rollout_targets", ["stack_id"])
    op.create_index(
        op.f("ix_rollout_targets_tenant_database_id"), "rollout_targets", ["tenant_database_id"]
    )
    op.create_index(
        "ix_rollout_targets_rollout_id_status", "rollout_targets", ["rollout_id", "status"]
    )
    op.create_table(
        "drift_findings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "stack_id",
            sa.Uuid(),
            sa.ForeignKey("stacks.id", name=op.f("fk_drift_findings_stack_id_stacks")),
            nullable=False,
        ),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("module", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("addresses", postgresql.JSONB(), nullable=False),
        sa.Column("attributes", postgresql.JSONB(), nullable=False),
        sa.Column("first_seen_at", _TS, nullable=False),
        sa.Column("last_seen_at", _TS, nullable=False),
        sa.Column("resolved_at", _TS, nullable=True),
        sa.Column("ignored_reason", sa.Text(), nullable=True),
        sa.Column(
            "remediation_run_id",
            sa.Uuid(),
            sa.ForeignKey("runs.id", name=op.f("fk_drift_findings_remediation_run_id_runs")),
            nullable=True,
        ),
        *_timestamps(),
        sa.UniqueConstraint("stack_id", "fingerprint", name=op.f("uq_drift_findings_stack_id")),
    )
    op.create_index(op.f("ix_drift_findings_stack_id"), "drift_findings", ["stack_id"])
    op.create_index(op.f("ix_drift_findings_tenant_id"), "drift_findings", ["tenant_id"])
    op.create_index(op.f("ix_drift_findings_status"), "drift_findings", ["status"])
    op.create_index("ix_drift_findings_created_at_id", "drift_findings", ["created_at", "id"])

    op.add_column("stacks", sa.Column("release_id", sa.Uuid(), nullable=True))
    op.add_column("stacks", sa.Column("previous_release_id", sa.Uuid(), nullable=True))
    op.add_column("stacks", sa.Column("drift_checked_at", _TS, nullable=True))
    op.create_foreign_key(
        op.f("fk_stacks_release_id_module_releases"),
        "stacks",
        "module_releases",
        ["release_id"],
        ["id"],
    )
    op.create_foreign_key(
        op.f("fk_stacks_previous_release_id_module_releases"),
        "stacks",
        "module_releases",
        ["previous_release_id"],
        ["id"],
    )
    op.add_column(
        "tiers",
        sa.Column("module_versions", postgresql.JSONB(), server_default="{}", nullable=False),
    )
    op.add_column("tiers", sa.Column("drift_interval_seconds", sa.Integer(), nullable=True))
    op.add_column("tiers", sa.Column("maintenance_window", sa.String(100), nullable=True))
    op.create_table(
        "schema_migrations",
        sa.Column("version", sa.Integer(), autoincrement=False, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sql", sa.Text(), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        *_timestamps(),
    )
    op.add_column(
        "tenant_databases",
        sa.Column("schema_version", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("tenant_databases", "schema_version")
    op.drop_table("schema_migrations")
    op.drop_column("tiers", "maintenance_window")
    op.drop_column("tiers", "drift_interval_seconds")
    op.drop_column("tiers", "module_versions")
    op.drop_constraint(
        op.f("fk_stacks_previous_release_id_module_releases"), "stacks", type_="foreignkey"
    )
    op.drop_constraint(op.f("fk_stacks_release_id_module_releases"), "stacks", type_="foreignkey")
    op.drop_column("stacks", "drift_checked_at")
    op.drop_column("stacks", "previous_release_id")
    op.drop_column("stacks", "release_id")
    op.drop_table("drift_findings")
    op.drop_table("rollout_targets")
    op.drop_table("rollouts")
    op.drop_table("module_releases")
