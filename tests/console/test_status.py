"""The status colour language covers every status of every kind; sections follow roles."""

from __future__ import annotations

import pytest

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.console.sections import visible_sections
from paybill_control_plane.console.status import status_tone
from paybill_control_plane.models.enums import (
    ApprovalStatus,
    BillingEventStatus,
    DatabaseStatus,
    DriftFindingStatus,
    MigrationStatus,
    RestoreStatus,
    Role,
    RolloutStatus,
    RolloutTargetStatus,
    RunStatus,
    SnapshotStatus,
    StackStatus,
    StepStatus,
    TenantStatus,
)

ENUMS = (
    TenantStatus,
    RunStatus,
    StackStatus,
    StepStatus,
    BillingEventStatus,
    DatabaseStatus,
    SnapshotStatus,
    RestoreStatus,
    ApprovalStatus,
    MigrationStatus,
    RolloutStatus,
    RolloutTargetStatus,
    DriftFindingStatus,
)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_status_has_a_deliberate_tone(enum: type) -> None:
    tones = {status.value: status_tone(status.value) for status in enum}  # type: ignore[attr-defined]
    assert set(tones.values()) <= {"ok", "busy", "wait", "bad", "off"}
    assert tones.get("failed", "bad") == "bad"
    # "off" only for statuses that are over or ignored, never for one that needs attention.
    assert {s for s, t in tones.items() if t == "off"} <= {
        "deprovisioned", "purged", "destroyed", "ignored", "skipped", "dropped",
        "expired", "void", "rolled_back", "cancelled",
    }  # fmt: skip


def test_sections_follow_the_roles() -> None:
    def keys(role: Role) -> list[str]:
        return [s.key for s in visible_sections(Principal(key_id=None, name="x", role=role))]

    assert keys(Role.admin) == [
        "tenants", "runs", "approvals", "billing", "fleet", "audit", "keys", "events",
    ]  # fmt: skip
    assert keys(Role.operator) == ["tenants", "runs", "approvals", "billing", "fleet", "audit"]
    assert keys(Role.viewer) == ["tenants", "runs", "billing", "fleet", "audit"]
    assert keys(Role.billing) == ["tenants", "billing"]
    assert keys(Role.tenant) == ["tenants", "runs"]
