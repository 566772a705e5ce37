"""The periodic audit checkpoint job (see audit/checkpoints.py)."""

from __future__ import annotations

import logging

import procrastinate

from paybill_control_plane.audit.checkpoints import signing_key, stores_for, write_checkpoint
from paybill_control_plane.worker.jobs import Queue, WorkerDeps

log = logging.getLogger(__name__)

CHECKPOINT_TASK = "audit.checkpoint"


def register(app: procrastinate.App, deps: WorkerDeps) -> None:
    """Schedule checkpoints when a key and a destination are configured."""
    settings, sessionmaker = deps.settings, deps.sessionmaker
    key = signing_key(settings)  # an unreadable key stops the worker at start, not hourly
    stores = stores_for(settings)
    if key is None or not stores:
        return

    @app.periodic(cron=settings.audit_checkpoint_cron, periodic_id=CHECKPOINT_TASK)
    @app.task(name=CHECKPOINT_TASK, queue=Queue.audit, queueing_lock=CHECKPOINT_TASK)
    async def audit_checkpoint(timestamp: int) -> None:
        async with sessionmaker() as session:
            checkpoint, places = await write_checkpoint(session, key, stores)
        log.info("audit checkpoint seq=%s written to %s", checkpoint.seq, ", ".join(places))
