"""tenant_indexes: composite (filter…, created_at, id) indexes for every tenant list filter

The single-column status, tier_key and cloud indexes are prefixes of the new ones and go;
extended statistics on the three columns let the planner see which combinations are rare.
Also: workers are notified when a job's lock is released (queue pickup without polling).

Revision ID: 0008_tenant_indexes
Revises: 0007_idempotency
Create Date: 2026-11-30 09:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_tenant_indexes"
down_revision: str | None = "0007_idempotency"
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

    # procrastinate wakes workers (LISTEN/NOTIFY) when a job is inserted, but not when a running
    # job releases its lock: a job queued behind it (the next run of the same stack or pool)
    # waited for the next poll. This notifies the queue as the lock is released.
    op.execute(_WAKE_FUNCTION)
    op.execute(
        "CREATE TRIGGER paybill_jobs_notify_lock_released "
        "AFTER UPDATE OF status ON procrastinate_jobs FOR EACH ROW "
        "WHEN (OLD.status = 'doing' AND NEW.status <> 'doing' AND NEW.lock IS NOT NULL) "
        "EXECUTE PROCEDURE paybill_notify_lock_released()"
    )


_WAKE_FUNCTION = """
CREATE OR REPLACE FUNCTION paybill_notify_lock_released() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    payload TEXT;
BEGIN
    IF EXISTS (SELECT 1 FROM procrastinate_jobs
               WHERE lock = NEW.lock AND status = 'todo' AND queue_name = NEW.queue_name) THEN
        -- The payload procrastinate's own insert trigger sends; workers then fetch a job.
        payload := json_build_object('type', 'job_inserted', 'job_id', NEW.id)::text;
        PERFORM pg_notify('procrastinate_queue_v1#' || NEW.queue_name, payload);
        PERFORM pg_notify('procrastinate_any_queue_v1', payload);
    END IF;
    RETURN NEW;
END;
$$
"""


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS paybill_jobs_notify_lock_released ON procrastinate_jobs")
    op.execute("DROP FUNCTION IF EXISTS paybill_notify_lock_released()")
    op.execute("DROP STATISTICS IF EXISTS tenants_list_filters")
    for col in _SINGLE:
        op.create_index(f"ix_tenants_{col}", "tenants", [col], unique=False)
    for cols in _FILTERS:
        op.drop_index(_name(cols), table_name="tenants")
