"""Prometheus metrics beyond the HTTP access ones: runs, queues, billing events, webhooks.

Counters and histograms are updated where things happen (a run finishing, a webhook refused).
Figures that live in the database are read at scrape time with ONE short statement and exposed
through a collector built per scrape, so a scrape never shows a stale cached value and a database
that is down costs a `paybill_metrics_database_up 0`, never a failed scrape.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from paybill_control_plane.models.enums import BillingEventStatus, RunStatus
from paybill_control_plane.observability import REGISTRY

log = logging.getLogger(__name__)

RUN_DURATION = Histogram(
    "paybill_run_duration_seconds",
    "Provisioning run duration, from its first claim to its end, observed when it finishes",
    ["operation", "status"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200),
    registry=REGISTRY,
)
WEBHOOK_VERIFICATION_FAILURES = Counter(
    "paybill_webhook_verification_failures_total",
    "Stripe webhook deliveries refused before storing (bad or missing signature, stale, no secret)",
    ["reason"],
    registry=REGISTRY,
)

# The statement must stay cheap: runs and billing_events group over indexed status columns,
# queue figures only touch jobs waiting or running, and the oldest job's deferral time is one
# index lookup per queue.
_SNAPSHOT_SQL = text(
    """
    WITH due AS (
        SELECT queue_name, id, scheduled_at FROM procrastinate_jobs
        WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())
    ),
    queues AS (
        SELECT queue_name, count(*) AS depth, min(id) FILTER (WHERE scheduled_at IS NULL) AS first_id,
               min(scheduled_at) AS first_scheduled
        FROM due GROUP BY queue_name
    )
    SELECT 'runs' AS kind, status AS label, count(*)::float8 AS value FROM runs GROUP BY status
    UNION ALL
    SELECT 'billing', status, count(*)::float8 FROM billing_events GROUP BY status
    UNION ALL
    SELECT 'depth', queue_name, depth::float8 FROM queues
    UNION ALL
    SELECT 'age', queue_name, extract(epoch FROM now() - least(first_scheduled, (
        SELECT min(e.at) FROM procrastinate_events e
        WHERE e.job_id = queues.first_id AND e.type = 'deferred'
    )))::float8 FROM queues
    UNION ALL
    SELECT 'stuck', NULL, count(*)::float8 FROM runs r
    WHERE r.status = 'running' AND (
        r.started_at < now() - make_interval(secs => :stuck_seconds)
        OR NOT EXISTS (
            SELECT 1 FROM procrastinate_jobs j
            JOIN procrastinate_workers w ON w.id = j.worker_id
            WHERE j.status = 'doing' AND j.task_name = :run_task
              AND j.args ->> 'run_id' = r.id::text
              AND w.last_heartbeat > now() - make_interval(secs => :stalled_seconds)
        )
    )
    """
)
RUN_STATUSES = tuple(s.value for s in RunStatus)
BILLING_STATUSES = tuple(s.value for s in BillingEventStatus)
SCRAPE_TIMEOUT_SECONDS = 3.0


@dataclass
class Snapshot:
    """The database figures of one scrape (empty when the database did not answer)."""

    up: bool = False
    runs: dict[str, float] = field(default_factory=dict)
    billing: dict[str, float] = field(default_factory=dict)
    depth: dict[str, float] = field(default_factory=dict)
    age: dict[str, float] = field(default_factory=dict)
    stuck: float = 0.0


async def read_snapshot(
    sessionmaker: async_sessionmaker[AsyncSession] | None,
    *,
    stuck_seconds: float,
    stalled_seconds: float,
    run_task: str,
) -> Snapshot:
    """The database figures, or an empty snapshot (up=False) on any failure or timeout."""
    snapshot = Snapshot()
    if sessionmaker is None:
        return snapshot
    try:
        async with asyncio.timeout(SCRAPE_TIMEOUT_SECONDS), sessionmaker() as session:
            await session.execute(text("SET LOCAL statement_timeout = '2s'"))
            # Parallel workers cost more to start than these index-only counts take.
            await session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
            rows = await session.execute(
                _SNAPSHOT_SQL,
                {
                    "stuck_seconds": stuck_seconds,
                    "stalled_seconds": stalled_seconds,
                    "run_task": run_task,
                },
            )
            for kind, label, value in rows:
                if kind == "stuck":
                    snapshot.stuck = float(value)
                else:
                    target: dict[str, float] = getattr(snapshot, kind)
                    target[str(label)] = float(value or 0.0)
            await session.rollback()
    except Exception as exc:  # the scrape still answers, with paybill_metrics_database_up 0
        log.warning("metrics: database figures unavailable: %s", type(exc).__name__)
        return Snapshot()
    snapshot.up = True
    return snapshot


class DatabaseCollector(Collector):
    """Exposes one `Snapshot` (built per scrape, so no figure outlives the scrape)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[GaugeMetricFamily]:
        s = self.snapshot
        yield GaugeMetricFamily(
            "paybill_metrics_database_up",
            "1 when the database answered this scrape's query, else 0",
            value=1.0 if s.up else 0.0,
        )
        if not s.up:
            return
        runs = GaugeMetricFamily("paybill_runs", "Provisioning runs by status", labels=["status"])
        for status in sorted({*RUN_STATUSES, *s.runs}):
            runs.add_metric([status], s.runs.get(status, 0.0))
        yield runs
        billing = GaugeMetricFamily(
            "paybill_billing_events", "Stored Stripe events by status", labels=["status"]
        )
        for status in sorted({*BILLING_STATUSES, *s.billing}):
            billing.add_metric([status], s.billing.get(status, 0.0))
        yield billing
        depth = GaugeMetricFamily(
            "paybill_queue_depth", "Jobs due and waiting for a worker", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "paybill_queue_oldest_job_age_seconds",
            "How long the oldest due job has waited for a worker",
            labels=["queue"],
        )
        for queue in sorted(s.depth):
            depth.add_metric([queue], s.depth[queue])
            age.add_metric([queue], max(0.0, s.age.get(queue, 0.0)))
        yield depth
        yield age
        yield GaugeMetricFamily(
            "paybill_runs_stuck",
            "Runs `running` with no live worker holding their job, or running for too long",
            value=s.stuck,
        )


def exposition(snapshot: Snapshot) -> bytes:
    """The process's metrics followed by the scrape's database figures, in text format."""
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(DatabaseCollector(snapshot))
    return generate_latest(REGISTRY) + generate_latest(scrape)


def observe_run_finished(
    operation: str | None, status: str, started_at: datetime | None, finished_at: datetime | None
) -> None:
    """Record a finished run's duration (runs that never started are not timed)."""
    if started_at is None or finished_at is None:
        return
    seconds = max(0.0, (finished_at - started_at).total_seconds())
    RUN_DURATION.labels(operation or "unknown", status).observe(seconds)


def observe_run_on_commit(
    session: AsyncSession,
    operation: str | None,
    status: str,
    started_at: datetime | None,
    finished_at: datetime | None,
) -> None:
    """Record a run's duration once the transaction that finished it commits (a rolled back or
    retried transaction records nothing, so a run is observed once)."""

    def observe(_: Session) -> None:
        observe_run_finished(operation, status, started_at, finished_at)

    event.listen(session.sync_session, "after_commit", observe, once=True)
