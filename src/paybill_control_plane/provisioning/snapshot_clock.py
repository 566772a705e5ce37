"""The one read the policies need from snapshots: when a tenant's data was last snapshotted.

COORDINATOR (merge of branch `snapshots`): wire this function to the snapshots table: the
`completed_at` (or equivalent) of the tenant's newest *successful* snapshot, as an aware UTC
datetime. Until that table exists it returns None ("no snapshot known"), so the shipped
`database-destroy-needs-fresh-snapshot` policy asks for approval instead of trusting a value
nobody measured. Nothing else in the policy code reads snapshots.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession


async def last_snapshot_time(session: AsyncSession, tenant_id: uuid.UUID) -> datetime | None:
    """The time of the tenant's newest completed snapshot; None: none known (not wired yet)."""
    del session, tenant_id  # used once the snapshots table is merged (see the module docstring)
    return None
