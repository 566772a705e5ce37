from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.audit.test_audit import paybill
from tests.db import create_database, drop_database


@pytest.fixture
def own_database() -> Iterator[str]:
    url = create_database("catalog")
    yield url
    drop_database(url)


@pytest.mark.slow
def test_catalog_apply_is_idempotent(own_database: str, tmp_path: Path) -> None:
    first = paybill(own_database, "catalog", "apply", "examples/catalog.yaml")
    assert first.returncode == 0, first.stderr
    assert "+ tier/free (create)" in first.stdout
    assert "13 created, 0 updated, 0 deleted, 0 unchanged" in first.stdout
    second = paybill(own_database, "catalog", "apply", "examples/catalog.yaml")
    assert second.returncode == 0 and second.stdout.startswith("No changes"), second.stdout

    catalog = yaml.safe_load(Path("examples/catalog.yaml").read_text())
    catalog["tiers"][2]["sizing"]["storage_gb"] = 250
    changed = tmp_path / "catalog.yaml"
    changed.write_text(yaml.safe_dump(catalog))
    third = paybill(own_database, "catalog", "apply", str(changed))
    assert third.returncode == 0 and "~ tier/pro (update)" in third.stdout
    assert "    sizing: " in third.stdout  # the field that changed, before -> after
    assert "0 created, 1 updated, 0 deleted, 12 unchanged" in third.stdout

    catalog["plans"][0]["tier"] = "nope"
    changed.write_text(yaml.safe_dump(catalog))
    bad = paybill(own_database, "catalog", "apply", str(changed))
    assert bad.returncode == 1 and "grants tier 'nope'" in bad.stderr
    changed.write_text("tiers: [{key: 1}]")
    invalid = paybill(own_database, "catalog", "apply", str(changed))
    assert invalid.returncode == 2
    assert invalid.stderr.startswith(f"error: {changed}:1:") and "Traceback" not in invalid.stderr


def test_keys_create_prints_a_working_key_once(own_database: str) -> None:
    made = paybill(own_database, "keys", "create", "--role", "admin", "--name", "ops")
    assert made.returncode == 0, made.stderr
    assert "key:  pbk_" in made.stdout and "not shown again" in made.stdout
    bad = paybill(own_database, "keys", "create", "--role", "tenant", "--name", "x")
    assert bad.returncode == 2 and "tenant key needs tenant_id" in bad.stderr
