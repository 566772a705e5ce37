"""The job kit: every task on the queue named for what it carries, jobs deferred in the caller's
transaction, and a default worker that still drains the pre-split "provisioning" queue."""

from __future__ import annotations

import uuid
from pathlib import Path

from procrastinate.jobs import Job
from procrastinate.testing import InMemoryConnector
from sqlalchemy import text

from paybill_control_plane.audit.signing import new_private_key_pem
from paybill_control_plane.billing._jobs import PROCESS_EVENT_TASK, REVIEW_SUBSCRIPTION_TASK
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier._snapshot_jobs import (
    MAINTAIN_TASK,
    RESTORE_TASK,
    SNAPSHOT_TASK,
    SWITCH_TASK,
)
from paybill_control_plane.datatier.backfill import BACKFILL_TASK
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.fleet._jobs import (
    DRIFT_CHECK_TASK,
    DRIFT_SCHEDULE_TASK,
    ROLLOUT_TICK_TASK,
    SCHEMA_MIGRATE_TASK,
)
from paybill_control_plane.lifecycle.migrations._jobs import MIGRATION_PHASE_TASK
from paybill_control_plane.provisioning._jobs import RUN_STACK_TASK, defer_run_job
from paybill_control_plane.worker.app import build_app
from paybill_control_plane.worker.jobs import LEGACY_QUEUES, WORKER_QUEUES, Queue
from tests.cli.helpers import paybill

_JOB_QUEUE = text("SELECT queue_name FROM procrastinate_jobs WHERE id = :id")


async def test_tasks_are_registered_on_their_queues(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=database_url,
        embedded_worker=False,
        audit_signing_key=new_private_key_pem(),
        audit_checkpoint_dir=tmp_path,
    )
    engine = make_engine(database_url)
    try:
        app = build_app(database_url, make_sessionmaker(engine), settings)
    finally:
        await engine.dispose()
    # procrastinate's own maintenance task is not ours (and no worker is told to run it).
    queues = {n: t.queue for n, t in app.tasks.items() if "procrastinate.builtin" not in n}
    assert queues == {
        RUN_STACK_TASK: Queue.runs,
        PROCESS_EVENT_TASK: Queue.billing,
        REVIEW_SUBSCRIPTION_TASK: Queue.billing,
        "audit.checkpoint": Queue.audit,
        MIGRATION_PHASE_TASK: Queue.migrations,
        ROLLOUT_TICK_TASK: Queue.fleet,
        SCHEMA_MIGRATE_TASK: Queue.fleet,
        DRIFT_SCHEDULE_TASK: Queue.fleet,
        DRIFT_CHECK_TASK: Queue.runs,
        "events.deliver_webhook": Queue.webhooks,
        "events.purge": Queue.webhooks,
        "licences.renew_tenant": Queue.licences,
        "licences.renew_due": Queue.licences,
        SNAPSHOT_TASK: Queue.snapshots,
        RESTORE_TASK: Queue.snapshots,
        SWITCH_TASK: Queue.snapshots,
        BACKFILL_TASK: Queue.runs,
        MAINTAIN_TASK: Queue.snapshots,
    }
    assert set(queues.values()) | set(LEGACY_QUEUES) == set(WORKER_QUEUES)


async def test_a_deferred_job_is_part_of_the_callers_transaction(database_url: str) -> None:
    run_id, stack_id = uuid.uuid4(), uuid.uuid4()
    async with unit_of_work(database_url) as session:
        kept = await defer_run_job(session, run_id, stack_id)
    try:
        async with unit_of_work(database_url) as session:
            dropped = await defer_run_job(session, run_id, stack_id)
            raise LookupError("the request failed after deferring")
    except LookupError:
        pass
    async with unit_of_work(database_url) as session:
        assert await session.scalar(_JOB_QUEUE, {"id": kept}) == "runs"
        assert await session.scalar(_JOB_QUEUE, {"id": dropped}) is None
        await session.execute(text("DELETE FROM procrastinate_jobs WHERE id = :id"), {"id": kept})


async def test_a_default_worker_drains_the_legacy_queue(database_url: str) -> None:
    """Jobs queued under "provisioning" before the upgrade still run (by task name)."""
    engine = make_engine(database_url)
    try:
        settings = Settings(database_url=database_url)
        app = build_app(database_url, make_sessionmaker(engine), settings)
        # No periodic job (hourly purges and renewals, the drift scheduler, snapshot maintenance):
        # procrastinate's periodic deferrer would use the app's own (closed) connector, not the
        # in-memory one, and stop the worker whenever one of them happens to be due.
        app.periodic_registry.periodic_tasks.clear()
        connector = InMemoryConnector()
        app = app.with_connector(connector)
        async with app.open_async():
            for queue in ("provisioning", Queue.billing, "not-ours"):
                # An event that is not stored: the real task logs it and finishes.
                job = Job(
                    queue=queue,
                    task_name=PROCESS_EVENT_TASK,
                    task_kwargs={"event_id": f"evt_{uuid.uuid4().hex}"},
                    lock=None,
                    queueing_lock=None,
                )
                await app.job_manager.defer_job_async(job)
            await app.run_worker_async(
                queues=list(WORKER_QUEUES), wait=False, install_signal_handlers=False
            )
    finally:
        await engine.dispose()
    status = {job["queue_name"]: job["status"] for job in connector.jobs.values()}
    assert status == {"provisioning": "succeeded", "billing": "succeeded", "not-ours": "todo"}


def test_a_worker_refuses_an_unknown_queue() -> None:
    result = paybill(None, "worker", "--queue", "runs", "--queue", "provisionning")
    assert result.exit_code == 2
    assert "unknown queue provisionning" in result.output
