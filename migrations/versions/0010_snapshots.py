"""snapshots: tenant_snapshots, snapshot_restores, tiers.snapshot_schedule

Revision ID: 0010_snapshots
Revises: 0011_outbound_events
Create Date: 2026-11-30 11:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_snapshots"
down_revision: str | None = "0011_outbound_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _common() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("steps", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "tenant_snapshots",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("database", sa.String(length=63), nullable=True),
        sa.Column("schema_name", sa.String(length=63), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("fingerprints", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        *_common(),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_tenant_snapshots_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_snapshots")),
    )
    op.create_index(
        "ix_tenant_snapshots_tenant_id_created_at_id",
        "tenant_snapshots",
        ["tenant_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_tenant_snapshots_expires_at",
        "tenant_snapshots",
        ["expires_at"],
        unique=False,
        postgresql_where=sa.text("status = 'completed' AND expires_at IS NOT NULL"),
    )
    op.create_table(
        "snapshot_restores",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("snapshot_id", sa.Uuid(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("target_database", sa.String(length=63), nullable=True),
        sa.Column("target_schema", sa.String(length=63), nullable=True),
        sa.Column("pre_restore_snapshot_id", sa.Uuid(), nullable=True),
        *_common(),
        sa.ForeignKeyConstraint(
            ["pre_restore_snapshot_id"],
            ["tenant_snapshots.id"],
            name=op.f("fk_snapshot_restores_pre_restore_snapshot_id_tenant_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["tenant_snapshots.id"],
            name=op.f("fk_snapshot_restores_snapshot_id_tenant_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_snapshot_restores_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot_restores")),
    )
    op.create_index(
        "ix_snapshot_restores_tenant_id_created_at_id",
        "snapshot_restores",
        ["tenant_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_snapshot_restores_tenant_id_active",
        "snapshot_restores",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('pending', 'running')"),
    )
    op.add_column(
        "tiers",
        sa.Column("snapshot_schedule", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("tiers", "snapshot_schedule")
    op.drop_index("uq_snapshot_restores_tenant_id_active", table_name="snapshot_restores")
    op.drop_index("ix_snapshot_restores_tenant_id_created_at_id", table_name="snapshot_restores")
    op.drop_table("snapshot_restores")
    op.drop_index("ix_tenant_snapshots_expires_at", table_name="tenant_snapshots")
    op.drop_index("ix_tenant_snapshots_tenant_id_created_at_id", table_name="tenant_snapshots")
    op.drop_table("tenant_snapshots")
