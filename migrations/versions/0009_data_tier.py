"""data_tier: tenant_databases, one row per tenant's real database (issue 13)

Revision ID: 0009_data_tier
Revises: 0008_tenant_indexes
Create Date: 2026-11-30 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_data_tier"
down_revision: str | None = "0008_tenant_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tenant_databases",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("pool_id", sa.Uuid(), nullable=True),
        sa.Column("isolation_model", sa.String(length=16), nullable=False),
        sa.Column("cloud", sa.String(length=16), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("port", sa.Integer(), nullable=True),
        sa.Column("database", sa.String(length=63), nullable=False),
        sa.Column("schema", sa.String(length=63), nullable=True),
        sa.Column("owner_role", sa.String(length=63), nullable=True),
        sa.Column("username", sa.String(length=63), nullable=True),
        sa.Column("connection_limit", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("credentials_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("credentials_rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pools.id"], name=op.f("fk_tenant_databases_pool_id_pools")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_tenant_databases_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_databases")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_tenant_databases_tenant_id")),
    )
    op.create_index(
        op.f("ix_tenant_databases_pool_id"), "tenant_databases", ["pool_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tenant_databases_pool_id"), table_name="tenant_databases")
    op.drop_table("tenant_databases")
