"""The fleet's pure parts: versions and constraints, waves and budgets, plan diffs and
fingerprints, and the drift schedule's even spread."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from paybill_control_plane.fleet import _diff, versions
from paybill_control_plane.fleet.drift_schedule import last_slot
from paybill_control_plane.fleet.selection import budget, waves


def test_constraints() -> None:
    assert versions.satisfies("1.2", ">=1.0,<2")
    assert versions.satisfies("1.2.0", "==1.2")
    assert not versions.satisfies("2.0", ">=1.0,<2")
    assert not versions.satisfies(None, ">=1.0")  # the module on disk has no version
    assert versions.satisfies(None, None)
    with pytest.raises(ValueError, match="not a clause"):
        versions.check_constraint(">=1.0,banana")


def test_waves_grow_and_budget_reads_counts_and_percentages() -> None:
    assert Counter(waves(100, 5, 2)) == {0: 5, 1: 10, 2: 20, 3: 40, 4: 25}
    assert waves(3, 5, 2) == [0, 0, 0]
    assert budget(3, range(300)) == 3
    assert budget("5%", range(300)) == 15
    assert budget("7", range(10)) == 7


def test_diff_reads_both_plans_and_ignores_noise() -> None:
    refresh = {
        "resource_drift": [
            {
                "address": "aws_instance.app",
                "change": {
                    "actions": ["update"],
                    "before": {"tags": {"owner": "a", "seen": "1"}, "size": "m"},
                    "after": {"tags": {"owner": "b", "seen": "2"}, "size": "m"},
                },
            }
        ]
    }
    plan = {
        "resource_changes": [
            {
                "address": "terraform_data.db",
                "change": {
                    "actions": ["update"],
                    "before": {"input": {"class": "large"}},
                    "after": {"input": {"class": "small"}},
                },
            },
            {"address": "terraform_data.ok", "change": {"actions": ["no-op"]}},
        ]
    }
    drift = _diff.drift_of(refresh, plan)
    # The real values: refreshed (after) for out-of-band drift, the state (before) otherwise.
    assert drift == {
        "aws_instance.app": {"tags.owner": "b", "tags.seen": "2"},
        "terraform_data.db": {"input.class": "large"},
    }
    quiet = _diff.without_ignored(drift, ["tags.seen"])
    assert quiet["aws_instance.app"] == {"tags.owner": "b"}
    assert _diff.without_ignored(drift, ["tags.*", "input.*"]) == {}
    assert _diff.fingerprint(drift) == _diff.fingerprint(dict(reversed(drift.items())))
    assert _diff.fingerprint(drift) != _diff.fingerprint(quiet)


def test_drift_slots_spread_evenly_and_fall_due_once_per_interval() -> None:
    interval = 3600.0
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    slots = [last_slot(uuid.uuid4(), interval, now) for _ in range(2000)]
    assert all(now - timedelta(seconds=interval) < s <= now for s in slots)
    quarters = Counter(int((now - s).total_seconds() // 900) for s in slots)
    assert all(400 < quarters[q] < 600 for q in range(4))  # about 500 in each quarter hour
    stack = uuid.uuid4()
    assert last_slot(stack, interval, now + timedelta(seconds=interval)) == last_slot(
        stack, interval, now
    ) + timedelta(seconds=interval)
