"""Names and queue of the webhook jobs; lightweight, so the commit hook can defer them in SQL."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.worker.jobs import Queue, defer_job

DELIVER_TASK = "events.deliver_webhook"
PURGE_TASK = "events.purge"
ENDPOINT_HEALTH_TASK = "events.disable_failing_endpoints"
QUEUE = Queue.webhooks


async def defer_delivery(
    session: AsyncSession, delivery_id: uuid.UUID, *, scheduled_at: datetime | None = None
) -> int:
    """Enqueue one attempt of a delivery in the session's transaction."""
    return await defer_job(
        session, QUEUE, DELIVER_TASK, {"delivery_id": str(delivery_id)}, scheduled_at=scheduled_at
    )
