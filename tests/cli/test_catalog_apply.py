"""`paybill catalog apply`: dry-run diff, prune, and the guard for tenants on narrowed tiers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.catalog import service as catalog
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.tenants import service as tenants
from paybill_control_plane.tenants.schemas import TenantCreate
from tests.cli.helpers import audit_events, paybill
from tests.conftest import unique
from tests.db import create_database, drop_database
from tests.factories import tier_body


@pytest.fixture(scope="module")
def db() -> Iterator[str]:
    # Its own database: --prune acts on the whole catalog.
    url = create_database("cli_catalog")
    yield url
    drop_database(url)


@pytest.fixture
def fresh_db() -> Iterator[str]:
    url = create_database("cli_prune")
    yield url
    drop_database(url)


def tier(key: str, **overrides: Any) -> dict[str, Any]:
    return tier_body(key, features=[], **overrides)


def plan(key: str, tier_key: str, **overrides: Any) -> dict[str, Any]:
    return {"key": key, "name": f"Plan {key}", "tier": tier_key, **overrides}


def write(tmp_path: Path, tiers: list[dict[str, Any]], plans: list[dict[str, Any]]) -> str:
    path = tmp_path / f"{unique('catalog')}.yaml"
    path.write_text(yaml.safe_dump({"tiers": tiers, "plans": plans}, sort_keys=False))
    return str(path)


def make_tenant(
    url: str, tier_key: str, region: str = "local-1", isolation: str | None = None
) -> dict[str, str]:
    async def create() -> dict[str, str]:
        async with unit_of_work(url) as session:
            data = TenantCreate(slug=unique("t"), name="T", tier=tier_key, cloud="local",  # type: ignore[arg-type]
                                region=region, isolation_model=isolation)  # type: ignore[arg-type]  # fmt: skip
            tenant = await tenants.create_tenant(session, CLI, data)
            return {"id": str(tenant.id), "slug": tenant.slug}

    return asyncio.run(create())


def tier_version(url: str, key: str) -> int:
    async def read() -> int:
        async with unit_of_work(url) as session:
            return (await catalog.get_tier(session, key)).version

    return asyncio.run(read())


def test_dry_run_prints_the_field_diff_and_writes_nothing(db: str, tmp_path: Path) -> None:
    t1, t2, p1 = unique("tier"), unique("tier"), unique("plan")
    first = paybill(db, "catalog", "apply", write(tmp_path, [tier(t1)], [plan(p1, t1)]))
    assert first.exit_code == 0, first.output
    assert f"+ tier/{t1} (create)" in first.stdout and f"+ plan/{p1} (create)" in first.stdout
    assert "2 created, 0 updated, 0 deleted, 0 unchanged" in first.stdout

    changed = write(tmp_path, [tier(t1, rank=20, allowed_clouds=["local"]), tier(t2)],
                    [plan(p1, t1, name="Renamed")])  # fmt: skip
    dry = paybill(db, "catalog", "apply", "--dry-run", changed)
    assert dry.exit_code == 0, dry.output
    out = dry.stdout.splitlines()
    assert f"~ tier/{t1} (update)" in out and "    rank: 10 -> 20" in out
    assert '    allowed_clouds: ["aws", "azure", "gcp", "oci", "ibm", "local"] -> ["local"]' in out
    assert f"+ tier/{t2} (create)" in out
    assert f"~ plan/{p1} (update)" in out and f'    name: "Plan {p1}" -> "Renamed"' in out
    assert "1 to create, 2 to update, 0 to delete, 0 unchanged" in out
    assert out[-1] == "Dry run: nothing was written."
    assert tier_version(db, t1) == 1
    assert audit_events(db, t1, "tier.updated") == []
    assert paybill(db, "catalog", "apply", "--dry-run", changed).stdout == dry.stdout

    as_json = json.loads(paybill(db, "catalog", "apply", "--dry-run", "--json", changed).stdout)
    update = next(c for c in as_json["changes"] if c["key"] == t1)
    assert update["action"] == "update"
    assert {"field": "rank", "before": 10, "after": 20} in update["changes"]

    applied = paybill(db, "catalog", "apply", changed)
    assert applied.exit_code == 0, applied.output
    assert tier_version(db, t1) == 2
    [event] = audit_events(db, t1, "tier.updated")
    assert event["actor"] == "cli" and event["after"]["rank"] == 20
    again = paybill(db, "catalog", "apply", "--dry-run", changed)
    assert "0 to create, 0 to update, 0 to delete, 3 unchanged" in again.stdout
    assert paybill(db, "catalog", "apply", changed).stdout.startswith("No changes")


def test_narrowing_a_tier_is_refused_listing_the_tenants_outside_it(
    db: str, tmp_path: Path
) -> None:
    key = unique("tier")
    regions = {"local": ["local-1", "local-2"]}
    base = tier(key, allowed_isolation=["pooled", "silo"], allowed_regions=regions)
    assert paybill(db, "catalog", "apply", write(tmp_path, [base], [])).exit_code == 0
    fits = make_tenant(db, key, "local-1")
    outside = make_tenant(db, key, "local-2", isolation="silo")

    narrowed = write(tmp_path, [tier(key, allowed_isolation=["pooled"],
                                     allowed_regions={"local": ["local-1"]})], [])  # fmt: skip
    refused = paybill(db, "catalog", "apply", narrowed)
    assert refused.exit_code == 1, refused.output
    assert f"refused: tier/{key} changes; 1 tenant(s) affected:" in refused.stderr
    line = next(x for x in refused.stderr.splitlines() if outside["slug"] in x)
    assert outside["id"] in line
    assert "region 'local-2' no longer allowed on 'local'" in line
    assert "isolation 'silo' no longer allowed" in line
    assert fits["slug"] not in refused.stderr
    assert "--allow-breaking" in refused.stderr
    assert tier_version(db, key) == 1  # nothing applied

    dry = paybill(db, "catalog", "apply", "--dry-run", narrowed)
    assert dry.exit_code == 1 and outside["slug"] in dry.stderr

    allowed = paybill(db, "catalog", "apply", "--allow-breaking", narrowed)
    assert allowed.exit_code == 0, allowed.output
    assert f"allowed: tier/{key} changes" in allowed.stderr
    assert tier_version(db, key) == 2
    [event] = audit_events(db, key, "catalog.breaking_change_allowed")
    assert event["actor"] == "cli"
    [named] = event["after"]["affected_tenants"]
    assert named["id"] == outside["id"] and named["slug"] == outside["slug"]

    gone = paybill(db, "catalog", "apply", write(tmp_path, [tier(key, allowed_clouds=["aws"])], []))
    assert gone.exit_code == 1
    assert fits["slug"] in gone.stderr and "cloud 'local' no longer allowed" in gone.stderr


def test_prune_removes_what_the_file_lacks_but_never_a_tier_in_use(
    fresh_db: str, tmp_path: Path
) -> None:
    a, b, c = "tier-a", "tier-b", "tier-c"
    full = write(tmp_path, [tier(a), tier(b), tier(c)], [plan("plan-a", a), plan("plan-c", c)])
    assert paybill(fresh_db, "catalog", "apply", full).exit_code == 0
    on_b = make_tenant(fresh_db, b)

    only_a = write(tmp_path, [tier(a)], [plan("plan-a", a)])
    kept = paybill(fresh_db, "catalog", "apply", only_a)
    assert kept.exit_code == 0 and kept.stdout.startswith("No changes")  # no --prune: kept

    dry = paybill(fresh_db, "catalog", "apply", "--prune", "--dry-run", only_a)
    assert dry.exit_code == 1
    assert "- plan/plan-c (delete)" in dry.stdout and "- tier/tier-b (delete)" in dry.stdout
    assert "0 to create, 0 to update, 3 to delete, 2 unchanged" in dry.stdout
    for flags in ((), ("--allow-breaking",)):
        refused = paybill(fresh_db, "catalog", "apply", "--prune", *flags, only_a)
        assert refused.exit_code == 1, refused.output
        assert "refused: tier/tier-b is deleted; 1 tenant(s) affected:" in refused.stderr
        assert f"{on_b['slug']}  {on_b['id']}" in refused.stderr
    assert tier_version(fresh_db, c) == 1  # the refusal applied nothing, not even tier-c

    keep_b = write(tmp_path, [tier(a), tier(b)], [plan("plan-a", a)])
    pruned = paybill(fresh_db, "catalog", "apply", "--prune", keep_b)
    assert pruned.exit_code == 0, pruned.output
    assert "- plan/plan-c (delete)" in pruned.stdout and "- tier/tier-c (delete)" in pruned.stdout
    assert [e["actor"] for e in audit_events(fresh_db, c, "tier.deleted")] == ["cli"]
    assert audit_events(fresh_db, "plan-c", "plan.deleted")


def test_a_plan_of_a_missing_tier_is_reported_before_anything_is_written(
    db: str, tmp_path: Path
) -> None:
    key = unique("plan")
    result = paybill(db, "catalog", "apply", write(tmp_path, [], [plan(key, "no-such-tier")]))
    assert result.exit_code == 1
    assert f"Plan '{key}' grants tier 'no-such-tier'" in result.stderr
    assert "[validation-error]" in result.stderr
