"""The saved plan's JSON: sensitive values masked, changes summarized, policies judged."""

from __future__ import annotations

from typing import Any

from paybill_control_plane.models.enums import PolicyEnforcement
from paybill_control_plane.models.policy import Policy
from paybill_control_plane.provisioning.plans import changes_of, masked_plan, summarize
from paybill_control_plane.provisioning.policy_gate import evaluate

RAW: dict[str, Any] = {
    "format_version": "1.2",
    "prior_state": {"values": {"secret": "clear"}},
    "planned_values": {"outputs": {"password": {"sensitive": True, "value": "clear"}}},
    "configuration": {"root_module": {"variables": {"db_password": {"sensitive": True}}}},
    "variables": {"db_password": {"value": "hunter22"}, "size": {"value": 2}},
    "resource_changes": [
        {"address": "a.db", "type": "a", "name": "db", "mode": "managed",
         "change": {"actions": ["delete", "create"], "before": {"pw": "old", "n": 1},
                    "after": {"pw": "new", "n": 2}, "before_sensitive": {"pw": True},
                    "after_sensitive": {"pw": True}}},
        {"address": "a.x", "type": "a", "name": "x", "mode": "managed",
         "change": {"actions": ["delete"], "before": {}, "after": None}},
        {"address": "a.y", "type": "a", "name": "y", "mode": "managed",
         "change": {"actions": ["create"], "before": None, "after": {"tags": ["t"]},
                    "after_sensitive": {"tags": [True]}}},
        {"address": "data.a.z", "type": "a", "name": "z", "mode": "data",
         "change": {"actions": ["read"]}},
    ],
    "output_changes": {"password": {"actions": ["create"], "after": "pw", "after_sensitive": True}},
}  # fmt: skip


def test_sensitive_values_are_masked_and_clear_copies_dropped() -> None:
    shown = masked_plan(RAW)
    text = repr(shown)
    assert "hunter22" not in text and "clear" not in text and "'new'" not in text
    assert "prior_state" not in shown and "planned_values" not in shown
    [db, _, y, _] = shown["resource_changes"]
    assert db["change"]["after"] == {"pw": "(sensitive)", "n": 2}
    assert y["change"]["after"] == {"tags": ["(sensitive)"]}
    assert shown["variables"]["size"] == {"value": 2}


def test_summary_groups_addresses_and_skips_data_sources() -> None:
    summary = summarize(masked_plan(RAW))
    assert (summary["add"], summary["change"], summary["replace"], summary["destroy"]) == (
        1,
        0,
        1,
        1,
    )
    assert summary["addresses"]["replace"] == ["a.db"]
    assert [c["action"] for c in changes_of(RAW)] == ["replace", "delete", "create"]


def _policy(name: str, enforcement: str, expression: str, **applies_to: Any) -> Policy:
    return Policy(name=name, enforcement=enforcement, expression=expression, message=name,
                  applies_to=applies_to)  # fmt: skip


def test_verdicts_fail_closed_and_respect_filters() -> None:
    variables = {"counts": {"destroy": 2}, "run": {"operation": "destroy", "kind": "deprovision",
                 "cloud": "local"}}  # fmt: skip
    verdicts = evaluate(
        [
            _policy("many", "approval", "counts.destroy > 1"),
            _policy("broken", "deny", "counts.nope > 1"),
            _policy("elsewhere", "deny", "true", clouds=["aws"]),
            _policy("applies-only", "advisory", "false", operations=["apply"]),
        ],
        variables,
        [],
    )
    by_name = {v.policy: v for v in verdicts}
    assert set(by_name) == {"many", "broken"}
    assert by_name["many"].matched and by_name["many"].enforcement is PolicyEnforcement.approval
    assert by_name["broken"].matched and by_name["broken"].error
