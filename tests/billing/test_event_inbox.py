"""The webhook's group commit (`EventInbox`) against real Postgres: concurrent deliveries share
statements, each is stored once with one job, and a failure answers every waiter."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from paybill_control_plane.billing._jobs import event_queueing_lock
from paybill_control_plane.billing.webhook import ingest
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.billing import events
from tests.db import create_database, drop_database
from tests.live import free_port
from tests.provisioning.stack_env import wait_for

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
    inbox = CountingInbox("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1", 1)
    answers = asyncio.run(_put_all(inbox, rows))
    assert len(answers) == 6
    assert all(isinstance(answer, psycopg.OperationalError) for answer in answers)
    # Answered together: a connection failure is nobody's event, so not retried one by one.
    assert inbox.statements == [6]


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


def _serve(url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_PORT": str(port),
        "PAYBILL_LOG_LEVEL": "warning",
        "PAYBILL_EMBEDDED_WORKER": "false",
        "PAYBILL_STRIPE_WEBHOOK_SECRETS": SECRET,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "serve"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert process.poll() is None, "the server exited"
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    wait_for(healthy, timeout=60, interval=0.1)
    return process, base


def _deliver(base: str, bodies: list[bytes], acknowledged: list[int]) -> None:
    """Post each body in turn on one keep-alive connection; note the index of every 200."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for index, body in enumerate(bodies):
            try:
                response = client.post(
                    "/v1/webhooks/stripe",
                    content=body,
                    headers={"Stripe-Signature": events.sign(body, SECRET)},
                )
            except httpx.TransportError:
                return  # the server is gone: this delivery and the rest are retried later
            if response.status_code == 200:
                acknowledged.append(index)


@pytest.mark.slow
def test_kill_9_mid_burst_every_200_is_stored_and_redelivery_stores_the_rest_once(
    tmp_path: Path,
) -> None:
    url = create_database("hooks_kill")
    bodies = [events.encode(_subscription_event()) for _ in range(400)]
    ids = [str(json.loads(body)["id"]) for body in bodies]
    conninfo = to_libpq_url(url)
    first, base = _serve(url, tmp_path / "first")
    second = None
    try:
        acknowledged: list[int] = []
        chunks = [bodies[i::16] for i in range(16)]
        answers: list[list[int]] = [[] for _ in chunks]
        threads = [
            threading.Thread(target=_deliver, args=(base, chunk, answered))
            for chunk, answered in zip(chunks, answers, strict=True)
        ]
        for thread in threads:
            thread.start()
        # Killed mid-burst, batches in flight: some deliveries were answered, some were not.
        wait_for(lambda: _stored(conninfo, ids)[0] >= 40, timeout=60, interval=0.01)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        for thread in threads:
            thread.join(timeout=60)
        for chunk_index, answered in enumerate(answers):
            acknowledged += [chunk_index + 16 * i for i in answered]
        # Every 200 is a stored event with its job (a batch commits before anyone is answered).
        if acknowledged:
            assert _stored(conninfo, [ids[i] for i in acknowledged]) == (
                len(acknowledged),
                len(acknowledged),
            )
        # Row and job are one statement: whatever was stored, answered or not, has its job.
        rows, jobs = _stored(conninfo, ids)
        assert rows == jobs
        assert rows < len(ids), "the kill came after the whole burst: nothing was tested"

        # Stripe delivers everything it was not answered 200 for (here: everything) again.
        second, base = _serve(url, tmp_path / "second")
        again: list[int] = []
        _deliver(base, bodies, again)
        assert sorted(again) == list(range(len(bodies)))
        assert _stored(conninfo, ids) == (len(ids), len(ids))
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=15)
        drop_database(url)
