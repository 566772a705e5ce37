"""tenant_indexes: composite (filter…, created_at, id) indexes for every tenant list filter

The single-column status, tier_key and cloud indexes are prefixes of the new ones and go;
extended statistics on the three columns let the planner see which combinations are rare.

Revision ID: 0008_tenant_indexes
Revises: 0004_clouds
Create Date: 2026-11-30 09:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_tenant_indexes"
down_revision: str | None = "0004_clouds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of models.tenant.TENANT_LIST_FILTER_INDEXES as of this revision.
_FILTERS: tuple[tuple[str, ...], ...] = (
    ("status",),
    ("tier_key",),
    ("cloud",),
    ("status", "tier_key"),
    ("status", "cloud"),
    ("tier_key", "cloud"),
    ("status", "tier_key", "cloud"),
)
_SINGLE = ("status", "tier_key", "cloud")


def _name(cols: tuple[str, ...]) -> str:
    return f"ix_tenants_{'_'.join(cols)}_created_at_id"


def upgrade() -> None:
    for cols in _FILTERS:
        op.create_index(_name(cols), "tenants", [*cols, "created_at", "id"], unique=False)
    for col in _SINGLE:
        op.drop_index(f"ix_tenants_{col}", table_name="tenants")
    # The planner assumes the filter columns are independent: for a combination that matches
    # nothing (each value common, e.g. gold tier and aws) it estimates thousands of rows and may
    # walk a one-column index through all of them. The combined statistics (most common value
    # combinations) tell it the combination is rare, so it takes the composite index.
    op.execute(
        "CREATE STATISTICS IF NOT EXISTS tenants_list_filters (mcv, dependencies) "
        "ON status, tier_key, cloud FROM tenants"
    )


def downgrade() -> None:
    op.execute("DROP STATISTICS IF EXISTS tenants_list_filters")
    for col in _SINGLE:
        op.create_index(f"ix_tenants_{col}", "tenants", [col], unique=False)
    for cols in _FILTERS:
        op.drop_index(_name(cols), table_name="tenants")
