"""Names and queue of the licence renewal jobs."""

from __future__ import annotations

import uuid

from paybill_control_plane.worker.jobs import Queue

RENEW_TASK = "licences.renew_tenant"
RENEW_DUE_TASK = "licences.renew_due"
QUEUE = Queue.licences


def tenant_lock(tenant_id: uuid.UUID | str) -> str:
    """One renewal of a tenant at a time."""
    return f"licence:{tenant_id}"
