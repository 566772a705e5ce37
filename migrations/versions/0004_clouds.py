"""clouds: cloud targets, the tenant's and pool's target, the stack's boundary

Revision ID: 0004_clouds
Revises: 0003_billing
Create Date: 2026-11-24 11:44:42.508281
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_clouds"
down_revision: str | None = "0003_billing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cloud_targets",
        sa.Column("cloud", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("default_region", sa.String(length=64), nullable=False),
        sa.Column("account_ref", sa.String(length=255), nullable=False),
        sa.Column("endpoint_url", sa.String(length=2048), nullable=True),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("state_backend", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("credentials_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("credential_keys", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("last_validation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cloud_targets")),
        sa.UniqueConstraint("cloud", "name", name=op.f("uq_cloud_targets_cloud")),
    )
    op.create_index(op.f("ix_cloud_targets_cloud"), "cloud_targets", ["cloud"], unique=False)
    op.create_index(
        "ix_cloud_targets_created_at_id", "cloud_targets", ["created_at", "id"], unique=False
    )

    op.add_column("tenants", sa.Column("cloud_target_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_tenants_cloud_target_id"), "tenants", ["cloud_target_id"])
    op.create_foreign_key(
        op.f("fk_tenants_cloud_target_id_cloud_targets"),
        "tenants",
        "cloud_targets",
        ["cloud_target_id"],
        ["id"],
    )
    op.add_column("pools", sa.Column("cloud_target_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_pools_cloud_target_id"), "pools", ["cloud_target_id"])
    op.create_foreign_key(
        op.f("fk_pools_cloud_target_id_cloud_targets"),
        "pools",
        "cloud_targets",
        ["cloud_target_id"],
        ["id"],
    )
    op.add_column(
        "stacks", sa.Column("boundary", postgresql.JSONB(astext_type=sa.Text()), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("stacks", "boundary")
    op.drop_constraint(op.f("fk_pools_cloud_target_id_cloud_targets"), "pools", type_="foreignkey")
    op.drop_index(op.f("ix_pools_cloud_target_id"), table_name="pools")
    op.drop_column("pools", "cloud_target_id")
    op.drop_constraint(
        op.f("fk_tenants_cloud_target_id_cloud_targets"), "tenants", type_="foreignkey"
    )
    op.drop_index(op.f("ix_tenants_cloud_target_id"), table_name="tenants")
    op.drop_column("tenants", "cloud_target_id")
    op.drop_index("ix_cloud_targets_created_at_id", table_name="cloud_targets")
    op.drop_index(op.f("ix_cloud_targets_cloud"), table_name="cloud_targets")
    op.drop_table("cloud_targets")
