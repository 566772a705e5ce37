"""audit guard: TRUNCATE of audit_events is refused

Revision ID: 0005_audit_guard
Revises: 0004_clouds
Create Date: 2026-11-30 09:30:00.000000

The row trigger of 0001 refuses UPDATE and DELETE; TRUNCATE fires no row triggers, so it
needs a statement trigger of its own. (A superuser can still disable both: signed checkpoints
kept outside the database, `paybill audit checkpoint`, make that visible.)
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_audit_guard"
down_revision: str | None = "0004_clouds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = """
CREATE FUNCTION audit_events_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (TRUNCATE refused)';
END;
$$;
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_truncate();
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
    op.execute("DROP FUNCTION IF EXISTS audit_events_refuse_truncate()")
