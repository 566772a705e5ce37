"""Statuses are enums in models/enums.py; the API's inline literals and the stored JSON of run
steps must stay exactly what they were."""

from __future__ import annotations

from typing import get_args

from paybill_control_plane.models.enums import (
    RunStatus,
    StackStatus,
    StepStatus,
    TenantDesiredState,
)
from paybill_control_plane.provisioning import schemas as provisioning_schemas
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.tenants.schemas import TenantOut


def test_api_literals_spell_the_enums() -> None:
    assert get_args(provisioning_schemas.RunStatus) == tuple(RunStatus)
    assert get_args(provisioning_schemas.StackStatus) == tuple(StackStatus)
    desired = TenantOut.model_fields["desired_state"].annotation
    assert get_args(desired) == tuple(TenantDesiredState)


def test_a_stored_step_reads_and_writes_back_unchanged() -> None:
    # As the executor wrote them before steps were typed (waiting, skipped, finished).
    stored = [
        {"name": "wait", "status": "waiting", "detail": "waiting for pool"},
        {
            "name": "plan",
            "status": "skipped",
            "detail": "revision already applied",
            "started_at": "2026-01-01T00:00:00+00:00",
            "finished_at": "2026-01-01T00:00:00+00:00",
            "duration_ms": 0,
        },
        {
            "name": "apply",
            "status": "succeeded",
            "started_at": "2026-01-01T00:00:00+00:00",
            "finished_at": "2026-01-01T00:00:03+00:00",
            "duration_ms": 3012,
            "detail": "1 added, 0 changed, 0 destroyed",
            "attempt": 2,
        },
    ]
    assert [Step.from_json(s).to_json() for s in stored] == stored


def test_a_running_step_closes_with_its_duration_and_no_private_keys() -> None:
    step = Step.start("init", "workspace silo-1", span=None)
    assert step.to_json().keys() == {"name", "status", "started_at", "detail"}
    step.close(StepStatus.failed, "exit 1")
    closed = step.to_json()
    assert closed["status"] == "failed" and closed["detail"] == "exit 1"
    assert isinstance(closed["duration_ms"], int) and closed["duration_ms"] >= 0
    assert closed.keys() == {"name", "status", "started_at", "finished_at", "duration_ms", "detail"}
