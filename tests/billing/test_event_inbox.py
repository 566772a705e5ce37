"""The webhook's group commit (`EventInbox`) against real Postgres: concurrent deliveries share
statements, each is stored once with one job, and a failure answers every waiter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import psycopg
import pytest

from paybill_control_plane.billing._jobs import event_queueing_lock
from paybill_control_plane.billing.webhook import ingest
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.billing import events
from tests.db import create_database, drop_database

SECRET = "whsec_inbox_test"


@pytest.fixture(scope="module")
def conninfo() -> Iterator[str]:
    url = create_database("hooks_inbox")
    try:
        yield to_libpq_url(url)
    finally:
        drop_database(url)


class CountingInbox(ingest.EventInbox):
    """The real inbox, noting the size of every statement it sends."""

    def __init__(self, conninfo: str, timeout: float = 30) -> None:
        super().__init__(conninfo, timeout)
        self.statements: list[int] = []

    async def _write(self, rows: list[ingest._Row]) -> dict[str, bool]:
        self.statements.append(len(rows))
        return await super()._write(rows)


def _row(event: dict[str, object]) -> ingest._Row:
    body = events.encode(event)
    settings = Settings(stripe_webhook_secrets=[SECRET])  # type: ignore[arg-type]
    return ingest.verified_row(body, events.sign(body, SECRET), settings)


def _subscription_event() -> dict[str, object]:
    return events.make_event(
        "customer.subscription.updated",
        events.subscription(id=events.new_id("sub")),
        created=int(time.time()),
    )


async def _put_all(inbox: ingest.EventInbox, rows: list[ingest._Row]) -> list[object]:
    await inbox.open()
    try:
        return await asyncio.gather(*(inbox.put(row) for row in rows), return_exceptions=True)
    finally:
        await inbox.close()


def _stored(conninfo: str, event_ids: list[str]) -> tuple[int, int]:
    with psycopg.connect(conninfo) as conn:
        found = conn.execute(
            "SELECT (SELECT count(*) FROM billing_events WHERE stripe_event_id = ANY(%(ids)s)),"
            " (SELECT count(*) FROM procrastinate_jobs WHERE queueing_lock = ANY(%(locks)s))",
            {"ids": event_ids, "locks": [event_queueing_lock(i) for i in event_ids]},
        ).fetchone()
    assert found is not None
    return found[0], found[1]


def test_concurrent_deliveries_share_statements_and_are_stored_once_each(conninfo: str) -> None:
    rows = [_row(_subscription_event()) for _ in range(120)]
    inbox = CountingInbox(conninfo)
    assert asyncio.run(_put_all(inbox, rows)) == [True] * 120
    assert sum(inbox.statements) == 120
    assert len(inbox.statements) < 120  # grouped: not a statement (and commit) per event
    assert 0 not in inbox.statements  # no empty batch is ever sent
    assert _stored(conninfo, [r.event_id for r in rows]) == (120, 120)

    # Every one delivered again (Stripe retries): nothing new is stored or queued.
    again = CountingInbox(conninfo)
    assert asyncio.run(_put_all(again, rows)) == [False] * 120
    assert _stored(conninfo, [r.event_id for r in rows]) == (120, 120)


def test_a_duplicate_within_one_batch_is_stored_and_queued_once(conninfo: str) -> None:
    event = _subscription_event()
    twice = [_row(event), _row(event)]
    others = [_row(_subscription_event()) for _ in range(5)]
    inbox = CountingInbox(conninfo)
    answers = asyncio.run(_put_all(inbox, [twice[0], *others, twice[1]]))
    assert len(inbox.statements) == 1  # both copies were in the same statement
    assert answers == [True, *([True] * 5), False]
    assert _stored(conninfo, [twice[0].event_id]) == (1, 1)


def test_an_event_postgres_refuses_fails_alone_and_nothing_is_half_stored(conninfo: str) -> None:
    bad_event = _subscription_event()
    bad_event["data"]["object"]["metadata"] = {"note": "\x00"}  # type: ignore[index]
    bad = _row(bad_event)  # verified: the signature is fine, JSONB refuses \u0000
    good = [_row(_subscription_event()) for _ in range(8)]
    inbox = CountingInbox(conninfo)
    answers = asyncio.run(_put_all(inbox, [*good[:4], bad, *good[4:]]))
    assert answers[:4] + answers[5:] == [True] * 8
    assert isinstance(answers[4], psycopg.Error)  # that delivery answers 500; Stripe retries
    # The batch failed as a whole (rolled back), then every event was written alone.
    assert inbox.statements == [9, *([1] * 9)]
    assert _stored(conninfo, [r.event_id for r in good]) == (8, 8)
    assert _stored(conninfo, [bad.event_id]) == (0, 0)


def test_an_unreachable_database_answers_every_waiter_with_an_error() -> None:
    rows = [_row(_subscription_event()) for _ in range(6)]
    # Nothing listens on port 1: every connection attempt fails, the pool gives up after 1 s.
    inbox = ingest.EventInbox("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1", 1)
    answers = asyncio.run(_put_all(inbox, rows))
    assert len(answers) == 6
    assert all(isinstance(answer, Exception) for answer in answers)


def test_payloads_are_toasted_with_lz4_when_the_server_has_it(conninfo: str) -> None:
    row = _row(_subscription_event())
    assert asyncio.run(_put_all(ingest.EventInbox(conninfo), [row])) == [True]
    with psycopg.connect(conninfo) as conn:
        available = conn.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        ).fetchone()
        method = conn.execute(
            "SELECT pg_column_compression(payload) FROM billing_events WHERE stripe_event_id = %s",
            (row.event_id,),
        ).fetchone()
    assert method is not None
    # A ~7 KB payload is compressed in line; the method is lz4 wherever the server offers it.
    assert method[0] == ("lz4" if available and available[0] else "pglz")
