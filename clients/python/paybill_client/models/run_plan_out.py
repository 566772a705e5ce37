from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.run_plan_out_plan import RunPlanOutPlan
    from ..models.saved_plan_summary import SavedPlanSummary


T = TypeVar("T", bound="RunPlanOut")


@_attrs_define
class RunPlanOut:
    """
    Attributes:
        attempt (int):
        created_at (datetime.datetime):
        operation (str):
        plan (RunPlanOutPlan): `terraform show -json` of the plan: resource and output changes, sensitive values masked.
        plan_id (UUID):
        revision (None | str):
        run_id (UUID):
        sha256 (str): SHA-256 of the binary plan file that is (or was) applied.
        summary (SavedPlanSummary):
        superseded (bool): A re-plan of the run replaced this plan.
    """

    attempt: int
    created_at: datetime.datetime
    operation: str
    plan: RunPlanOutPlan
    plan_id: UUID
    revision: None | str
    run_id: UUID
    sha256: str
    summary: SavedPlanSummary
    superseded: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        created_at = self.created_at.isoformat()

        operation = self.operation

        plan = self.plan.to_dict()

        plan_id = str(self.plan_id)

        revision: None | str
        revision = self.revision

        run_id = str(self.run_id)

        sha256 = self.sha256

        summary = self.summary.to_dict()

        superseded = self.superseded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "created_at": created_at,
                "operation": operation,
                "plan": plan,
                "plan_id": plan_id,
                "revision": revision,
                "run_id": run_id,
                "sha256": sha256,
                "summary": summary,
                "superseded": superseded,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_plan_out_plan import RunPlanOutPlan  # noqa: PLC0415
        from ..models.saved_plan_summary import SavedPlanSummary  # noqa: PLC0415

        d = dict(src_dict)
        attempt = d.pop("attempt")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        operation = d.pop("operation")

        plan = RunPlanOutPlan.from_dict(d.pop("plan"))

        plan_id = UUID(d.pop("plan_id"))

        def _parse_revision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revision = _parse_revision(d.pop("revision"))

        run_id = UUID(d.pop("run_id"))

        sha256 = d.pop("sha256")

        summary = SavedPlanSummary.from_dict(d.pop("summary"))

        superseded = d.pop("superseded")

        run_plan_out = cls(
            attempt=attempt,
            created_at=created_at,
            operation=operation,
            plan=plan,
            plan_id=plan_id,
            revision=revision,
            run_id=run_id,
            sha256=sha256,
            summary=summary,
            superseded=superseded,
        )

        run_plan_out.additional_properties = d
        return run_plan_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
