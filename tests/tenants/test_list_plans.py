"""Every documented tenant list filter is an index range scan, also after a deep cursor.

The plans are Postgres's own (EXPLAIN) over enough seeded tenants that a sequential scan or a
walk over the wrong index would be the cheaper plan if the right index were missing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy.dialects import postgresql

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.kit.pagination import encode_cursor
from paybill_control_plane.models.enums import Role
from paybill_control_plane.tenants.repository import list_statement
from tests.db import create_database, drop_database
from tests.tenants.seed import MATCH_MANY, MATCH_NOTHING, seed_tenants

ROWS = 30_000
ADMIN = Principal(key_id=None, name="plan-test", role=Role.admin)
INDEX_NODES = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}
FILTER_COLUMNS = {"status": "status", "tier": "tier_key", "cloud": "cloud"}


@pytest.fixture(scope="module")
def seeded() -> Iterator[psycopg.Connection[Any]]:
    url = create_database("plans")
    try:
        with psycopg.connect(to_libpq_url(url)) as conn:
            seed_tenants(conn, ROWS)
            yield conn
    finally:
        drop_database(url)


def _plan(conn: psycopg.Connection[Any], **kwargs: Any) -> dict[str, Any]:
    compiled = list_statement(ADMIN, limit=50, **kwargs).compile(dialect=postgresql.dialect())
    row = conn.execute(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).fetchone()
    assert row is not None
    plan: dict[str, Any] = row[0][0]["Plan"]
    return plan


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _filter_sets() -> Iterator[tuple[str, ...]]:
    for size in range(1, 4):
        yield from itertools.combinations(("status", "tier", "cloud"), size)


def _deep_cursor() -> str:
    # Row 90% of the way through the seeded tenants (one a second from 2026-01-01).
    created = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=int(ROWS * 0.9))
    return encode_cursor(created, "00000000-0000-0000-0000-000000000000")


@pytest.mark.parametrize("cursor", [None, "deep"], ids=["first-page", "deep-cursor"])
@pytest.mark.parametrize("filters", list(_filter_sets()), ids="+".join)
def test_filters_matching_nothing_use_their_composite_index(
    seeded: psycopg.Connection[Any], filters: tuple[str, ...], cursor: str | None
) -> None:
    expected = "ix_tenants_" + "_".join(FILTER_COLUMNS[f] for f in filters) + "_created_at_id"
    plan = _plan(
        seeded,
        cursor=_deep_cursor() if cursor else None,
        **MATCH_NOTHING[filters],
    )
    nodes = list(_nodes(plan))
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], plan
    used = [n for n in nodes if n["Node Type"] in INDEX_NODES]
    assert [n["Index Name"] for n in used] == [expected], plan


@pytest.mark.parametrize("filters", [(), *_filter_sets()], ids=lambda f: "+".join(f) or "none")
def test_deep_cursor_is_an_index_bound_for_every_filter(
    seeded: psycopg.Connection[Any], filters: tuple[str, ...]
) -> None:
    plan = _plan(seeded, cursor=_deep_cursor(), **{f: MATCH_MANY[f] for f in filters})
    nodes = list(_nodes(plan))
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], plan
    scans = [n for n in nodes if n["Node Type"] in INDEX_NODES]
    assert scans and all(n["Relation Name"] == "tenants" for n in scans if "Relation Name" in n)
    # The cursor is in the index condition (where the scan starts), not a filter on each row.
    assert any("created_at" in n.get("Index Cond", "") for n in scans), plan
    assert all("created_at" not in n.get("Filter", "") for n in scans), plan
