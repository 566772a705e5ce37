from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.approval_status import ApprovalStatus, check_approval_status

if TYPE_CHECKING:
    from ..models.approver import Approver
    from ..models.policy_hit import PolicyHit


T = TypeVar("T", bound="ApprovalOut")


@_attrs_define
class ApprovalOut:
    """
    Attributes:
        approvers (list[Approver]):
        created_at (datetime.datetime):
        decided_at (datetime.datetime | None):
        decided_by (None | str):
        expires_at (datetime.datetime):
        id (UUID):
        plan_sha256 (str):
        policies (list[PolicyHit]):
        reason (None | str):
        requested_by (str):
        required (int): Distinct approvers needed (the tier's approvals_required).
        run_id (UUID):
        status (ApprovalStatus): `approvals.status`: pending until approved, rejected, expired or voided by a re-plan.
    """

    approvers: list[Approver]
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decided_by: None | str
    expires_at: datetime.datetime
    id: UUID
    plan_sha256: str
    policies: list[PolicyHit]
    reason: None | str
    requested_by: str
    required: int
    run_id: UUID
    status: ApprovalStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        approvers = []
        for approvers_item_data in self.approvers:
            approvers_item = approvers_item_data.to_dict()
            approvers.append(approvers_item)

        created_at = self.created_at.isoformat()

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decided_by: None | str
        decided_by = self.decided_by

        expires_at = self.expires_at.isoformat()

        id = str(self.id)

        plan_sha256 = self.plan_sha256

        policies = []
        for policies_item_data in self.policies:
            policies_item = policies_item_data.to_dict()
            policies.append(policies_item)

        reason: None | str
        reason = self.reason

        requested_by = self.requested_by

        required = self.required

        run_id = str(self.run_id)

        status: str = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "approvers": approvers,
                "created_at": created_at,
                "decided_at": decided_at,
                "decided_by": decided_by,
                "expires_at": expires_at,
                "id": id,
                "plan_sha256": plan_sha256,
                "policies": policies,
                "reason": reason,
                "requested_by": requested_by,
                "required": required,
                "run_id": run_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approver import Approver  # noqa: PLC0415
        from ..models.policy_hit import PolicyHit  # noqa: PLC0415

        d = dict(src_dict)
        approvers = []
        _approvers = d.pop("approvers")
        for approvers_item_data in _approvers:
            approvers_item = Approver.from_dict(approvers_item_data)

            approvers.append(approvers_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        def _parse_decided_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = UUID(d.pop("id"))

        plan_sha256 = d.pop("plan_sha256")

        policies = []
        _policies = d.pop("policies")
        for policies_item_data in _policies:
            policies_item = PolicyHit.from_dict(policies_item_data)

            policies.append(policies_item)

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        requested_by = d.pop("requested_by")

        required = d.pop("required")

        run_id = UUID(d.pop("run_id"))

        status = check_approval_status(d.pop("status"))

        approval_out = cls(
            approvers=approvers,
            created_at=created_at,
            decided_at=decided_at,
            decided_by=decided_by,
            expires_at=expires_at,
            id=id,
            plan_sha256=plan_sha256,
            policies=policies,
            reason=reason,
            requested_by=requested_by,
            required=required,
            run_id=run_id,
            status=status,
        )

        approval_out.additional_properties = d
        return approval_out

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
