"""A browser-like HTTP client for the console: cookies, form posts, CSRF tokens from pages."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from paybill_control_plane.db.embedded import to_libpq_url
from tests.billing import events

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
_CSRF_HEADER = re.compile(r'"X-CSRF-Token": "([0-9a-f]+)"')


class ConsoleClient(httpx.Client):
    def __init__(self, base_url: str) -> None:
        super().__init__(base_url=base_url, timeout=30, follow_redirects=False)
        self.origin = base_url
        self.csrf = ""

    def sign_in(self, key: str) -> httpx.Response:
        page = self.get("/console/sign-in")
        token = _CSRF_INPUT.search(page.text)
        assert token, page.text
        response = self.post_form(
            "/console/sign-in", {"csrf_token": token.group(1), "api_key": key}
        )
        if response.status_code == 303:
            landing = self.get(response.headers["location"])
            found = _CSRF_HEADER.search(landing.text)
            self.csrf = found.group(1) if found else ""
        return response

    def post_form(self, url: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
        headers = {"Origin": self.origin, **kwargs.pop("headers", {})}
        return self.post(url, data=data, headers=headers, **kwargs)

    def act(self, url: str, **extra: str) -> httpx.Response:
        """A form POST as the console's pages send it (with this session's CSRF token)."""
        return self.post_form(url, {"csrf_token": self.csrf, **extra})


def failed_billing_event(database_url: str, error: str) -> str:
    """A stored Stripe event whose processing failed (as test_replay.py stores one)."""
    event = events.make_event(
        "customer.subscription.updated", events.subscription(), created=int(time.time())
    )
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO billing_events (id, stripe_event_id, type, livemode, event_created_at, "
            "payload, status, attempts, error) VALUES (gen_random_uuid(), %s, %s, false, now(), "
            "%s::jsonb, 'failed', 10, %s)",
            (event["id"], event["type"], json.dumps(event), error),
        )
    return str(event["id"])


def data_tier_rows(database_url: str, tenant_id: str) -> str:
    """A tenant's `available` local database row and one completed snapshot of it, as the
    provisioning run and the snapshot job leave them (no worker runs in the console tests);
    the snapshot's id."""
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    name = f"t_{tenant_id.replace('-', '')[:20]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO tenant_databases (id, tenant_id, isolation_model, cloud, engine, "
            "database, owner_role, username, status, schema_version, created_at, updated_at) "
            "VALUES (gen_random_uuid(), %s, 'silo', 'local', 'postgres', %s, %s, %s, "
            "'available', 0, now(), now())",
            (tenant_id, name, f"{name}_owner", f"{name}_a"),
        )
        row = conn.execute(
            "INSERT INTO tenant_snapshots (id, tenant_id, kind, status, database, size_bytes, "
            "checksum, steps, attempt, requested_by, created_at, updated_at) VALUES "
            "(gen_random_uuid(), %s, 'on_demand', 'completed', %s, 4096, %s, '[]'::jsonb, 1, "
            "'test', now(), now()) RETURNING id",
            (tenant_id, name, "0" * 64),
        ).fetchone()
    assert row is not None
    return str(row[0])


def hold_run(database_url: str, run_id: str, requested_by: str, required: int = 1) -> str:
    """Put a queued run where a policy leaves it: `awaiting_approval`, with a saved plan and a
    pending approval request (as plan_phase.py records them); the plan's sha256."""
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    sha = f"{run_id.replace('-', '')}{'ab' * 16}"
    summary = {
        "add": 1, "change": 0, "replace": 0, "destroy": 1,
        "addresses": {"add": ["local_file.config"], "change": [], "replace": [],
                      "destroy": ["local_file.old_config"]},
    }  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE runs SET status = 'awaiting_approval' WHERE id = %s", (run_id,))
        plan = conn.execute(
            "INSERT INTO run_plans (id, run_id, attempt, operation, sha256, plan_file, plan_json, "
            "summary, created_at) VALUES (gen_random_uuid(), %s, 1, 'apply', %s, '\\x00', "
            "'{}'::jsonb, %s::jsonb, now()) RETURNING id",
            (run_id, sha, json.dumps(summary)),
        ).fetchone()
        assert plan is not None
        conn.execute(
            "INSERT INTO approvals (id, run_id, run_plan_id, plan_sha256, status, required, "
            "requested_by, policies, approvers, created_at, expires_at) VALUES "
            "(gen_random_uuid(), %s, %s, %s, 'pending', %s, %s, %s::jsonb, '[]'::jsonb, now(), "
            "now() + interval '1 hour')",
            (run_id, plan[0], sha, required, requested_by,
             json.dumps([{"name": "big-change", "message": "destroys a file"}])),
        )  # fmt: skip
    return sha


def webhook_rows(database_url: str, event_id: str, tenant_id: str) -> str:
    """A webhook endpoint for the tenant's events with one failed delivery attempt of the
    event, as the delivery job records them (the console never shows the secret; these bytes
    are not one); its id."""
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "INSERT INTO webhook_endpoints (id, url, description, event_types, tenant_id, "
            "enabled, secret_encrypted, version, created_at, updated_at) VALUES "
            "(gen_random_uuid(), 'https://hooks.example.com/paybill', 'CRM sync', "
            "'[\"tenant.created\"]'::jsonb, %s, true, '\\x00', 1, now(), now()) RETURNING id",
            (tenant_id,),
        ).fetchone()
        assert row is not None
        delivery = conn.execute(
            "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, status, attempts, "
            "created_at) VALUES (gen_random_uuid(), %s, %s, 'pending', 1, now()) RETURNING id",
            (event_id, row[0]),
        ).fetchone()
        assert delivery is not None
        conn.execute(
            "INSERT INTO webhook_attempts (id, delivery_id, endpoint_id, event_id, attempt, "
            "attempted_at, status_code, latency_ms, error) VALUES (gen_random_uuid(), %s, %s, %s, "
            "1, now(), 503, 41.5, 'Service Unavailable')",
            (delivery[0], row[0], event_id),
        )
    return str(row[0])


def migration_row(database_url: str, tenant: dict[str, Any], phase: str = "copy") -> str:
    """A running silo → pooled migration of the tenant in `phase`, as the workflow leaves one
    (its earlier phases succeeded); its id."""
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    order = ["plan", "provision_target", "copy", "cutover", "hold", "decommission"]
    done = order[: order.index(phase)]
    history = [
        {"name": p, "status": "succeeded", "started_at": "2026-01-01T10:00:00+00:00",
         "finished_at": "2026-01-01T10:00:02+00:00", "duration_ms": 2000}
        for p in done
    ] + [{"name": phase, "status": "running", "started_at": "2026-01-01T10:01:00+00:00"}]  # fmt: skip
    side = {"tier": tenant["tier"], "isolation_model": "silo", "pool_id": None}
    plan = {
        "tenant_id": tenant["id"], "source": side,
        "target": {**side, "isolation_model": "pooled"}, "phases": order,
        "target_stacks": [], "source_stacks": [], "hold_hours": 24.0, "data": {},
    }  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "INSERT INTO tenant_migrations (id, tenant_id, status, phase, source_tier, "
            "target_tier, source_isolation, target_isolation, source_isolation_override, "
            "target_isolation_override, plan, phases, run_ids, requested_by, created_at, "
            "updated_at) VALUES (gen_random_uuid(), %s, 'running', %s, %s, %s, 'silo', "
            "'pooled', false, true, %s::jsonb, %s::jsonb, '[]'::jsonb, 'test', now(), now()) "
            "RETURNING id",
            (tenant["id"], phase, tenant["tier"], tenant["tier"], json.dumps(plan),
             json.dumps(history)),
        ).fetchone()  # fmt: skip
    assert row is not None
    return str(row[0])


def _stack_of(conn: psycopg.Connection[Any], tenant_id: str) -> str:
    row = conn.execute(
        "SELECT id FROM stacks WHERE tenant_id = %s ORDER BY created_at LIMIT 1", (tenant_id,)
    ).fetchone()
    assert row is not None, "the tenant's first run made its stack"
    return str(row[0])


def rollout_rows(database_url: str, first: str, second: str) -> str:
    """A running module rollout of a release over two tenants' stacks, the first's (wave 0)
    upgraded and the second's (wave 1) waiting, as the rollout ticks leave one; its id."""
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    with psycopg.connect(url, autocommit=True) as conn:
        release = conn.execute(
            "INSERT INTO module_releases (id, module, version, digest, notes, files, created_by, "
            "created_at, updated_at) VALUES (gen_random_uuid(), 'local/silo', %s, %s, "
            "'adds a label', '{\"main.tf\": \"\"}'::jsonb, 'test', now(), now()) RETURNING id",
            (f"1.{uuid.uuid4().int % 10000}.0", uuid.uuid4().hex + uuid.uuid4().hex),
        ).fetchone()
        assert release is not None
        rollout = conn.execute(
            "INSERT INTO rollouts (id, kind, release_id, status, selector, strategy, "
            "max_failures, current_wave, created_by, created_at, updated_at) VALUES "
            "(gen_random_uuid(), 'module', %s, 'running', %s::jsonb, "
            "'{\"canary\": 1}'::jsonb, 0, 1, 'test', now(), now()) RETURNING id",
            (release[0], json.dumps({"tenant_ids": [first, second]})),
        ).fetchone()
        assert rollout is not None
        for wave, (tenant_id, status) in enumerate(((first, "succeeded"), (second, "pending"))):
            conn.execute(
                "INSERT INTO rollout_targets (id, rollout_id, stack_id, tenant_id, position, "
                "wave, status, created_at, updated_at) VALUES (gen_random_uuid(), %s, %s, %s, "
                "%s, %s, %s, now(), now())",
                (rollout[0], _stack_of(conn, tenant_id), tenant_id, wave, wave, status),
            )
    return str(rollout[0])


def drift_row(database_url: str, tenant_id: str) -> str:
    """An open drift finding on the tenant's stack, as a drift check records one; its id."""
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    with psycopg.connect(url, autocommit=True) as conn:
        stack = _stack_of(conn, tenant_id)
        row = conn.execute(
            "INSERT INTO drift_findings (id, stack_id, tenant_id, module, fingerprint, status, "
            "addresses, attributes, first_seen_at, last_seen_at, created_at, updated_at) VALUES "
            "(gen_random_uuid(), %s, %s, 'local/silo', %s, 'open', "
            '\'["local_file.config"]\'::jsonb, \'{"local_file.config": ["content"]}\'::jsonb, '
            "now(), now(), now(), now()) RETURNING id",
            (stack, tenant_id, uuid.uuid4().hex),
        ).fetchone()
    assert row is not None
    return str(row[0])
