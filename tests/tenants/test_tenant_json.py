"""The hot reads' JSON (`views.tenant_json`, `tenant_page_json`) is the bytes `TenantOut` gives.

`GET /v1/tenants/{id}` and `GET /v1/tenants` write their JSON from the row without building
`TenantOut` models (docs/performance.md); what FastAPI used to send for the response model is
the reference: `TypeAdapter(model).dump_json(tenant_out(row), by_alias=True)`.
"""

from __future__ import annotations

import json
import uuid
from collections import namedtuple
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from psycopg.rows import namedtuple_row
from pydantic import TypeAdapter

from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.db.read_pool import ReadPool
from paybill_control_plane.kit.pagination import Page
from paybill_control_plane.models.enums import TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import views
from paybill_control_plane.tenants.schemas import TenantOut
from tests.factories import make_tenant, make_tier
from tests.live import Api

ONE = TypeAdapter(TenantOut)
PAGE = TypeAdapter(Page[TenantOut])
Row = namedtuple("Row", [c.name for c in Tenant.__table__.columns])  # type: ignore[misc]


def _reference(row: Any) -> bytes:
    return ONE.dump_json(views.tenant_out(row), by_alias=True)


def _row(**values: Any) -> Any:
    when = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    base: dict[str, Any] = {c: None for c in Row._fields}
    base.update(
        id=uuid.uuid4(),
        slug="acme",
        name='Acme \u00e9 "quoted" </script>',
        status="active",
        desired_state="active",
        tier_key="pro",
        isolation_model="pooled",
        isolation_override=False,
        cloud="local",
        region="local-1",
        labels={},
        contacts=[],
        entitlement_overrides=[],
        billing_provider="manual",
        status_changed_at=when,
        created_at=when,
        updated_at=when,
        version=3,
    )
    base.update(values)
    return Row(**base)


ROWS = [
    _row(),
    *(_row(status=s.value) for s in TenantStatus),
    _row(
        labels={"zeta": "1", "alpha": "two", "cost-center": "sales"},
        contacts=[
            {"email": "ops@acme.example", "role": "technical"},
            {"name": "Ann", "email": "ann@acme.example"},
        ],
        entitlement_overrides=[
            {"unlimited": False, "value": 80, "key": "seats", "type": "numeric"},
            {"key": "sso", "enabled": True, "type": "boolean", "name": "SSO"},
            {"key": "regions", "type": "set", "values": ["eu", "us"]},
            {"key": "api", "type": "numeric", "unlimited": True},
        ],
        pool_id=uuid.uuid4(),
        cloud_target_id=uuid.uuid4(),
        billing_provider="stripe",
        stripe_customer_id="cus_123",
        stripe_subscription_id="sub_456",
        suspended_by="billing",
        desired_state="suspended",
        isolation_model="bridge",
        cloud="aws",
    ),
    _row(
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, 2, tzinfo=timezone(timedelta(hours=2))),
        status_changed_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/Berlin")),
        suspended_by="operator",
    ),
]


@pytest.mark.parametrize("row", ROWS)
def test_one_tenant_is_the_bytes_of_tenant_out(row: Any) -> None:
    assert views.tenant_json(row) == _reference(row)


@pytest.mark.parametrize("next_cursor", [None, "eyJjIjoiMjAyNiJ9"])
def test_a_page_is_the_bytes_of_page_of_tenant_out(next_cursor: str | None) -> None:
    expected = PAGE.dump_json(
        Page[TenantOut](items=[views.tenant_out(r) for r in ROWS], next_cursor=next_cursor),
        by_alias=True,
    )
    assert views.tenant_page_json(ROWS, next_cursor) == expected
    assert views.tenant_page_json([], None) == b'{"items":[],"next_cursor":null}'


def test_fields_follow_the_model() -> None:
    fields = tuple(TenantOut.model_fields)
    assert tuple(views.tenant_out(ROWS[0]).model_dump()) == fields
    assert tuple(json.loads(views.tenant_json(ROWS[0]))) == fields


def test_api_answers_the_stored_rows_bytes(admin: Api, database_url: str) -> None:
    """Over HTTP, from rows as the read pool returns them (psycopg, the server's time zone)."""
    tier = make_tier(admin)
    made = make_tenant(
        admin,
        tier["key"],
        labels={"b": "2", "a": "1"},
        contacts=[{"email": "x@acme.example", "role": "billing"}],
    )
    with psycopg.connect(to_libpq_url(database_url)) as conn:
        cur = conn.cursor(row_factory=namedtuple_row)
        row = cur.execute("SELECT * FROM tenants WHERE id = %s", (made["id"],)).fetchone()
    one = admin.get(f"/v1/tenants/{made['id']}")
    assert one.status_code == 200
    assert one.headers["content-type"] == "application/json"
    assert one.headers["etag"] == f'"{row.version}"'
    assert one.content == _reference(row)
    page = admin.get("/v1/tenants", params={"slug_prefix": made["slug"]})
    assert page.status_code == 200
    assert page.content == PAGE.dump_json(
        Page[TenantOut](items=[views.tenant_out(row)], next_cursor=None), by_alias=True
    )


JSONB_VALUES = [
    "{}",
    "[]",
    " { } ",
    '{"b": "2", "a": [1, 2.5, null, true, "\u00e9"]}',
    "[{}]",
    '"text"',
    "123456789012345678901234567890",
    "null",
]


async def test_the_read_pool_loads_jsonb_as_json_loads_does(database_url: str) -> None:
    """The read pool skips `json.loads` for `{}` and `[]` (`db/read_pool._JsonbLoader`)."""
    pool = ReadPool(to_libpq_url(database_url), 1)
    await pool.open()
    try:
        for literal in JSONB_VALUES:
            row = await pool.fetch_one(
                "SELECT %(v)s::jsonb AS value, %(v)s::jsonb::text AS text", {"v": literal}
            )
            assert row.value == json.loads(row.text), literal
            assert type(row.value) is type(json.loads(row.text)), literal
    finally:
        await pool.close()
