"""A bad catalog file: file, line and column of each problem, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from paybill_control_plane.catalog.files import CatalogFileError, parse_catalog
from tests.cli.helpers import paybill

TIER = """\
tiers:
  - key: gold
    name: Gold
    rank: 10
    default_isolation: pooled
    sizing:
      compute_units: 1
      memory_gb: 2
      storage_gb: 20
      db_class: small
      replicas: 1
      backup_retention_days: 7
"""


def issues(text: str) -> list[str]:
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, "cat.yaml")
    return [str(i) for i in caught.value.issues]


def test_valid_file_parses() -> None:
    catalog = parse_catalog(TIER)
    assert [t.key for t in catalog.tiers] == ["gold"]


def test_yaml_syntax_error_names_line_and_column() -> None:
    [issue] = issues("tiers:\n  - key: gold\n    name: [Gold\n")
    assert issue.startswith("cat.yaml:4:1: ")
    assert "flow sequence" in issue


def test_bad_indentation_names_line_and_column() -> None:
    [issue] = issues("tiers:\n  - key: gold\n   name: Gold\n")
    assert issue.startswith("cat.yaml:3:"), issue


def test_wrong_value_points_at_the_value() -> None:
    [issue] = issues(TIER.replace("memory_gb: 2", "memory_gb: lots"))
    # line 8, the value's column (after `memory_gb: `)
    assert issue.startswith("cat.yaml:8:18: "), issue
    assert "tiers[0].sizing.memory_gb" in issue


def test_unknown_field_points_at_the_key() -> None:
    [issue] = issues(TIER.replace("    rank: 10\n", "    rank: 10\n    colour: red\n"))
    assert issue == "cat.yaml:5:5: unknown field 'colour' (at tiers[0].colour)"


def test_missing_field_points_at_the_mapping_that_lacks_it() -> None:
    [issue] = issues(TIER.replace("    name: Gold\n", ""))
    assert issue.startswith("cat.yaml:2:5: Field required (at tiers[0].name)"), issue


def test_union_member_errors_skip_the_tag() -> None:
    text = TIER + "    features:\n      - {key: seats, type: numeric, value: -1}\n"
    [issue] = issues(text)
    assert issue.startswith("cat.yaml:14:44: "), issue


def test_rule_across_fields_points_at_the_tier() -> None:
    text = TIER.replace(
        "default_isolation: pooled", "default_isolation: pooled\n    allowed_isolation: [silo]"
    )
    [issue] = issues(text)
    assert issue.startswith("cat.yaml:2:5: "), issue
    assert "default_isolation must be one of allowed_isolation" in issue


def test_several_problems_are_all_listed() -> None:
    text = TIER.replace("rank: 10", "rank: -1").replace("replicas: 1", "replicas: 0")
    found = issues(text)
    assert [i.split(": ")[0] for i in found] == ["cat.yaml:4:11", "cat.yaml:11:17"]


def test_cli_prints_the_location_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.yaml"
    bad.write_text(TIER.replace("storage_gb: 20", "storage_gb: big"))
    # No database is needed to reject the file: the URL points nowhere.
    result = paybill("postgresql+psycopg://u@127.0.0.1:9/x", "catalog", "apply", str(bad))
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {bad}:9:19: ")
    assert "tiers[0].sizing.storage_gb" in line

    bad.write_text("tiers: [\n")
    result = paybill(None, "catalog", "apply", str(bad))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {bad}:2:1: ")
