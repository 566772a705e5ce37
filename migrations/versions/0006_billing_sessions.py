"""billing sessions: checkout sessions the control plane created, who suspended a tenant,
Stripe entitlements per customer, plans whose features come from Stripe

Revision ID: 0006_billing_sessions
Revises: 0005_audit_guard
Create Date: 2026-11-30 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_billing_sessions"
down_revision: str | None = "0005_audit_guard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkout_sessions",
        sa.Column("stripe_session_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("plan_key", sa.String(length=63), nullable=False),
        sa.Column("signup", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("signup_slug", sa.String(length=40), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_event_id", sa.String(length=255), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_checkout_sessions_tenant_id_tenants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkout_sessions")),
        sa.UniqueConstraint(
            "stripe_session_id", name=op.f("uq_checkout_sessions_stripe_session_id")
        ),
    )
    op.create_index(
        op.f("ix_checkout_sessions_tenant_id"), "checkout_sessions", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_checkout_sessions_signup_slug"), "checkout_sessions", ["signup_slug"], unique=False
    )
    op.create_table(
        "stripe_entitlements",
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("lookup_keys", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("state_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_id", sa.String(length=255), nullable=True),
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
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_stripe_entitlements")),
    )
    op.add_column("tenants", sa.Column("suspended_by", sa.String(length=16), nullable=True))
    # Tenants suspended before this revision: a Stripe-billed one keeps the old behaviour (the
    # next paid event resumes it); any other was suspended by an operator.
    op.execute(
        "UPDATE tenants SET suspended_by = CASE WHEN billing_provider = 'stripe' "
        "THEN 'billing' ELSE 'operator' END WHERE desired_state = 'suspended'"
    )
    op.add_column(
        "plans",
        sa.Column(
            "entitlements_source", sa.String(length=16), server_default="catalog", nullable=False
        ),
    )
    op.add_column(
        "plans",
        sa.Column(
            "stripe_features",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("plans", "stripe_features")
    op.drop_column("plans", "entitlements_source")
    op.drop_column("tenants", "suspended_by")
    op.drop_table("stripe_entitlements")
    op.drop_index(op.f("ix_checkout_sessions_signup_slug"), table_name="checkout_sessions")
    op.drop_index(op.f("ix_checkout_sessions_tenant_id"), table_name="checkout_sessions")
    op.drop_table("checkout_sessions")
