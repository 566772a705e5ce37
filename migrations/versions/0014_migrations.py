"""migrations: tenant_migrations, the durable workflow that moves a tenant between isolation models

Revision ID: 0014_migrations
Revises: 0009_data_tier
Create Date: 2026-11-30 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014_migrations"
down_revision: str | None = "0009_data_tier"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tenant_migrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("source_tier", sa.String(length=63), nullable=False),
        sa.Column("target_tier", sa.String(length=63), nullable=False),
        sa.Column("source_isolation", sa.String(length=16), nullable=False),
        sa.Column("target_isolation", sa.String(length=16), nullable=False),
        sa.Column("source_isolation_override", sa.Boolean(), nullable=False),
        sa.Column("target_isolation_override", sa.Boolean(), nullable=False),
        sa.Column("source_pool_id", sa.Uuid(), nullable=True),
        sa.Column("target_pool_id", sa.Uuid(), nullable=True),
        sa.Column("plan", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("phases", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("run_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=True),
        sa.Column("hold_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_tenant_migrations_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["source_pool_id"], ["pools.id"], name=op.f("fk_tenant_migrations_source_pool_id_pools")
        ),
        sa.ForeignKeyConstraint(
            ["target_pool_id"], ["pools.id"], name=op.f("fk_tenant_migrations_target_pool_id_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_migrations")),
    )
    op.create_index(
        "uq_tenant_migrations_in_flight",
        "tenant_migrations",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('running', 'holding', 'rolling_back')"),
    )
    op.create_index(
        "ix_tenant_migrations_tenant_id_created_at",
        "tenant_migrations",
        ["tenant_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_tenant_migrations_tenant_id_created_at", table_name="tenant_migrations")
    op.drop_index("uq_tenant_migrations_in_flight", table_name="tenant_migrations")
    op.drop_table("tenant_migrations")
