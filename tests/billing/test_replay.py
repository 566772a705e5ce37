"""Replay refuses an event that is already waiting in the queue (no worker runs here)."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import text

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.billing import service
from paybill_control_plane.cli._runtime import unit_of_work
from tests.billing import events


async def test_replay_of_a_queued_event_is_a_conflict(database_url: str) -> None:
    event = events.make_event(
        "customer.subscription.updated", events.subscription(), created=int(time.time())
    )
    async with unit_of_work(database_url) as session:
        await session.execute(
            text(
                "INSERT INTO billing_events (id, stripe_event_id, type, livemode, "
                "event_created_at, payload, status, attempts) VALUES (gen_random_uuid(), :id, "
                ":type, false, now(), CAST(:payload AS jsonb), 'failed', 1)"
            ),
            {"id": event["id"], "type": event["type"], "payload": json.dumps(event)},
        )
    async with unit_of_work(database_url) as session:
        replayed = await service.replay_event(session, CLI, event["id"])
        assert replayed.status == "received" and replayed.error is None
    with pytest.raises(service.EventAlreadyQueued):
        async with unit_of_work(database_url) as session:
            await service.replay_event(session, CLI, event["id"])
    async with unit_of_work(database_url) as session:
        queued = await session.scalar(
            text("SELECT count(*) FROM procrastinate_jobs WHERE args->>'event_id' = :id"),
            {"id": event["id"]},
        )
        assert queued == 1
